"""What the Dinas keeps: uploaded files, applied versions and rollback (store), the tables of the Kelola
Data page (review), and local accounts with roles (users)."""
