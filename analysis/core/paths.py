"""Every fixed path of the project, defined once from the project root.

What the environment may change (the data folder, caches, the store of office data, accounts) is in
``analysis.core.settings``; these paths never change at run time.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
# National area codes and cleaned boundary polygons (analysis/boundaries/build.py), with their licences.
WILAYAH_DIR = DATA_DIR / "wilayah"
DEMO_DIR = DATA_DIR / "demo"
DEMO_RAW_DIR = DEMO_DIR / "raw"
DEMO_TRUTH_DIR = DEMO_DIR / "truth"
# Working data written by the app (ingest cache, uploads, versions, accounts); never committed.
WORK_DIR = DATA_DIR / "work"
# ../shared beside the checkout: real boundary files and public spreadsheets that must not be copied here.
SHARED_DIR = ROOT.parent / "shared"
