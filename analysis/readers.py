"""Spreadsheet files -> raw grids of cell values, one per sheet, with Excel row numbers kept.

Nothing is interpreted here: no header detection, no parsing. A reader's only promises are that row i of
a grid is row i + 1 of the sheet as a person sees it in Excel (so rejected rows can be found at the
source), that merged ranges are reported, and that an unreadable file becomes a clear Indonesian message
instead of an exception.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
SUPPORTED_SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES
CSV_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
CSV_DELIMITERS = (";", ",", "\t", "|")


@dataclass
class RawSheet:
    """One sheet as a grid of python values ('' for an empty cell)."""

    path: Path
    sheet: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None


class ReadError(Exception):
    """A file that cannot be read at all; the message is for the person who uploaded it (Indonesian)."""


def read_file(path: Path) -> list[RawSheet]:
    """Every sheet of a workbook, or the single table of a CSV. Raises ReadError with an Indonesian
    message for a file that cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"Format berkas '{suffix or '(tanpa ekstensi)'}' tidak didukung; gunakan .xlsx, .xls atau .csv.")
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("Berkas kosong (0 byte atau hanya spasi).")
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path, data)]
    return _read_workbook(path, data)


def _read_workbook(path: Path, data: bytes) -> list[RawSheet]:
    problem = _sniff_workbook_problem(path.suffix.lower(), data)
    if problem:
        raise ReadError(problem)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several private error types
        raise ReadError(f"Berkas Excel tidak dapat dibaca (rusak atau bukan workbook): {exc}") from exc
    sheets = []
    try:
        for meta in book.sheets_metadata:
            if str(meta.typ).endswith("WorkSheet") is False:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)  # a fresh list of row lists
            if rows and not isinstance(rows[0], list):
                rows = [list(r) for r in rows]
            merged = list(sheet.merged_cell_ranges or [])
            sheets.append(RawSheet(path=path, sheet=meta.name, rows=rows, merged=merged))
    except Exception as exc:
        raise ReadError(f"Isi berkas Excel tidak dapat dibaca: {exc}") from exc
    return sheets


def _sniff_workbook_problem(suffix: str, data: bytes) -> str | None:
    """Recognise the usual impostors before the Excel engine gives a cryptic error."""
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head:
        return "Berkas ini halaman HTML/XML yang diberi nama Excel, bukan workbook; buka di Excel lalu simpan sebagai .xlsx."
    is_zip = data[:4] == b"PK\x03\x04"
    is_ole = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if suffix in {".xlsx", ".xlsm"} and is_ole:
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data[:200_000]:
            return "Workbook dilindungi kata sandi; buka proteksinya di Excel lalu unggah lagi."
        return None  # an old .xls saved with the wrong suffix: calamine reads it
    if suffix in {".xlsx", ".xlsm"} and is_zip:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "[Content_Types].xml" not in archive.namelist():
                    return "Berkas ZIP ini bukan workbook Excel."
        except zipfile.BadZipFile:
            return "Berkas Excel terpotong atau rusak (arsip ZIP tidak lengkap)."
    elif suffix in {".xlsx", ".xlsm"}:
        return "Berkas ini bukan workbook Excel .xlsx (isi berkas tidak sesuai)."
    return None


def _read_csv(path: Path, data: bytes) -> RawSheet:
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = [list(r) for r in reader]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return RawSheet(path=path, sheet=path.stem, rows=rows, encoding=encoding, delimiter=delimiter)


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then Windows-1252 as Excel on Indonesian Windows writes it."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ReadError("Pengodean teks berkas CSV tidak dikenali.")  # latin-1 decodes anything; kept for clarity


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number (>1) of fields."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1
    for delimiter in CSV_DELIMITERS:
        counts = [ln.count(delimiter) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) * (mode > 0) + sum(c > 0 for c in counts)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def iter_files(paths: list[Path]) -> list[tuple[Path, str | None]]:
    """Files under the given files and folders (recursively, sorted), each with the reason it is not
    read, or None. A folder's other files (a PDF, an Excel lock file '~$...') are listed with that
    reason instead of vanishing; hidden files ('.DS_Store') are left out."""
    found: list[tuple[Path, str | None]] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend((p, _skip_reason(p)) for p in sorted(path.rglob("*"))
                         if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append((path, None))
    return found


def _skip_reason(path: Path) -> str | None:
    if path.name.startswith("~$"):
        return "Berkas kunci sementara Excel (~$...), bukan data; dilewati."
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"Bukan spreadsheet ({path.suffix or 'tanpa ekstensi'}); dilewati."
    return None
