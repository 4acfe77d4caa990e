"""Indonesian number and date formatting for everything the dashboard shows.

Indonesian readers expect a dot between thousands and a comma before decimals ("Rp 1.250.000",
"15,3%"), and Indonesian month names. Python's locale module would do this only if the id_ID locale
is installed on the machine, which an office PC or a CI runner often lacks, so the rules are written
out here. Missing values (None, NaN, NaT, pd.NA, infinity) always show as an en dash, so a card or
table never reads "nan".
"""
from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

MISSING = "–"  # en dash: the usual Indonesian placeholder for "no data"
NOT_AVAILABLE = "tidak tersedia"  # a ratio whose denominator the reference lacks (population outside Lampung Selatan)

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# Short rupiah units, largest first: triliun, miliar, juta, ribu.
_RUPIAH_UNITS = ((1e12, "T"), (1e9, "M"), (1e6, "jt"), (1e3, "rb"))


def _number_or_none(value: Any) -> float | None:
    """The value as a finite float, or None when it is missing or not a number."""
    if value is None or isinstance(value, bool) or not isinstance(value, Real):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def _timestamp_or_none(value: Any) -> pd.Timestamp | None:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    # Strings are refused on purpose: "03/04/2017" is ambiguous, and parsing is cleaning.py's job.
    if not isinstance(value, (pd.Timestamp, datetime, date, np.datetime64)):
        return None
    stamp = pd.Timestamp(value)
    return None if pd.isna(stamp) else stamp


def _rounded(value: float | Decimal, decimals: int) -> Decimal:
    """Round half away from zero, as people do (Python's round() and format() round half to even)."""
    # repr() gives the shortest decimal that round-trips, so 0.125 rounds to 0.13 and not to 0.12.
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    exact = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(exact) if exact == 0 else exact  # never show "-0"


def _grouped(value: float | Decimal, decimals: int) -> str:
    """The rounded value with Indonesian separators."""
    text = f"{_rounded(value, decimals):,.{decimals}f}"  # "1,234.5" in Python's convention
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def number(value: Any, decimals: int = 0) -> str:
    """``number(12345) -> "12.345"``, ``number(1.5, decimals=1) -> "1,5"``."""
    numeric = _number_or_none(value)
    return MISSING if numeric is None else _grouped(numeric, decimals)


def rupiah(value: Any) -> str:
    """Whole rupiah with thousands dots: ``rupiah(1250000) -> "Rp 1.250.000"``."""
    numeric = _number_or_none(value)
    if numeric is None:
        return MISSING
    text = _grouped(abs(numeric), 0)
    sign = "-" if numeric < 0 and text != "0" else ""
    return f"{sign}Rp {text}"


def rupiahs(values: Any) -> list[str]:
    """``[rupiah(v) for v in values]`` for a column of amounts, the same text several times faster: a whole
    amount below 2**52 (every real report) is rounded half away from zero by its fraction, which is
    exact there and splits ties as ``_rounded`` does (a float's shortest repr ends in .5 only when the
    float is one); anything else goes through ``rupiah``."""
    column = pd.Series(values, copy=False) if not isinstance(values, pd.Series) else values
    if not pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
        return [rupiah(v) for v in column]  # text, objects, flags: rupiah's own answer for each
    numbers = column.to_numpy(dtype=np.float64, na_value=np.nan)
    texts = []
    for value in numbers.tolist():
        if value != value:  # NaN: missing
            texts.append(MISSING)
            continue
        size = abs(value)
        if size >= _EXACT_FRACTIONS:  # also infinity
            texts.append(rupiah(value))
            continue
        whole = math.floor(size)
        whole += size - whole >= 0.5
        texts.append(f"{'-' if value < 0 and whole else ''}Rp {whole:,}".replace(",", "."))
    return texts


_EXACT_FRACTIONS = 2.0 ** 52  # below it a float64's fraction (x - floor(x)) is exact


def rupiah_short(value: Any, decimals: int = 1) -> str:
    """Compact rupiah for cards and axis labels: ``rupiah_short(1_500_000_000) -> "Rp 1,5 M"``.

    Units are rb (ribu), jt (juta), M (miliar) and T (triliun), as in Indonesian government reports.
    A trailing ",0" is dropped ("Rp 2 jt"). The unit is chosen after rounding, so 999.960 rupiah
    becomes "Rp 1 jt" and not "Rp 1.000 rb". Amounts below a thousand are shown whole ("Rp 750").
    """
    numeric = _number_or_none(value)
    if numeric is None:
        return MISSING
    magnitude = abs(numeric)
    if _rounded(magnitude, 0) < 1000:  # below a thousand the exact amount is already short
        return rupiah(numeric)
    sign = "-" if numeric < 0 else ""
    # Largest unit first: a value that rounds up to 1 in a larger unit is caught there.
    for size, unit in _RUPIAH_UNITS:
        if _rounded(magnitude / size, decimals) >= 1:
            return f"{sign}Rp {_trim(_grouped(magnitude / size, decimals))} {unit}"
    return rupiah(numeric)  # not reached: anything of a thousand or more matched "rb" above


def _trim(text: str) -> str:
    """Drop a decimal part made only of zeros: "2,0" -> "2"."""
    if "," in text:
        whole, fraction = text.split(",")
        if set(fraction) == {"0"}:
            return whole
    return text


def percent(share: Any, decimals: int = 1) -> str:
    """A share between 0 and 1 as a percentage: ``percent(0.153) -> "15,3%"``."""
    numeric = _number_or_none(share)
    if numeric is None:
        return MISSING
    # Scale in decimal, not binary: 0.0145 * 100 is 1.4499999999999997 as a float and would show 1,4%.
    return f"{_grouped(Decimal(repr(numeric)) * 100, decimals)}%"


def month_label(value: Any) -> str:
    """``month_label(Timestamp("2017-03-01")) -> "Maret 2017"``."""
    stamp = _timestamp_or_none(value)
    return MISSING if stamp is None else f"{BULAN[stamp.month - 1]} {stamp.year}"


def date_label(value: Any) -> str:
    """``date_label(Timestamp("2017-03-14")) -> "14 Maret 2017"``."""
    stamp = _timestamp_or_none(value)
    return MISSING if stamp is None else f"{stamp.day} {BULAN[stamp.month - 1]} {stamp.year}"


def period_label(start: Any, end: Any) -> str:
    """The months a dataset covers: "Januari 2017 – Desember 2018", or one month when they match."""
    first, last = month_label(start), month_label(end)
    if first == MISSING and last == MISSING:
        return MISSING
    return first if first == last else f"{first} – {last}"


def ingest_totals_line(totals: dict[str, Any]) -> str:
    """One line of data-quality counts from the ingest report, so every row is accounted for on screen
    (DATA-CONTRACT.md: rows_read = rows_kept + rows_merged + rows_rejected + rows_skipped)."""
    parts = (
        ("dibaca", "rows_read"),
        ("dipakai", "rows_kept"),
        ("digabung (duplikat)", "rows_merged"),
        ("ditolak", "rows_rejected"),
        ("dilewati", "rows_skipped"),
    )
    texts = [f"{label} {number(totals.get(key))}" for label, key in parts]
    if "rows_fixed" in totals:  # kept rows in which a value was repaired; a part of "dipakai", not a sixth count
        texts[1] += f" (di antaranya diperbaiki {number(totals['rows_fixed'])})"
    return "Baris " + " · ".join(texts)


def _signed(text: str, numeric: float) -> str:
    """A leading "+" or "-": st.metric reads the direction of a delta from its first character."""
    if text.lstrip("-").strip("0,.%") == "" or numeric == 0:
        return text.lstrip("-")  # "0" or "0,0": no direction
    return text if text.startswith("-") else f"+{text}"


def indicator_value(kind: str, value: Any) -> str:
    """A card or table value by indicator kind (analysis.insight.indicators: jumlah, total, porsi, rupiah,
    rasio, pertumbuhan), so every page shows the same indicator the same way:
    ``indicator_value("porsi", 0.153) -> "15,3%"``, ``indicator_value("rupiah", 2.5e9) -> "Rp 2,5 M"``,
    ``indicator_value("pertumbuhan", 0.123) -> "+12,3%"``."""
    from analysis.insight import indicators as ind  # here, not at the top: indicators imports this module

    numeric = _number_or_none(value)
    if numeric is None:
        return NOT_AVAILABLE if kind == ind.RATE else MISSING
    if kind in (ind.COUNT, ind.SUM):
        return number(numeric)
    if kind == ind.SHARE:
        return percent(numeric)
    if kind == ind.RUPIAH:
        return rupiah_short(numeric)
    if kind == ind.RATE:
        return number(numeric, 2)
    if kind == ind.GROWTH:
        return _signed(percent(numeric), numeric)
    raise ValueError(f"jenis indikator '{kind}' tidak dikenal")


def indicator_delta(kind: str, change: Any, previous: Any = None) -> str | None:
    """The change against the previous period as st.metric's delta, or None (no delta shown) when it is
    missing, as for stock indicators.

    Shares and growth rates change in percentage points ("+4,7 poin"): "+4,7%" would read as a relative
    change. Money changes relative to the previous value ("+12,3%") when that is known and positive,
    else as a signed short amount ("+Rp 1,2 M"); counts and totals as a signed number."""
    from analysis.insight import indicators as ind

    numeric = _number_or_none(change)
    if numeric is None:
        return None
    if kind in (ind.SHARE, ind.GROWTH):
        return f"{_signed(_grouped(Decimal(repr(numeric)) * 100, 1), numeric)} poin"
    if kind == ind.RUPIAH:
        base = _number_or_none(previous)
        if base is not None and base > 0:
            return _signed(percent(numeric / base), numeric)
        return _signed(rupiah_short(numeric), numeric)
    if kind in (ind.COUNT, ind.SUM):
        return _signed(number(numeric), numeric)
    if kind == ind.RATE:
        return _signed(number(numeric, 2), numeric)
    raise ValueError(f"jenis indikator '{kind}' tidak dikenal")


def signed_percent(value: Any, decimals: int = 1) -> str:
    """A value already in percent, with its direction: ``signed_percent(14.5) -> "+14,5%"``,
    ``signed_percent(-0.4) -> "-0,4%"``, ``signed_percent(0.0) -> "0,0%"``. For effects and changes,
    where a reader must see at a glance whether something went up or down."""
    numeric = _number_or_none(value)
    if numeric is None:
        return MISSING
    return _signed(f"{_grouped(numeric, decimals)}%", numeric)
