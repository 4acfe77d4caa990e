"""The faster paths of the ingest give exactly what the straightforward code gave (property tests).

Each test keeps the former implementation as a reference and compares on generated cells and rows, so a
speed-up cannot change what a sheet ingests to. (Speed itself is measured by `python -m bench`.)"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from analysis import cleaning, ingest, linking
from analysis import layout as lay
from analysis import reference as ref

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = ["No", "Nama Usaha", "nama usaha", "NAMA  USAHA", "Nama Pemilik", "Kecamatan", "JUMLAH", "Jumlah",
         "J U M L A H", "Total Jaya", "Sub Total", "1", "2", "3", "(1)", "(2)", "Mengetahui", "Camat Natar",
         "Siti Aminah", "Keripik Pisang", "Natar", "Rp 2.500.000", "-", " ", "", "Émile", "ｎａｍａ", "/", "l/p",
         "L/P", "Jan-17", "Januari 2017", "Catatan: revisi", "Keterangan :", "Ibu Hj. Siti", "UD. Maju", "nihil"]
CELL = st.one_of(
    st.sampled_from(WORDS), st.text(max_size=12), st.none(), st.just(np.nan), st.booleans(), st.integers(-5, 40),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1.0, 2.0, 3.0, 2500000.0]),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
)
ROW = st.lists(CELL, min_size=0, max_size=8)


def _skip_reason_before(row, header_keys, identity_cols):
    """analysis.ingest._skip_reason as it was before the fast paths."""
    texts = [lay._cell_text(v) for v in row]
    filled = [i for i, t in enumerate(texts) if t]
    if not filled:
        return ingest.SKIP_BLANK
    same_as_header = sum(1 for i in filled if i < len(header_keys) and header_keys[i] and lay.header_key(texts[i]) == header_keys[i])
    if same_as_header >= max(2, len(filled) // 2 + 1):
        return ingest.SKIP_HEADER
    if cleaning.is_total_row(row):
        return ingest.SKIP_TOTAL
    if all(ingest._FOOTER.search(ref.fold(texts[i])) for i in filled):
        return ingest.SKIP_FOOTER
    if len(filled) >= 3 and ingest._is_numbering(texts, filled):
        return ingest.SKIP_NUMBERING
    if len(filled) == 1 and filled[0] not in identity_cols:
        return ingest.SKIP_NOTE
    return None


@FAST
@given(row=ROW)
def test_row_texts_as_cell_text(row):
    assert ingest._row_texts(row) == [lay._cell_text(v) for v in row]


@FAST
@given(row=ROW, header=ROW, identity=st.sets(st.integers(0, 7), max_size=3))
def test_skip_reason_as_before(row, header, identity):
    header_keys = [lay.header_key(h) for h in header]
    assert ingest._skip_reason(row, header_keys, identity) == _skip_reason_before(row, header_keys, identity)


@FAST
@given(header=st.lists(st.sampled_from(WORDS), min_size=2, max_size=8), noise=st.lists(CELL, max_size=8))
def test_repeated_headers_found_as_before(header, noise):
    """Rows made of the header itself, with some cells replaced: the repeated-header rule is exercised."""
    header_keys = [lay.header_key(h) for h in header]
    row = [n if i % 3 == 2 and i < len(noise) else h.upper() for i, (h, n) in enumerate(zip(header, noise + header))]
    assert ingest._skip_reason(row, header_keys, set()) == _skip_reason_before(row, header_keys, set())


@FAST
@given(values=st.lists(CELL, max_size=30))
def test_text_column_as_cell_by_cell(values):
    series = pd.Series(values, dtype=object)
    before = series.map(lambda v: None if cleaning.is_blank(v) else re.sub(r"\s+", " ", lay._cell_text(v)).strip() or None)
    after = cleaning.parse_values(series, ingest._clean_text)[0]
    # Series.map turned the None of a blank cell into NaN; both are missing to everything downstream.
    assert [None if v is None or v is np.nan else v for v in after] == [None if pd.isna(v) else v for v in before]
    assert all(v is None or isinstance(v, str) for v in after)


@FAST
@given(value=st.one_of(CELL, st.text()))
def test_memoised_text_helpers_as_uncached(value):
    assert cleaning.name_key(value) == cleaning._name_key(value)
    assert cleaning.name_key(value) == cleaning.name_key(value)  # second call from the memo
    assert lay.field_of(value) == lay._field_of(value)
    assert lay._month_of(value) == lay._month_of_value(value)


NAMES = ["siti aminah keripik", "bu sri keripik pisang", "sri wahyuni", "kopi darto", "darto kopi", "maju jaya ud",
         "barokah", "barokah jaya", "aminah siti", "keripik pisang sri", "tapis indah", "ikan asin pak ujang"]


def _fuzzy_before(query: str, names: list[str], ids: list[str]) -> linking.Link:
    """ProducerIndex._fuzzy as it was: token_sort_ratio over unsorted names, no cutoff."""
    best = process.extract(query, names, scorer=fuzz.token_sort_ratio, limit=2)
    if not best or best[0][1] < linking.FUZZY_MIN_SCORE:
        return linking.NO_LINK
    runner_up = best[1][1] if len(best) > 1 else 0.0
    if best[0][1] - runner_up < linking.FUZZY_MIN_MARGIN:
        return linking.NO_LINK
    return linking.Link(ids[best[0][2]], "fuzzy", round(float(best[0][1]), 1))


@FAST
@given(names=st.lists(st.sampled_from(NAMES) | st.text(alphabet="abcdeiklmnoprstu ", max_size=20), min_size=1, max_size=12),
       query=st.sampled_from(NAMES) | st.text(alphabet="abcdeiklmnoprstu ", min_size=1, max_size=20))
def test_fuzzy_link_as_before(names, query):
    producers = pd.DataFrame({
        "umkm_id": [f"U{i}" for i in range(len(names))], "nik": None, "no_hp": None,
        "nama_usaha": names, "nama_pemilik": "", "kecamatan": "Natar",
    })
    index = linking.ProducerIndex(producers)
    combined = (producers["nama_usaha"].map(cleaning.name_key) + " " + producers["nama_pemilik"].map(cleaning.name_key)).tolist()
    key = cleaning.name_key(query)
    assert index._fuzzy(key, "Natar") == _fuzzy_before(key, combined, producers["umkm_id"].tolist())


def test_unique_map_keeps_only_unambiguous_keys():
    keys = pd.Series(["a", "b", "a", "c", None, "", "b"])
    ids = pd.Series(["1", "2", "1", "3", "4", "5", "6"])
    assert linking._unique_map(keys, ids) == {"a": "1", "c": "3"}


@FAST
@given(text=st.sampled_from(WORDS) | st.text(min_size=1, max_size=12) | st.text(alphabet="0123 jumlahJUMLAHtoalsub-", min_size=1))
def test_total_label_shortcut_as_full_check(text):
    assert ingest._is_total_label(text) == cleaning.is_total_label(text)


def _screen_row_by_row(rows, layout, identity_fields):
    """analysis.ingest._screen as it was before it went column-wise: (kept rows, [(row, reason)])."""
    header_keys = [lay.header_key(h) for h in layout.headers]
    identity_cols = {layout.columns[f] for f in identity_fields if f in layout.columns}
    last_filled = len(rows) - 1
    while last_filled >= layout.data_start and all(cleaning.is_blank(v) for v in rows[last_filled]):
        last_filled -= 1
    keep, skipped = [], []
    for index in range(layout.data_start, len(rows)):
        reason = ingest._skip_reason(rows[index], header_keys, identity_cols)
        if reason == ingest.SKIP_BLANK and index > last_filled:
            break
        if reason:
            skipped.append((index, reason))
        else:
            keep.append(index)
    return keep, skipped


SHEET_CELL = st.one_of(CELL, st.sampled_from(WORDS), st.sampled_from([None, "", np.nan, 5, 5.0, True, 1, 2, 3]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
       body=st.lists(st.lists(SHEET_CELL, min_size=0, max_size=7), max_size=25),
       repeat=st.lists(st.integers(0, 24), max_size=3), identity=st.sampled_from([(), ("nama_usaha",)]))
def test_column_wise_screen_as_row_by_row(header, body, repeat, identity):
    """The column-wise screen skips the same rows for the same reasons as the row-by-row loop, on ragged
    sheets with repeated headers, blank tails, numbers of every type and footers."""
    body = [list(r) for r in body]
    for at in repeat:  # a repeated header somewhere in the body
        if at < len(body):
            body[at] = [h.upper() for h in header]
    rows = [list(header)] + body + [[None] * 3, [""]]
    layout = lay.Layout(kind=lay.KIND_PRODUCERS, header_rows=(0,), headers=[str(h) for h in header],
                        columns={"nama_usaha": 0})
    raw = ingest.RawSheet(path="x.xlsx", sheet="s", rows=rows)
    sheet = ingest._Sheet(raw, layout, ingest.SheetReport(path="x.xlsx", sheet="s", kind=layout.kind), "x.xlsx")
    keep = ingest._screen(sheet, identity)
    expected_keep, expected_skipped = _screen_row_by_row(rows, layout, identity)
    assert keep == expected_keep
    assert [(o["baris"] - 1, o["alasan"]) for o in sheet.outcomes] == expected_skipped
    assert sheet.report.rows_read == len(expected_keep) + len(expected_skipped)


@FAST
@given(cells=st.lists(st.one_of(CELL, st.integers(-10**20, 10**20), st.floats(0, 2e14)), max_size=30))
def test_plain_amounts_as_parser(cells):
    """Number cells that skip parse_rupiah / parse_number get exactly the parser's value, no fix, no error."""
    array = np.empty(len(cells), dtype=object)
    array[:] = cells
    for parser in (cleaning.parse_rupiah, cleaning.parse_number):
        for cell, fast in zip(cells, cleaning._plain_amounts(parser, array)):
            if fast is not None:
                parsed = parser(cell)
                assert (parsed.value, parsed.fix, parsed.error) == (fast, None, None)
                assert type(parsed.value) is type(fast) and str(parsed.value) == str(fast)  # -0.0 as 0.0
