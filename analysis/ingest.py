"""Files -> the four clean tables + a report that accounts for every row.

    python -m analysis.ingest --out DIR PATH [PATH ...] [--kind producers|sales|training] [--kriteria ...] [--no-cache]

Unchanged files are not cleaned twice: the result is cached on their content (analysis/ingest_cache.py).

Every data row below a detected header ends as exactly one of: kept (possibly fixed), merged into
another row, rejected with a reason, or skipped (blank, repeated header, JUMLAH/TOTAL row, ...). For
each file and sheet rows_read = rows_kept + rows_merged + rows_rejected + rows_skipped, and rejected.xlsx
holds every rejected or skipped row with its original values so a person can fix it at the source.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import re
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis import cleaning, layout as lay, reference as ref
from analysis.linking import ProducerIndex, dedupe_producers, name_keys, near_duplicates, stable_id
from analysis.memory import give_back_memory
from analysis.readers import ReadError, RawSheet, iter_files, read_file
from analysis.schemas import Participants, Producers, Sales, Trainings

STATUS_OK = "ok"
STATUS_ERROR = "error"

KEPT, FIXED, MERGED, REJECTED, SKIPPED = "kept", "fixed", "merged", "rejected", "skipped"

SKIP_BLANK = "baris kosong"
SKIP_HEADER = "judul kolom berulang"
SKIP_TOTAL = "baris JUMLAH/TOTAL"
SKIP_NUMBERING = "baris nomor kolom"
SKIP_NOTE = "baris keterangan (hanya satu sel terisi)"
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

    # Every frame of a result, in one place for the code that stores, loads or copies whole results
    # (analysis/ingest_cache.py, analysis/store.py, ui/data.py).
    FRAMES: ClassVar[tuple[str, ...]] = ("producers", "sales", "trainings", "participants", "rejected",
                                         "cell_problems", "near_duplicates")

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {"producers": self.producers, "sales": self.sales, "trainings": self.trainings, "participants": self.participants}


class _Sheet:
    """One sheet being ingested: its raw grid, layout, report and row outcomes."""

    def __init__(self, raw: RawSheet, layout: lay.Layout, report: SheetReport, display_path: str) -> None:
        self.raw = raw
        self.grid = _grid(raw.rows)
        self.layout = layout
        self.report = report
        self.display_path = display_path
        self.outcomes: list[dict] = []  # rejected / skipped rows for rejected.xlsx
        self.problems: list[dict] = []  # cell-level problems inside kept rows
        self.fixes: Counter = Counter()
        self.reasons: Counter = Counter()
        # column -> unique codes of its cells from the first data row down (set by _screen), so that
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


def _missing(value: object) -> bool:
    """None, NaN or pd.NA: pandas turns None into NaN inside object series, so `is None` is not enough."""
    return value is None or (not isinstance(value, (str, tuple, list)) and bool(pd.isna(value)))


# ---------------------------------------------------------------- row screening


def _skip_reason(row: list[object], header_keys: list[str], identity_cols: set[int]) -> str | None:
    texts = _row_texts(row)
    filled = [i for i, t in enumerate(texts) if t]
    if not filled:
        return SKIP_BLANK
    if _repeats_header(texts, filled, header_keys):
        return SKIP_HEADER
    # A total row's label is text among its first three filled cells: look for one before the full check.
    if any(_is_total_label(row[i]) for i in filled[:3] if isinstance(row[i], str)) and cleaning.is_total_row(row):
        return SKIP_TOTAL
    if all(_FOOTER.search(_folded(texts[i])) for i in filled):
        return SKIP_FOOTER
    if len(filled) >= 3 and _is_numbering(texts, filled):
        return SKIP_NUMBERING
    if len(filled) == 1 and filled[0] not in identity_cols:
        return SKIP_NOTE
    return None


_FOOTER = re.compile(
    r"^(mengetahui|menyetujui|kepala\b|camat\b|sekretaris|kabid\b|kasi\b|nip\b|nip\.|ttd|dibuat oleh|petugas|"
    r"pendamping|keterangan\s*:|catatan\s*:|sumber\s*:|an\. |a\.n\.)|^[a-z .]+, \d{1,2} [a-z]+ \d{4}$"
)


# Row screening looks at every cell of every row (a province: ~10 M cells). Cells repeat a lot (month
# names, kecamatan, products, the same producer on each month's row), so the text helpers below are
# memoised on the cell's text; the bounded caches are cleared as they fill.
_MEMO_LIMIT = 1 << 18
_TEXT_OF: dict[str, str] = {}
_HEADER_KEY_OF: dict[str, str] = {}
_FOLDED_OF: dict[str, str] = {}
_TOTAL_LABEL_OF: dict[str, bool] = {}


def _memo(table: dict, key: str, compute) -> object:
    value = table.get(key)
    if value is None:
        if len(table) >= _MEMO_LIMIT:
            table.clear()
        value = table[key] = compute(key)
    return value


def _row_texts(row: list[object]) -> list[str]:
    """``layout._cell_text`` of every cell; text cells through a memo (the type is part of the key
    implicitly: only ``str`` cells are memoised, so 1, 1.0 and True never share an entry)."""
    get = _TEXT_OF.get
    texts = []
    for value in row:
        kind = value.__class__
        if kind is str:
            text = get(value)
            if text is None:
                text = _memo(_TEXT_OF, value, lay._cell_text)
        elif kind is float:  # as _cell_text: NaN is blank, 3.0 is "3"
            text = "" if value != value else str(int(value)) if value.is_integer() else str(value).strip()
        elif kind is int:
            text = str(value)
        else:
            text = lay._cell_text(value)
        texts.append(text)
    return texts


def _folded(text: str) -> str:
    return _memo(_FOLDED_OF, text, ref.fold)


_TOTAL_INITIALS = frozenset("sgjtSGJT")  # every total word starts so: sub/grand total, jumlah, jml, total


def _is_total_label(text: str) -> bool:
    if text[:1].isascii() and text[:1].isalpha() and text[0] not in _TOTAL_INITIALS:
        return False  # most cells ("Siti", "Keripik") are told apart by their first letter
    return _memo(_TOTAL_LABEL_OF, text, cleaning.is_total_label)


def _repeats_header(texts: list[str], filled: list[int], header_keys: list[str]) -> bool:
    """At least max(2, half + 1) filled cells say what the header says in their column."""
    needed = max(2, len(filled) // 2 + 1)
    misses_left = len(filled) - needed
    same = 0
    for i in filled:
        key = header_keys[i] if i < len(header_keys) else ""
        if _says_key(texts[i], key):
            same += 1
            if same >= needed:
                return True
        else:
            misses_left -= 1
            if misses_left < 0:
                return False
    return False


def _says_key(text: str, key: str) -> bool:
    """Whether a cell's (non-empty) text says its column's header key, as a repeated header row does. A
    text starting with an ASCII letter or digit keeps it, lower-cased, as its header key's first
    character: most data cells are told apart here without computing their key."""
    return bool(key) and not (text[0].isascii() and text[0].isalnum() and text[0].lower() != key[0]) \
        and _memo(_HEADER_KEY_OF, text, lay.header_key) == key


def _is_numbering(texts: list[str], filled: list[int]) -> bool:
    """A row of column numbers under the header: 1 2 3 4 ... or (1) (2) (3)."""
    numbers = []
    for i in filled:
        match = re.fullmatch(r"\(?(\d{1,2})\)?", texts[i])
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _screen(sheet: _Sheet, identity_fields: tuple[str, ...]) -> list[int]:
    """Row indices worth parsing; every other row below the header is counted as skipped.

    Column-wise: each column's distinct cells are looked at once (a long sheet repeats the same
    months, kecamatan and products), and the per-row tests of ``_skip_reason`` become counts over
    the row's cells; the two rare tests that need the whole row (JUMLAH and column numbering) run
    only on the few rows that may be one."""
    layout = sheet.layout
    header_keys = [lay.header_key(h) for h in layout.headers]
    identity_cols = {layout.columns[f] for f in identity_fields if f in layout.columns}
    grid = sheet.grid
    start = layout.data_start
    count = max(grid.shape[0] - start, 0)
    width = grid.shape[1]
    filled = np.zeros((count, width), dtype=bool)
    nonblank = np.zeros(count, dtype=bool)
    same = np.zeros(count, dtype=np.int64)
    footer = np.zeros(count, dtype=np.int64)
    numbers = np.zeros(count, dtype=np.int64)
    in_identity = np.zeros(count, dtype=np.int64)
    total_seen = np.zeros(count, dtype=np.int64)  # filled cells seen so far, left to right
    total_candidate = np.zeros(count, dtype=bool)
    for col in range(width):
        codes, uniques = _factorize(grid[start:, col])
        sheet.codes[col] = codes
        key = header_keys[col] if col < len(header_keys) else ""
        facts = _column_facts(uniques, key)  # one row per distinct cell, then one for code -1 (missing)
        column_filled = facts[codes, 0]
        filled[:, col] = column_filled
        nonblank |= facts[codes, 5]
        same += facts[codes, 1]
        footer += facts[codes, 3]
        numbers += facts[codes, 4]
        if col in identity_cols:
            in_identity += column_filled
        total_seen += column_filled
        total_candidate |= facts[codes, 2] & (total_seen <= 3)
    # Trailing blank rows of a sheet are not data rows at all.
    last = np.flatnonzero(nonblank)
    stop = int(last[-1]) + 1 if len(last) else 0
    filled_count = filled[:stop].sum(axis=1)
    reasons = np.full(stop, None, dtype=object)
    undecided = np.ones(stop, dtype=bool)

    def decide(mask: np.ndarray, reason: str) -> None:
        reasons[undecided & mask] = reason
        undecided[mask] = False

    decide(filled_count == 0, SKIP_BLANK)
    decide(same[:stop] >= np.maximum(2, filled_count // 2 + 1), SKIP_HEADER)
    for position in np.flatnonzero(undecided & total_candidate[:stop]):
        if cleaning.is_total_row(sheet.raw.rows[start + position]):
            reasons[position] = SKIP_TOTAL
            undecided[position] = False
    decide(footer[:stop] == filled_count, SKIP_FOOTER)
    for position in np.flatnonzero(undecided & (filled_count >= 3) & (numbers[:stop] == filled_count)):
        texts = _row_texts(sheet.raw.rows[start + position])
        if _is_numbering(texts, [i for i, t in enumerate(texts) if t]):
            reasons[position] = SKIP_NUMBERING
            undecided[position] = False
    decide((filled_count == 1) & (in_identity[:stop] == 0), SKIP_NOTE)
    sheet.report.rows_read += stop
    for position in np.flatnonzero(~undecided):
        sheet.drop_row(start + int(position), SKIPPED, reasons[position])
    return [start + int(p) for p in np.flatnonzero(undecided)]


_FACTS = 6  # filled, says the header's key, JUMLAH-like label, footer text, 1-2 digit number, not blank


def _column_facts(uniques: np.ndarray, key: str) -> np.ndarray:
    """The facts ``_skip_reason`` uses, for each distinct cell of a column (bool array, one row per cell
    and a last all-False row for missing cells). Plain numbers (most distinct cells: amounts) are judged
    together: their text is digits, so it is never a footer or a JUMLAH label, and it says a header's
    key only when that key starts with a digit or a minus sign (a month header "2016-01"): then only
    the numbers that may say it are judged one by one (a whole number's text is its digits, so only
    one equal to a digits-only key; any other number). Text of ASCII digits (a CSV's amounts, NIK and
    row numbers; with one decimal mark, "270,1") is judged the same way: it is its own text, filled,
    never blank, a footer or a JUMLAH label, a column number when it is one or two digits, and it may
    say the header's key only when the key starts with its first digit (those few are judged one by one)."""
    facts = np.zeros((len(uniques) + 1, _FACTS), dtype=bool)
    classes = [value.__class__ for value in uniques]
    numeric = np.array([kind is float or kind is int for kind in classes], dtype=bool)
    if numeric.any():
        numbers = uniques[numeric].astype(float)
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        facts[:-1][numeric, 0] = True  # NaN cells are missing (code -1): every numeric unique is filled
        facts[:-1][numeric, 5] = True
        facts[:-1][numeric, 4] = (numbers >= 0) & (numbers < 100) & whole
        others = np.flatnonzero(~numeric)
        if key and not key[0].isalpha():
            may_say_key = ~whole
            if key.isdigit():
                may_say_key |= whole & (np.abs(numbers) == float(key))
            others = np.union1d(others, np.flatnonzero(numeric)[may_say_key])
    else:
        others = range(len(uniques))
    digit_key = key[:1]  # a digits-only text can say the key only if it starts with the key's first character
    digits, short, rest = [], [], []
    fullmatch = _ASCII_DIGITS.fullmatch
    for position in others:
        value = uniques[position]
        if classes[position] is str and fullmatch(value) is not None and value[0] != digit_key:
            digits.append(position)
            if len(value) <= 2 and value.isdigit():  # "12", not "2,5"
                short.append(position)
        else:
            rest.append(position)
    if digits:
        facts[digits, 0] = True
        facts[digits, 5] = True
        facts[short, 4] = True
    # Every other distinct cell: its facts but the header's depend on the cell alone, and a text's are
    # kept for the process as bits (a producer's name comes back in every sales file).
    at, bits = [], []
    get = _TEXT_FACTS.get
    for position in rest:
        value = uniques[position]
        if classes[position] is str:
            known = get(value)
            if known is None:
                known = _memo(_TEXT_FACTS, value, _text_facts)
            text = value.strip()  # its layout._cell_text whenever it has one (bit 0)
        else:
            text = lay._cell_text(value)
            known = _facts_of_text(value, text)
        if known & 1 and _says_key(text, key):
            known |= 2
        at.append(position)
        bits.append(known)
    if at:
        facts[at] = _FACT_ROWS[bits]
    return facts


_ASCII_DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)?")  # "4849000", "270,1", "2.5": a number as text
_TEXT_FACTS: dict[str, int] = {}
_FACT_ROWS = np.array([[bool(bits >> fact & 1) for fact in range(_FACTS)] for bits in range(1 << _FACTS)], dtype=bool)


def _text_facts(value: str) -> int:
    """``_facts_of_text`` of a text cell (its text as layout._cell_text gives it, without the checks
    for the other types)."""
    return _facts_of_text(value, "" if cleaning._BLANK_TEXT.fullmatch(value) is not None else value.strip())


def _facts_of_text(value: object, text: str) -> int:
    """The facts of ``_column_facts`` of a distinct cell whose text is ``text``, but whether it says the
    header's key, as bits (fact i is bit i)."""
    if not text:
        return 0 if cleaning.is_blank(value) else 32  # no text, but not blank: only "not blank"
    is_total = isinstance(value, str) and _is_total_label(value)
    is_footer = _may_be_footer(text) and _FOOTER.search(_folded(text)) is not None
    is_number = len(text) <= 4 and _NUMBERING.fullmatch(text) is not None
    return 1 | 4 * is_total | 8 * is_footer | 16 * is_number | 32


def _may_be_footer(text: str) -> bool:
    """False for text that cannot match ``_FOOTER`` once folded: an ASCII first letter outside the
    footer words' initials with no comma ("Siti, 12 Mei 2017" needs one), or an ASCII digit first."""
    first = text[0]
    if not first.isascii():
        return True
    if first.isdigit():
        return False
    return not (first.isalpha() and first.lower() not in "mkcsntdpa" and "," not in text)


_NUMBERING = re.compile(r"\(?(\d{1,2})\)?")


def _grid(rows: list[list[object]]) -> np.ndarray:
    """The sheet as a 2-D object array; short rows padded with None (a missing cell)."""
    lengths = list(map(len, rows))
    width = max(lengths, default=0)
    if rows and min(lengths) == width:
        return np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width).reshape(len(rows), width)
    grid = np.empty((len(rows), width), dtype=object)
    for i, row in enumerate(rows):
        grid[i, :len(row)] = row
    return grid


def _factorize(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, one cell per code) over distinct (type, value); missing cells (None, NaN) get code -1.
    Cells of different types that compare equal (1, 1.0, True) get different codes."""
    first = next((value for value in cells if value is not None), None)
    if first.__class__ is str:
        found = _text_codes(cells)
        if found is not None:
            return found
    if first.__class__ is not float:
        # Most likely text: factorised first, and when every distinct cell is text no other type can
        # have been taken for one of them (text never equals a number or a date), so the cells' types
        # need not be looked at one by one.
        try:
            codes, uniques = pd.factorize(cells, use_na_sentinel=True)
        except TypeError:  # unhashable cells: one code per cell
            return np.arange(len(cells)), cells
        if len(uniques) and all(value.__class__ is str for value in uniques):
            return codes, uniques
    else:
        codes = uniques = None
    kinds = set(map(type, cells)) - {type(None)}
    if kinds == {float}:  # amounts: factorised as numbers, several times faster than as objects
        codes, uniques = pd.factorize(cells.astype(float), use_na_sentinel=True)
        return codes, uniques.astype(object)
    if codes is None:
        try:
            codes, uniques = pd.factorize(cells, use_na_sentinel=True)
        except TypeError:  # unhashable cells: one code per cell
            return np.arange(len(cells)), cells
    # Text never equals a cell of another type, and cells of one type are told apart by value: text
    # beside one plain type (amounts with "-", NIK as number and as text) needs no second pass.
    if len(kinds) <= 1 or (len(kinds) == 2 and str in kinds and not (kinds - {str}) - _NEVER_TEXT) \
            or all(value.__class__ is str for value in uniques):
        return codes, uniques  # one type of cell, or text (never equal to another type): values are codes
    codes = cleaning.unique_codes(pd.Series(cells, dtype=object, copy=False), cells)
    _, first_at, inverse = np.unique(codes, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    if len(codes) and codes.min() < 0:  # the missing cells' code sorts first
        return inverse - 1, cells[first_at[1:]]
    return inverse, cells[first_at]


def _text_codes(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """_factorize of a column of text (missing cells aside), through Arrow's dictionary encoding (faster
    than pandas' for text); None when some cell is not text, or a distinct cell is a subclass of str."""
    try:
        arrow = pa.array(cells, from_pandas=True)  # None, NaN and pd.NA are its nulls: pandas' missing cells
    except (pa.ArrowException, ValueError, TypeError, OverflowError):
        return None
    if not isinstance(arrow, pa.Array) or arrow.type != pa.string():
        return None
    encoded = arrow.dictionary_encode()  # codes in order of first appearance, as pd.factorize
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp, copy=False)
    first = np.full(len(encoded.dictionary) + 1, len(cells), dtype=np.int64)
    np.minimum.at(first, codes + 1, np.arange(len(cells), dtype=np.int64))
    uniques = cells[first[1:]]
    if not all(value.__class__ is str for value in uniques):
        return None
    return codes, uniques


# Cell types that never compare equal to a ``str`` (whose == gives False for any text).
_NEVER_TEXT = frozenset({float, int, bool, dt.datetime, dt.date, dt.time, dt.timedelta})


def _column(sheet: _Sheet, rows: list[int], name: str) -> pd.Series:
    col = sheet.layout.columns.get(name)
    if col is None:
        return pd.Series(None, index=_rows_index(rows), dtype=object)
    return pd.Series(_column_at(sheet, rows, col), index=_rows_index(rows), dtype=object, copy=False)  # a fresh array


def _column_at(sheet: _Sheet, rows: list[int], col: int) -> np.ndarray:
    if col >= sheet.grid.shape[1]:
        return np.full(len(rows), None, dtype=object)
    return sheet.grid[_rows_array(rows), col]


# The last list of row indices asked about, as an int64 array and as an Index: a sheet's columns are all
# taken at the same rows, and turning a long list into an index each time cost more than the parsing.
# One tuple, replaced whole and read once per call, so that ingests in two threads cannot mix theirs.
_ROWS: tuple = (None, np.empty(0, dtype=np.int64), pd.Index([]))


def _remembered_rows(rows: list[int]) -> tuple:
    global _ROWS
    known = _ROWS
    if known[0] is not rows or len(known[1]) != len(rows):
        array = np.fromiter(rows, dtype=np.int64, count=len(rows))
        # pd.Index(rows) as pandas builds it from the list (an empty list gives an object Index)
        known = _ROWS = (rows, array, pd.Index(array) if len(rows) else pd.Index(rows))
    return known


def _rows_array(rows: list[int]) -> np.ndarray:
    return _remembered_rows(rows)[1]


def _rows_index(rows: list[int]) -> pd.Index:
    return _remembered_rows(rows)[2]


def _codes(sheet: _Sheet, rows: list[int], name: str) -> np.ndarray | None:
    """The unique codes of a column's cells at ``rows`` (see cleaning.unique_codes), when known."""
    codes = sheet.codes.get(sheet.layout.columns.get(name, -1))
    if codes is None:
        return None
    return codes[_rows_array(rows) - sheet.layout.data_start]


def _parse_column(sheet: _Sheet, rows: list[int], name: str, parser) -> tuple[pd.Series, pd.Series, pd.Series]:
    """cleaning.parse_values of a column at ``rows``, reusing the column's codes from _screen."""
    return cleaning.parse_values(_column(sheet, rows, name), parser, _codes(sheet, rows, name), _parser_memo(parser))


# Results of the pure parsers for text cells, kept for the whole process: a person's NIK, phone and
# name come back in the registry and in every year's sales files (cleared when full, see parse_values).
_PARSER_MEMOS: dict[object, dict] = {}


def _parser_memo(parser) -> dict | None:
    if parser not in _PURE_PARSERS:
        return None  # a partial or a bound method: its result may depend on what it was made with
    return _PARSER_MEMOS.setdefault(parser, {})


def _parse(sheet: _Sheet, rows: list[int], name: str, parser, fix_rows: set[int]) -> pd.Series:
    """Parse a column; values that cannot be used become missing and are listed as cell problems."""
    raw = _column(sheet, rows, name)
    values, fixes, errors = cleaning.parse_values(raw, parser, _codes(sheet, rows, name), _parser_memo(parser))
    header = sheet.layout.headers[sheet.layout.columns[name]] if name in sheet.layout.columns else name
    # Positions first: a registry's NIK typed as numbers gives a fix on every row.
    at_error = np.flatnonzero(errors.notna().to_numpy())
    if len(at_error):
        raw_at, errors_at, labels = raw.to_numpy(dtype=object), errors.to_numpy(dtype=object), errors.index
        for position in at_error.tolist():
            sheet.problem(labels[position], header, raw_at[position], str(errors_at[position]))
        sheet.fixes[f"{name}_dikosongkan"] += len(at_error)
        fix_rows.update(labels[at_error].tolist())
    at_fix = np.flatnonzero(fixes.notna().to_numpy())
    if len(at_fix):
        sheet.fixes.update(str(code) for code in fixes.to_numpy(dtype=object)[at_fix].tolist())
        fix_rows.update(fixes.index[at_fix].tolist())
    return values


def _text(sheet: _Sheet, rows: list[int], name: str) -> pd.Series:
    return _parse_column(sheet, rows, name, _clean_text)[0]


def _clean_text(value: object) -> str | None:
    return None if cleaning.is_blank(value) else _SPACES.sub(" ", lay._cell_text(value)).strip() or None


_SPACES = re.compile(r"\s+")


_PURE_PARSERS = frozenset({
    _clean_text, cleaning.parse_nik, cleaning.parse_phone, cleaning.parse_rupiah, cleaning.parse_number,
    cleaning.parse_int, cleaning.parse_year, cleaning.parse_bool, cleaning.parse_gender, cleaning.parse_jangkauan,
})


# ---------------------------------------------------------------- producers


def _sheet_kecamatan(sheet: _Sheet, matcher: cleaning.KecamatanMatcher) -> str | None:
    for text in (*sheet.layout.titles, sheet.raw.sheet, Path(sheet.raw.path).stem):
        found = matcher.find_in_text(text)
        if found:
            return found
    return None


def _kecamatan(sheet: _Sheet, rows: list[int], matcher: cleaning.KecamatanMatcher, fix_rows: set[int],
               reject: dict[int, str]) -> pd.Series:
    """Kecamatan per row: the row's own cell, else the address, else the sheet's title/name."""
    fallback = _sheet_kecamatan(sheet, matcher)
    sheet.report.kecamatan = fallback
    result = pd.Series(fallback, index=_rows_index(rows), dtype=object)
    found = result.to_numpy(dtype=object, copy=True)
    if "kecamatan" in sheet.layout.columns:
        values, fixes, errors = _parse_column(sheet, rows, "kecamatan", matcher.match)
        # Plain arrays, not Series lookups per row: a province registry has tens of thousands of rows.
        values_at, fixes_at, errors_at = values.to_numpy(dtype=object), fixes.to_numpy(dtype=object), errors.to_numpy(dtype=object)
        has_error = ~pd.isna(errors_at)
        has_value = ~has_error & ~pd.isna(values_at)
        has_fix = has_value & ~pd.isna(fixes_at)
        for position in np.flatnonzero(has_error).tolist():
            reject.setdefault(rows[position], str(errors_at[position]))
        found[has_value] = values_at[has_value]
        sheet.fixes.update(str(code) for code in fixes_at[has_fix].tolist())
        fix_rows.update(_rows_array(rows)[has_fix].tolist())
        if fallback is not None:
            titled = int((~has_error & ~has_value).sum())
            if titled:
                sheet.fixes["kecamatan_dari_judul"] += titled
    elif "alamat" in sheet.layout.columns:
        in_address = _parse_column(sheet, rows, "alamat", partial(_kecamatan_in_address, matcher))[0]
        for position, value in enumerate(in_address.to_numpy(dtype=object)):
            if value:
                found[position] = value
    for position in np.flatnonzero(pd.isna(found)).tolist():
        if rows[position] not in reject:
            reject[rows[position]] = REJECT_NO_KECAMATAN
    return pd.Series(found, index=_rows_index(rows), dtype=object, copy=False)


def _kecamatan_in_address(matcher: cleaning.KecamatanMatcher, address: object) -> str | None:
    return matcher.find_in_text(lay._cell_text(address)) if not cleaning.is_blank(address) else None


def _producer_rows(sheet: _Sheet, matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    rows = _screen(sheet, ("nama_usaha", "nama_pemilik"))
    fix_rows: set[int] = set()
    reject: dict[int, str] = {}
    usaha, pemilik = _text(sheet, rows, "nama_usaha"), _text(sheet, rows, "nama_pemilik")
    for index in usaha.index[usaha.isna().to_numpy() & pemilik.isna().to_numpy()]:
        reject[index] = REJECT_NO_NAME
    kecamatan = _kecamatan(sheet, rows, matcher, fix_rows, reject)
    omzet_header = sheet.layout.headers[sheet.layout.columns["omzet"]] if "omzet" in sheet.layout.columns else None
    omzet = _parse(sheet, rows, "omzet", partial(cleaning.parse_omzet, header=omzet_header), fix_rows)
    produk = _text(sheet, rows, "produk")
    kategori_text = _text(sheet, rows, "kategori")
    frame = pd.DataFrame({
        "nama_usaha": usaha,
        "nama_pemilik": pemilik,
        "nik": _parse(sheet, rows, "nik", cleaning.parse_nik, fix_rows),
        "jenis_kelamin": _parse(sheet, rows, "jenis_kelamin", cleaning.parse_gender, fix_rows),
        "no_hp": _parse(sheet, rows, "no_hp", cleaning.parse_phone, fix_rows),
        "kecamatan": kecamatan,
        "desa": _text(sheet, rows, "desa").where(lambda s: s.notna(), _text(sheet, rows, "alamat")),
        "kategori": _kategori(produk, kategori_text),
        "produk_utama": produk,
        "tahun_mulai": _parse(sheet, rows, "tahun_mulai", cleaning.parse_year, fix_rows),
        "tenaga_kerja": _parse(sheet, rows, "tenaga_kerja", cleaning.parse_int, fix_rows),
        "aset_rp": _parse(sheet, rows, "aset_rp", cleaning.parse_rupiah, fix_rows),
        "omzet_tahunan_rp": omzet,
        "nib": _parse(sheet, rows, "nib", cleaning.parse_bool, fix_rows),
        "pirt": _parse(sheet, rows, "pirt", cleaning.parse_bool, fix_rows),
        "halal": _parse(sheet, rows, "halal", cleaning.parse_bool, fix_rows),
        "jangkauan_pasar": _parse(sheet, rows, "jangkauan_pasar", cleaning.parse_jangkauan, fix_rows),
        "pemasaran_online": _parse(sheet, rows, "pemasaran_online", cleaning.parse_bool, fix_rows),
        "sumber_file": sheet.display_path,
        "sumber_baris": [sheet.excel_row(i) for i in rows],
        "sumber_sheet": sheet.raw.sheet,
    }, index=_rows_index(rows))
    unmapped = frame["kategori"].eq(ref.KATEGORI_LAINNYA) & frame["produk_utama"].notna()
    sheet.fixes["kategori_lainnya"] += int(unmapped.sum())
    for index, reason in sorted(reject.items()):
        sheet.drop_row(index, REJECTED, reason)
    frame = frame.drop(index=list(reject))
    sheet.report.rows_kept += len(frame)
    sheet.report.rows_fixed += len(fix_rows - set(reject))
    frame["_sheet"] = 0  # its position among all sheets, set by ingest_paths
    return frame


def _kategori(produk: pd.Series, kategori_text: pd.Series) -> pd.Series:
    """A canonical kategori written in the sheet wins; otherwise the product's keywords decide."""
    def one(product: object, written: object) -> str:
        if not _missing(written):
            parsed = cleaning.classify_kategori(written)
            if parsed.value not in (None, ref.KATEGORI_LAINNYA):
                return str(parsed.value)
        parsed = cleaning.BLANK if _missing(product) else cleaning.classify_kategori(product)
        return str(parsed.value) if parsed.value is not None else ref.KATEGORI_LAINNYA
    # Once per distinct (product, written kategori) pair: a registry repeats a few hundred products.
    products, written = produk.to_numpy(dtype=object), kategori_text.to_numpy(dtype=object)
    written_codes = cleaning.unique_codes(kategori_text, written) + 1  # 0: missing
    pairs = (cleaning.unique_codes(produk, products) + 1) * (int(written_codes.max(initial=0)) + 1) + written_codes
    first_at, inverse = cleaning._first_and_inverse(pd.factorize(pairs)[0])
    kinds = np.empty(len(first_at), dtype=object)
    kinds[:] = [one(products[i], written[i]) for i in first_at.tolist()]
    return pd.Series(kinds[inverse], index=produk.index, dtype=object, copy=False)


# ---------------------------------------------------------------- sales


def _identity(sheet: _Sheet, rows: list[int], matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    fallback = _sheet_kecamatan(sheet, matcher)
    sheet.report.kecamatan = fallback
    kecamatan = pd.Series(fallback, index=_rows_index(rows), dtype=object)
    if "kecamatan" in sheet.layout.columns:
        values, _, _ = _parse_column(sheet, rows, "kecamatan", matcher.match)
        kecamatan = values.where(values.notna(), kecamatan)
    unused: set[int] = set()
    return pd.DataFrame({
        "nik": _parse(sheet, rows, "nik", cleaning.parse_nik, unused) if "nik" in sheet.layout.columns else None,
        "no_hp": _parse(sheet, rows, "no_hp", cleaning.parse_phone, unused) if "no_hp" in sheet.layout.columns else None,
        "nama_usaha": _text(sheet, rows, "nama_usaha"),
        "nama_pemilik": _text(sheet, rows, "nama_pemilik"),
        "kecamatan": kecamatan,
    }, index=_rows_index(rows))


def _sales_rows(sheet: _Sheet, matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    rows = _screen(sheet, ("nama_usaha", "nama_pemilik", "nik"))
    identity = _identity(sheet, rows, matcher)
    produk = _text(sheet, rows, "produk")
    satuan = _text(sheet, rows, "satuan")
    if sheet.layout.month_columns:
        return _wide_sales(sheet, rows, identity, produk, satuan)
    fix_rows: set[int] = set()
    month_text, pair_codes = _month_text(sheet, rows)
    months, _, _ = cleaning.parse_values(month_text, cleaning.parse_month, pair_codes)
    raw_values = _column(sheet, rows, "omzet")
    value_codes = _codes(sheet, rows, "omzet")
    values, _, value_errors = cleaning.parse_values(raw_values, cleaning.parse_rupiah, value_codes,
                                                    _parser_memo(cleaning.parse_rupiah))
    volume = _parse(sheet, rows, "volume", cleaning.parse_number, fix_rows)
    drop: dict[int, tuple[str, str]] = {}
    no_month = months.isna().to_numpy()
    no_value = values.isna().to_numpy()
    # A blank value cell parses to no value: only those rows are asked whether they are blank.
    blank = np.zeros(len(rows), dtype=bool)
    if no_value.any():
        blank[no_value] = cleaning.parse_values(raw_values[no_value], cleaning.is_blank,
                                                value_codes[no_value] if value_codes is not None else None)[0].to_numpy(dtype=bool)
    for position in np.flatnonzero(no_month | blank | no_value):
        index = rows[position]
        if no_month[position]:
            drop[index] = (REJECTED, REJECT_NO_MONTH)
        elif blank[position]:
            drop[index] = (SKIPPED, SKIP_NO_SALES)
        else:
            drop[index] = (REJECTED, f"{REJECT_BAD_VALUE}: {value_errors.iloc[position]}")
    for index, (status, reason) in sorted(drop.items()):
        sheet.drop_row(index, status, reason)
    keep_at = np.flatnonzero(~(no_month | blank | no_value))  # by position: the rows not in drop
    keep = _rows_array(rows)[keep_at].tolist()
    frame = identity.iloc[keep_at].assign(
        bulan=months.iloc[keep_at], nilai_rp=values.iloc[keep_at], produk=produk.iloc[keep_at], satuan=satuan.iloc[keep_at],
        volume=volume.iloc[keep_at], sumber_file=sheet.display_path, sumber_baris=[sheet.excel_row(i) for i in keep],
        sumber_sheet=sheet.raw.sheet,
    )
    sheet.report.rows_kept += len(keep)
    sheet.report.rows_fixed += len(fix_rows & set(keep))
    return frame


def _month_text(sheet: _Sheet, rows: list[int]) -> tuple[pd.Series, np.ndarray]:
    """The 'bulan' cells, completed with the year of a 'tahun' column or of the title when a cell holds
    only a month name ("Januari" in a sheet titled "... TAHUN 2016"); with a code per distinct (month
    cell, year cell) pair, for parse_values (equal pairs give equal texts)."""
    months = _column(sheet, rows, "bulan")
    years = _column(sheet, rows, "tahun_mulai") if "tahun_mulai" in sheet.layout.columns else pd.Series(sheet.layout.year, index=_rows_index(rows))

    def complete(month: object, year: object) -> object:
        if cleaning.is_blank(year):
            return month
        number = _month_number(month)
        if number is not None:  # "Bulan" 1..12 beside a "Tahun" column
            return f"{lay._cell_text(year)}-{number:02d}"
        if isinstance(month, str) and not re.search(r"\d{2}", month):
            return f"{month} {lay._cell_text(year)}"
        return month

    # Once per distinct (month cell, year cell): a long sheet repeats the same few dozen pairs.
    month_cells, year_cells = months.to_numpy(dtype=object), years.to_numpy(dtype=object)
    known = _codes(sheet, rows, "bulan")
    month_codes = (known if known is not None else cleaning.unique_codes(months, month_cells)) + 1
    known = _codes(sheet, rows, "tahun_mulai")
    year_codes = (known if known is not None else cleaning.unique_codes(years, year_cells)) + 1
    _, first_at, inverse = np.unique(month_codes * (int(year_codes.max(initial=0)) + 1) + year_codes,
                                     return_index=True, return_inverse=True)
    completed = np.empty(len(first_at), dtype=object)
    completed[:] = [complete(month_cells[i], year_cells[i]) for i in first_at]
    inverse = np.asarray(inverse).reshape(-1)
    return pd.Series(completed[inverse], index=_rows_index(rows), dtype=object, copy=False), inverse


def _month_number(value: object) -> int | None:
    """A month written as its number 1..12 (a number cell or text "3", "03"), else None."""
    text = lay._cell_text(value) if not isinstance(value, bool) else ""
    if re.fullmatch(r"\d{1,2}", text) and 1 <= int(text) <= 12:
        return int(text)
    return None


def _wide_sales(sheet: _Sheet, rows: list[int], identity: pd.DataFrame, produk: pd.Series, satuan: pd.Series) -> pd.DataFrame:
    """One row per producer, one column per month -> one record per producer and month."""
    columns = sheet.layout.month_columns
    cells = pd.DataFrame({col: _column_at(sheet, rows, col) for col in columns}, index=_rows_index(rows))
    long = cells.stack(future_stack=True).rename("raw").reset_index()
    long.columns = ["row", "col", "raw"]
    # Blank or not, and the amount, once per distinct cell (one grouping of the cells for both).
    codes = cleaning.unique_codes(long["raw"], long["raw"].to_numpy(dtype=object))
    blank = cleaning.parse_values(long["raw"], cleaning.is_blank, codes)[0].to_numpy(dtype=bool)
    long = long[~blank]
    values, _, errors = cleaning.parse_values(long["raw"], cleaning.parse_rupiah, codes[~blank],
                                              memo=_parser_memo(cleaning.parse_rupiah))
    long = long.assign(nilai_rp=values, error=errors)
    bad = long[long["nilai_rp"].isna()]
    good = long[long["nilai_rp"].notna()]
    rows_with_good = set(good["row"])
    first_error = bad.drop_duplicates("row").set_index("row")["error"]  # per row, its first unreadable value
    fixed_rows = set(first_error.index) & rows_with_good
    for record in bad.itertuples(index=False):
        if record.row in rows_with_good:
            sheet.problem(record.row, sheet.layout.headers[record.col], record.raw, str(record.error))
            sheet.fixes["nilai_penjualan_dikosongkan"] += 1
    for index in rows:
        if index in rows_with_good:
            continue
        if index in first_error.index:
            sheet.drop_row(index, REJECTED, f"{REJECT_BAD_VALUE}: {first_error[index]}")
        else:
            sheet.drop_row(index, SKIPPED, SKIP_NO_SALES)
    sheet.report.rows_kept += len(rows_with_good)
    sheet.report.rows_fixed += len(fixed_rows)
    good = good.assign(bulan=good["col"].map(columns))
    at = np.searchsorted(_rows_array(rows), good["row"].to_numpy())  # rows ascend: positions of the labels
    frame = identity.iloc[at].reset_index(drop=True).assign(
        bulan=good["bulan"].to_numpy(), nilai_rp=good["nilai_rp"].to_numpy(),
        produk=produk.iloc[at].to_numpy(), satuan=satuan.iloc[at].to_numpy(), volume=None,
        sumber_file=sheet.display_path, sumber_baris=(good["row"] + 1).to_numpy(), sumber_sheet=sheet.raw.sheet,
    )
    return frame


# ---------------------------------------------------------------- training


def _training(sheet: _Sheet) -> tuple[dict, pd.DataFrame]:
    meta = lay.title_meta(sheet.layout.titles)
    name = meta.get("nama") or sheet.raw.sheet
    dates = cleaning.parse_date_range(meta["tanggal"]) if "tanggal" in meta else cleaning.BLANK
    start, end = dates.value if dates.value is not None else (None, None)
    if dates.value is None:
        sheet.fixes["tanggal_pelatihan_tidak_ditemukan"] += 1
    cost = cleaning.parse_rupiah(meta["biaya"]).value if "biaya" in meta else None
    key = f"{ref.fold(name)}|{start.date() if start is not None else ''}"
    event = {
        "pelatihan_id": stable_id("PLT", key), "nama_kegiatan": name, "jenis": cleaning.classify_jenis(name),
        "tanggal_mulai": start, "tanggal_selesai": end, "lokasi": meta.get("lokasi"),
        "penyelenggara": meta.get("penyelenggara"), "biaya_rp": cost, "sumber_file": sheet.display_path,
        "sumber_sheet": sheet.raw.sheet,
    }
    rows = _screen(sheet, ("nama_pemilik", "nama_usaha", "nik"))
    fix_rows: set[int] = set()
    people = pd.DataFrame({
        "nama_peserta": _text(sheet, rows, "nama_pemilik"),
        "nama_usaha": _text(sheet, rows, "nama_usaha"),
        "nik": _parse(sheet, rows, "nik", cleaning.parse_nik, fix_rows) if "nik" in sheet.layout.columns else None,
        "no_hp": _parse(sheet, rows, "no_hp", cleaning.parse_phone, fix_rows) if "no_hp" in sheet.layout.columns else None,
        "alamat": _text(sheet, rows, "alamat").where(lambda s: s.notna(), _text(sheet, rows, "desa")),
        "kecamatan_teks": _text(sheet, rows, "kecamatan"),
        "sumber_file": sheet.display_path,
        "sumber_sheet": sheet.raw.sheet,
        "sumber_baris": [sheet.excel_row(i) for i in rows],
    }, index=_rows_index(rows))
    empty = people["nama_peserta"].isna() & people["nama_usaha"].isna()
    for index in people.index[empty]:
        sheet.drop_row(index, REJECTED, REJECT_NO_PARTICIPANT)
    people = people[~empty].assign(pelatihan_id=event["pelatihan_id"], _sheet=0)  # _sheet: set by ingest_paths
    sheet.report.rows_kept += len(people)
    sheet.report.rows_fixed += len(fix_rows & set(people.index))
    return event, people


def _link_participants(people: pd.DataFrame, index: ProducerIndex, matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    found_in: dict[str, str | None] = {}  # the kecamatan named in a text: addresses repeat
    identities, kecamatans = [], []
    for person in people.itertuples(index=False):
        kecamatan = None
        for text in (person.kecamatan_teks, person.alamat):
            if not _missing(text):
                text = str(text)
                if text not in found_in:
                    found_in[text] = matcher.find_in_text(text)
                kecamatan = found_in[text]
                if kecamatan:
                    break
        identities.append((person.nik, person.no_hp, person.nama_usaha, person.nama_peserta, kecamatan))
        kecamatans.append(kecamatan)
    links = index.link_many(identities)
    # Named in a kecamatan but not found there: looked for again without the kecamatan.
    again = [i for i, (link, kecamatan) in enumerate(zip(links, kecamatans)) if link.umkm_id is None and kecamatan is not None]
    for i, link in zip(again, index.link_many([(None, None, identities[i][2], identities[i][3], None) for i in again])):
        links[i] = link
    return people.assign(
        umkm_id=[link.umkm_id for link in links],
        cara_cocok=[link.cara for link in links],
        skor_cocok=[link.skor for link in links],
    )


# ---------------------------------------------------------------- orchestration


def _display_path(path: Path, roots: list[Path]) -> str:
    for root in roots:
        root = Path(root)
        base = root if root.is_dir() else root.parent
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def _unknown_sheet(sheet: _Sheet) -> None:
    """A sheet that is none of the three kinds: its rows are counted and listed, none is loaded."""
    start = sheet.layout.data_start
    for index in range(start, len(sheet.raw.rows)):
        if any(not cleaning.is_blank(v) for v in sheet.raw.rows[index]):
            sheet.report.rows_read += 1
            sheet.drop_row(index, SKIPPED, SKIP_NOT_A_TABLE)


SKIP_EXCEL_ERROR = "sel berisi galat Excel; dianggap kosong"
NO_DATA_ROWS = "Judul kolom ditemukan, tetapi tidak ada baris data di bawahnya."


def _excel_errors(sheet: _Sheet) -> None:
    """List the error cells (#N/A, #REF!, ...) of the data rows: the engine reads them as empty, and a
    person must see why a value is missing rather than wonder."""
    if sheet.layout.kind not in lay.KINDS:
        return
    headers = sheet.layout.headers
    for row, col, code in sheet.raw.errors:
        if row >= sheet.layout.data_start:
            header = headers[col] if col < len(headers) and headers[col] else f"kolom {col + 1}"
            sheet.problem(row, header, code, f"{SKIP_EXCEL_ERROR} ({code})")
            sheet.fixes["sel_galat_excel"] += 1


# ---------------------------------------------------------------- reading files, in worker processes

# Inputs smaller than this in all are read in this process: starting workers would cost more than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
WORKERS_ENV = "UMKM_INGEST_WORKERS"
READER_STOPPED = ("Pembacaan berkas ini menghentikan proses pembaca (kehabisan memori atau isi berkas yang "
                  "tidak wajar); berkas dilewati.")

_FileOutcome = tuple[list[SheetReport], list[tuple[_Sheet, object]]]


def _read_one(path: Path, display: str, kind: str | None, overrides: dict[str, dict] | None,
              matcher: cleaning.KecamatanMatcher | None = None) -> _FileOutcome:
    """One file read and each of its sheets parsed: the file's reports, and per sheet its _Sheet (grid
    let go) with what it gave (a producer or sales frame, a training's (event, people), or None)."""
    try:
        raw_sheets = read_file(path)
    except (ReadError, OSError) as exc:
        message = str(exc) if isinstance(exc, ReadError) else f"Berkas tidak dapat dibuka: {exc}"
        return [SheetReport(path=display, sheet=None, kind=lay.KIND_UNKNOWN, status=STATUS_ERROR, message=message)], []
    matcher = matcher or _matcher()
    reports, parsed = [], []
    for raw in raw_sheets:
        layout = lay.detect(raw, forced_kind=kind, overrides=overrides)
        report = SheetReport(path=display, sheet=raw.sheet, kind=layout.kind, message=layout.message,
                             header_row=(layout.header_rows[-1] + 1) if layout.header_rows else None,
                             columns={h: f for f, c in layout.columns.items() for h in [layout.headers[c]]},
                             signature=layout.signature, headers=list(layout.headers))
        if layout.month_columns:
            report.columns.update({layout.headers[c]: "bulan" for c in layout.month_columns})
        reports.append(report)
        sheet = _Sheet(raw, layout, report, display)
        _excel_errors(sheet)
        outcome: object = None
        if layout.kind == lay.KIND_PRODUCERS:
            outcome = _producer_rows(sheet, matcher)
        elif layout.kind == lay.KIND_SALES:
            outcome = _sales_rows(sheet, matcher)
        elif layout.kind == lay.KIND_TRAINING:
            outcome = _training(sheet)
        else:
            _unknown_sheet(sheet)
        parsed.append((sheet, outcome))
        # Each sheet is parsed as soon as it is read and its grid of Python cells let go: a province's
        # grids held together took more memory than the clean tables (rows that need their original
        # values, the rejected ones, have them copied into the report already).
        raw.rows = []
        sheet.grid = _grid([])
        sheet.codes = {}  # the columns' codes too: a long sheet's were 14 MB to send back from a worker
    if multiprocessing.parent_process() is not None:
        # A worker waiting for its next file, or for the end of the ingest, then holds ~150 MB, not ~350.
        give_back_memory()
    return reports, parsed


_MATCHER: list[cleaning.KecamatanMatcher] = []


def _matcher() -> cleaning.KecamatanMatcher:
    """A worker process's kecamatan matcher, built once for all the files it reads."""
    if not _MATCHER:
        _MATCHER.append(cleaning.KecamatanMatcher())
    return _MATCHER[0]


def _worker_count(workers: int | None, found: list[tuple[Path, str | None]]) -> int:
    """Readers, this process included (the others are worker processes): ``workers`` when given, else
    UMKM_INGEST_WORKERS, else up to 2 (the machine's cores) once the input is large enough to repay
    starting a worker."""
    todo = [path for path, skip in found if skip is None]
    if workers is None:
        setting = os.environ.get(WORKERS_ENV, "").strip()
        if setting.isdigit() and int(setting) >= 1:
            workers = int(setting)
        else:
            workers = min(2, os.cpu_count() or 1)
            if sum(_size(path) for path in todo) < PARALLEL_MIN_BYTES:
                workers = 1
    return max(1, min(workers, len(todo)))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_files(found: list[tuple[Path, str | None]], displays: list[str], kind: str | None,
                overrides: dict[str, dict] | None, progress: Callable[[int, int, str], None] | None,
                workers: int | None, matcher: cleaning.KecamatanMatcher, pools: list) -> list[_FileOutcome]:
    """Every file's outcome, in the order of ``found`` whatever order they finish in. ``pools`` gets the
    worker pool when files were read in one, still running: the caller has one more task for it and
    shuts it down (a pool broken by a dead worker refuses that task)."""
    total = len(found)
    skipped = {number: ([SheetReport(path=displays[number], sheet=None, kind=lay.KIND_UNKNOWN, message=skip)], [])
               for number, (_, skip) in enumerate(found) if skip}
    count = _worker_count(workers, found)
    if count <= 1:
        outcomes = []
        for number, (path, _) in enumerate(found):
            if progress is not None:
                progress(number, total, displays[number])
            outcomes.append(skipped[number] if number in skipped else _read_one(path, displays[number], kind, overrides, matcher))
        return outcomes
    done: dict[int, _FileOutcome] = dict(skipped)
    # Largest first, so that no big file starts last while the other reader has nothing left to do.
    todo = sorted((n for n in range(total) if n not in done), key=lambda n: (-_size(found[n][0]), n))
    queue = deque(todo)

    def tell() -> None:  # (files done, files in all, a file still being read); ingest_paths says the end
        waiting = [n for n in range(total) if n not in done]
        if progress is not None and waiting:
            progress(len(done), total, displays[waiting[0]])

    tell()
    # This process is one of the readers: it starts at once, while a worker needs half a second to start
    # (a fresh interpreter importing pandas), and what it reads need not travel back. Every reader takes
    # the largest file left when it is free; each worker has one more waiting in the pool.
    pool = ProcessPoolExecutor(max_workers=count - 1, mp_context=worker_context())
    changed = threading.Condition()
    state = {"in_pool": 0, "read_apart": 0}
    broken: list[int] = []
    failures: list[BaseException] = []

    def hand_out() -> None:
        while True:
            with changed:
                if not queue or state["in_pool"] >= 2 * (count - 1) or failures:
                    return
                number = queue.popleft()
                state["in_pool"] += 1
            try:
                future = pool.submit(_read_one, found[number][0], displays[number], kind, overrides)
            except (BrokenProcessPool, RuntimeError):  # a worker died and broke the pool: read here
                with changed:
                    queue.appendleft(number)
                    state["in_pool"] -= 1
                    changed.notify_all()
                return
            future.add_done_callback(partial(finished, number))

    def finished(number: int, future: Future) -> None:  # on the pool's thread
        with changed:
            state["in_pool"] -= 1
            try:
                done[number] = future.result()
                state["read_apart"] += 1
            except BrokenProcessPool:
                broken.append(number)
            except BaseException as error:  # noqa: BLE001 - raised again by the reading loop below
                failures.append(error)
            changed.notify_all()
        hand_out()

    try:
        hand_out()
        while True:
            with changed:
                if not failures and not queue and state["in_pool"]:
                    changed.wait()
                if failures:
                    raise failures[0]
                number = queue.popleft() if queue else None
                if number is None and not state["in_pool"]:
                    break
            if number is not None:
                outcome = _read_one(found[number][0], displays[number], kind, overrides, matcher)
                with changed:
                    done[number] = outcome
            tell()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pools.append(pool)  # (a broken pool refuses the caller's task, which then runs elsewhere)
    # A worker that died (out of memory, or an engine that aborts) takes every file in flight with it:
    # each of those is read again alone, and only a file that stops its reader again is reported so.
    # When no worker can start at all (a script without the `if __name__ == "__main__":` guard that
    # spawned processes need), the files are read here instead.
    in_process = not state["read_apart"] and not _workers_start()
    for number in sorted(broken):
        if in_process:
            done[number] = _read_one(found[number][0], displays[number], kind, overrides, matcher)
        else:
            try:
                with ProcessPoolExecutor(max_workers=1, mp_context=worker_context()) as pool:
                    done[number] = pool.submit(_read_one, found[number][0], displays[number], kind, overrides).result()
            except BrokenProcessPool:
                done[number] = ([SheetReport(path=displays[number], sheet=None, kind=lay.KIND_UNKNOWN,
                                             status=STATUS_ERROR, message=READER_STOPPED)], [])
        tell()
    return [done[n] for n in range(total)]


def _workers_start() -> bool:
    """Whether a worker process can start and run anything at all."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=worker_context()) as pool:
            return pool.submit(os.getpid).result() > 0
    except BrokenProcessPool:
        return False


def worker_context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes (spawn) that do not run the main script: a fork of a Streamlit server,
    which runs threads, is unsafe. The ingest's readers end shortly after the ingest (see
    workers_exited); the dashboard's background impact estimates (ui/data.py) start the same way."""
    return _WORKER_CONTEXT


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    """A spawned process that does not run the parent's main script first. Spawn normally re-runs it
    (as __mp_main__) so that functions defined there can be unpickled; the workers only need this
    module, and under Streamlit the "main script" is the dashboard's app.py, which must not run in a
    worker (nor may a script without the `if __name__ == "__main__":` guard start the ingest again)."""

    @staticmethod
    def _Popen(process_obj):
        from multiprocessing import spawn

        with _SPAWN_LOCK:
            original = spawn.get_preparation_data

            def without_main(name):
                data = original(name)
                data.pop("init_main_from_path", None)
                data.pop("init_main_from_name", None)
                return data

            spawn.get_preparation_data = without_main  # read at call time by the spawn Popen
            try:
                return multiprocessing.context.SpawnProcess._Popen(process_obj)
            finally:
                spawn.get_preparation_data = original


class _WorkerContext(multiprocessing.context.SpawnContext):
    Process = _WorkerProcess


_SPAWN_LOCK = threading.Lock()
_WORKER_CONTEXT = _WorkerContext()


def ingest_paths(paths: list[Path], kind: str | None = None, kriteria: str | None = None,
                 overrides: dict[str, dict] | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 workers: int | None = None) -> IngestResult:
    """Read every file under `paths` and build the four canonical tables and the report. ``overrides``
    are a person's column-mapping corrections per header signature (see layout.detect); ``progress`` is
    told (files done, files in all, name of a file being read) as the files are read and once more when
    all are read. ``workers``: readers that read and parse files side by side, this process and worker
    processes (default ``UMKM_INGEST_WORKERS`` or up to 2, and this process alone for small inputs); the
    result is the same for any number."""
    matcher = cleaning.KecamatanMatcher()
    roots = [Path(p) for p in paths]
    reports: list[SheetReport] = []
    sheets: list[_Sheet] = []
    producer_frames, sales_frames, events, people_frames = [], [], [], []
    found = iter_files(roots)
    displays = [_display_path(path, roots) for path, _ in found]
    pools: list[ProcessPoolExecutor] = []
    for sheet_reports, parsed in _read_files(found, displays, kind, overrides, progress, workers, matcher, pools):
        reports.extend(sheet_reports)
        for sheet, outcome in parsed:
            # Frames name their sheet by its position in ``sheets`` (an id() would not survive the trip
            # back from a worker process).
            position = len(sheets)
            sheets.append(sheet)
            if sheet.layout.kind == lay.KIND_PRODUCERS:
                outcome["_sheet"] = position
                producer_frames.append(outcome)
            elif sheet.layout.kind == lay.KIND_SALES:
                sales_frames.append(outcome)
            elif sheet.layout.kind == lay.KIND_TRAINING:
                event, people = outcome
                people["_sheet"] = position
                events.append(event)
                people_frames.append(people)
    if progress is not None:
        progress(len(found), len(found), "")
    by_id = dict(enumerate(sheets))

    try:
        producers = _producers(producer_frames, by_id)
    except BaseException:
        for pool in pools:
            pool.shutdown(wait=False)
        raise
    # The near-duplicate list is for a person to review and feeds nothing below: it is searched while the
    # sales and participants are linked, in a reading worker when there is one (on a thread here, the
    # search's Python parts and the linking's waited for each other's interpreter lock: 0.9 s at province
    # size), else on a thread (its fuzzy scoring runs outside the lock).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-near") as side:
        near_search = _search_near(producers, pools, side)
        # The workers exit once the search is done, freeing their memory, while the ingest goes on; it
        # does not wait for them at its end either (0.3 s at province size): see workers_exited().
        _CLOSING[:] = [closing for closing in _CLOSING if closing.is_alive()]  # a server ingests many times
        for pool in pools:
            closing = threading.Thread(target=pool.shutdown, name="ingest-workers-exit", daemon=True)
            closing.start()
            _CLOSING.append(closing)
        index = ProducerIndex(producers)  # one lookup for the sales and the participants
        sales = _sales(sales_frames, producers, index)
        if kriteria is None:
            kriteria = ref.default_criterion(_data_year(sales, events))
        producers = producers.assign(skala=cleaning.skala_from(producers["omzet_tahunan_rp"], producers["aset_rp"], kriteria))
        trainings, participants = _trainings(events, people_frames, producers, index, matcher, by_id)
        # Everything that does not need the near duplicates is done before waiting for them.
        for sheet in sheets:
            if sheet.layout.kind in lay.KINDS and sheet.report.rows_read == 0 and not sheet.report.message:
                sheet.report.message = NO_DATA_ROWS
            sheet.report.fixes = dict(sorted(sheet.fixes.items()))
            sheet.report.reasons = dict(sorted(sheet.reasons.items()))
        rejected = pd.DataFrame([o for s in sheets for o in s.outcomes],
                                columns=["berkas", "lembar", "baris", "status", "alasan", "nilai_asli"])
        problems = pd.DataFrame([p for s in sheets for p in s.problems],
                                columns=["berkas", "lembar", "baris", "kolom", "nilai", "masalah"])
        tables = {
            "producers": Producers.validate(Producers.conform(producers[Producers.names()])),
            "sales": Sales.validate(Sales.conform(sales[Sales.names()])),
            "trainings": Trainings.validate(Trainings.conform(trainings[Trainings.names()])),
            "participants": Participants.validate(Participants.conform(participants[Participants.names()])),
        }
        near = _near_result(near_search, producers)

    report = _report(reports, producers, sales, trainings, participants, kriteria, near)
    return IngestResult(
        **tables,
        rejected=rejected,
        report=report,
        cell_problems=problems,
        near_duplicates=near,
    )


_CLOSING: list[threading.Thread] = []  # threads shutting down the worker pools of past ingests


def workers_exited(timeout: float | None = None) -> bool:
    """Wait until the worker processes of every past ingest have ended and been reaped (so their peak
    memory is in RUSAGE_CHILDREN); whether they all have. For the benchmark and tests: an ingest returns
    while its workers are still exiting."""
    for closing in list(_CLOSING):
        closing.join(timeout)
        if not closing.is_alive():
            _CLOSING.remove(closing)
    return not _CLOSING


def _search_near(producers: pd.DataFrame, pools: list[ProcessPoolExecutor], side: ThreadPoolExecutor) -> Future | None:
    """The near-duplicate search, started in the reading workers' pool when there is one, else on ``side``."""
    if not len(producers):
        return None
    for pool in pools:
        try:
            return pool.submit(near_duplicates, producers, 1)  # one thread: the linking here has the other core
        except (BrokenProcessPool, RuntimeError):
            break
    return side.submit(near_duplicates, producers)


def _near_result(search: Future | None, producers: pd.DataFrame) -> pd.DataFrame:
    if search is None:
        return pd.DataFrame()
    try:
        return search.result()
    except BrokenProcessPool:  # the worker died under it: searched here instead
        return near_duplicates(producers)


def _producers(frames: list[pd.DataFrame], by_id: dict[int, _Sheet]) -> pd.DataFrame:
    """The merged producers (near duplicates are searched apart, see ingest_paths)."""
    if not frames or all(f.empty for f in frames):
        return Producers.empty().assign(_sheet=pd.Series(dtype="int64"))
    rows = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    dedup = dedupe_producers(rows, find_near=False)
    for position in rows.index[~dedup.is_first.to_numpy()]:
        sheet = by_id[rows.at[position, "_sheet"]]
        sheet.report.rows_kept -= 1
        sheet.report.rows_merged += 1
        sheet.reasons["duplikat digabung"] += 1
    return dedup.producers.assign(kode_kecamatan=lambda f: cleaning.parse_values(f["kecamatan"], ref.kecamatan_code)[0])


def _sales(frames: list[pd.DataFrame], producers: pd.DataFrame, index: ProducerIndex) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return Sales.empty()
    # The months as dates before the frames are joined: a sheet's column of month objects joined to
    # another's dates turned 1 M dates into objects and back (the same dates either way).
    frames = [f if pd.api.types.is_datetime64_any_dtype(f["bulan"]) else f.assign(bulan=pd.to_datetime(f["bulan"], cache=False))
              for f in frames]
    sales = pd.concat(frames, ignore_index=True)
    keys = ["nik", "no_hp", "nama_usaha", "nama_pemilik", "kecamatan"]
    # Each distinct identity (any missing value counting as one) is linked once, and its link given to
    # all its rows by number: no object copy of the 1.3 M rows and no merge on five text columns.
    identity, first = _identity_numbers(sales, keys)
    identities = sales[keys].iloc[first].astype(object)
    identities = identities.where(identities.notna(), None)
    linked = np.array([link.umkm_id for link in index.link_many(identities.itertuples(index=False, name=None))], dtype=object)
    sales["umkm_id"] = pd.Series(linked[identity], index=sales.index, dtype=object)
    sales["bulan"] = pd.to_datetime(sales["bulan"], cache=False)  # one unit for all (they may differ by sheet)
    # A linked row takes its producer's kategori (looked up once per identity); only an unlinked row's
    # product is classified.
    kategori = producers.set_index("umkm_id")["kategori"]
    values = pd.Series(linked, dtype=object).map(kategori).to_numpy(dtype=object)[identity]
    unlinked = np.flatnonzero(pd.isna(linked)[identity])
    if len(unlinked):
        values[unlinked] = cleaning.parse_values(sales["produk"].iloc[unlinked], _kategori_of_product)[0].to_numpy(dtype=object)
    sales["kategori"] = pd.Series(values, index=sales.index, dtype=object)
    return sales


def _identity_numbers(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(number of each row's combination of `columns`, position of each combination's first row), numbered
    in order of first appearance; missing values of any kind (None, NaN, NA) are one value, as
    drop_duplicates and merge treat them once they are all None."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(frame[column])
        combined = combined * (len(uniques) + 1) + (codes + 1)
        combined, _ = pd.factorize(combined)
        combined = combined.astype(np.int64)
    count = int(combined.max()) + 1 if len(combined) else 0
    first = np.full(count, len(combined), dtype=np.int64)
    np.minimum.at(first, combined, np.arange(len(combined)))
    return combined, first


def _kategori_of_product(product: object) -> object:
    return None if _missing(product) else cleaning.classify_kategori(product).value


def _trainings(events: list[dict], people_frames: list[pd.DataFrame], producers: pd.DataFrame, index: ProducerIndex,
               matcher: cleaning.KecamatanMatcher, by_id: dict[int, _Sheet]) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not events:
        return Trainings.empty(), Participants.empty()
    trainings = pd.DataFrame(events).drop_duplicates("pelatihan_id")
    people = pd.concat(people_frames, ignore_index=True)
    if people.empty or producers.empty:
        people = people.assign(umkm_id=None, cara_cocok="tidak cocok", skor_cocok=0.0)
    else:
        people = _link_participants(people, index, matcher)
    # A person twice in one training's list: the same producer, or (unlinked) the same name and business.
    person_key = people["umkm_id"].where(
        people["umkm_id"].notna(), name_keys(people["nama_peserta"]) + "|" + name_keys(people["nama_usaha"]))
    duplicate = pd.DataFrame({"pelatihan": people["pelatihan_id"], "orang": person_key}).duplicated().to_numpy()
    for position in people.index[duplicate]:
        sheet = by_id[people.at[position, "_sheet"]]
        sheet.report.rows_kept -= 1
        sheet.report.rows_merged += 1
        sheet.reasons["peserta tercatat dua kali"] += 1
    return trainings, people[~duplicate].reset_index(drop=True)


def _data_year(sales: pd.DataFrame, events: list[dict]) -> int | None:
    if not sales.empty:
        return int(pd.to_datetime(sales["bulan"], cache=False).max().year)
    years = [e["tanggal_mulai"].year for e in events if e["tanggal_mulai"] is not None]
    return max(years) if years else None


def _report(reports: list[SheetReport], producers, sales, trainings, participants, kriteria, near) -> dict:
    files = [asdict(r) for r in reports]
    counted = ("rows_read", "rows_kept", "rows_fixed", "rows_merged", "rows_rejected", "rows_skipped")
    totals = {key: int(sum(r[key] for r in files)) for key in counted}
    totals.update({
        "files": len({r["path"] for r in files}),
        "files_error": len({r["path"] for r in files if r["status"] == STATUS_ERROR}),
        "files_skipped": sum(1 for r in files if r["sheet"] is None and r["status"] == STATUS_OK),
        "sheets": sum(1 for r in files if r["sheet"] is not None),
        "sheets_not_loaded": sum(1 for r in files if r["sheet"] is not None and r["kind"] == lay.KIND_UNKNOWN),
        "producers": len(producers),
        "sales_rows": len(sales),
        "sales_unlinked": int(sales["umkm_id"].isna().sum()) if len(sales) else 0,
        "trainings": len(trainings),
        "participants": len(participants),
        "participants_unmatched": int(participants["umkm_id"].isna().sum()) if len(participants) else 0,
        "near_duplicates": len(near),
        "kategori_lainnya": sorted(set(producers.loc[producers["kategori"] == ref.KATEGORI_LAINNYA, "produk_utama"].dropna().astype(str)))[:200],
        "kriteria_skala": kriteria,
        "data_until": str(pd.to_datetime(sales["bulan"], cache=False).max().date()) if len(sales) else None,
        "balanced": all(r.balanced() for r in reports),
    })
    return {"files": files, "totals": totals}


# ---------------------------------------------------------------- output and CLI


def write_outputs(result: IngestResult, out: Path) -> None:
    from analysis.excel import write_workbook  # openpyxl: imported here, not in every reading worker

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in result.tables.items():
        table.to_parquet(out / f"{name}.parquet", index=False)
    write_workbook(out / "rejected.xlsx", {
        "ditolak_dilewati": result.rejected,
        "masalah_sel": result.cell_problems,
        "duplikat_mirip": result.near_duplicates,
    })
    (out / "report.json").write_text(json.dumps(result.report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.ingest", description="Muat spreadsheet UMKM menjadi tabel bersih.")
    parser.add_argument("--out", required=True, type=Path, help="folder keluaran")
    parser.add_argument("--kind", choices=lay.KINDS, help="paksa jenis lembar (producers, sales, training)")
    parser.add_argument("--kriteria", choices=sorted(ref.size_criteria()), help="kriteria skala usaha")
    parser.add_argument("--no-cache", action="store_true",
                        help="baca ulang semua berkas walaupun isinya sama dengan impor sebelumnya")
    parser.add_argument("paths", nargs="+", type=Path, help="berkas atau folder")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"Berkas/folder tidak ditemukan: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.no_cache:
        result = ingest_paths(args.paths, kind=args.kind, kriteria=args.kriteria)
    else:
        from analysis.ingest_cache import cached_ingest  # imports this module: not at the top

        result = cached_ingest(args.paths, kind=args.kind, kriteria=args.kriteria)
    write_outputs(result, args.out)
    totals = result.report["totals"]
    print(
        f"{totals['files']} berkas, {totals['rows_read']} baris dibaca: {totals['rows_kept']} dipakai "
        f"({totals['rows_fixed']} diperbaiki), {totals['rows_merged']} digabung, {totals['rows_rejected']} ditolak, "
        f"{totals['rows_skipped']} dilewati -> {args.out}"
    )
    for entry in result.report["files"]:
        if entry["status"] == STATUS_ERROR:
            print(f"GAGAL {entry['path']}: {entry['message']}", file=sys.stderr)
    return 1 if totals["files_error"] else 0


if __name__ == "__main__":
    # Run as ``python -m analysis.ingest`` this file is ``__main__``, and the worker processes, which do
    # not import the parent's main module, could not find ``__main__._read_one``: every worker died and
    # the files were read in this process, with a traceback per worker. The module under its own name
    # is what the workers import.
    from analysis import ingest as _ingest

    sys.exit(_ingest.main())
