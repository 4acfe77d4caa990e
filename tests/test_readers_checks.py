"""The upload safety checks of analysis/readers.py, now one bounded inflation per workbook, decide exactly
as the former three checks did (tests/_former_readers.py): the same refusal message (zip bomb, damaged
archive, sheet too wide, with the same figures), the same farthest-cell extents and the same error cells,
on the bad-input corpus, on the demo workbooks and on generated adversarial sheets and archives."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import readers
from tests import _former_readers as former

ROOT = Path(__file__).resolve().parent.parent
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


def _former_extent(xml: bytes) -> tuple[int, int] | None:
    try:
        return former._extent(xml)
    except ValueError:  # no reference where an exact value was needed: the former check gave up
        return None


def _worksheets(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(n) for n in archive.namelist() if readers._is_worksheet_part(n)]


def _assert_same(suffix: str, data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same decision under every limit of CELL_LIMITS; the real limit is back afterwards."""
    real = readers.MAX_CELLS
    for limit in CELL_LIMITS:
        monkeypatch.setattr(readers, "MAX_CELLS", limit)
        assert _checks(suffix, data) == former.checks(suffix, data), limit
    monkeypatch.setattr(readers, "MAX_CELLS", real)


def _zip(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in readers.SUPPORTED_SUFFIXES)
DEMO_FILES = sorted(p for p in DEMO.rglob("*") if p.suffix.lower() in readers.EXCEL_SUFFIXES)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_the_corpus_gets_the_former_decision(path, monkeypatch):
    data = path.read_bytes()
    _assert_same(path.suffix.lower(), data, monkeypatch)
    for suffix in (".xlsx", ".xls", ".ods"):  # the same bytes under another name take other paths
        assert _checks(suffix, data) == former.checks(suffix, data)


def test_the_corpus_refusals_keep_their_messages():
    """The former messages, word for word, for the files the archive checks refuse."""
    for name, phrase in {"bom_zip.xlsx": "kali lipat", "bom_zip_ukuran_palsu.xlsx": "terpotong atau rusak",
                         "terpotong.xlsx": "terpotong atau rusak",
                         "sel_jauh.xlsx": "baris 1.048.576 kolom 16.384 (17.179.869.184 sel; batas 20.000.000)"}.items():
        problem, _ = _checks(".xlsx", (CORPUS / name).read_bytes())
        assert phrase in problem, name
    problem, errors = _checks(".xlsx", (CORPUS / "rumus_dan_galat.xlsx").read_bytes())
    assert problem is None and errors == former.checks(".xlsx", (CORPUS / "rumus_dan_galat.xlsx").read_bytes())[1]
    assert {code for cells in errors.values() for _, _, code in cells} >= {"#N/A", "#REF!", "#DIV/0!"}


def test_the_lowered_inflation_limit_gives_the_former_message(monkeypatch):
    data = (CORPUS / "rumus_dan_galat.xlsx").read_bytes()
    for limit in (1, 2000, 5000, 1 << 20):
        monkeypatch.setattr(readers, "MAX_UNCOMPRESSED_BYTES", limit)
        assert _checks(".xlsx", data) == former.checks(".xlsx", data), limit


@pytest.mark.skipif(not DEMO_FILES, reason="no demo workbooks")
@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
def test_the_demo_workbooks_get_the_former_decision_and_extents(path, monkeypatch):
    data = path.read_bytes()
    _assert_same(path.suffix.lower(), data, monkeypatch)
    for limit in CELL_LIMITS:
        monkeypatch.setattr(readers, "MAX_CELLS", limit)
        for xml in _worksheets(data):
            assert readers._extent(xml) == _former_extent(xml), limit


# ---- generated sheets: references in any order, any whitespace, any length --------------------------

LETTERS = st.sampled_from(["", "A", "I", "J", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD", "ZZZ", "AAAA", "a"]) | \
    st.text(alphabet="ABIZ", min_size=1, max_size=4)
DIGITS = st.sampled_from(["", "1", "9", "10", "99", "100", "9999", "10000", "99999", "100000", "180916",
                          "999999", "1000000", "1048576", "9999999", "10000000", "0000001", "0999999", "00"]) | \
    st.text(alphabet="0159", min_size=1, max_size=8)
SEPARATOR = st.sampled_from([" ", " ", " ", "\t", "\n", "\r", "\r\n", "\x0c", "  ", ":", ""])


@st.composite
def cells(draw) -> str:
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
    """A worksheet: a run of rows in order (the usual case), then pieces in any order around it."""
    rows = draw(st.integers(0, 40))
    width = draw(st.sampled_from(["A", "I", "Z", "AB", "ZZ"]))
    start = draw(st.integers(1, 1_100_000))
    ordered = "".join(f'<row r="{start + i}"><c r="A{start + i}"><v>1</v></c><c r="{width}{start + i}"><v>2</v></c></row>'
                      for i in range(rows))
    before = "".join(draw(st.lists(cells(), max_size=6)))
    after = "".join(draw(st.lists(cells(), max_size=6)))
    tail = draw(st.sampled_from(["", '<mergeCells count="1"><mergeCell ref="A1:I1"/></mergeCells>',
                                 '<hyperlinks><hyperlink ref="B2" r:id="rId1"/></hyperlinks>' * 50]))
    padding = '<c r="B7"><v>1</v></c>' * draw(st.sampled_from([0, 1_000]))  # the pieces before: out of the tail
    return (f'<?xml version="1.0"?>\r\n<worksheet><sheetData>{before}{padding}{ordered}{after}</sheetData>'
            f'{tail}</worksheet>').encode()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xml=sheets())
def test_a_generated_sheet_has_the_former_extent(xml):
    """Under every limit, and with the first guess taken from a tail of any size (none: the search
    alone finds everything), the extent is the former one."""
    saved = readers.MAX_CELLS, readers._TAIL_BYTES
    try:
        for tail in (0, 40, saved[1]):
            readers._TAIL_BYTES = tail
            for limit in CELL_LIMITS:
                readers.MAX_CELLS = limit
                assert readers._extent(xml) == _former_extent(xml), (tail, limit)
    finally:
        readers.MAX_CELLS, readers._TAIL_BYTES = saved


def test_many_out_of_order_rows_are_all_read():
    """More raises than the search rounds allow (rows written backwards, columns growing): the check
    falls back to reading every reference and still finds the farthest cell wherever it is."""
    tail_bytes = readers._TAIL_BYTES
    pieces = [f'<c r="{_column(i)}{2000 - i}"><v>1</v></c>' for i in range(300)] + ['<c r="A1"><v>1</v></c>']
    pieces.insert(150, '<c r="C1048576"><v>1</v></c>')
    xml = ("<worksheet><sheetData>" + "".join(pieces) + "</sheetData></worksheet>").encode()
    saved = readers.MAX_CELLS
    try:
        assert len(xml) < readers._TAIL_BYTES  # the tail guess sees every reference: no search round
        assert readers._extent(xml) == _former_extent(xml)
        readers._TAIL_BYTES = 0  # no guess: every column is a raise, more than the rounds allow
        for limit in CELL_LIMITS:
            readers.MAX_CELLS = limit
            assert readers._extent(xml) == _former_extent(xml), limit
        readers.MAX_CELLS = 1_000
        assert readers._extent(xml) == (300, 1_048_576)
    finally:
        readers.MAX_CELLS = saved
        readers._TAIL_BYTES = tail_bytes


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


def _book(sheet_list: list[tuple[str, str, str]], id_first: bool, prefix: str) -> tuple[bytes, bytes]:
    """workbook.xml and its relationships for (name, rId, target) triples."""
    tags = []
    for name, rid, _ in sheet_list:
        attributes = [f'name="{name}"', 'sheetId="1"', f'r:id="{rid}"']
        if id_first:
            attributes.reverse()
        tags.append(f'<{prefix}sheet ' + " ".join(attributes) + "/>")
    book = f'<{prefix}workbook><{prefix}sheets>{"".join(tags)}</{prefix}sheets></{prefix}workbook>'.encode()
    relations = "".join(f'<Relationship Id="{rid}" Type="worksheet" Target="{target}"/>' if i % 2 == 0 else
                        f'<Relationship Target="{target}" Type="worksheet" Id="{rid}"/>'
                        for i, (_, rid, target) in enumerate(sheet_list))
    return book, f"<Relationships>{relations}</Relationships>".encode()


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
        name = draw(st.sampled_from(["Data", "Rekap &amp; Jumlah", "Lembar\u00a01", f"S{i}"]))
        sheet_list.append((name, f"rId{i + 1}", target))
    book, relations = _book(sheet_list, draw(st.booleans()), draw(st.sampled_from(["", "x:"])))
    members = [("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", book),
               ("xl/_rels/workbook.xml.rels", relations)]
    for part in parts:
        members.append((part, draw(sheets())))
    if draw(st.booleans()):  # a name listed twice: zipfile reads the last entry by that name
        members.append((parts[0], draw(sheets())))
    order = draw(st.permutations(range(len(members))))
    return _zip([members[i] for i in order], draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])))


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")  # archives with a name twice, on purpose
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=archives())
def test_a_generated_archive_gets_the_former_decision(data):
    saved = readers.MAX_CELLS
    try:
        for limit in CELL_LIMITS:
            readers.MAX_CELLS = limit
            for suffix in (".xlsx", ".ods"):
                assert _checks(suffix, data) == former.checks(suffix, data), limit
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
def test_a_member_lying_about_its_size_gets_the_former_decision(size, monkeypatch):
    """Claiming less than it holds fails the CRC check (damaged); claiming more inflates what it holds."""
    sheet = (b'<worksheet><sheetData>' + b''.join(b'<row r="%d"><c r="A%d" t="e"><v>#N/A</v></c></row>' % (i, i)
                                                   for i in range(1, 400)) + b'<c r="XFD1048576"/></sheetData></worksheet>')
    book, relations = _book([("Data", "rId1", "worksheets/sheet1.xml")], False, "")
    honest = _zip([("[Content_Types].xml", CONTENT_TYPES), ("xl/workbook.xml", book),
                   ("xl/_rels/workbook.xml.rels", relations), ("xl/worksheets/sheet1.xml", sheet)])
    lying = _lie_about_size(honest, "xl/worksheets/sheet1.xml", size)
    assert lying != honest
    _assert_same(".xlsx", lying, monkeypatch)
    problem, _ = _checks(".xlsx", lying)
    assert problem is not None and ("terpotong atau rusak" in problem or "terlalu luas" in problem)
