"""What the stages of the ingest share: a sheet's report, the outcome of each row, the result.

Every data row below a detected header ends as exactly one of: kept (possibly fixed), merged into
another row, rejected with a reason, or skipped (blank, repeated header, JUMLAH/TOTAL row, ...). For
each file and sheet rows_read = rows_kept + rows_merged + rows_rejected + rows_skipped, and
rejected.xlsx holds every rejected or skipped row with its original values so a person can fix it at
the source. The reasons below are the texts a person reads there.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from analysis.ingest import columns as cols
from analysis.ingest import layout as lay
from analysis.ingest.readers import RawSheet

STATUS_OK = "ok"


STATUS_ERROR = "error"


KEPT, FIXED, MERGED, REJECTED, SKIPPED = "kept", "fixed", "merged", "rejected", "skipped"


SKIP_BLANK = "baris kosong"


SKIP_HEADER = "judul kolom berulang"


SKIP_TOTAL = "baris JUMLAH/TOTAL"


SKIP_TOTAL_UNLABELLED = "baris jumlah tanpa label (jumlah baris di atasnya)"


SKIP_NUMBERING = "baris nomor kolom"


SKIP_NOTE = "baris keterangan (hanya satu sel terisi)"


SKIP_ABOVE_HEADER = "baris di atas judul kolom (judul atau keterangan lembar)"


SKIP_FOOTER = "catatan kaki / tanda tangan"


SKIP_NOT_A_TABLE = "lembar bukan data UMKM, penjualan, atau pelatihan"


SKIP_NO_SALES = "tidak ada nilai penjualan"


REJECT_NO_NAME = "nama usaha dan nama pemilik kosong"


REJECT_NO_KECAMATAN = "kecamatan tidak diketahui (tidak ada di kolom, judul, nama lembar, maupun nama berkas)"


REJECT_NO_MONTH = "bulan tidak terbaca"


REJECT_BAD_VALUE = "nilai penjualan tidak terbaca"


REJECT_NO_PARTICIPANT = "nama peserta dan nama usaha kosong"


TEXT_FIELDS = ("nama_usaha", "nama_pemilik", "desa", "alamat", "produk", "satuan", "kategori")


@dataclass
class SheetReport:
    path: str
    sheet: str | None
    kind: str
    status: str = STATUS_OK
    message: str = ""
    header_row: int | None = None  # Excel row number (1-based) of the (last) header row
    rows_read: int = 0
    rows_kept: int = 0
    rows_fixed: int = 0  # of rows_kept, those with a corrected or dropped value
    rows_merged: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    fixes: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)  # header text -> field it was read as
    kecamatan: str | None = None  # kecamatan taken from the title, sheet or file name
    signature: str | None = None  # the header row's key for remembered mapping corrections
    headers: list = field(default_factory=list)  # every header cell's text, mapped or not
    notes: list = field(default_factory=list)  # what the ingest decided on its own (columns read by their cells, units)

    def balanced(self) -> bool:
        return self.rows_read == self.rows_kept + self.rows_merged + self.rows_rejected + self.rows_skipped


@dataclass
class IngestResult:
    producers: pd.DataFrame
    sales: pd.DataFrame
    trainings: pd.DataFrame
    participants: pd.DataFrame
    rejected: pd.DataFrame  # every rejected or skipped row: file, sheet, row, reason, original values
    report: dict = field(default_factory=dict)  # {"files": [...], "totals": {...}} as in DATA-CONTRACT.md
    cell_problems: pd.DataFrame = field(default_factory=pd.DataFrame)  # values dropped inside kept rows
    near_duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)
    # every registry row behind each producer (the kept one and the merged duplicates): schemas.ProducerSources
    producer_sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The folder holding this result's sales for the query engine (analysis.engine.SALES_FILE): an ingest
    # cache entry or a stored version; None for a result only in memory.
    folder: Path | None = None

    # Every frame of a result, in one place for the code that stores, loads or copies whole results
    # (analysis/ingest/cache.py, analysis/office/store.py, ui/data.py).
    FRAMES: ClassVar[tuple[str, ...]] = ("producers", "sales", "trainings", "participants", "rejected",
                                         "cell_problems", "near_duplicates", "producer_sources")

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {"producers": self.producers, "sales": self.sales, "trainings": self.trainings, "participants": self.participants}


class Sheet:
    """One sheet being ingested: its raw grid, layout, report and row outcomes."""

    def __init__(self, raw: RawSheet, layout: lay.Layout, report: SheetReport, display_path: str) -> None:
        self.raw = raw
        self.grid = cols.grid(raw.rows)
        self.layout = layout
        self.report = report
        self.display_path = display_path
        self.outcomes: list[dict] = []  # rejected / skipped rows for rejected.xlsx
        self.problems: list[dict] = []  # cell-level problems inside kept rows
        self.fixes: Counter = Counter()
        self.reasons: Counter = Counter()
        # column -> unique codes of its cells from the first data row down (set by screening.screen), so that
        # each column is factorised once, not again for every parse of it
        self.codes: dict[int, np.ndarray] = {}

    def excel_row(self, index: int) -> int:
        return index + 1

    def original(self, index: int) -> str:
        headers = self.layout.headers
        cells = self.raw.rows[index]
        parts = []
        for col, value in enumerate(cells):
            text = lay._cell_text(value)
            if text:
                name = headers[col] if col < len(headers) and headers[col] else f"kolom {col + 1}"
                parts.append(f"{name}: {text}")
        return " | ".join(parts)

    def drop_row(self, index: int, status: str, reason: str) -> None:
        self.reasons[reason] += 1
        if status == REJECTED:
            self.report.rows_rejected += 1
        else:
            self.report.rows_skipped += 1
        self.outcomes.append({
            "berkas": self.display_path, "lembar": self.raw.sheet, "baris": self.excel_row(index),
            "status": "ditolak" if status == REJECTED else "dilewati", "alasan": reason, "nilai_asli": self.original(index),
        })

    def problem(self, index: int, column: str, value: object, reason: str) -> None:
        self.problems.append({
            "berkas": self.display_path, "lembar": self.raw.sheet, "baris": self.excel_row(index),
            "kolom": column, "nilai": lay._cell_text(value), "masalah": reason,
        })


def missing(value: object) -> bool:
    """None, NaN or pd.NA: pandas turns None into NaN inside object series, so `is None` is not enough."""
    return value is None or (not isinstance(value, (str, tuple, list)) and bool(pd.isna(value)))


SKIP_EXCEL_ERROR = "sel berisi galat Excel; dianggap kosong"


NO_DATA_ROWS = "Judul kolom ditemukan, tetapi tidak ada baris data di bawahnya."
