"""Writing Excel files that are safe to open: text that a spreadsheet would run as a formula is kept as
text, and every sheet gets a bold header, frozen first row and sensible column widths.

Numbers keep their number formats, so that Excel in Indonesian shows "Rp 1.250.000", "32,5%" and
"14/03/2017" while the cells stay numbers to compute with: dates without a time, whole numbers with
thousands separators, shares (0–1) as percentages and rupiah as whole rupiah. A column gets its format
from the ``formats`` argument, else from the frame's ``attrs[FORMATS_ATTR]`` ({column: format}), else from
its type (dates, whole numbers, decimals)."""
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

# Excel number format codes (written in Excel's own notation; Excel shows them with the reader's separators).
RUPIAH_FORMAT = '"Rp" #,##0'
PERCENT_FORMAT = "0.0%"  # a share 0..1
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
DATE_FORMAT = "dd/mm/yyyy"
YEAR_FORMAT = "0"
FORMATS_ATTR = "excel_formats"  # frame.attrs key: {column: number format} carried by an export frame


def with_formats(frame: pd.DataFrame, formats: Mapping[str, str]) -> pd.DataFrame:
    """``frame`` (a shallow copy) carrying the number formats of some of its columns for the workbook."""
    carried = frame.copy(deep=False)
    carried.attrs[FORMATS_ATTR] = {**frame.attrs.get(FORMATS_ATTR, {}), **formats}
    return carried


def _type_format(column: pd.Series) -> str | None:
    """The format a column gets from its type when no export names one."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return DATE_FORMAT
    if pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_integer_dtype(column) or pd.api.types.is_float_dtype(column):
        values = pd.to_numeric(column, errors="coerce").dropna()
        whole = bool((values == values.round()).all())
        if whole and "tahun" in str(column.name).lower():
            return YEAR_FORMAT  # 2016, never 2.016
        return INTEGER_FORMAT if whole else DECIMAL_FORMAT
    return None


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
        carried = frame.attrs.get(FORMATS_ATTR, {})
        number_formats = {}
        for index, column in enumerate(frame.columns):
            chosen = (formats or {}).get(name, {}).get(str(column)) or carried.get(column) or _type_format(frame[column])
            if chosen:
                number_formats[index] = chosen
        for row_cells in sheet.iter_rows(min_row=2):
            for index, cell in enumerate(row_cells):
                if is_formula_like(cell.value) or cell.data_type == "f":
                    cell.data_type = "s"
                    cell.quotePrefix = True
                elif index in number_formats and cell.value is not None and (
                        cell.data_type == "n" or cell.is_date):
                    cell.number_format = number_formats[index]
                    if number_formats[index] == RUPIAH_FORMAT and isinstance(cell.value, float):
                        cell.value = round(cell.value)  # whole rupiah: no cost of 1.435.606,0606...
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
