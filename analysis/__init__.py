"""Everything of Dasbor UMKM but the screen; never imports streamlit.

The packages follow the data:

    core       what every stage shares: settings, paths, reference tables, schemas, number formats
    ingest     spreadsheets -> the four clean tables + a report accounting for every row
    insight    the numbers the pages show: filters, indicators, trends, training tables, budget plan
    impact     training impact per jenis, with bootstrap intervals and checks
    output     plotly charts and the offline map
    boundaries kecamatan polygons: a user's file imported, or the schematic fallback
    report     the meeting deck and presentation views
    office     what the Dinas keeps: uploads and versions, the Kelola Data tables, accounts
    demo       the seeded demo spreadsheets and their truth (not used by the dashboard)

``users.py`` here only keeps the command ``python -m analysis.users`` (the code is office/users.py).
"""
from __future__ import annotations

import os
import sys

# Arrow's buffers from the C library's allocator, which give_back_memory (analysis.core.memory) hands back
# to the system, not from Arrow's own mimalloc, which kept 60-70 MB after an ingest at scale 20; measured in
# docs/kinerja.md. Arrow reads the variable when it first allocates: set here, before this package
# imports pyarrow, and inherited by the worker processes. When pyarrow was used first, its Python-level
# default changes (what Parquet reads and pandas conversions ask for). A variable set by the user wins.
if os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system") == "system" and "pyarrow" in sys.modules:
    sys.modules["pyarrow"].set_memory_pool(sys.modules["pyarrow"].system_memory_pool())
