"""Writing Excel files that are safe to open: text that a spreadsheet would run as a formula is kept as
text, and every sheet gets a bold header, frozen first row and sensible column widths."""
from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMN_WIDTH = 60


def safe_cell_value(value: object) -> object:
    """Excel-ready value: missing -> None, timestamps -> datetime, numpy scalars -> python."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _workbook(sheets: dict[str, pd.DataFrame], formats: Mapping[str, Mapping[str, str]] | None = None) -> Workbook:
    """One worksheet per frame. Formula-like text is stored as a text cell, never as a formula.
    ``formats`` maps a sheet and column to an Excel number format ('"Rp" #,##0') for its numeric cells."""
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False, name=None):
            sheet.append([safe_cell_value(v) for v in row])
        number_formats = {index: fmt for index, column in enumerate(frame.columns)
                          if (fmt := (formats or {}).get(name, {}).get(str(column)))}
        for row_cells in sheet.iter_rows(min_row=2):
            for index, cell in enumerate(row_cells):
                if is_formula_like(cell.value) or cell.data_type == "f":
                    cell.data_type = "s"
                    cell.quotePrefix = True
                elif index in number_formats and cell.data_type == "n" and cell.value is not None:
                    cell.number_format = number_formats[index]
        sheet.freeze_panes = "A2"
        for index, column in enumerate(frame.columns, start=1):
            values = [str(column)] + [str(v) for v in frame[column].head(200).tolist()]
            width = min(MAX_COLUMN_WIDTH, max(len(v) for v in values) + 2)
            sheet.column_dimensions[get_column_letter(index)].width = width
    return book


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame],
                   formats: Mapping[str, Mapping[str, str]] | None = None) -> Path:
    """One worksheet per frame, saved to ``path``. Formula-like text is stored as text, never as a formula."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _workbook(sheets, formats).save(path)
    return path


def workbook_bytes(sheets: dict[str, pd.DataFrame], formats: Mapping[str, Mapping[str, str]] | None = None) -> bytes:
    """The same workbook as write_workbook, in memory: a download button needs bytes, and writing a
    temporary file on the office PC for each download would leave files behind."""
    buffer = BytesIO()
    _workbook(sheets, formats).save(buffer)
    return buffer.getvalue()
