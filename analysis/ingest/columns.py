"""Cells to typed columns: a sheet's grid, its columns' distinct cells, and parsers applied once per
distinct cell (the value parsers themselves are in cleaning.py)."""
from __future__ import annotations

import datetime as dt
import re
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.ingest import cleaning
from analysis.ingest import layout as lay

if TYPE_CHECKING:
    from analysis.ingest.sheet import Sheet


def grid(rows: list[list[object]]) -> np.ndarray:
    """The sheet as a 2-D object array; short rows padded with None (a missing cell)."""
    lengths = list(map(len, rows))
    width = max(lengths, default=0)
    if rows and min(lengths) == width:
        return np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width).reshape(len(rows), width)
    grid = np.empty((len(rows), width), dtype=object)
    for i, row in enumerate(rows):
        grid[i, :len(row)] = row
    return grid


def factorize(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    """factorize of a column of text (missing cells aside), through Arrow's dictionary encoding (faster
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


def column(sheet: Sheet, rows: list[int], name: str) -> pd.Series:
    col = sheet.layout.columns.get(name)
    if col is None:
        return pd.Series(None, index=rows_index(rows), dtype=object)
    return pd.Series(column_at(sheet, rows, col), index=rows_index(rows), dtype=object, copy=False)  # a fresh array


def column_at(sheet: Sheet, rows: list[int], col: int) -> np.ndarray:
    if col >= sheet.grid.shape[1]:
        return np.full(len(rows), None, dtype=object)
    return sheet.grid[rows_array(rows), col]


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


def rows_array(rows: list[int]) -> np.ndarray:
    return _remembered_rows(rows)[1]


def rows_index(rows: list[int]) -> pd.Index:
    return _remembered_rows(rows)[2]


def codes(sheet: Sheet, rows: list[int], name: str) -> np.ndarray | None:
    """The unique codes of a column's cells at ``rows`` (see cleaning.unique_codes), when known."""
    codes = sheet.codes.get(sheet.layout.columns.get(name, -1))
    if codes is None:
        return None
    return codes[rows_array(rows) - sheet.layout.data_start]


def parse_column(sheet: Sheet, rows: list[int], name: str, parser) -> tuple[pd.Series, pd.Series, pd.Series]:
    """cleaning.parse_values of a column at ``rows``, reusing the column's codes from screening.screen."""
    return cleaning.parse_values(column(sheet, rows, name), parser, codes(sheet, rows, name), parser_memo(parser))


# Results of the pure parsers for text cells, kept for the whole process: a person's NIK, phone and
# name come back in the registry and in every year's sales files (cleared when full, see parse_values).
_PARSER_MEMOS: dict[object, dict] = {}


def parser_memo(parser) -> dict | None:
    if parser not in _PURE_PARSERS:
        return None  # a partial or a bound method: its result may depend on what it was made with
    return _PARSER_MEMOS.setdefault(parser, {})


def parse(sheet: Sheet, rows: list[int], name: str, parser, fix_rows: set[int]) -> pd.Series:
    """Parse a column; values that cannot be used become missing and are listed as cell problems."""
    raw = column(sheet, rows, name)
    values, fixes, errors = cleaning.parse_values(raw, parser, codes(sheet, rows, name), parser_memo(parser))
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


def text(sheet: Sheet, rows: list[int], name: str) -> pd.Series:
    return parse_column(sheet, rows, name, clean_text)[0]


def clean_text(value: object) -> str | None:
    return None if cleaning.is_blank(value) else _SPACES.sub(" ", lay._cell_text(value)).strip() or None


_SPACES = re.compile(r"\s+")


_PURE_PARSERS = frozenset({
    clean_text, cleaning.parse_nik, cleaning.parse_phone, cleaning.parse_rupiah, cleaning.parse_number,
    cleaning.parse_int, cleaning.parse_year, cleaning.parse_bool, cleaning.parse_gender, cleaning.parse_jangkauan,
})
