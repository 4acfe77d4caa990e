"""Every path the project uses, defined once from the project root."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEMO_DIR = DATA_DIR / "demo"
DEMO_RAW_DIR = DEMO_DIR / "raw"
DEMO_TRUTH_DIR = DEMO_DIR / "truth"
# Working data written by the app (ingest cache, uploads, versions); never committed.
WORK_DIR = DATA_DIR / "work"
# Ingest results keyed on file content (analysis/ingest_cache.py). UMKM_CACHE_DIR moves it (tests, benchmark).
CACHE_DIR = Path(os.environ.get("UMKM_CACHE_DIR") or WORK_DIR / "cache")
# UMKM_DATA_DIR points the dashboard at another folder of spreadsheets than the bundled demo (the
# benchmark shows its generated province-size data this way); unset, the demo data is shown.
DATA_DIR_OVERRIDE = Path(os.environ["UMKM_DATA_DIR"]) if os.environ.get("UMKM_DATA_DIR") else None
# Kecamatan boundaries imported by the user (analysis/boundaries.py); a derived copy of their file.
# UMKM_BATAS_FILE points a server elsewhere (the browser tests start one with imported boundaries).
BOUNDARY_FILE = Path(os.environ.get("UMKM_BATAS_FILE") or WORK_DIR / "batas_kecamatan.geojson")

# ../shared beside the checkout: real boundary files and public spreadsheets that must not be copied here.
SHARED_DIR = ROOT.parent / "shared"

# Uploaded office data (analysis/store.py): raw uploads stored unchanged under their content hash, one
# folder per applied version (manifest, report, tables), the pointer to the active version, and the
# column mappings a data admin corrected. UMKM_STORE_DIR points a server elsewhere (browser tests).
STORE_DIR = Path(os.environ.get("UMKM_STORE_DIR") or WORK_DIR / "kelola")
# Local accounts (analysis/users.py): names, roles and argon2 password hashes, never plain text.
# UMKM_USERS_FILE points a server or a test at another file.
USERS_FILE = Path(os.environ.get("UMKM_USERS_FILE") or WORK_DIR / "users.json")
# Hours of inactivity after which a login expires (UMKM_SESSION_HOURS overrides).
SESSION_IDLE_HOURS = float(os.environ.get("UMKM_SESSION_HOURS") or 8)
# Estimate the training impact of every kecamatan in a background thread once data is loaded (ui/data.py);
# UMKM_DAMPAK_LATAR=0 turns it off (the test suite does, except the tests of it).
BACKGROUND_IMPACT = os.environ.get("UMKM_DAMPAK_LATAR", "1") != "0"
