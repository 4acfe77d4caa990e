"""Indonesian formatting: dot for thousands, comma for decimals, Indonesian month names, "–" for missing."""
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.core import formatting as fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1250000, "Rp 1.250.000"),
        (0, "Rp 0"),
        (999, "Rp 999"),
        (2500000.5, "Rp 2.500.001"),  # half rounds up, as people round
        (-750000, "-Rp 750.000"),
        (np.int64(1_000_000_000), "Rp 1.000.000.000"),
    ],
)
def test_rupiah(value, expected):
    assert fmt.rupiah(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_500_000_000, "Rp 1,5 M"),
        (2_000_000, "Rp 2 jt"),  # no trailing ",0"
        (1_250_000, "Rp 1,3 jt"),  # 1,25 rounds half up
        (750_000, "Rp 750 rb"),
        (3_200_000_000_000, "Rp 3,2 T"),
        (750, "Rp 750"),
        (999_960, "Rp 1 jt"),  # rounds into the next unit instead of "1.000 rb"
        (-2_500_000, "-Rp 2,5 jt"),
        (1.5e15, "Rp 1.500 T"),
    ],
)
def test_rupiah_short(value, expected):
    assert fmt.rupiah_short(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12345, 0, "12.345"),
        (1.5, 1, "1,5"),
        (1234567.891, 2, "1.234.567,89"),
        (2.5, 0, "3"),
        (0.125, 2, "0,13"),  # not banker's rounding, not binary-float surprise
        (-0.4, 0, "0"),  # never "-0"
        (-12345, 0, "-12.345"),
    ],
)
def test_number(value, decimals, expected):
    assert fmt.number(value, decimals=decimals) == expected


@pytest.mark.parametrize(("value", "expected"), [(0.153, "15,3%"), (1, "100,0%"), (0, "0,0%"), (0.0005, "0,1%"), (0.0145, "1,5%")])
def test_percent(value, expected):
    assert fmt.percent(value) == expected


def test_percent_decimals():
    assert fmt.percent(0.15349, decimals=2) == "15,35%"


@pytest.mark.parametrize(
    "value",
    [pd.Timestamp("2017-03-01"), pd.Timestamp("2017-03-31 23:59"), date(2017, 3, 14), np.datetime64("2017-03-05")],
)
def test_month_label(value):
    assert fmt.month_label(value) == "Maret 2017"


def test_date_label():
    assert fmt.date_label(pd.Timestamp("2017-03-14")) == "14 Maret 2017"
    assert fmt.date_label(date(2018, 12, 1)) == "1 Desember 2018"


def test_date_strings_are_refused_not_guessed():
    """'03/04/2017' could be 3 April or 4 March: parsing is cleaning's job, formatting shows missing."""
    assert fmt.date_label("03/04/2017") == fmt.MISSING


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT, float("inf"), "12", True])
def test_missing_values_show_a_dash(missing):
    assert fmt.MISSING == "–"
    for function in (fmt.rupiah, fmt.rupiah_short, fmt.number, fmt.percent, fmt.month_label, fmt.date_label):
        assert function(missing) == fmt.MISSING


def test_period_label():
    assert fmt.period_label(pd.Timestamp("2017-01-01"), pd.Timestamp("2018-12-01")) == "Januari 2017 – Desember 2018"
    assert fmt.period_label(pd.Timestamp("2017-05-01"), pd.Timestamp("2017-05-01")) == "Mei 2017"
    assert fmt.period_label(None, None) == fmt.MISSING


def test_ingest_totals_line_names_every_count():
    line = fmt.ingest_totals_line(
        {"rows_read": 1234, "rows_kept": 1100, "rows_merged": 34, "rows_rejected": 50, "rows_skipped": 50}
    )
    assert line == "Baris dibaca 1.234 · dipakai 1.100 · digabung (duplikat) 34 · ditolak 50 · dilewati 50"


def test_ingest_totals_line_missing_count():
    assert "ditolak –" in fmt.ingest_totals_line({"rows_read": 3})


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_number_round_trips_through_indonesian_separators(value):
    text = fmt.number(value)
    assert "," not in text
    assert int(text.replace(".", "")) == value


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("jumlah", 12345, "12.345"),
        ("total", 5680.0, "5.680"),
        ("porsi", 0.153, "15,3%"),
        ("rupiah", 2.5e9, "Rp 2,5 M"),
        ("rasio", 2.456, "2,46"),
        ("pertumbuhan", 0.123, "+12,3%"),
        ("pertumbuhan", -0.05, "-5,0%"),
        ("pertumbuhan", 0.0, "0,0%"),
        ("porsi", float("nan"), fmt.MISSING),
    ],
)
def test_indicator_value_by_kind(kind, value, expected):
    assert fmt.indicator_value(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "change", "previous", "expected"),
    [
        ("porsi", 0.047, None, "+4,7 poin"),  # shares change in points, not per cent
        ("pertumbuhan", -0.021, 0.1, "-2,1 poin"),
        ("porsi", -0.0004, None, "0,0 poin"),  # rounds to nothing: no sign, no direction
        ("rupiah", 1.23e8, 1e9, "+12,3%"),  # money: relative to the previous period
        ("rupiah", -1e8, 1e9, "-10,0%"),
        ("rupiah", 5e6, 0.0, "+Rp 5 jt"),  # nothing before: the amount itself
        ("jumlah", -12, None, "-12"),
        ("rasio", 0.5, None, "+0,50"),
    ],
)
def test_indicator_delta_by_kind(kind, change, previous, expected):
    assert fmt.indicator_delta(kind, change, previous) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_indicator_delta_missing_shows_nothing(missing):
    """Stock indicators have no change: st.metric gets None and draws no delta at all."""
    assert fmt.indicator_delta("porsi", missing) is None


def test_indicator_kind_unknown_is_named():
    with pytest.raises(ValueError, match="'kilo'"):
        fmt.indicator_value("kilo", 1)


def test_ingest_totals_line_mentions_fixed_rows_as_part_of_kept():
    line = fmt.ingest_totals_line({"rows_read": 10, "rows_kept": 8, "rows_fixed": 3, "rows_merged": 1,
                                   "rows_rejected": 1, "rows_skipped": 0})
    assert "dipakai 8 (di antaranya diperbaiki 3) · digabung (duplikat) 1" in line


def test_rupiahs_equal_rupiah_value_by_value():
    """The column-at-once rupiah gives rupiah's text for every value: whole amounts, ties (x.5) of both
    signs, fractions just below and above a half, amounts past 2**52, missing and infinite values."""
    rng = np.random.default_rng(11)
    values = np.concatenate([
        rng.integers(-10**12, 10**12, 2000).astype(float),
        rng.integers(-10**6, 10**6, 500) + 0.5,
        rng.uniform(-1e9, 1e9, 2000),
        np.nextafter(np.arange(-50, 50) + 0.5, 0), np.nextafter(np.arange(-50, 50) + 0.5, 1),
        [0.0, -0.0, -0.4, 0.49999999999999994, 2.0**52 - 0.5, 2.0**52, 2.0**53 + 2, 1e20, -1e20, np.nan, np.inf, -np.inf],
    ])
    assert fmt.rupiahs(values) == [fmt.rupiah(v) for v in values]
    column = pd.Series([1_250_000, None, -3.5], dtype="Float64")
    assert fmt.rupiahs(column) == ["Rp 1.250.000", fmt.MISSING, "-Rp 4"]
    assert fmt.rupiahs(["12", None]) == [fmt.rupiah("12"), fmt.rupiah(None)]  # not numbers: rupiah's own answer
