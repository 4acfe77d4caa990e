"""Files -> clean tables + report. Also the command line: python -m analysis.ingest --out DIR PATH..."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class IngestResult:
    producers: pd.DataFrame
    sales: pd.DataFrame
    trainings: pd.DataFrame
    participants: pd.DataFrame
    rejected: pd.DataFrame  # every rejected or skipped row: file, sheet, row, reason, original values
    report: dict = field(default_factory=dict)  # {"files": [...], "totals": {...}} as in DATA-CONTRACT.md


def ingest_paths(paths: list[Path]) -> IngestResult:
    raise NotImplementedError  # being written
