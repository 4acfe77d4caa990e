"""The parsing fast paths of issue 8 (less CPU per sheet in the ingest workers) give exactly what the former
code gave: each replaced function against its former copy in tests/_former_ingest.py, on generated cells,
generated sheets and the committed demo files. (Speed itself is measured by `python -m bench`.)"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import _former_ingest as former
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import cleaning, ingest
from analysis import layout as lay
from analysis.config import DEMO_RAW_DIR
from analysis.readers import RawSheet, iter_files

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHEETS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=24)
NUMBER_TEXT = st.one_of(
    DIGITS, st.builds(lambda a, b: f"{a},{b}", DIGITS, DIGITS), st.builds(lambda a, b: f"{a}.{b}", DIGITS, DIGITS),
    st.sampled_from(["4849000", "270,1", "0", "00", "007", "1", "12", "123", "2,500", "1.250", "1e5", "٣", "²", "１２",
                     "100000000000000", "100000000000001", "99999999999999999999", "123456789012345678901"]),
)
PHONE_TEXT = st.one_of(
    st.text(alphabet="0123456789-+", min_size=1, max_size=16),
    st.sampled_from(["081157000463", "0811-5700-0463", "+6281234567890", "6285148835617", "+62-812-3456-789", "-0812",
                     "0812-", "+-0812", "62", "0721123456", "8123456789", "+0812345678", "0812 3456 789"]),
)
WORDS = ["No", "Nama Usaha", "Jumlah", "JUMLAH", "Total Jaya", "Sub Total", "Mengetahui", "Camat Natar", "Siti Aminah",
         "Keripik Pisang", "Natar", "Kalianda", "Jati Agung", "Rp 2.500.000", "Rp 2.500.000,-", "2,5 jt/bln", "-", " ",
         "", "Émile", "ｎａｍａ", "Jan", "Januari", "Jan-17", "Januari 2017", "Februari 2017", "2017-03", "Bulan Maret",
         "periode jan", "Catatan: revisi", "Keterangan :", "nihil", "ya", "Tidak", "L", "P", "Kuliner", "Batik Tulis"]
CELL = st.one_of(
    st.sampled_from(WORDS), NUMBER_TEXT, st.text(max_size=10), st.none(), st.just(np.nan), st.booleans(),
    st.integers(-5, 40), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.0, 2500000.0, 1e15]),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)),
)


def _array(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _same_cells(a: np.ndarray, b: np.ndarray) -> bool:
    return len(a) == len(b) and all(x is y or (type(x) is type(y) and (x == y or (x != x and y != y))) for x, y in zip(a, b))


# ------------------------------------------------------------------------------------ cell by cell


@FAST
@given(cells=st.lists(CELL, max_size=40), pick=st.lists(st.integers(0, 39), max_size=40))
@example(cells=[1, 1.0, True, "1", None, np.nan], pick=[5, 4, 3, 2, 1, 0])
@example(cells=["a", 2.5, "-", 2.5, None], pick=[])
@example(cells=[np.nan, None], pick=[])
def test_factorize_as_before(cells, pick):
    cells = cells + [cells[i] for i in pick if i < len(cells)]  # repeats
    array = _array(cells)
    codes, uniques = ingest._factorize(array)
    expected_codes, expected_uniques = former._factorize(array)
    assert np.array_equal(codes, expected_codes)
    assert _same_cells(uniques, expected_uniques)


TEXT_CELL = st.one_of(st.text(max_size=4), st.sampled_from(WORDS), NUMBER_TEXT, st.none(), st.just(np.nan), st.just(pd.NA),
                      st.just("\ud800"), st.just("a\x00b"), st.just(np.str_("Natar")), st.just(b"Natar"))


@FAST
@given(first=st.text(max_size=4) | st.sampled_from(WORDS), cells=st.lists(TEXT_CELL, max_size=40))
@example(first="Natar", cells=[np.str_("Natar"), None, np.nan, pd.NA, "Natar"])
@example(first="a", cells=["\ud800", "a"])
def test_factorize_text_as_before(first, cells):
    """Text columns (with missing cells, and the odd non-text cell) go through Arrow's dictionary encoding."""
    array = _array([first] + cells)
    codes, uniques = ingest._factorize(array)
    expected_codes, expected_uniques = former._factorize(array)
    assert np.array_equal(codes, expected_codes) and codes.dtype == expected_codes.dtype
    assert _same_cells(uniques, expected_uniques)


@FAST
@given(cells=st.lists(CELL, max_size=30),
       key=st.sampled_from(["", "no", "nama usaha", "1", "12", "2016 01", "3", "jumlah", "4849000", "270 1"]))
@example(cells=["1", "12", "123", "4849000", "270,1", "(1)", "01"], key="1")
@example(cells=["4849000", "12", "٣"], key="4849000")
def test_column_facts_as_before(cells, key):
    _, uniques = ingest._factorize(_array(cells))
    assert np.array_equal(ingest._column_facts(uniques, key), former._column_facts(uniques, key))


@FAST
@given(rows=st.lists(st.lists(CELL, max_size=6), max_size=8), rectangular=st.booleans())
def test_grid_as_before(rows, rectangular):
    if rectangular and rows:
        width = len(rows[0])
        rows = [(row + [None] * width)[:width] for row in rows]
    grid, expected = ingest._grid(rows), former._grid(rows)
    assert grid.shape == expected.shape and grid.dtype == expected.dtype
    assert all(_same_cells(a, b) for a, b in zip(grid, expected))


@FAST
@given(codes=st.lists(st.integers(-1, 30), max_size=60) | st.lists(st.integers(-10**12, 10**12), max_size=20))
def test_first_and_inverse_as_np_unique(codes):
    codes = np.array(codes, dtype=np.int64)
    first_at, inverse = cleaning._first_and_inverse(codes)
    _, expected_first, expected_inverse = np.unique(codes, return_index=True, return_inverse=True)
    assert np.array_equal(first_at, expected_first) and np.array_equal(inverse, np.asarray(expected_inverse).reshape(-1))


PARSERS = [cleaning.parse_rupiah, cleaning.parse_number, cleaning.parse_int, cleaning.parse_nik, cleaning.parse_phone,
           cleaning.parse_month, cleaning.is_blank, ingest._clean_text]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@FAST
@given(cells=st.lists(st.one_of(CELL, NUMBER_TEXT, PHONE_TEXT), max_size=30), with_codes=st.booleans())
@example(cells=["4849000", "270,1", "4849000", 4849000.0, "99999999999999999999", "100000000000001"], with_codes=True)
def test_parse_values_as_before(parser, cells, with_codes):
    series = pd.Series(cells, index=pd.RangeIndex(7, 7 + 2 * len(cells), 2), dtype=object)
    codes = cleaning.unique_codes(series, series.to_numpy(dtype=object)) if with_codes else None
    got = cleaning.parse_values(series, parser, codes, {})
    expected = former.parse_values(series, former.parse_nik if parser is cleaning.parse_nik else
                                   former.parse_phone if parser is cleaning.parse_phone else parser, codes, {})
    for a, b in zip(got, expected):
        pd.testing.assert_series_equal(a, b, check_exact=True)
        assert [type(v) for v in a] == [type(v) for v in b]


@FAST
@given(cell=st.one_of(NUMBER_TEXT, CELL))
def test_plain_amount_text_as_parser(cell):
    """Digit text read without the parser gets exactly the parser's value (a float), no fix, no error."""
    for parser in (cleaning.parse_rupiah, cleaning.parse_number):
        fast = cleaning._plain_amounts(parser, _array([cell]))[0]
        if fast is not None:
            parsed = parser(cell)
            assert (parsed.value, parsed.fix, parsed.error) == (fast, None, None)
            assert type(parsed.value) is type(fast) and str(parsed.value) == str(fast)


@FAST
@given(cell=st.one_of(PHONE_TEXT, NUMBER_TEXT, CELL))
def test_phone_and_nik_as_before(cell):
    assert cleaning.parse_phone(cell) == former.parse_phone(cell)
    assert cleaning.parse_nik(cell) == former.parse_nik(cell)


PRODUCTS = ["Keripik Pisang", "Batik Tulis", "Kopi Bubuk", "Warung Kelontong", "xyz", None, np.nan, "", "Sablon Kaos"]
KATEGORI = ["Kuliner", "Fesyen", "Lainnya", "kerajinan", None, np.nan, "", "?", 5]


@FAST
@given(pairs=st.lists(st.tuples(st.sampled_from(PRODUCTS) | st.text(max_size=8), st.sampled_from(KATEGORI)), max_size=25))
def test_kategori_as_before(pairs):
    index = pd.Index(range(3, 3 + len(pairs)))
    produk = pd.Series([p for p, _ in pairs], index=index, dtype=object)
    written = pd.Series([k for _, k in pairs], index=index, dtype=object)
    pd.testing.assert_series_equal(ingest._kategori(produk, written), former._kategori(produk, written), check_exact=True)


HEADERS = st.one_of(st.sampled_from(WORDS), st.text(max_size=10), st.text(alphabet="abcdefghijklmnoprstuy .-/", max_size=14),
                    st.text(alphabet="0123456789 ", max_size=14), st.text(alphabet="0123456789 /.,-+()Rp", max_size=14),
                    st.sampled_from(["201701", " 201701", "42736", "4273 6", "1801055911700826", "0811-5700-0463", "12/2017"]),
                    st.sampled_from(["Omzet Jan", "jan", "Des.", "Agt", "Nop", "bulan", "Periode Jan", "Jan (Rp)", "senin",
                                     "14 Maret", "Mei", "may", "oct", "Jan jam", "mei-"]))


@FAST
@given(header=HEADERS, year=st.sampled_from([None, 2016, 2017, 1999, 5, 17, 201701]))
def test_header_month_as_before(header, year):
    assert lay._month_of(header) == former._month_of(header)
    assert lay._header_month(header, year) == former._header_month(header, year)


@FAST
@given(header=HEADERS | st.sampled_from([h for h in lay.FIELDS] + ["Nama Usaha", "L/P", "No.", "Omzet (Rp)", "Kec. Natar",
                                                                    "Online (Ya/Tidak)", "PEMASARAN (Lokal/Regional)",
                                                                    "Tanda Tangan", "NIK", "No HP/WA", "Jml Tenaga Kerja"]))
def test_field_of_as_before(header):
    assert lay._field_of(header) == former._field_of(header)


# ------------------------------------------------------------------------------------ whole sheets

KECAMATAN = ["Natar", "natar", "Kec. Kalianda", "Jati Agung", "Jatiagung", "Antah Berantah", "", None, "-"]
AMOUNTS = st.one_of(st.sampled_from(["Rp 2.500.000,-", "2,5 jt", "4849000", "-", "", "nihil", "abc", "1.2.3", "-500",
                                     "99999999999999999999", 3500000.0, 0.0, -1.0, np.nan, None, True]),
                    st.integers(0, 10**9), st.floats(0, 1e15), DIGITS)
NAMES = st.one_of(st.sampled_from(["Siti Aminah", "Kopi Darto", "UD. Maju", "JUMLAH", "Total Jaya", "", None, " ", "Mengetahui"]),
                  st.text(alphabet="abcdefgh ", max_size=10))
IDS = st.one_of(st.sampled_from(["1801055911700826", "1801.0559.1170.0826", "1.80101E+15", "", None, "081157000463",
                                 "0811-5700-0463", "+62 812 3456 789", "0812 / 0813 4455 6677", "abc"]),
                st.integers(10**9, 10**16).map(float), DIGITS, PHONE_TEXT)
MONTHS = st.sampled_from(["Januari 2017", "Jan-17", "Februari", "2017-03", "", None, "Maret", 42736.0, 3.0, "13/2017", "3"])


def _sheet(rows: list[list[object]], kind: str | None = None, title: list[object] | None = None) -> tuple[RawSheet, lay.Layout]:
    raw = RawSheet(path="Data UMKM Natar.xlsx", sheet="Lembar1", rows=([title] if title else []) + rows)
    return raw, lay.detect(raw, forced_kind=kind)


def _run(function, raw: RawSheet, layout: lay.Layout, *args):
    sheet = ingest._Sheet(RawSheet(path=raw.path, sheet=raw.sheet, rows=[list(r) for r in raw.rows]), layout,
                          ingest.SheetReport(path=raw.path, sheet=raw.sheet, kind=layout.kind), raw.path)
    return function(sheet, *args), sheet


def _assert_same_sheet(got, expected) -> None:
    (outcome, sheet), (expected_outcome, expected_sheet) = got, expected
    if isinstance(outcome, tuple):  # a training: (event, people)
        assert outcome[0] == expected_outcome[0]
        outcome, expected_outcome = outcome[1], expected_outcome[1]
    if outcome is None:
        assert expected_outcome is None
    else:
        pd.testing.assert_frame_equal(outcome, expected_outcome, check_exact=True)
        for column in outcome.columns:
            assert [type(v) for v in outcome[column]] == [type(v) for v in expected_outcome[column]], column
    assert asdict(sheet.report) == asdict(expected_sheet.report)
    assert sheet.outcomes == expected_sheet.outcomes
    assert sheet.problems == expected_sheet.problems
    assert dict(sheet.fixes) == dict(expected_sheet.fixes) and dict(sheet.reasons) == dict(expected_sheet.reasons)


MATCHER = cleaning.KecamatanMatcher()


@SHEETS
@given(body=st.lists(st.tuples(NAMES, NAMES, IDS, IDS, st.sampled_from(KECAMATAN), st.sampled_from(PRODUCTS),
                               st.sampled_from(KATEGORI), AMOUNTS, st.sampled_from(["Jl. Natar 5", "Desa Kalianda", None])),
                     max_size=20),
       with_kecamatan=st.booleans())
def test_producer_rows_as_before(body, with_kecamatan):
    header = ["Nama Usaha", "Nama Pemilik", "NIK", "No. HP", "Kecamatan" if with_kecamatan else "Catatan", "Jenis Produk",
              "Kategori", "Omzet per Bulan", "Alamat"]
    raw, layout = _sheet([header] + [list(r) for r in body], kind=lay.KIND_PRODUCERS)
    _assert_same_sheet(_run(ingest._producer_rows, raw, layout, MATCHER), _run(former._producer_rows, raw, layout, MATCHER))


@SHEETS
@given(body=st.lists(st.tuples(NAMES, NAMES, IDS, st.sampled_from(KECAMATAN), MONTHS, st.sampled_from(PRODUCTS), AMOUNTS,
                               AMOUNTS, st.sampled_from(["kg", "pcs", None])), max_size=25),
       year_column=st.booleans())
def test_long_sales_rows_as_before(body, year_column):
    header = ["Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan", "Bulan", "Produk", "Omzet (Rp)", "Volume", "Satuan"]
    rows = [list(r) for r in body]
    if year_column:
        header = header + ["Tahun"]
        rows = [r + [2017 if i % 3 else "2016"] for i, r in enumerate(rows)]
    raw, layout = _sheet([header] + rows, kind=lay.KIND_SALES, title=["LAPORAN OMZET TAHUN 2017"])
    _assert_same_sheet(_run(ingest._sales_rows, raw, layout, MATCHER), _run(former._sales_rows, raw, layout, MATCHER))


@SHEETS
@given(body=st.lists(st.tuples(NAMES, NAMES, st.sampled_from(KECAMATAN), AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS), max_size=20))
def test_wide_sales_rows_as_before(body):
    header = ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Jan-17", "Feb-17", "Mar-17", "Apr-17"]
    raw, layout = _sheet([header] + [list(r) for r in body], kind=lay.KIND_SALES)
    assert layout.month_columns
    got = _run(ingest._sales_rows, raw, layout, MATCHER)
    try:
        expected = _run(former._sales_rows, raw, layout, MATCHER)
    except KeyError:
        # The former code crashed (KeyError 'raw') on a wide sheet without a single data row below its
        # header; now such a sheet gives an empty frame, every row it has counted as skipped.
        frame, sheet = got
        assert frame.empty and sheet.report.rows_read == sheet.report.rows_skipped and sheet.report.balanced()
        return
    _assert_same_sheet(got, expected)


def test_wide_sales_without_data_rows_no_longer_crashes():
    raw, layout = _sheet([["Nama Usaha", "Nama Pemilik", "Kecamatan", "Jan-17", "Feb-17", "Mar-17"], [None] * 6],
                         kind=lay.KIND_SALES)
    with pytest.raises(KeyError):
        _run(former._sales_rows, raw, layout, MATCHER)
    frame, sheet = _run(ingest._sales_rows, raw, layout, MATCHER)
    assert frame.empty and {"nama_usaha", "bulan", "nilai_rp", "sumber_baris"} <= set(frame.columns)
    assert sheet.report.balanced() and sheet.report.rows_read == 0


@SHEETS
@given(body=st.lists(st.tuples(NAMES, NAMES, IDS, IDS, st.sampled_from(KECAMATAN + ["Jl. Natar 5"])), max_size=20))
def test_training_as_before(body):
    header = ["Nama Peserta", "Nama Usaha", "NIK", "No HP", "Alamat"]
    raw, layout = _sheet([header] + [list(r) for r in body], kind=lay.KIND_TRAINING, title=["DAFTAR HADIR PELATIHAN KEMASAN"])
    _assert_same_sheet(_run(ingest._training, raw, layout), _run(former._training, raw, layout))


def test_demo_files_parse_as_before(monkeypatch):
    """Every committed demo file, read and parsed by _read_one with the current code and with the former
    parsing functions (and the former month detection of the layout): the same sheets, frames, reports,
    rejected rows and cell problems."""
    files = [path for path, skip in iter_files([DEMO_RAW_DIR]) if not skip]
    assert len(files) > 20
    current = [ingest._read_one(path, path.name, None, None, MATCHER) for path in files]
    for name in ("_producer_rows", "_sales_rows", "_training", "_grid"):
        monkeypatch.setattr(ingest, name, getattr(former, name))
    for name in ("_month_of", "_header_month"):
        monkeypatch.setattr(lay, name, getattr(former, name))
    before = [ingest._read_one(path, path.name, None, None, MATCHER) for path in files]
    kinds = set()
    for (reports, parsed), (expected_reports, expected_parsed) in zip(current, before):
        assert [asdict(r) for r in reports] == [asdict(r) for r in expected_reports]
        assert len(parsed) == len(expected_parsed)
        for got, expected in zip(parsed, expected_parsed):
            kinds.add(got[0].layout.kind)
            assert got[0].layout == expected[0].layout
            _assert_same_sheet((got[1], got[0]), (expected[1], expected[0]))
    assert {lay.KIND_PRODUCERS, lay.KIND_SALES, lay.KIND_TRAINING} <= kinds
