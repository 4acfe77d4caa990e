"""The upload safety checks of analysis/ingest/readers.py (one bounded inflation per workbook): a damaged or
oversized archive is refused with its message, a sheet is refused exactly when its farthest cell passes
MAX_CELLS, and the error cells listed are those an XML parser finds. Checked on the bad-input corpus, on
the demo workbooks and on generated sheets and archives, against Python's own XML parser and the rule
_extent's docstring states (every cell reference read, no first guess, no search), never against a
former copy of the checks."""
from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.ingest import readers

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "bad_input"
DEMO = ROOT / "data" / "demo" / "raw"
# Limits that make the refinements run (exact width, exact height) on small sheets, and the real one.
CELL_LIMITS = (1, 200, 1_000, 30_000, 200_000, readers.MAX_CELLS, 10**13)


def _checks(suffix: str, data: bytes) -> tuple[str | None, dict[str, list[tuple[int, int, str]]]]:
    """What read_file decides around the engine: the refusal, else the error cells per sheet."""
    problem, inspection = readers._before_engine(suffix, data)
    if problem is not None:
        return problem, {}
    return None, readers._xlsx_error_cells(data, inspection) if inspection is not None else {}


def _zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


def _is_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)):
            return True
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        return False


def _worksheets(paths: list[Path]) -> list[tuple[Path, str]]:
    """(workbook, worksheet part) of every worksheet that inflates to less than a megabyte without error."""
    found = []
    for path in paths:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            for member in archive.infolist():
                if readers._is_worksheet_part(member.filename) and member.file_size < 1 << 20:
                    try:
                        archive.read(member)
                    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
                        continue
                    found.append((path, member.filename))
    return found


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


# ---- the oracles ------------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _cells(xml: bytes) -> list[tuple[str, int, str | None, str | None]]:
    """Every cell element an XML parser finds: (column letters, row, type, value text)."""
    found = []
    for element in ET.fromstring(xml).iter():
        if _local(element.tag) == "c" and element.get("r"):
            letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", element.get("r")).groups()
            value = next((child.text for child in element if _local(child.tag) == "v"), None)
            found.append((letters, int(digits), element.get("t"), value))
    return found


def _farthest_cell(xml: bytes) -> tuple[int, int] | None:
    """(width, height) of the rectangle up to the farthest cell, by the XML parser; None without cells."""
    cells = _cells(xml)
    return (max(_column_number(c) for c, *_ in cells), max(r for _, r, *_ in cells)) if cells else None


def _error_cells_by_parser(data: bytes) -> dict[str, list[tuple[int, int, str]]]:
    """Error cells per sheet name (row, column, code; 0-based), each sheet found through workbook.xml and
    its relationships by the XML parser; sheets without one are left out."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
            return {}
        relations = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter()
        targets = {r.get("Id"): r.get("Target").lstrip("/") for r in relations if _local(r.tag) == "Relationship"}
        found = {}
        for sheet in ET.fromstring(archive.read("xl/workbook.xml")).iter():
            rid = next((value for key, value in sheet.attrib.items() if _local(key) == "id"), None)
            if _local(sheet.tag) != "sheet" or rid is None:
                continue
            target = targets.get(rid, "")
            part = target if target.startswith("xl/") else f"xl/{target}"
            if part not in names:
                continue
            errors = [(row - 1, _column_number(letters) - 1, value or "")
                      for letters, row, kind, value in _cells(archive.read(part)) if kind == "e" and value is not None]
            if errors:
                found[sheet.get("name")] = errors
        return found


def _extent_by_definition(xml: bytes) -> tuple[int, int] | None:
    """_extent as its docstring states it, from every reference at once: a reference is r=" after a space
    (after any whitespace when some r=" follows a tab or a line break); it counts as a column when 1-3
    capitals are followed by a digit, as a row when 1-7 digits then close the quote; the farthest is the
    longest, then the greatest. The bound from their lengths is made exact, column then row, only while
    it passes MAX_CELLS (None when that needs a reference and there is none)."""
    pattern = rb'\sr="([A-Z]*)(\d*)(")?' if re.search(rb'[\t\n\r]r="', xml) else rb' r="([A-Z]*)(\d*)(")?'
    column, row = b"", b""
    for letters, digits, quote in re.findall(pattern, xml):
        if 1 <= len(letters) <= 3 and digits:
            column = max(column, letters, key=lambda c: (len(c), c))
            if quote and len(digits) <= 7:
                row = max(row, digits, key=lambda d: (len(d), d))
    width, height = (26 ** (max(len(column), 1) + 1) - 26) // 25, 10 ** max(len(row), 1) - 1
    if width * height > readers.MAX_CELLS:
        if not column:
            return None
        width = _column_number(column.decode())
    if width * height > readers.MAX_CELLS:
        if not row:
            return None
        height = int(row)
    return width, height


def _too_wide(width: int, height: int) -> str:
    cells = f"({width * height:,} sel; batas {readers.MAX_CELLS:,})"
    return f"ada sel terisi sampai baris {height:,} kolom {width:,} {cells}".replace(",", ".")


def _size_refusal(data: bytes) -> str | None:
    """The first worksheet (in the archive's order) whose extent passes MAX_CELLS, as the refusal quotes it;
    the check stops at a sheet it cannot measure."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if readers._is_worksheet_part(member.filename):
                extent = _extent_by_definition(archive.read(member.filename))  # a name twice: its last entry
                if extent is None:
                    return None
                if extent[0] * extent[1] > readers.MAX_CELLS:
                    return _too_wide(*extent)
    return None


# ---- the corpus and the demo workbooks --------------------------------------------------------------

CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in readers.SUPPORTED_SUFFIXES)
DEMO_FILES = sorted(p for p in DEMO.rglob("*") if p.suffix.lower() in readers.EXCEL_SUFFIXES)
WORKBOOKS = [p for p in CORPUS_FILES + DEMO_FILES if _is_zip(p.read_bytes())]
SUFFIX_REFUSALS = ("bukan workbook Excel .xlsx", "Berkas ZIP ini bukan workbook Excel.")  # said only of .xlsx/.xlsm


def test_the_corpus_refusals_keep_their_messages():
    for name, phrase in {"bom_zip.xlsx": "kali lipat", "bom_zip_ukuran_palsu.xlsx": "terpotong atau rusak",
                         "terpotong.xlsx": "terpotong atau rusak",
                         "sel_jauh.xlsx": "baris 1.048.576 kolom 16.384 (17.179.869.184 sel; batas 20.000.000)",
                         }.items():
        problem, _ = _checks(".xlsx", (CORPUS / name).read_bytes())
        assert phrase in problem, name
    data = (CORPUS / "rumus_dan_galat.xlsx").read_bytes()
    problem, errors = _checks(".xlsx", data)
    assert problem is None and errors == _error_cells_by_parser(data)
    assert {code for cells in errors.values() for _, _, code in cells} >= {"#N/A", "#REF!", "#DIV/0!"}


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_a_corpus_file_gets_the_same_decision_under_another_excel_name(path):
    """Only the checks of an .xlsx name (a ZIP with [Content_Types].xml, or an OLE file) depend on it."""
    data = path.read_bytes()
    as_xlsx = _checks(".xlsx", data)
    for suffix in (".xls", ".ods"):
        other = _checks(suffix, data)
        if as_xlsx[0] is not None and any(phrase in as_xlsx[0] for phrase in SUFFIX_REFUSALS):
            assert other[0] is None or not any(phrase in other[0] for phrase in SUFFIX_REFUSALS)
        else:
            assert other == as_xlsx, suffix


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_a_workbook_is_refused_for_size_exactly_when_a_sheet_passes_the_limit(path, monkeypatch):
    """Under every cell limit: the first sheet whose farthest cell passes it is named with its figures, and
    nothing else changes (an archive refused for another reason keeps that refusal); the error cells
    are those the XML parser finds."""
    data = path.read_bytes()
    refusal = _checks(".xlsx", data)[0]
    other_refusal = refusal if refusal is not None and not refusal.startswith("Lembar terlalu luas") else None
    for limit in CELL_LIMITS:
        monkeypatch.setattr(readers, "MAX_CELLS", limit)
        problem, errors = _checks(".xlsx", data)
        if other_refusal is not None:
            assert problem == other_refusal, limit
            continue
        expected = _size_refusal(data)
        assert (problem is None) == (expected is None), (limit, problem)
        if expected is not None:
            assert problem.startswith("Lembar terlalu luas: ") and expected in problem, (limit, problem)
        else:
            assert errors == _error_cells_by_parser(data), limit


@pytest.mark.parametrize(("path", "part"), _worksheets(WORKBOOKS), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_the_measured_extent_of_a_workbook_sheet_is_its_farthest_cell(path, part, monkeypatch):
    monkeypatch.setattr(readers, "MAX_CELLS", 1)  # every extent exact
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        xml = archive.read(part)
    assert readers._extent(xml) == _farthest_cell(xml)


def test_a_lowered_inflation_limit_refuses_an_archive_larger_than_it(monkeypatch):
    data = (CORPUS / "rumus_dan_galat.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = sum(member.file_size for member in archive.infolist())
    for limit in (1, 2000, 5000, size - 1, size, 1 << 20):
        monkeypatch.setattr(readers, "MAX_UNCOMPRESSED_BYTES", limit)
        problem, errors = _checks(".xlsx", data)
        if size > limit:
            assert problem.startswith("Isi berkas terlalu besar setelah dibuka")
            assert f"batas {readers._mb(limit)}" in problem
        else:
            assert problem is None and errors == _error_cells_by_parser(data), limit


# ---- generated sheets: references in any order, any whitespace, any length --------------------------

LETTERS = st.sampled_from(["", "A", "I", "J", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD", "ZZZ", "AAAA", "a"]) | \
    st.text(alphabet="ABIZ", min_size=1, max_size=4)
DIGITS = st.sampled_from(["", "1", "9", "10", "99", "100", "9999", "10000", "99999", "100000", "180916",
                          "999999", "1000000", "1048576", "9999999", "10000000", "0000001", "0999999", "00"]) | \
    st.text(alphabet="0159", min_size=1, max_size=8)
SEPARATOR = st.sampled_from([" ", " ", " ", "\t", "\n", "\r", "\r\n", "\x0c", "  ", ":", ""])


@st.composite
def pieces(draw) -> str:
    """One piece of worksheet XML holding an r attribute or text that looks like one."""
    ref = draw(LETTERS) + draw(DIGITS) + ('"' if draw(st.integers(0, 9)) else "")  # sometimes unclosed
    separator = draw(SEPARATOR)
    kind = draw(st.sampled_from(["number", "error", "error_formula", "error_empty_formula", "inline", "text",
                                 "namespaced", "type_first", "row"]))
    code = draw(st.sampled_from(["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "&amp;#N/A"]))
    if kind == "number":
        return f'<c{separator}r="{ref} s="1"><v>1</v></c>'
    if kind == "error":
        return f'<c{separator}r="{ref} t="e"><v>{code}</v></c>'
    if kind == "error_formula":
        return f'<c{separator}r="{ref}\tt="e"><f>VLOOKUP(A1,B:C,2,0)</f><v>{code}</v></c>'
    if kind == "error_empty_formula":
        return f'<c{separator}r="{ref} t="e"><f t="shared" si="0"/><v>{code}</v></c>'
    if kind == "inline":
        return f'<c r="A1" t="inlineStr"><is><t>catatan{separator}r="{ref} t="e"</t></is></c>'
    if kind == "text":
        return f'<c{separator}r="{ref} t="s"><v>0</v></c>'
    if kind == "namespaced":
        return f'<x:c{separator}r="{ref} t="e"><x:v>{code}</x:v></x:c>'
    if kind == "type_first":
        return f'<c t="e"{separator}r="{ref}><v>{code}</v></c>'
    return f'<row{separator}r="{draw(DIGITS)}">'


@st.composite
def sheets(draw) -> bytes:
    """A worksheet, well-formed or not: a run of rows in order (the usual case), then pieces in any order
    around it."""
    rows = draw(st.integers(0, 40))
    width = draw(st.sampled_from(["A", "I", "Z", "AB", "ZZ"]))
    start = draw(st.integers(1, 1_100_000))
    ordered = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="{width}{r}"><v>2</v></c></row>'
                      for r in range(start, start + rows))
    before = "".join(draw(st.lists(pieces(), max_size=6)))
    after = "".join(draw(st.lists(pieces(), max_size=6)))
    tail = draw(st.sampled_from(["", '<mergeCells count="1"><mergeCell ref="A1:I1"/></mergeCells>',
                                 '<hyperlinks><hyperlink ref="B2" r:id="rId1"/></hyperlinks>' * 50]))
    padding = '<c r="B7"><v>1</v></c>' * draw(st.sampled_from([0, 1_000]))  # the pieces before: out of the tail
    return (f'<?xml version="1.0"?>\r\n<worksheet><sheetData>{before}{padding}{ordered}{after}</sheetData>'
            f'{tail}</worksheet>').encode()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xml=sheets())
def test_a_generated_sheet_has_the_extent_of_reading_every_reference(xml):
    """Under every limit, and with the first guess taken from a tail of any size (none: the search alone
    finds everything), the extent is the one every reference gives."""
    saved = readers.MAX_CELLS, readers._TAIL_BYTES
    try:
        for tail in (0, 40, saved[1]):
            readers._TAIL_BYTES = tail
            for limit in CELL_LIMITS:
                readers.MAX_CELLS = limit
                assert readers._extent(xml) == _extent_by_definition(xml), (tail, limit)
    finally:
        readers.MAX_CELLS, readers._TAIL_BYTES = saved


def test_a_forged_sheet_with_many_raises_after_its_farthest_row_is_refused():
    """The farthest row (999,999) first, then more column raises than the search rounds allow, then
    padding and a nearer row last (the tail's first guess): 71 x 999,999 cells must be refused."""
    raises = "".join(f'<c r="{_column(i)}1"><v>1</v></c>' for i in range(1, readers._SEARCH_ROUNDS + 7))
    padding = '<c r="A2"><v>1</v></c>' * (readers._TAIL_BYTES // 20)
    xml = (f'<worksheet><sheetData><c r="A999999"><v>1</v></c>{raises}{padding}<c r="A100000"><v>1</v></c>'
           '</sheetData></worksheet>').encode()
    assert _extent_by_definition(xml) == _farthest_cell(xml) == (readers._SEARCH_ROUNDS + 7, 999_999)
    assert readers._extent(xml) == _farthest_cell(xml)


def test_many_out_of_order_rows_are_all_read():
    """More raises than the search rounds allow (rows written backwards, columns growing): the check
    falls back to reading every reference and still finds the farthest cell wherever it is."""
    saved = readers.MAX_CELLS, readers._TAIL_BYTES
    pieces = [f'<c r="{_column(i)}{2000 - i}"><v>1</v></c>' for i in range(300)] + ['<c r="A1"><v>1</v></c>']
    pieces.insert(150, '<c r="C1048576"><v>1</v></c>')
    xml = ("<worksheet><sheetData>" + "".join(pieces) + "</sheetData></worksheet>").encode()
    try:
        assert len(xml) < readers._TAIL_BYTES  # the tail guess sees every reference: no search round
        assert readers._extent(xml) == _extent_by_definition(xml)
        readers._TAIL_BYTES = 0  # no guess: every column is a raise, more than the rounds allow
        for limit in CELL_LIMITS:
            readers.MAX_CELLS = limit
            assert readers._extent(xml) == _extent_by_definition(xml), limit
        readers.MAX_CELLS = 1_000
        assert readers._extent(xml) == (300, 1_048_576) == _farthest_cell(xml)
    finally:
        readers.MAX_CELLS, readers._TAIL_BYTES = saved


def _column(index: int) -> str:
    """Excel's letters of a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# ---- generated archives: targets, duplicates, lying sizes ----------------------------------------------

CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
NAMESPACES = 'xmlns:x="urn:x" xmlns:r="urn:r"'


def _book(sheet_list: list[tuple[str, str, str]], id_first: bool, prefix: str) -> tuple[bytes, bytes]:
    """workbook.xml and its relationships for (name, rId, target) triples."""
    tags = []
    for name, rid, _ in sheet_list:
        attributes = [f'name="{name}"', 'sheetId="1"', f'r:id="{rid}"']
        if id_first:
            attributes.reverse()
        tags.append(f'<{prefix}sheet ' + " ".join(attributes) + "/>")
    sheets_xml = f'<{prefix}sheets>{"".join(tags)}</{prefix}sheets>'
    book = f'<{prefix}workbook {NAMESPACES}>{sheets_xml}</{prefix}workbook>'.encode()
    relations = "".join(f'<Relationship Id="{rid}" Type="worksheet" Target="{target}"/>' if i % 2 == 0 else
                        f'<Relationship Target="{target}" Type="worksheet" Id="{rid}"/>'
                        for i, (_, rid, target) in enumerate(sheet_list))
    return book, f"<Relationships>{relations}</Relationships>".encode()


@st.composite
def well_formed_sheets(draw) -> bytes:
    """A worksheet an XML parser reads: cells of every kind the error check looks for (an error, with a
    formula, with a shared formula), others that only look like one, separators of any whitespace, rows in
    any order, some far away."""
    cells = []
    for _ in range(draw(st.integers(0, 12))):
        ref = draw(st.sampled_from(["A", "I", "Z", "AA", "XFD", "ZZZ"])) + str(draw(st.integers(1, 1_100_000)))
        separator = draw(st.sampled_from([" ", "\t", "\n", "\r\n", "  "]))
        code = draw(st.sampled_from(["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "&amp;#N/A"]))
        cells.append(draw(st.sampled_from([
            f'<c{separator}r="{ref}" s="1"><v>1</v></c>', f'<c{separator}r="{ref}" t="e"><v>{code}</v></c>',
            f'<c{separator}r="{ref}" t="e"><f>VLOOKUP(A1,B:C,2,0)</f><v>{code}</v></c>',
            f'<c{separator}r="{ref}"{separator}t="e"><f t="shared" si="0"/><v>{code}</v></c>',
            f'<c r="{ref}" t="inlineStr"><is><t>catatan r="B2" t="e"</t></is></c>', f'<c r="{ref}" t="s"><v>0</v></c>',
        ])))
    rows = "".join(f"<row>{cell}</row>" for cell in cells)
    return f'<?xml version="1.0"?>\r\n<worksheet><sheetData>{rows}</sheetData></worksheet>'.encode()


@st.composite
def archives(draw) -> bytes:
    count = draw(st.integers(1, 4))
    parts = draw(st.lists(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                                           "xl/worksheets/sub/lembar.xml", "xl/chartsheets/sheet1.xml",
                                           "xl/lembar_lain.xml", "xl/worksheets/sheet3.XML"]),
                          min_size=count, max_size=count))
    styles = ["worksheets/sheet9.xml", "/{part}", "{part}", "{short}"]
    sheet_list = []
    for i, part in enumerate(parts):
        style = draw(st.sampled_from(styles))
        target = style.format(part=part, short=part.removeprefix("xl/"))
        name = draw(st.sampled_from(["Data", "Rekap &amp; Jumlah", "Lembar\u00a0", "S"])) + str(i)
        sheet_list.append((name, f"rId{i + 1}", target))
    book, relations = _book(sheet_list, draw(st.booleans()), draw(st.sampled_from(["", "x:"])))
    members = [("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", book),
               ("xl/_rels/workbook.xml.rels", relations)]
    for part in parts:
        members.append((part, draw(well_formed_sheets())))
    if draw(st.booleans()):  # a name listed twice: zipfile reads the last entry by that name
        members.append((parts[0], draw(well_formed_sheets())))
    order = draw(st.permutations(range(len(members))))
    return _zip([members[i] for i in order], draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])))


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # archives with a name twice, on purpose
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=archives())
def test_a_generated_archive_is_refused_for_size_exactly_when_a_sheet_passes_the_limit(data):
    """Sheets found through relative, absolute and unusual targets, names with entities, workbook tags with
    a prefix or the id first, a part listed twice: refused exactly for the first sheet too wide, else the
    error cells are those the XML parser finds (also in parts outside xl/worksheets/)."""
    saved = readers.MAX_CELLS
    try:
        for limit in CELL_LIMITS:
            readers.MAX_CELLS = limit
            expected = _size_refusal(data)
            for suffix in (".xlsx", ".ods"):
                problem, errors = _checks(suffix, data)
                if expected is None:
                    assert problem is None and errors == _error_cells_by_parser(data), (limit, suffix)
                else:
                    assert problem.startswith("Lembar terlalu luas: ") and expected in problem, (limit, problem)
    finally:
        readers.MAX_CELLS = saved


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with `name`'s uncompressed size rewritten to `size` in both of its headers."""
    raw = bytearray(data)
    encoded = name.encode()
    central = raw.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", raw, central + 28)[0]
        if bytes(raw[central + 46:central + 46 + name_length]) == encoded:
            struct.pack_into("<I", raw, central + 24, size)
            local = struct.unpack_from("<I", raw, central + 42)[0]
            struct.pack_into("<I", raw, local + 22, size)
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


@pytest.mark.parametrize("size", [0, 100, 5_000, 10**6])
def test_a_member_lying_about_its_size_is_refused(size):
    """Claiming less than it holds fails the CRC check (damaged); claiming more inflates what it holds, and
    that is judged as usual (here a cell at XFD1048576: too wide)."""
    errors = b"".join(b'<row r="%d"><c r="A%d" t="e"><v>#N/A</v></c></row>' % (i, i) for i in range(1, 400))
    sheet = b'<worksheet><sheetData>' + errors + b'<c r="XFD1048576"/></sheetData></worksheet>'
    book, relations = _book([("Data", "rId1", "worksheets/sheet1.xml")], False, "")
    honest = _zip([("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", book),
                   ("xl/_rels/workbook.xml.rels", relations), ("xl/worksheets/sheet1.xml", sheet)])
    lying = _lie_about_size(honest, "xl/worksheets/sheet1.xml", size)
    assert lying != honest
    problem, _ = _checks(".xlsx", lying)
    if size < len(sheet):
        assert problem == "Berkas Excel terpotong atau rusak (arsip ZIP tidak lengkap)."
    else:
        assert problem == _checks(".xlsx", honest)[0] and _too_wide(16_384, 1_048_576) in problem
