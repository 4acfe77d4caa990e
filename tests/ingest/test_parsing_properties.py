"""Properties of the ingest's cell and column parsing (analysis/ingest/columns.py, cleaning.parse_values,
rows.py), stated directly: distinct cells are told apart by (type, value), each distinct cell is parsed
once and every cell gets exactly what the parser gives it alone, and every row of a generated sheet is
accounted for once, its kept values being the parser's values of its own cells. (What the committed demo
files ingest to is pinned by tests/golden; speed is measured by `python -m bench`.)"""
from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.core import reference as ref
from analysis.ingest import cleaning, columns, rows
from analysis.ingest import layout as lay
from analysis.ingest.readers import RawSheet
from analysis.ingest.sheet import Sheet, SheetReport

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHEETS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=24)
NUMBER_TEXT = st.one_of(
    DIGITS, st.builds(lambda a, b: f"{a},{b}", DIGITS, DIGITS), st.builds(lambda a, b: f"{a}.{b}", DIGITS, DIGITS),
    st.sampled_from(["4849000", "270,1", "0", "00", "007", "1", "12", "123", "2,500", "1.250", "1e5", "٣", "²",
                     "１２", "100000000000000", "100000000000001", "99999999999999999999", "123456789012345678901"]),
)
PHONE_TEXT = st.one_of(
    st.text(alphabet="0123456789-+", min_size=1, max_size=16),
    st.sampled_from(["081157000463", "0811-5700-0463", "+6281234567890", "6285148835617", "+62-812-3456-789", "-0812",
                     "0812-", "+-0812", "62", "0721123456", "8123456789", "+0812345678", "0812 3456 789"]),
)
WORDS = ["No", "Nama Usaha", "Jumlah", "JUMLAH", "Total Jaya", "Sub Total", "Mengetahui", "Camat Natar",
         "Siti Aminah", "Keripik Pisang", "Natar", "Kalianda", "Jati Agung", "Rp 2.500.000", "Rp 2.500.000,-",
         "2,5 jt/bln", "-", " ", "", "Émile", "ｎａｍａ", "Jan", "Januari", "Jan-17", "Januari 2017", "Februari 2017",
         "2017-03", "Bulan Maret", "periode jan", "Catatan: revisi", "Keterangan :", "nihil", "ya", "Tidak", "L", "P",
         "Kuliner", "Batik Tulis"]
CELL = st.one_of(
    st.sampled_from(WORDS), NUMBER_TEXT, st.text(max_size=10), st.none(), st.just(np.nan), st.booleans(),
    st.integers(-5, 40), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.0, 2500000.0, 1e15]),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)),
)
TEXT_CELL = st.one_of(st.text(max_size=4), st.sampled_from(WORDS), NUMBER_TEXT, st.none(), st.just(np.nan),
                      st.just(pd.NA), st.just("\ud800"), st.just("a\x00b"), st.just(b"Natar"))


def _array(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _missing(cell: object) -> bool:
    return cell is None or cell is pd.NA or (isinstance(cell, float) and math.isnan(cell))


def _same_cell(a: object, b: object) -> bool:
    """The same type and value (NaN the same as NaN)."""
    return type(a) is type(b) and (a == b or (a != a and b != b))


# ------------------------------------------------------------------------------------ cell by cell


def _assert_factorized(cells: list) -> None:
    codes, uniques = columns.factorize(_array(cells))
    assert len(codes) == len(cells) and np.issubdtype(codes.dtype, np.integer)
    for i, cell in enumerate(cells):
        if _missing(cell):
            assert codes[i] == -1, cell
        else:
            assert 0 <= codes[i] < len(uniques) and _same_cell(uniques[codes[i]], cell), (cell, uniques[codes[i]])
    assert sorted(set(codes[codes >= 0].tolist())) == list(range(len(uniques)))  # every code used
    present = [(i, c) for i, c in enumerate(cells) if not _missing(c)]
    for i, a in present:
        for j, b in present:
            assert (codes[i] == codes[j]) == _same_cell(a, b), (a, b)


@FAST
@given(cells=st.lists(CELL, max_size=40), pick=st.lists(st.integers(0, 39), max_size=40))
@example(cells=[1, 1.0, True, "1", None, np.nan], pick=[5, 4, 3, 2, 1, 0])
@example(cells=["a", 2.5, "-", 2.5, None], pick=[])
@example(cells=[np.nan, None], pick=[])
@example(cells=[0.0, -0.0, 0, False], pick=[])
def test_factorize_gives_equal_codes_exactly_to_equal_type_and_value(cells, pick):
    """Missing cells (None, NaN) get -1; 1, 1.0 and True (equal in Python, not in a cell) get three codes."""
    _assert_factorized(cells + [cells[i] for i in pick if i < len(cells)])


@FAST
@given(first=st.text(max_size=4) | st.sampled_from(WORDS), cells=st.lists(TEXT_CELL, max_size=40))
@example(first="Natar", cells=[b"Natar", None, np.nan, pd.NA, "Natar"])
@example(first="a", cells=["\ud800", "a"])
def test_factorize_of_text_columns_gives_equal_codes_exactly_to_equal_type_and_value(first, cells):
    """Text columns (with missing cells, and the odd non-text cell) go through Arrow's dictionary encoding."""
    _assert_factorized([first] + cells)


@FAST
@given(rows=st.lists(st.lists(CELL, max_size=6), max_size=8), rectangular=st.booleans())
def test_grid_holds_every_cell_and_pads_short_rows_with_none(rows, rectangular):
    if rectangular and rows:
        width = len(rows[0])
        rows = [(row + [None] * width)[:width] for row in rows]
    grid = columns.grid(rows)
    width = max(map(len, rows), default=0)
    assert grid.dtype == object and grid.shape == (len(rows), width)
    for row, cells in zip(grid, rows):
        assert all(row[j] is cells[j] for j in range(len(cells))) and all(v is None for v in row[len(cells):])


@FAST
@given(codes=st.lists(st.integers(-1, 30), max_size=60) | st.lists(st.integers(-10**12, 10**12), max_size=20))
def test_first_and_inverse_as_np_unique(codes):
    codes = np.array(codes, dtype=np.int64)
    first_at, inverse = cleaning._first_and_inverse(codes)
    _, expected_first, expected_inverse = np.unique(codes, return_index=True, return_inverse=True)
    assert np.array_equal(first_at, expected_first)
    assert np.array_equal(inverse, np.asarray(expected_inverse).reshape(-1))


PARSERS = [cleaning.parse_rupiah, cleaning.parse_number, cleaning.parse_int, cleaning.parse_nik, cleaning.parse_phone,
           cleaning.parse_month, cleaning.is_blank, columns.clean_text, cleaning.name_key]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@FAST
@given(cells=st.lists(st.one_of(CELL, NUMBER_TEXT, PHONE_TEXT), max_size=30), with_codes=st.booleans(),
       with_memo=st.booleans())
@example(cells=["4849000", "270,1", "4849000", 4849000.0, "99999999999999999999", "100000000000001"], with_codes=True,
         with_memo=True)
@example(cells=[1, 1.0, True, "1"], with_codes=False, with_memo=False)
def test_parse_values_gives_each_cell_what_the_parser_gives_it(parser, cells, with_codes, with_memo):
    """Parsed once per distinct cell (with the caller's codes and memo or without), every cell still gets
    the parser's own value (of the same type), fix and error, on the series' index."""
    series = pd.Series(cells, index=pd.RangeIndex(7, 7 + 2 * len(cells), 2), dtype=object)
    codes = cleaning.unique_codes(series, series.to_numpy(dtype=object)) if with_codes else None
    memo: dict | None = {} if with_memo else None
    for _ in range(2 if with_memo else 1):  # the second time from the memo
        values, fixes, errors = cleaning.parse_values(series, parser, codes, memo)
        assert values.index.equals(series.index) and fixes.index.equals(series.index)
        for cell, value, fix, error in zip(cells, values, fixes, errors):
            expected = parser(cell)
            if isinstance(expected, cleaning.Parsed):
                expected_value, expected_fix, expected_error = expected.value, expected.fix, expected.error
            else:
                expected_value, expected_fix, expected_error = expected, None, None
            assert _same_cell(value, expected_value) or (value is None and expected_value is None), (cell, value)
            assert (pd.isna(fix) and expected_fix is None) or fix == expected_fix
            assert (pd.isna(error) and expected_error is None) or error == expected_error


@FAST
@given(cells=st.lists(st.one_of(NUMBER_TEXT, CELL, st.integers(-10**20, 10**20), st.floats(0, 2e14)), max_size=30))
def test_plain_amounts_are_the_parsers_values(cells):
    """Number cells and digit text that skip parse_rupiah / parse_number get exactly the parser's value (a
    float, -0.0 as 0.0), with no fix and no error."""
    for parser in (cleaning.parse_rupiah, cleaning.parse_number):
        for cell, fast in zip(cells, cleaning._plain_amounts(parser, _array(cells))):
            if fast is not None:
                parsed = parser(cell)
                assert (parsed.value, parsed.fix, parsed.error) == (fast, None, None)
                assert type(parsed.value) is type(fast) and str(parsed.value) == str(fast)


@FAST
@given(values=st.lists(CELL, max_size=30))
def test_text_column_is_the_cleaned_text_of_each_cell(values):
    """A blank cell is missing; any other is its text, spaces collapsed and stripped (None when nothing is
    left), always a str."""
    found = cleaning.parse_values(pd.Series(values, dtype=object), columns.clean_text)[0]
    for cell, text in zip(values, found):
        expected = None if cleaning.is_blank(cell) else re.sub(r"\s+", " ", lay._cell_text(cell)).strip() or None
        assert text == expected and (text is None or isinstance(text, str))


@FAST
@given(value=st.one_of(CELL, st.text()))
def test_memoised_text_helpers_give_the_uncached_answers(value):
    assert cleaning.name_key(value) == cleaning._name_key(value)
    assert cleaning.name_key(value) == cleaning.name_key(value)  # second call from the memo
    assert lay.field_of(value) == lay._field_of(value)
    assert lay._month_of(value) == lay._month_of_value(value)


PRODUCTS = ["Keripik Pisang", "Batik Tulis", "Kopi Bubuk", "Warung Kelontong", "xyz", None, np.nan, "", "Sablon Kaos"]
KATEGORI = ["Kuliner", "Fesyen", "Lainnya", "kerajinan", None, np.nan, "", "?", 5]


@FAST
@given(pairs=st.lists(st.tuples(st.sampled_from(PRODUCTS) | st.text(max_size=8), st.sampled_from(KATEGORI)),
                     max_size=25))
def test_kategori_is_the_written_one_else_the_products(pairs):
    """Decided once per distinct (product, written kategori) pair, every row gets the rule's answer: a
    canonical kategori written in the sheet wins, otherwise the product's keywords decide (Lainnya when
    they name none)."""
    index = pd.Index(range(3, 3 + len(pairs)))
    produk = pd.Series([p for p, _ in pairs], index=index, dtype=object)
    written = pd.Series([k for _, k in pairs], index=index, dtype=object)
    found = rows._kategori(produk, written)
    assert found.index.equals(index)
    for (product, kategori), got in zip(pairs, found):
        stated = None if _missing(kategori) else cleaning.classify_kategori(kategori).value
        from_product = None if _missing(product) else cleaning.classify_kategori(product).value
        expected = stated if stated not in (None, ref.KATEGORI_LAINNYA) else from_product or ref.KATEGORI_LAINNYA
        assert got == expected and got in ref.KATEGORI


# ------------------------------------------------------------------------------------ whole sheets

KECAMATAN = ["Natar", "natar", "Kec. Kalianda", "Jati Agung", "Jatiagung", "Antah Berantah", "", None, "-"]
AMOUNTS = st.one_of(st.sampled_from(["Rp 2.500.000,-", "2,5 jt", "4849000", "-", "", "nihil", "abc", "1.2.3", "-500",
                                     "99999999999999999999", 3500000.0, 0.0, -1.0, np.nan, None, True]),
                    st.integers(0, 10**9), st.floats(0, 1e15), DIGITS)
NAMES = st.one_of(st.sampled_from(["Siti Aminah", "Kopi Darto", "UD. Maju", "JUMLAH", "Total Jaya", "", None, " ",
                                   "Mengetahui"]), st.text(alphabet="abcdefgh ", max_size=10))
IDS = st.one_of(st.sampled_from(["1801055911700826", "1801.0559.1170.0826", "1.80101E+15", "", None, "081157000463",
                                 "0811-5700-0463", "+62 812 3456 789", "0812 / 0813 4455 6677", "abc"]),
                st.integers(10**9, 10**16).map(float), DIGITS, PHONE_TEXT)
MONTHS = st.sampled_from(["Januari 2017", "Jan-17", "Februari", "2017-03", "", None, "Maret", 42736.0, 3.0, "13/2017",
                          "3"])
MATCHER = cleaning.KecamatanMatcher()


def _parsed(rows_of_sheet: list[list[object]], kind: str, parse, title: list[object] | None = None):
    """A generated sheet (header first) parsed by ``parse``: (what it gave, the Sheet, its raw rows)."""
    grid = ([title] if title else []) + rows_of_sheet
    raw = RawSheet(path="Data UMKM Natar.xlsx", sheet="Lembar1", rows=[list(r) for r in grid])
    layout = lay.detect(raw, forced_kind=kind)
    sheet = Sheet(RawSheet(path=raw.path, sheet=raw.sheet, rows=[list(r) for r in grid]), layout,
                  SheetReport(path=raw.path, sheet=raw.sheet, kind=layout.kind), raw.path)
    return parse(sheet), sheet, grid


def _assert_every_row_once(frame: pd.DataFrame, sheet: Sheet, one_record_per_row: bool = True) -> None:
    """rows_read = kept + merged + rejected + skipped; each skipped or rejected row listed once, never also
    kept; a kept row gives one record (one per month with a value on a wide sheet)."""
    report = sheet.report
    assert report.balanced(), report
    dropped = [o["baris"] for o in sheet.outcomes]
    assert len(dropped) == len(set(dropped)) == report.rows_rejected + report.rows_skipped
    kept = frame["sumber_baris"].tolist() if len(frame) else []
    assert not set(kept) & set(dropped)
    if one_record_per_row:
        assert len(kept) == len(set(kept)) == report.rows_kept
    else:
        assert len(set(kept)) == report.rows_kept
    first = sheet.layout.data_start + 1
    assert all(first <= row <= len(sheet.raw.rows) for row in kept + dropped)


def _cell(grid, excel_row: int, col: int) -> object:
    row = grid[excel_row - 1]
    return row[col] if col < len(row) else None


def _assert_parsed_from_own_cells(frame, sheet, grid, field: str, column: str, parser) -> None:
    col = sheet.layout.columns[field]
    for excel_row, value in zip(frame["sumber_baris"], frame[column]):
        expected = parser(_cell(grid, excel_row, col))
        expected = expected.value if isinstance(expected, cleaning.Parsed) else expected
        assert (_missing(value) and expected is None) or value == expected, (excel_row, column, value, expected)


@SHEETS
@given(body=st.lists(st.tuples(NAMES, NAMES, IDS, IDS, st.sampled_from(KECAMATAN), st.sampled_from(PRODUCTS),
                               st.sampled_from(KATEGORI), AMOUNTS,
                               st.sampled_from(["Jl. Natar 5", "Desa Kalianda", None])), max_size=20),
       with_kecamatan=st.booleans())
@example(body=[("Siti Aminah", "Siti Aminah", "1801055911700826", "20000", "Kec. Kalianda", "Keripik Pisang", "Kuliner",
                "Rp 2.500.000,-", "Jl. Natar 5")], with_kecamatan=False)  # one data row, read as the header's second row
def test_a_producer_sheet_accounts_for_every_row_and_keeps_its_own_cells(body, with_kecamatan):
    header = ["Nama Usaha", "Nama Pemilik", "NIK", "No. HP", "Kecamatan" if with_kecamatan else "Catatan",
              "Jenis Produk", "Kategori", "Omzet per Bulan", "Alamat"]
    frame, sheet, grid = _parsed([header] + [list(r) for r in body], lay.KIND_PRODUCERS,
                                 lambda s: rows.producer_rows(s, MATCHER))
    _assert_every_row_once(frame, sheet)
    _assert_parsed_from_own_cells(frame, sheet, grid, "nama_usaha", "nama_usaha", columns.clean_text)
    _assert_parsed_from_own_cells(frame, sheet, grid, "nik", "nik", cleaning.parse_nik)
    _assert_parsed_from_own_cells(frame, sheet, grid, "no_hp", "no_hp", cleaning.parse_phone)


@SHEETS
@given(body=st.lists(st.tuples(NAMES, NAMES, IDS, st.sampled_from(KECAMATAN), MONTHS, st.sampled_from(PRODUCTS),
                               AMOUNTS, AMOUNTS, st.sampled_from(["kg", "pcs", None])), max_size=25),
       year_column=st.booleans())
def test_a_long_sales_sheet_accounts_for_every_row_and_keeps_its_own_amounts(body, year_column):
    header = ["Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan", "Bulan", "Produk", "Omzet (Rp)", "Volume", "Satuan"]
    body_rows = [list(r) for r in body]
    if year_column:
        header = header + ["Tahun"]
        body_rows = [r + [2017 if i % 3 else "2016"] for i, r in enumerate(body_rows)]
    frame, sheet, grid = _parsed([header] + body_rows, lay.KIND_SALES, lambda s: rows.sales_rows(s, MATCHER),
                                 title=["LAPORAN OMZET TAHUN 2017"])
    _assert_every_row_once(frame, sheet)
    _assert_parsed_from_own_cells(frame, sheet, grid, "omzet", "nilai_rp", cleaning.parse_rupiah)
    assert frame["nilai_rp"].notna().all() and frame["bulan"].notna().all()


@SHEETS
@given(body=st.lists(st.tuples(NAMES, NAMES, st.sampled_from(KECAMATAN), AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS),
                     max_size=20))
def test_a_wide_sales_sheet_accounts_for_every_row_and_keeps_its_own_amounts(body):
    header = ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Jan-17", "Feb-17", "Mar-17", "Apr-17"]
    frame, sheet, grid = _parsed([header] + [list(r) for r in body], lay.KIND_SALES,
                                 lambda s: rows.sales_rows(s, MATCHER))
    assert sheet.layout.month_columns
    _assert_every_row_once(frame, sheet, one_record_per_row=False)
    months = {month: col for col, month in sheet.layout.month_columns.items()}
    for excel_row, month, value in zip(frame["sumber_baris"], frame["bulan"], frame["nilai_rp"]):
        assert value == cleaning.parse_rupiah(_cell(grid, excel_row, months[month])).value


def test_a_wide_sales_sheet_without_data_rows_gives_an_empty_frame():
    """A header and one blank row: no record, every row counted (the former code raised KeyError 'raw')."""
    frame, sheet, _ = _parsed([["Nama Usaha", "Nama Pemilik", "Kecamatan", "Jan-17", "Feb-17", "Mar-17"], [None] * 6],
                              lay.KIND_SALES, lambda s: rows.sales_rows(s, MATCHER))
    assert frame.empty and {"nama_usaha", "bulan", "nilai_rp", "sumber_baris"} <= set(frame.columns)
    assert sheet.report.balanced() and sheet.report.rows_read == 0


@SHEETS
@given(body=st.lists(st.tuples(NAMES, NAMES, IDS, IDS, st.sampled_from(KECAMATAN + ["Jl. Natar 5"])), max_size=20))
def test_an_attendance_sheet_accounts_for_every_row_and_keeps_its_own_cells(body):
    header = ["Nama Peserta", "Nama Usaha", "NIK", "No HP", "Alamat"]
    (event, people), sheet, grid = _parsed([header] + [list(r) for r in body], lay.KIND_TRAINING, rows.training_rows,
                                           title=["DAFTAR HADIR PELATIHAN KEMASAN"])
    assert event["jenis"] == "Kemasan" and (people["pelatihan_id"] == event["pelatihan_id"]).all()
    _assert_every_row_once(people, sheet)
    _assert_parsed_from_own_cells(people, sheet, grid, "nik", "nik", cleaning.parse_nik)
    _assert_parsed_from_own_cells(people, sheet, grid, "no_hp", "no_hp", cleaning.parse_phone)
