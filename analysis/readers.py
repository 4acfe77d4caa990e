"""Spreadsheet files -> raw grids of cell values, one per sheet, with Excel row numbers kept.

Nothing is interpreted here: no header detection, no parsing. A reader's only promises are that row i of
a grid is row i + 1 of the sheet as a person sees it in Excel (so rejected rows can be found at the
source), that merged ranges are reported, and that an unreadable file becomes a clear Indonesian message
instead of an exception.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
SUPPORTED_SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES
CSV_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
CSV_DELIMITERS = (";", ",", "\t", "|")

# Limits that hold before any engine reads a byte (module attributes, read at call time, so tests can
# lower them). A registry or sales workbook from a kecamatan is a few MB; the upload page caps files at
# the same size (st.file_uploader and server.maxUploadSize in .streamlit/config.toml).
MAX_FILE_BYTES = 50 * 1024 * 1024
# An .xlsx is a ZIP of XML: a small file can inflate to gigabytes (a "zip bomb") and exhaust memory when
# the engine expands it. Real workbooks inflate 5-20x; refuse more than this in total, or a ratio above
# MAX_RATIO once the content passes RATIO_FLOOR_BYTES (tiny files can have any ratio).
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 10 * 1024 * 1024
# The engine builds each sheet as a full rectangle from A1 to its farthest cell (about 32 bytes a cell):
# one cell at XFD1048576 in a 5 KB file asks for 550 GB and aborts the whole process, which no
# exception handler can catch. Refuse sheets whose rectangle is larger than this many cells.
MAX_CELLS = 20_000_000
_INFLATE_CHUNK = 1 << 20


@dataclass
class RawSheet:
    """One sheet as a grid of python values ('' for an empty cell)."""

    path: Path
    sheet: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # Excel error cells: (row, col, "#N/A")
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
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(f"Berkas terlalu besar ({_mb(size)}); batasnya {_mb(MAX_FILE_BYTES)}. Pecah berkas per "
                        "kecamatan atau per tahun lalu unggah lagi.")
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
    if data[:4] == b"PK\x03\x04":
        problem = _extent_problem(data)
        if problem:
            raise ReadError(problem)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several private error types
        raise ReadError(f"Berkas Excel tidak dapat dibaca (rusak atau bukan workbook): {exc}") from exc
    errors = _xlsx_error_cells(data) if data[:4] == b"PK\x03\x04" else {}
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
            sheets.append(RawSheet(path=path, sheet=meta.name, rows=rows, merged=merged,
                                   errors=errors.get(meta.name, [])))
    except Exception as exc:
        raise ReadError(f"Isi berkas Excel tidak dapat dibaca: {exc}") from exc
    return sheets


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _zip_problem(data: bytes) -> str | None:
    """Refuse a ZIP (xlsx, xlsm, ods) whose content would inflate beyond the limits, judged first on the
    sizes its directory declares, then by inflating each member in bounded chunks (a directory can lie;
    Python stops at the declared size and a CRC check catches the rest), all before the engine sees it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > MAX_UNCOMPRESSED_BYTES:
                return _too_large_inflated(declared)
            if declared > RATIO_FLOOR_BYTES and declared > MAX_RATIO * max(len(data), 1):
                return (f"Isi berkas mengembang {declared // max(len(data), 1)} kali lipat saat dibuka "
                        f"({_mb(declared)}); ini bukan workbook biasa dan ditolak demi keamanan.")
            inflated = 0
            for member in members:
                with archive.open(member) as handle:
                    while chunk := handle.read(_INFLATE_CHUNK):
                        inflated += len(chunk)
                        if inflated > MAX_UNCOMPRESSED_BYTES:
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
    """The farthest cell of every worksheet of an .xlsx, checked against MAX_CELLS before the engine
    allocates the rectangle. Cheap first: the number of column letters and row digits of the farthest
    cells bound the extent (ZZ and 9999 say at most 702 x 9999); only when that bound passes the limit
    are the cells of the outermost tier read to find the exact extent."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            for part in parts:
                xml = archive.read(part)
                width, height = _extent(xml)
                if width * height > MAX_CELLS:
                    return (f"Lembar terlalu luas: ada sel terisi sampai baris {height:,} kolom {width:,} "
                            f"({width * height:,} sel; batas {MAX_CELLS:,}). Hapus sel yang jauh di luar tabel "
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
    if width * height > MAX_CELLS:
        width = max(_column_index(c.decode()) + 1 for c in set(columns[letters].findall(xml)))
    if width * height > MAX_CELLS:
        height = max(int(r) for r in set(rows[digits].findall(xml)))
    return width, height


def _too_large_inflated(size: int) -> str:
    return (f"Isi berkas terlalu besar setelah dibuka (lebih dari {_mb(size)}; batas "
            f"{_mb(MAX_UNCOMPRESSED_BYTES)}); ditolak sebelum dibaca. Pecah berkas lalu unggah lagi.")


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


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


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


# The stream name an encrypted (password-protected) OOXML workbook carries inside its OLE container.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _read_csv(path: Path, data: bytes) -> RawSheet:
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = [list(r) for r in reader]
    width = max((len(r) for r in rows), default=0)
    if width * len(rows) > MAX_CELLS:  # one line of 25 MB of separators would pad every row to it
        raise ReadError(f"Tabel CSV terlalu luas ({len(rows):,} baris x {width:,} kolom; batas {MAX_CELLS:,} sel). "
                        "Periksa pemisah kolomnya lalu simpan lagi.".replace(",", "."))
    rows = [r + [""] * (width - len(r)) for r in rows]
    return RawSheet(path=path, sheet=path.stem, rows=rows, encoding=encoding, delimiter=delimiter)


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then Windows-1252 as Excel on Indonesian Windows writes it.
    UTF-16 ("Unicode text" from Excel) is read when it says so with its byte-order mark or looks like it
    (every other byte zero); other bytes that are not text are refused instead of read as gibberish."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError("Berkas CSV UTF-16 ini rusak (terpotong di tengah karakter).") from exc
    sample = data[:4096]
    if sample.count(0) > len(sample) // 4:
        odd_zero = sample[1::2].count(0) > len(sample) // 3
        even_zero = sample[0::2].count(0) > len(sample) // 3
        encoding = "utf-16-le" if odd_zero else "utf-16-be" if even_zero else None
        if encoding:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                pass
        raise ReadError("Berkas CSV ini bukan teks (berisi data biner); simpan ulang dari Excel sebagai "
                        "\"CSV UTF-8\" lalu unggah lagi.")
    if b"\x00" in sample:
        raise ReadError("Berkas CSV ini bukan teks (berisi data biner); simpan ulang dari Excel sebagai "
                        "\"CSV UTF-8\" lalu unggah lagi.")
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
