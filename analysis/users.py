"""``python -m analysis.users``: local accounts (add, passwd, remove, list); the code is in analysis/office/users.py."""
import sys

from analysis.office.users import main

if __name__ == "__main__":
    sys.exit(main())
