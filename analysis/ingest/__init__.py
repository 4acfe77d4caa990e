"""Spreadsheets in, the four clean tables of DATA-CONTRACT.md out, with a report that accounts for
every row.

    python -m analysis.ingest --out DIR PATH [PATH ...]   (analysis/ingest/__main__.py)

The stages, one module each, in the order a file meets them:

    readers    a file -> raw grids of cells (xlsx, xls, csv), with the upload safety checks
    layout     where a sheet's header is, what each column means, which kind of sheet it is
    screening  which rows below the header are data; every other row is counted as skipped
    columns    cells -> typed columns, each distinct cell parsed once (value parsers in cleaning)
    rows       one sheet's producers, sales rows, or training event and participants
    reading    every file read and parsed, in this process and a worker process
    linking    duplicate producers merged; sales rows and participants linked to producers
    merge      the sheets' rows put together into tables, and the report
    pipeline   ingest_paths: all of the above, in order
    outputs    the tables, rejected.xlsx and report.json written to a folder
    cache      ingest results kept on disk, keyed on the files' bytes, the options and this code
    sheet      what the stages share: one sheet's report and row outcomes, the result, the reasons
"""
from __future__ import annotations

from analysis.ingest.outputs import write_outputs
from analysis.ingest.pipeline import ingest_paths
from analysis.ingest.reading import worker_context, workers_exited
from analysis.ingest.sheet import (
    REJECT_NO_KECAMATAN,
    STATUS_ERROR,
    STATUS_OK,
    IngestResult,
    SheetReport,
)

__all__ = [
    "REJECT_NO_KECAMATAN", "STATUS_ERROR", "STATUS_OK", "IngestResult", "SheetReport", "ingest_paths",
    "worker_context", "workers_exited", "write_outputs",
]
