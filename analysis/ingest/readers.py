"""Spreadsheet files -> raw grids of cell values, one per sheet, with Excel row numbers kept.

Nothing is interpreted here: no header detection, no parsing. A reader's only promises are that row i of
a grid is row i + 1 of the sheet as a person sees it in Excel (so rejected rows can be found at the
source), that merged ranges are reported, and that an unreadable file becomes a clear Indonesian message
instead of an exception.
"""
from __future__ import annotations

import csv
import functools
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
    problem, inspection = _before_engine(path.suffix.lower(), data)
    if problem:
        raise ReadError(problem)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several private error types
        raise ReadError(f"Berkas Excel tidak dapat dibaca (rusak atau bukan workbook): {exc}") from exc
    errors = _xlsx_error_cells(data, inspection) if inspection is not None else {}
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


def _before_engine(suffix: str, data: bytes) -> tuple[str | None, _ZipInspection | None]:
    """The refusal of a workbook before any engine reads it (or None), and for a ZIP workbook what its
    inspection found (the error cells are attached once the engine has read the sheets)."""
    problem = _sniff_workbook_problem(suffix, data)
    if problem or data[:4] != b"PK\x03\x04":
        return problem, None
    inspection = _inspect_zip(data)
    return inspection.problem, inspection


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


_WORKBOOK_PART = "xl/workbook.xml"
_WORKBOOK_RELS_PART = "xl/_rels/workbook.xml.rels"


@dataclass
class _ZipInspection:
    """What one bounded inflation of a ZIP workbook found, kept small: never a worksheet's XML."""

    problem: str | None = None  # the refusal, for the person who uploaded the file
    names: set[str] = field(default_factory=set)
    parts: dict[str, bytes] = field(default_factory=dict)  # xl/workbook.xml and its relationships
    # worksheet part -> its _ERROR_CELL matches (column letters, row digits, code), still raw bytes
    error_matches: dict[str, list[tuple[bytes, bytes, bytes]]] = field(default_factory=dict)


def _is_worksheet_part(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _inspect_zip(data: bytes) -> _ZipInspection:
    """Every check a ZIP workbook (xlsx, xlsm, ods) passes before the engine sees it, in one inflation.
    First the sizes its directory declares; then each member is inflated once in bounded chunks (a
    directory can lie: Python stops at the declared size and a CRC check catches the rest). While a
    worksheet is inflated its farthest cell is found and its error cells are collected, then its XML is
    dropped: only one worksheet is held at a time. A sheet wider than MAX_CELLS is refused only once the
    whole archive has inflated within the limits (a damaged or oversized archive is the first refusal)."""
    inspection = _ZipInspection()
    extents: dict[str, tuple[int, int] | None] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > MAX_UNCOMPRESSED_BYTES:
                return _ZipInspection(problem=_too_large_inflated(declared))
            if declared > RATIO_FLOOR_BYTES and declared > MAX_RATIO * max(len(data), 1):
                return _ZipInspection(problem=(
                    f"Isi berkas mengembang {declared // max(len(data), 1)} kali lipat saat dibuka "
                    f"({_mb(declared)}); ini bukan workbook biasa dan ditolak demi keamanan."))
            inspection.names = set(archive.namelist())
            inflated = 0
            for member in members:
                name = member.filename
                # A name listed twice is read by name as its last entry (zipfile's rule): that one counts.
                wanted = ((_is_worksheet_part(name) or name in (_WORKBOOK_PART, _WORKBOOK_RELS_PART))
                          and archive.getinfo(name) is member)
                with archive.open(member) as handle:
                    if not wanted:
                        while chunk := handle.read(_INFLATE_CHUNK):
                            inflated += len(chunk)
                            if inflated > MAX_UNCOMPRESSED_BYTES:
                                return _ZipInspection(problem=_too_large_inflated(inflated))
                        continue
                    # One read of at most the chunks that keep the total within the limit, plus the one
                    # that passes it: the same bound, and the same size in the message, as chunk by chunk.
                    chunks = (MAX_UNCOMPRESSED_BYTES - inflated) // _INFLATE_CHUNK + 1
                    content = handle.read(chunks * _INFLATE_CHUNK)
                    inflated += len(content)
                    if inflated > MAX_UNCOMPRESSED_BYTES:
                        return _ZipInspection(problem=_too_large_inflated(inflated))
                if not _is_worksheet_part(name):
                    inspection.parts[name] = content
                    continue
                extents[name] = _extent(content)
                inspection.error_matches[name] = _ERROR_CELL.findall(content) if _ERROR_TYPE.search(content) else []
                del content
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, OSError):
        return _ZipInspection(problem="Berkas Excel terpotong atau rusak (arsip ZIP tidak lengkap).")
    for member in members:  # in the archive's order, as each sheet would be read
        if _is_worksheet_part(member.filename):
            if extents[member.filename] is None:
                break  # see _extent: not measurable, as the former check gave up (never at the real limit)
            width, height = extents[member.filename]
            if width * height > MAX_CELLS:
                inspection.problem = (
                    f"Lembar terlalu luas: ada sel terisi sampai baris {height:,} kolom {width:,} "
                    f"({width * height:,} sel; batas {MAX_CELLS:,}). Hapus sel yang jauh di luar tabel "
                    "lalu simpan lagi.").replace(",", ".")
                break
    return inspection


# A cell reference attribute ( r="XFD1048576"): only cells carry letters in r; rows carry bare numbers.
# A reference counts as a column when 1-3 capital letters follow r=" and a digit follows them, and as a
# row when 1-7 digits follow 1-3 letters and close the quote. The farthest column is the one with the
# most letters, then the greatest; the farthest row the one with the most digits, then the greatest.
# Patterns that start with a literal space run much faster (the engine jumps to the literal); a file
# that separates attributes with tabs or line breaks gets the any-whitespace patterns.
_REFERENCE = {True: re.compile(rb' r="([A-Z]*)(\d*)(")?'), False: re.compile(rb'\sr="([A-Z]*)(\d*)(")?')}
_TAIL_BYTES = 16_384
_SEARCH_ROUNDS = 64


def _extent(xml: bytes) -> tuple[int, int] | None:
    """(width, height) of a worksheet's rectangle as the refusal judges it: a bound from the number of
    letters and digits of its farthest cell (ZZ and 9999 say at most 702 x 9999), replaced by the exact
    farthest column, then the exact farthest row, only while the bound passes MAX_CELLS. None when the
    exact value is needed but no reference has one; the former check then gave up on the workbook, and
    so does this one (it needs a limit under 164.502 cells: never at MAX_CELLS).

    About one pass finds them: the references at the end of the XML give a first guess (rows are
    normally written in order), then one search looks anywhere in the sheet for a reference beyond the
    guess (a farther column, or a row with more digits); each one it finds raises the guess and the
    search goes on from there. Only when the exact row is needed does a second search look for a greater
    row of as many digits. Order is a speed-up, never an assumption: a forged sheet whose rows are out
    of order is searched to its end (after _SEARCH_ROUNDS raises, by reading every remaining reference)."""
    plain = _plain(xml)
    reference = _REFERENCE[plain]
    column, row = b"", b""
    last = xml.rfind(b'r="')
    if last >= 0:
        for match in reference.finditer(xml[max(last - _TAIL_BYTES, 0):last + 16]):
            column, row = _farther(match, column, row)
    column, row, exact = _search_beyond(xml, reference, _beyond, plain, column, row)
    letters, digits = len(column) or 1, len(row) or 1
    width = (26 ** (letters + 1) - 26) // 25  # the last column with that many letters: Z, ZZ, ZZZ
    height = 10 ** digits - 1
    if width * height > MAX_CELLS:
        if not column:
            return None
        width = _column_index(column.decode()) + 1
    if width * height > MAX_CELLS:
        if not row:
            return None
        if not exact:
            column, row, _ = _search_beyond(xml, reference, _greater_row, plain, column, row)
        height = int(row)
    return width, height


def _search_beyond(xml: bytes, reference: re.Pattern, pattern, plain: bool, column: bytes,
                   row: bytes) -> tuple[bytes, bytes, bool]:
    """Raise (column, row) by every reference that pattern(plain, column, row) finds, from the start of
    the XML on; the flag says whether every reference was read (the exact maxima). After _SEARCH_ROUNDS
    raises (a sheet written out of order) every reference of the sheet is read, from its start: a reference
    before the last raise may still hold a greater row of as many digits."""
    position = 0
    for _ in range(_SEARCH_ROUNDS):
        beyond = pattern(plain, column, row)
        match = beyond.search(xml, position) if beyond is not None else None
        if match is None:
            return column, row, False
        column, row = _farther(reference.match(xml, match.start()), column, row)
        position = match.start()
    for match in reference.finditer(xml):
        column, row = _farther(match, column, row)
    return column, row, True


def _plain(xml: bytes) -> bool:
    """No cell reference follows a tab or a line break (the usual XML: one space between attributes).
    Each separator is first looked for alone (a fast byte search); a file full of them is searched for
    the separator followed by r=" instead."""
    for separator in (b"\t", b"\n", b"\r"):
        at = xml.find(separator)
        for _ in range(64):
            if at < 0:
                break
            if xml.startswith(b'r="', at + 1):
                return False
            at = xml.find(separator, at + 1)
        if at >= 0 and xml.find(separator + b'r="', at) >= 0:
            return False
    return True


def _farther(match: re.Match, column: bytes, row: bytes) -> tuple[bytes, bytes]:
    """The farthest column letters and row digits after one more reference (see _REFERENCE)."""
    letters, digits, quote = match.groups()
    if 1 <= len(letters) <= 3 and digits:
        if (len(letters), letters) > (len(column), column):
            column = letters
        if quote and len(digits) <= 7 and (len(digits), digits) > (len(row), row):
            row = digits
    return column, row


@functools.lru_cache(maxsize=256)
def _beyond(plain: bool, column: bytes, row: bytes) -> re.Pattern | None:
    """A reference farther than (column, row): a column of more letters, or of as many but greater,
    followed by a digit; or a row of more digits closing the quote."""
    options = []
    longer = b"[A-Z]{%d,3}+" % (len(column) + 1) if len(column) < 3 else None
    greater = _greater_run(column, b"A", b"Z")
    if longer or greater:
        options.append(b"(?:" + b"|".join(o for o in (longer, greater) if o) + rb")\d")
    if len(row) < 7:
        options.append(rb'[A-Z]{1,3}+\d{%d,7}+"' % (len(row) + 1))
    if not options:
        return None
    return re.compile((b" " if plain else rb"\s") + b'r="(?:' + b"|".join(options) + b")")


@functools.lru_cache(maxsize=256)
def _greater_row(plain: bool, column: bytes, row: bytes) -> re.Pattern | None:
    """A reference whose row has as many digits as `row` and is greater."""
    greater = _greater_run(row, b"0", b"9")
    if greater is None:
        return None
    return re.compile((b" " if plain else rb"\s") + b'r="[A-Z]{1,3}+' + greater + b'"')


def _greater_run(value: bytes, first: bytes, last: bytes) -> bytes | None:
    """A regular expression for the runs of first..last characters as long as `value` that come after it
    character by character (nested, so each character is looked at once); None when none can."""
    if not value:
        return None
    options = []
    if value[0] < last[0]:
        options.append(b"[%s-%s]" % (bytes([value[0] + 1]), last)
                       + (b"[%s-%s]{%d}" % (first, last, len(value) - 1) if len(value) > 1 else b""))
    deeper = _greater_run(value[1:], first, last)
    if deeper is not None:
        options.append(value[:1] + deeper)
    return b"(?:" + b"|".join(options) + b")" if options else None


def _too_large_inflated(size: int) -> str:
    return (f"Isi berkas terlalu besar setelah dibuka (lebih dari {_mb(size)}; batas "
            f"{_mb(MAX_UNCOMPRESSED_BYTES)}); ditolak sebelum dibaca. Pecah berkas lalu unggah lagi.")


_WORKBOOK_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_WORKBOOK_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_RELATIONSHIP = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|'
                           rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_ERROR_TYPE = re.compile(rb't="e"')  # most sheets have no error cell: a quick search skips the slower scan
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)?<v>([^<]*)</v>')


def _xlsx_error_cells(data: bytes, inspection: _ZipInspection) -> dict[str, list[tuple[int, int, str]]]:
    """Error cells (#N/A, #REF!, #DIV/0!, ...) per sheet name as (row, column, code), 0-based. The engine
    returns them as empty cells; the ingest lists them so a person sees why a value is missing. Best
    effort: a workbook whose parts cannot be matched simply reports none. The worksheets were searched
    while _inspect_zip inflated them; a sheet kept elsewhere in the archive is read here."""
    from html import unescape

    names = inspection.names
    if _WORKBOOK_PART not in names or _WORKBOOK_RELS_PART not in names:
        return {}
    try:
        book = inspection.parts[_WORKBOOK_PART]
        rels = inspection.parts[_WORKBOOK_RELS_PART]
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
            matches = inspection.error_matches.get(part)
            if matches is None:  # not under xl/worksheets/: not inflated by the inspection
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    xml = archive.read(part)
                matches = _ERROR_CELL.findall(xml) if b't="e"' in xml else []
            cells = [(int(row) - 1, _column_index(col.decode()), unescape(code.decode("utf-8", "replace")))
                     for col, row, code in matches]
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
        return None  # the archive's own checks follow in _inspect_zip
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
