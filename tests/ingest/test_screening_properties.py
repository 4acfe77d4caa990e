"""Properties of row screening (analysis/ingest/screening.py), stated directly: ``skip_reason`` is the rule
for one row, and ``screen``, which applies it to a whole sheet column by column, skips exactly the rows
the rule skips, for the rule's reason. The rule's own shortcuts (memoised texts, the first-letter test of
a total label, the early exits of the repeated-header count) give the plain answers."""
from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analysis.ingest import cleaning, screening
from analysis.ingest import layout as lay
from analysis.ingest.readers import RawSheet
from analysis.ingest.sheet import SKIP_BLANK, SKIP_HEADER, SKIP_TOTAL, SKIP_TOTAL_UNLABELLED, Sheet, SheetReport

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


@FAST
@given(row=ROW)
def test_row_texts_are_the_cell_texts(row):
    assert screening._row_texts(row) == [lay._cell_text(v) for v in row]


@FAST
@given(text=st.sampled_from(WORDS) | st.text(min_size=1, max_size=12)
       | st.text(alphabet="0123 jumlahJUMLAHtoalsub-", min_size=1))
def test_total_label_shortcut_is_the_full_check(text):
    assert screening._is_total_label(text) == cleaning.is_total_label(text)


@FAST
@given(row=ROW, header=ROW)
def test_a_repeated_header_is_a_row_whose_cells_mostly_say_their_columns_header(row, header):
    """At least max(2, half + 1) of the filled cells say (as a header key) what their column's header says."""
    keys = [lay.header_key(h) for h in header]
    texts = [lay._cell_text(v) for v in row]
    filled = [i for i, t in enumerate(texts) if t]
    same = sum(1 for i in filled if i < len(keys) and keys[i] and lay.header_key(texts[i]) == keys[i])
    assert screening._repeats_header(texts, filled, keys) == (same >= max(2, len(filled) // 2 + 1))


@FAST
@given(header=st.lists(st.sampled_from(WORDS), min_size=2, max_size=8), noise=st.lists(CELL, max_size=8))
def test_the_header_written_again_is_skipped_as_a_repeated_header(header, noise):
    """The header again (upper case, a third of its cells replaced) with at least two of its keys left and
    more than half its filled cells saying them, wherever the sheet's page breaks put it."""
    keys = [lay.header_key(h) for h in header]
    row = [n if i % 3 == 2 and i < len(noise) else h.upper() for i, (h, n) in enumerate(zip(header, noise + header))]
    texts = [lay._cell_text(v) for v in row]
    filled = [i for i, t in enumerate(texts) if t]
    same = sum(1 for i in filled if keys[i] and lay.header_key(texts[i]) == keys[i])
    assume(same >= max(2, len(filled) // 2 + 1))
    assert screening.skip_reason(row, keys, set()) == SKIP_HEADER


@FAST
@given(row=ROW, header=ROW, identity=st.sets(st.integers(0, 7), max_size=3))
def test_a_row_is_blank_or_a_total_exactly_as_the_plain_checks_say(row, header, identity):
    """Blank: no cell has text. A total (JUMLAH/TOTAL) row: exactly when cleaning.is_total_row says so, for
    any row that is neither blank nor the header again (the label shortcut never misses one)."""
    keys = [lay.header_key(h) for h in header]
    reason = screening.skip_reason(row, keys, identity)
    texts = [lay._cell_text(v) for v in row]
    assert (reason == SKIP_BLANK) == (not any(texts))
    if reason not in (SKIP_BLANK, SKIP_HEADER):
        assert (reason == SKIP_TOTAL) == cleaning.is_total_row(row)


SHEET_CELL = st.one_of(CELL, st.sampled_from(WORDS), st.sampled_from([None, "", np.nan, 5, 5.0, True, 1, 2, 3]))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
       body=st.lists(st.lists(SHEET_CELL, min_size=0, max_size=7), max_size=25),
       repeat=st.lists(st.integers(0, 24), max_size=3), identity=st.sampled_from([(), ("nama_usaha",)]))
@example(header=["No"], body=[["No", "No", 2499999646.0], ["No", None, 1], [None, None, 2499999649.0, "No"]],
         repeat=[], identity=("nama_usaha",))  # (hypothesis found it: the nameless row adds up those above)
@example(header=["No"], body=[["a", None, 1], ["b", None, 2], [None, "x", 3]], repeat=[], identity=("nama_usaha",))
def test_the_sheet_screen_skips_exactly_the_rows_skip_reason_skips(header, body, repeat, identity):
    """On ragged sheets with repeated headers, blank tails, numbers of every type and footers: below the
    header, up to the last row with a non-blank cell (the blank tail is not read), a row is kept when
    skip_reason gives no reason and is otherwise counted as skipped, once, with that reason; except a
    nameless row whose amounts add up the kept rows above it (the sheet-wide rule that skip_reason, one
    row alone, cannot see: 1 and 2 above a nameless 3), which is skipped as an unlabelled total."""
    body = [list(r) for r in body]
    for at in repeat:  # a repeated header somewhere in the body
        if at < len(body):
            body[at] = [h.upper() for h in header]
    rows = [list(header)] + body + [[None] * 3, [""]]
    layout = lay.Layout(kind=lay.KIND_PRODUCERS, header_rows=(0,), headers=[str(h) for h in header],
                        columns={"nama_usaha": 0})
    sheet = Sheet(RawSheet(path="x.xlsx", sheet="s", rows=rows), layout,
                  SheetReport(path="x.xlsx", sheet="s", kind=layout.kind), "x.xlsx")
    keep = screening.screen(sheet, identity)

    keys = [lay.header_key(h) for h in layout.headers]
    identity_cols = {layout.columns[f] for f in identity if f in layout.columns}
    read = [i for i in range(layout.data_start, len(rows)) if any(not cleaning.is_blank(v) for v in rows[i])]
    last = read[-1] if read else layout.data_start - 1
    reasons = {i: screening.skip_reason(rows[i], keys, identity_cols) for i in range(layout.data_start, last + 1)}
    totals = [i for i, reason in reasons.items() if reason is None and i not in keep]
    for i in totals:  # nameless, with an amount, and at least two kept rows above it
        assert identity_cols and all(cleaning.is_blank(rows[i][c]) for c in identity_cols if c < len(rows[i]))
        assert sum(1 for k in keep if k < i) >= 2
        reasons[i] = SKIP_TOTAL_UNLABELLED
    assert keep == [i for i, reason in reasons.items() if reason is None]
    assert [(o["baris"] - 1, o["alasan"]) for o in sheet.outcomes] == [(i, r) for i, r in reasons.items() if r]
    assert sheet.report.rows_read == len(reasons)
