"""The upload safety checks of analysis/readers.py as they were before one bounded inflation served them
all (kept as the reference for tests/test_readers_checks.py; not used by the application). Each check
opened the archive itself: _zip_problem inflated every member in bounded chunks, _extent_problem read
every worksheet again and searched it tier by tier, _xlsx_error_cells read each sheet a third time.
The limits are read from analysis.readers at call time, so a test that lowers them lowers them here too."""
from __future__ import annotations

import io
import re
import zipfile

from analysis import readers
from analysis.readers import _ENCRYPTED_PACKAGE, _column_index, _mb


def _too_large_inflated(size: int) -> str:
    return (f"Isi berkas terlalu besar setelah dibuka (lebih dari {_mb(size)}; batas "
            f"{_mb(readers.MAX_UNCOMPRESSED_BYTES)}); ditolak sebelum dibaca. Pecah berkas lalu unggah lagi.")


def checks(suffix: str, data: bytes) -> tuple[str | None, dict[str, list[tuple[int, int, str]]]]:
    """What the former _read_workbook decided before and after the engine: the refusal (or None), and
    the error cells it would attach to the sheets (only looked for when nothing was refused)."""
    problem = _sniff_workbook_problem(suffix, data)
    if problem is None and data[:4] == b"PK\x03\x04":
        problem = _extent_problem(data)
    if problem is not None:
        return problem, {}
    return None, _xlsx_error_cells(data) if data[:4] == b"PK\x03\x04" else {}


def _zip_problem(data: bytes) -> str | None:
    """Refuse a ZIP (xlsx, xlsm, ods) whose content would inflate beyond the limits, judged first on the
    sizes its directory declares, then by inflating each member in bounded chunks (a directory can lie;
    Python stops at the declared size and a CRC check catches the rest), all before the engine sees it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > readers.MAX_UNCOMPRESSED_BYTES:
                return _too_large_inflated(declared)
            if declared > readers.RATIO_FLOOR_BYTES and declared > readers.MAX_RATIO * max(len(data), 1):
                return (f"Isi berkas mengembang {declared // max(len(data), 1)} kali lipat saat dibuka "
                        f"({_mb(declared)}); ini bukan workbook biasa dan ditolak demi keamanan.")
            inflated = 0
            for member in members:
                with archive.open(member) as handle:
                    while chunk := handle.read(readers._INFLATE_CHUNK):
                        inflated += len(chunk)
                        if inflated > readers.MAX_UNCOMPRESSED_BYTES:
                            return _too_large_inflated(inflated)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, OSError):
        return "Berkas Excel terpotong atau rusak (arsip ZIP tidak lengkap)."
    return None


# A cell reference attribute ( r="XFD1048576"): only cells carry letters in r; rows carry bare numbers.
# Patterns that start with a literal space run much faster (the engine jumps to the literal); a file
# that separates attributes with tabs or line breaks gets the slower any-whitespace patterns.
_CELL_COLUMN = {n: re.compile(rb' r="([A-Z]{%d})\d' % n) for n in (3, 2, 1)}
_CELL_ROW = {n: re.compile(rb' r="[A-Z]{1,3}(\d{%d})"' % n) for n in (7, 6, 5, 4, 3, 2, 1)}
_CELL_COLUMN_ANY = {n: re.compile(rb'\sr="([A-Z]{%d})\d' % n) for n in (3, 2, 1)}
_CELL_ROW_ANY = {n: re.compile(rb'\sr="[A-Z]{1,3}(\d{%d})"' % n) for n in (7, 6, 5, 4, 3, 2, 1)}


def _extent_problem(data: bytes) -> str | None:
    """The farthest cell of every worksheet of an .xlsx, checked against readers.MAX_CELLS before the engine
    allocates the rectangle. Cheap first: the number of column letters and row digits of the farthest
    cells bound the extent (ZZ and 9999 say at most 702 x 9999); only when that bound passes the limit
    are the cells of the outermost tier read to find the exact extent."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            for part in parts:
                xml = archive.read(part)
                width, height = _extent(xml)
                if width * height > readers.MAX_CELLS:
                    return (f"Lembar terlalu luas: ada sel terisi sampai baris {height:,} kolom {width:,} "
                            f"({width * height:,} sel; batas {readers.MAX_CELLS:,}). Hapus sel yang jauh di luar tabel "
                            "lalu simpan lagi.").replace(",", ".")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None  # the engine reports a damaged archive in its own words
    return None


def _extent(xml: bytes) -> tuple[int, int]:
    plain = not any(separator + b'r="' in xml for separator in (b"\t", b"\n", b"\r"))
    columns, rows = (_CELL_COLUMN, _CELL_ROW) if plain else (_CELL_COLUMN_ANY, _CELL_ROW_ANY)
    letters = next((n for n in (3, 2, 1) if columns[n].search(xml)), 1)
    digits = next((n for n in (7, 6, 5, 4, 3, 2, 1) if rows[n].search(xml)), 1)
    width = (26 ** (letters + 1) - 26) // 25  # the last column with that many letters: Z, ZZ, ZZZ
    height = 10 ** digits - 1
    if width * height > readers.MAX_CELLS:
        width = max(_column_index(c.decode()) + 1 for c in set(columns[letters].findall(xml)))
    if width * height > readers.MAX_CELLS:
        height = max(int(r) for r in set(rows[digits].findall(xml)))
    return width, height


_WORKBOOK_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_WORKBOOK_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_RELATIONSHIP = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|'
                           rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)?<v>([^<]*)</v>')


def _xlsx_error_cells(data: bytes) -> dict[str, list[tuple[int, int, str]]]:
    """Error cells (#N/A, #REF!, #DIV/0!, ...) per sheet name as (row, column, code), 0-based. The engine
    returns them as empty cells; the ingest lists them so a person sees why a value is missing. Best
    effort: a workbook whose parts cannot be matched simply reports none."""
    from html import unescape

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
                return {}
            book = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = {}
            for match in _RELATIONSHIP.finditer(rels):
                rid, target = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
                targets[rid.decode()] = target.decode().lstrip("/")
            sheets = [(n, r) for n, r in _WORKBOOK_SHEET.findall(book)]
            sheets += [(n, r) for r, n in _WORKBOOK_SHEET_ID_FIRST.findall(book) if (n, r) not in sheets]
            found: dict[str, list[tuple[int, int, str]]] = {}
            for name, rid in sheets:
                target = targets.get(rid.decode(), "")
                part = target if target.startswith("xl/") else f"xl/{target}"
                if part not in names:
                    continue
                xml = archive.read(part)
                if b't="e"' not in xml:  # most sheets have no error cell: skip the slower scan
                    continue
                cells = [(int(row) - 1, _column_index(col.decode()), unescape(code.decode("utf-8", "replace")))
                         for col, row, code in _ERROR_CELL.findall(xml)]
                if cells:
                    found[unescape(name.decode("utf-8", "replace"))] = cells
            return found
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return {}



def _sniff_workbook_problem(suffix: str, data: bytes) -> str | None:
    """Recognise the usual impostors before the Excel engine gives a cryptic error."""
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head:
        return "Berkas ini halaman HTML/XML yang diberi nama Excel, bukan workbook; buka di Excel lalu simpan sebagai .xlsx."
    is_zip = data[:4] == b"PK\x03\x04"
    is_ole = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if is_ole and _ENCRYPTED_PACKAGE in data[:200_000]:
        return "Workbook dilindungi kata sandi; buka proteksinya di Excel lalu unggah lagi."
    if is_zip:
        if suffix in {".xlsx", ".xlsm"}:
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    if "[Content_Types].xml" not in archive.namelist():
                        return "Berkas ZIP ini bukan workbook Excel."
            except (zipfile.BadZipFile, EOFError, OSError, ValueError):
                return "Berkas Excel terpotong atau rusak (arsip ZIP tidak lengkap)."
        return _zip_problem(data)
    if suffix in {".xlsx", ".xlsm"} and not is_ole:
        return "Berkas ini bukan workbook Excel .xlsx (isi berkas tidak sesuai)."
    return None  # an .xls, or an old .xls saved with the .xlsx suffix: calamine reads it
