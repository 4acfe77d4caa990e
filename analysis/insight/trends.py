"""Sales per product category over time: the trend by month, quarter (triwulan) or year, growth against
the same months a year earlier, the seasonal pattern with the Lebaran months beside it, the products
that carry each category and the kecamatan where it sells most.

Every sum has the number of reporting UMKM beside it: a category whose sales rest on eight UMKM can
double because one of them grew, and the reader must be able to see that. Pure functions over the
canonical tables; inputs are never modified. The page pages/tren_kategori.py only renders these.

The work is done on the sales as coded arrays (analysis/insight/coded.py), not by grouping a million
text ids on every rerun. The dashboard keeps one ``CodedSales`` per data version and passes it to
``analyse``; the functions that take frames build one. When every amount is whole rupiah, the trend,
growth, seasonality and kecamatan tables add up producer-months (``_cells``: one cell per producer,
kategori and month, sorted, so a producer's distinct periods are where its run of cells changes);
fractions are summed row by row, in pandas' order.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core import excel
from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core.schemas import Producers, Sales, Table
from analysis.insight import filters as flt
from analysis.insight.coded import (  # noqa: F401 - NO_KATEGORI: also trends.NO_KATEGORI
    NO_KATEGORI,
    NO_MONTH,
    CodedSales,
    covers,
    mask_or_all,
    month_code,
    month_start,
    present,
)

Freq = Literal["bulan", "kuartal", "tahun"]
FREQS: tuple[Freq, ...] = ("bulan", "kuartal", "tahun")
FREQ_LABELS = {"bulan": "Bulan", "kuartal": "Triwulan", "tahun": "Tahun"}
_PANDAS_FREQ = {"bulan": "M", "kuartal": "Q", "tahun": "Y"}
_MONTHS_IN = {"bulan": 1, "kuartal": 3, "tahun": 12}
ROMAN = ("I", "II", "III", "IV")

MIN_PRODUCERS = 10  # below this a growth rate or share says more about single UMKM than about the category
TOP_PRODUCTS = 5

# Columns of the frames below (pages and charts take them from here, never typed as strings).
KATEGORI = Sales.kategori
PERIODE = "periode"  # first day of the month, quarter or year
LABEL = "label_periode"  # "Maret 2016", "Triwulan I 2016", "2016"
TICK = "label_singkat"  # "Mar 2016", "TW I 2016", "2016": axis ticks
PENJUALAN = "penjualan_rp"
N_UMKM = "n_umkm"
BULAN_DATA = "bulan_data"  # months with sales data in the period (a year of 10 months is not a year)
BULAN_PENUH = "bulan_penuh"  # months the period has (1, 3 or 12)
TAHUN = "tahun"
TAHUN_LALU = "tahun_pembanding"
BULAN_SAMA = "bulan_dibandingkan"
PENJUALAN_LALU = "penjualan_tahun_lalu_rp"
PERTUMBUHAN = "pertumbuhan"
CATATAN = "catatan"
BULAN = "bulan_ke"  # calendar month 1..12
NAMA_BULAN = "nama_bulan"
INDEKS = "indeks_musiman"  # 100 = the category's average month
N_TAHUN = "tahun_lengkap"
LEBARAN = "lebaran"
TANGGAL = "idul_fitri"
PRODUK = "produk"
PORSI = "porsi_kategori"
KECAMATAN = Producers.kecamatan

# Indonesian headers of the tables shown on the page and written to Excel.
HEADERS = {
    KATEGORI: "Kategori", LABEL: "Periode", PENJUALAN: "Penjualan (Rp)", N_UMKM: "Jumlah UMKM melapor",
    BULAN_DATA: "Bulan berdata", TAHUN: "Tahun", TAHUN_LALU: "Dibanding tahun", BULAN_SAMA: "Bulan yang dibandingkan",
    PENJUALAN_LALU: "Penjualan tahun pembanding (Rp)", PERTUMBUHAN: "Pertumbuhan", CATATAN: "Catatan",
    NAMA_BULAN: "Bulan", INDEKS: "Indeks musiman (100 = rata-rata)", N_TAHUN: "Tahun lengkap dipakai",
    LEBARAN: "Lebaran pada tahun", TANGGAL: "Idul Fitri", PRODUK: "Produk", PORSI: "Porsi dari kategori",
    KECAMATAN: "Kecamatan",
}


def _require(frame: pd.DataFrame, table: type[Table], columns: Iterable[str]) -> None:
    """Name every missing column (in Indonesian) instead of failing with a bare KeyError deep in pandas."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{table.name}: kolom {', '.join(repr(c) for c in missing)} tidak ada")


def _coded(sales: pd.DataFrame, producers: pd.DataFrame | None = None) -> CodedSales:
    """The sales (and producers) as ``CodedSales``, after naming any missing column."""
    _require(sales, Sales, [Sales.umkm_id, Sales.bulan, Sales.kategori, Sales.nilai_rp])
    return CodedSales(sales, producers)


def _used(coded: CodedSales, rows: np.ndarray | None) -> np.ndarray:
    """Positions of the rows among ``rows`` (None: all) that every sum here counts: those with a month and
    an amount. A row without a kategori counts under NO_KATEGORI, so no money is lost."""
    return np.flatnonzero(coded.usable if rows is None else rows & coded.usable)


def _groups(*keys: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Dense group codes (0..n-1) of the rows' key tuples, in the keys' sort order, and each group's value
    of every key (in the keys' dtypes). The keys are small integers (kategori, kecamatan, product and
    month codes)."""
    key = np.zeros(len(keys[0]), dtype=np.int64)
    lows, spans = [], []
    size = 1
    for part in keys:  # in place: a million rows make every temporary 10 MB
        low = int(part.min()) if len(part) else 0
        span = (int(part.max()) - low + 1) if len(part) else 1
        key *= span
        key += part
        key -= low
        size *= span
        lows.append(low)
        spans.append(span)
    if size <= 1_000_000:  # a table over the key range: no hashing, no sorting
        occupied = np.zeros(size, dtype=bool)
        occupied[key] = True
        dense = np.cumsum(occupied) - 1
        codes = dense[key]
        values = np.flatnonzero(occupied)
    else:
        codes, values = pd.factorize(key, sort=True)
        codes, values = codes.astype(np.int64), np.asarray(values, dtype=np.int64)
    # Each group's key taken apart again, last key first (not read from a row of the group: that needed
    # a position per row, millions of them at province size).
    parts = []
    for part, low, span in zip(keys[::-1], lows[::-1], spans[::-1]):
        parts.append((values % span + low).astype(part.dtype))
        values = values // span
    return codes, parts[::-1]


def _sums(codes: np.ndarray, values: np.ndarray, n_groups: int | None = None, whole: bool = False) -> np.ndarray:
    """Sum of ``values`` per dense group code (codes in the groups' sort order, as pandas numbers the
    groups), bit for bit what the former grouping on the text columns gave. ``whole``
    (``CodedSales.whole``): every sum of these values is exact, so ``np.bincount`` gives it. Otherwise
    pandas sums the same rows in the same order with the same group numbers, so it takes the same
    path as before (``np.add.reduceat`` when the rows come sorted by group, compensated sums if not)."""
    n_groups = (int(codes.max()) + 1 if len(codes) else 0) if n_groups is None else n_groups
    if n_groups == 0:
        return np.zeros(0)
    if whole:
        return np.bincount(codes, weights=values, minlength=n_groups)
    return pd.Series(values, copy=False).groupby(codes).sum().reindex(range(n_groups), fill_value=0.0).to_numpy()


def _n_distinct(codes: np.ndarray, umkm: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct linked producers (umkm code >= 0) per group code: the former ``nunique`` of umkm_id. A
    table of flags (group x producer) is faster than hashing millions of pairs; at province size it is
    filled for as many groups at a time as fit in ``_FLAGS`` bytes. When that takes more than
    ``_MAX_PASSES`` passes over the rows (a province's kecamatan x kategori: twelve), the distinct
    (group, producer) pairs are hashed by Arrow instead: groups that many are small, and their pairs few."""
    width = (int(umkm.max()) + 2) if len(umkm) else 1  # the last column: rows without a producer (code -1)
    per_pass = max(1, _FLAGS // width)
    if -(-n_groups // per_pass) > _MAX_PASSES:
        linked = umkm >= 0
        distinct = pc.unique(pa.array(codes[linked].astype(np.int64) * width + umkm[linked])).to_numpy()
        return np.bincount(distinct // width, minlength=n_groups).astype(np.int64)
    counts = np.zeros(n_groups, dtype=np.int64)
    for low in range(0, n_groups, per_pass):
        high = min(low + per_pass, n_groups)
        inside = slice(None) if high - low == n_groups else (codes >= low) & (codes < high)
        seen = np.zeros((high - low, width), dtype=bool)
        seen[codes[inside] - low, umkm[inside]] = True  # (-1: the last column, not counted)
        counts[low:high] = seen[:, :-1].sum(axis=1)
    return counts


_FLAGS = 50_000_000  # bytes of the table of flags of _n_distinct
_MAX_PASSES = 4  # passes over the rows that _n_distinct makes at most; more: the pairs are hashed


def _names(coded: CodedSales, codes: np.ndarray) -> pd.Series:
    return pd.Series(coded.kategori_names.array.take(codes), dtype="string")


def _kategori_order(names: Iterable[str]) -> list[str]:
    """The reference order of the categories (the same colours and rows on every page), unknown ones last."""
    names = set(names)
    return [k for k in ref.KATEGORI if k in names] + sorted(names - set(ref.KATEGORI))


def period_labels(start: pd.Timestamp, freq: Freq) -> tuple[str, str]:
    """(long, short) Indonesian label of the period starting at ``start``: plotly writes English months,
    and Indonesian offices say "Triwulan I", not "Q1"."""
    if freq == "bulan":
        return fmt.month_label(start), f"{fmt.BULAN[start.month - 1][:3]} {start.year}"
    if freq == "kuartal":
        roman = ROMAN[(start.month - 1) // 3]
        return f"Triwulan {roman} {start.year}", f"TW {roman} {start.year}"
    return str(start.year), str(start.year)


def sales_by_category(sales: pd.DataFrame | None, freq: Freq = "bulan", *, coded: CodedSales | None = None,
                      rows: np.ndarray | None = None) -> pd.DataFrame:
    """Sales and reporting UMKM per kategori and period, oldest first, with how many months of the period
    hold data: the last year or quarter is often incomplete and would otherwise read as a fall.

    Rows whose producer could not be linked still count in the sales (the money was earned) but not in
    the number of UMKM. With ``coded`` its rows ``rows`` (a mask of producers and months, as
    ``CodedSales.rows`` gives; None: all) are read, not ``sales``."""
    if freq not in FREQS:
        raise ValueError(f"freq harus salah satu dari {', '.join(FREQS)}, bukan {freq!r}")
    return _by_category(_coded(sales) if coded is None else coded, rows, freq)


def _period_start(month: np.ndarray, freq: Freq) -> np.ndarray:
    """Month code of the first month of the quarter or year of each month code (month code 0: Jan 1970); the
    month codes themselves by month (two passes over a province's rows saved)."""
    return month if _MONTHS_IN[freq] == 1 else month - month % _MONTHS_IN[freq]


def _by_category(coded: CodedSales, rows: np.ndarray | None, freq: Freq) -> pd.DataFrame:
    """``sales_by_category`` of the coded rows in ``rows`` (None: all)."""
    if freq not in FREQS:
        raise ValueError(f"freq harus salah satu dari {', '.join(FREQS)}, bukan {freq!r}")
    if coded.whole:  # from the cells: a producer's distinct periods are runs of its sorted cells
        cells, loose = _chosen(coded, rows)
        month = np.concatenate([cells["month"], coded.month[loose]]).astype(np.int64)
        start = _period_start(month, freq)
        codes, (starts, group_kategori) = _groups(start, np.concatenate([cells["kategori"], coded.kategori[loose]]))
        sums = _sums(codes, np.concatenate([cells["sum"], coded.nilai[loose]]), len(starts), whole=True)
        linked = len(cells["month"])  # the cells come first; the loose rows have no producer to count
        new = _run_starts(cells["umkm"], cells["kategori"], start[:linked])
        n_umkm = np.bincount(codes[:linked][new], minlength=len(starts))
    else:
        at = _used(coded, rows)
        month = coded.month[at].astype(np.int64)
        start = _period_start(month, freq)
        codes, (starts, group_kategori) = _groups(start, coded.kategori[at])
        sums = _sums(codes, coded.nilai[at], len(starts), coded.whole)
        n_umkm = _n_distinct(codes, coded.umkm[at], len(starts))
    seen = present(month)  # months with data, then per period
    coverage = pd.Series(1, index=seen).groupby(_period_start(seen, freq)).sum()
    periods = pd.PeriodIndex.from_ordinals(starts, freq="M")
    grouped = pd.DataFrame({
        PERIODE: periods if freq == "bulan" else periods.asfreq(_PANDAS_FREQ[freq], how="start"),
        KATEGORI: _names(coded, group_kategori),
        PENJUALAN: sums,
        N_UMKM: n_umkm.astype(np.int64),
    })
    grouped[BULAN_DATA] = coverage.reindex(starts).to_numpy().astype(int)
    grouped[BULAN_PENUH] = _MONTHS_IN[freq]
    order = {k: i for i, k in enumerate(_kategori_order(grouped[KATEGORI]))}
    grouped = grouped.sort_values([PERIODE, KATEGORI], key=lambda s: s.map(order) if s.name == KATEGORI else s,
                                  kind="stable").reset_index(drop=True)
    starts = grouped[PERIODE].map(lambda p: p.start_time.normalize())
    labels = [period_labels(s, freq) for s in starts]
    # (no row under the filters: an empty column of dates, which to_datetime cannot make of no periods)
    grouped[PERIODE] = pd.to_datetime(starts) if len(grouped) else pd.Series(dtype="datetime64[us]")
    grouped[LABEL] = [long for long, _ in labels]
    grouped[TICK] = [short for _, short in labels]
    return grouped[[PERIODE, LABEL, TICK, KATEGORI, PENJUALAN, N_UMKM, BULAN_DATA, BULAN_PENUH]]


def incomplete_note(trend: pd.DataFrame) -> str | None:
    """A sentence naming the periods with fewer months of data than they have, or None."""
    short = trend.loc[trend[BULAN_DATA] < trend[BULAN_PENUH], [LABEL, BULAN_DATA, BULAN_PENUH]].drop_duplicates()
    if short.empty:
        return None
    parts = [f"{row[LABEL]} ({row[BULAN_DATA]} dari {row[BULAN_PENUH]} bulan)" for _, row in short.iterrows()]
    return "Periode belum lengkap, jangan dibaca sebagai penurunan: " + ", ".join(parts) + "."


def _month_span(months: Iterable[int]) -> str:
    """"Januari–Oktober" for a run of months, else the short names listed."""
    months = sorted(set(months))
    if not months:
        return fmt.MISSING
    if months == list(range(months[0], months[-1] + 1)):
        first, last = fmt.BULAN[months[0] - 1], fmt.BULAN[months[-1] - 1]
        return first if first == last else f"{first}–{last}"
    return ", ".join(fmt.BULAN[m - 1][:3] for m in months)


_UMKM_CODE = "_umkm"


def yoy_growth(sales: pd.DataFrame, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None,
               min_producers: int = MIN_PRODUCERS) -> pd.DataFrame:
    """Growth per kategori and year against the same months of the year before, like for like.

    Only UMKM-months reported in both years count: the sales of UMKM ``u`` in month ``m`` of year Y are
    compared with its sales in month ``m`` of Y-1, and months or UMKM present in one year only are left
    out. Totals would otherwise grow because more UMKM reported or because the newest year has ten
    months, not because anyone sold more. Rows without a linked UMKM cannot be matched and are left out.

    ``start``/``end`` (the period filter, first days of months) choose which year-months are reported;
    the months a year earlier are taken from ``sales`` even when they lie before ``start``, so pass sales
    that are not cut to the period (as ``analyse`` does). A kategori with fewer than ``min_producers``
    matched UMKM gets a note: its rate moves with single businesses."""
    return _yoy(_coded(sales), None, start, end, min_producers)


def _in_months(month: np.ndarray, start: pd.Timestamp | None, end: pd.Timestamp | None) -> np.ndarray:
    """Month codes whose first day lies in the period [start, end's month] (``flt.in_period`` of the
    months' first days)."""
    keep = np.ones(len(month), dtype=bool)
    if start is not None:
        start = pd.Timestamp(start)
        first = month_code(start) + (0 if start == month_start(month_code(start)) else 1)
        keep &= month >= first
    if end is not None:
        keep &= month <= month_code(end)
    return keep


def _yoy(coded: CodedSales, rows: np.ndarray | None, start: pd.Timestamp | None, end: pd.Timestamp | None,
         min_producers: int = MIN_PRODUCERS) -> pd.DataFrame:
    """``yoy_growth`` of the coded rows in ``rows`` (None: all).

    UMKM-months are cells keyed (producer, kategori, month); a cell of the period matches the cell of the
    same producer and kategori twelve months earlier. Cells are ordered as the former grouping on the
    text ids ordered them (producers by first appearance, then kategori by name, then month), so every
    sum adds the same numbers in the same order."""
    columns = [KATEGORI, TAHUN, TAHUN_LALU, BULAN_SAMA, PENJUALAN, PENJUALAN_LALU, PERTUMBUHAN, N_UMKM, CATATAN]
    if coded.whole:
        return _yoy_whole(coded, rows, start, end, min_producers, columns)
    at = _used(coded, rows)
    at = at[coded.umkm[at] >= 0]
    month = coded.month[at].astype(np.int64)
    now, before = _in_months(month, start, end), _in_months(month + 12, start, end)
    needed = now | before
    at, month, now, before = at[needed], month[needed], now[needed], before[needed]
    producer = pd.factorize(coded.umkm[at])[0].astype(np.int64)  # first appearance, as on the text ids
    kategori = coded.kategori[at].astype(np.int64)
    values = coded.nilai[at]
    if not now.any() or not before.any():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    low = int(month.min())
    span = int(month.max()) + 12 - low + 1
    n_kategori = int(kategori.max()) + 1
    key = (producer * n_kategori + kategori) * span + (month - low)
    # Grouped on the key itself, as the former code grouped on its four columns: the same group numbers,
    # so pandas adds each cell's rows the same way (see _sums).
    current = pd.Series(values[now], copy=False).groupby(key[now]).sum()  # sorted by key
    earlier = pd.Series(values[before], copy=False).groupby(key[before] + 12).sum()  # the cell compared with
    found = earlier.index.get_indexer(current.index)
    hit = np.flatnonzero(found >= 0)
    if len(hit) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    cell = current.index.to_numpy()[hit]
    cell_month = cell % span + low
    matched = pd.DataFrame({
        _UMKM_CODE: cell // span // n_kategori,
        KATEGORI: cell // span % n_kategori,
        TAHUN: cell_month // 12 + 1970,
        BULAN: cell_month % 12 + 1,
        PENJUALAN: current.to_numpy()[hit],
        PENJUALAN_LALU: earlier.to_numpy()[found[hit]],
    })
    names = coded.kategori_names
    rows_out = []
    for (code, year), group in matched.groupby([KATEGORI, TAHUN]):
        now_sum, then = float(group[PENJUALAN].sum()), float(group[PENJUALAN_LALU].sum())
        n = int(group[_UMKM_CODE].nunique())
        note = ""
        if n < min_producers:
            note = f"Hanya {n} UMKM melapor di kedua tahun (< {min_producers}): pertumbuhan belum dapat dibaca."
        rows_out.append({
            KATEGORI: str(names[code]), TAHUN: int(year), TAHUN_LALU: int(year) - 1,
            BULAN_SAMA: _month_span(np.unique(group[BULAN]).tolist()), PENJUALAN: now_sum, PENJUALAN_LALU: then,
            PERTUMBUHAN: now_sum / then - 1 if then > 0 else float("nan"), N_UMKM: n, CATATAN: note,
        })
    table = pd.DataFrame(rows_out, columns=columns)
    order = {k: i for i, k in enumerate(_kategori_order(table[KATEGORI]))}
    return table.sort_values([TAHUN, KATEGORI], key=lambda s: s.map(order) if s.name == KATEGORI else s,
                             kind="stable").reset_index(drop=True)


def _cells(coded: CodedSales) -> dict[str, np.ndarray]:
    """The UMKM-months of the linked rows with a month and an amount, once per ``coded``: one cell per
    (producer, kategori, month), sorted by them, with its sum, its first row and the cell of the same
    producer and kategori twelve months earlier (-1: none). A filter on producers or months keeps or
    drops whole cells, so every filter reads these; and since a producer's cells lie side by side, its
    distinct kategori, periods or years are counted where the run of equal values changes (``_run_starts``),
    without hashing or sorting the rows again. Sums are added in another order than the rows' order:
    only for exact sums (``CodedSales.whole``)."""
    at = np.flatnonzero(coded.usable & (coded.umkm >= 0))
    month = coded.month[at]
    if len(at) == 0:
        empty = np.zeros(0, dtype=np.int32)
        return {"umkm": empty, "kategori": coded.kategori[:0], "month": empty, "sum": np.zeros(0), "first": empty,
                "before": empty}
    kategori = coded.kategori[at]
    low, n_kategori = int(month.min()), int(kategori.max()) + 1
    span = int(month.max()) - low + 1
    key = coded.umkm[at]
    # a province's keys fit int32: half the bytes, a faster sort (the bound holds every step below too)
    small = (int(key.max()) + 1) * n_kategori * span + abs(low) <= _INT32_KEYS
    key = key.astype(np.int32 if small else np.int64)  # built in place: 25-50 MB per temporary at province size
    key *= n_kategori
    key += kategori
    key *= span
    key -= low
    key += month
    del month, kategori
    order = np.argsort(key)  # (numpy's vectorised quicksort: 0.15-0.4 s for a province's 6.5 million keys)
    key, at = key[order], at[order]
    del order
    starts = np.flatnonzero(_run_starts(key))
    first = np.minimum.reduceat(at, starts).astype(np.int32 if coded.n_rows < 2**31 else np.int64)
    sums = np.add.reduceat(coded.nilai[at], starts)
    del key, at, starts
    umkm, kategori, month = coded.umkm[first], coded.kategori[first], coded.month[first]
    return {"umkm": umkm, "kategori": kategori, "month": month, "sum": sums, "first": first,
            "before": _year_before(umkm, kategori, month)}


_INT32_KEYS = 2**31 - 1  # cell keys up to this are sorted as int32
_MAX_CELL_TABLE = 64_000_000  # bytes of the table of _year_before at most; beyond it, binary search


def _year_before(umkm: np.ndarray, kategori: np.ndarray, month: np.ndarray) -> np.ndarray:
    """For each cell (sorted by producer, kategori and month, each once): the position of the cell of the
    same producer and kategori twelve months earlier, -1 where there is none. Read from a table of
    positions per (producer, kategori) run and month (a year of margin in front, so a month twelve back
    stays in its own run); a date typed a century off makes that table large, and sorted keys with binary
    search serve instead."""
    if not len(month):
        return np.zeros(0, dtype=np.int32)
    pair = np.cumsum(_run_starts(umkm, kategori), dtype=np.int64) - 1
    low = int(month.min())
    span = int(month.max()) - low + 13
    if (int(pair[-1]) + 1) * span * 4 <= _MAX_CELL_TABLE:
        slot = (pair.astype(np.int32) * span + (month - low + 12)).astype(np.int32)  # (the table: < 2**31 slots)
        table = np.full((int(pair[-1]) + 1) * span, -1, dtype=np.int32)
        table[slot] = np.arange(len(slot), dtype=np.int32)
        slot -= 12
        return table[slot]
    key = pair * span + (month.astype(np.int64) - low + 12)  # sorted, as the cells are
    before = np.minimum(np.searchsorted(key, key - 12), len(key) - 1)
    return np.where(key[before] == key - 12, before, -1).astype(np.int32)


def _run_starts(*parts: np.ndarray) -> np.ndarray:
    """Whether each position starts a run: the first, or any of ``parts`` differs from the position before."""
    starts = np.zeros(len(parts[0]), dtype=bool)
    if len(starts):
        starts[0] = True
        for part in parts:
            starts[1:] |= part[1:] != part[:-1]
    return starts


def _chosen(coded: CodedSales, rows: np.ndarray | None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The cells (``_cells``) of the rows ``rows`` keeps (a mask of producers and months, as
    ``CodedSales.rows`` gives; None: all), still sorted, and the positions of the rows with a month and an
    amount but no linked producer that ``rows`` keeps (their money counts, their producer cannot)."""
    cells = coded.memo("yoy_cells", lambda: _cells(coded))
    loose = coded.memo("loose_rows", lambda: np.flatnonzero(coded.usable & (coded.umkm < 0)))
    if rows is None:
        return cells, loose
    at = np.flatnonzero(rows[cells["first"]])
    return {name: values[at] for name, values in cells.items() if name != "before"}, loose[rows[loose]]


def _yoy_whole(coded: CodedSales, rows: np.ndarray | None, start, end, min_producers: int,
               columns: list[str]) -> pd.DataFrame:
    """``_yoy`` when every sum is exact (``CodedSales.whole``): the same cells and totals, read from
    ``_cells`` without regrouping the rows or keeping the former adding order."""
    cells = coded.memo("yoy_cells", lambda: _cells(coded))
    keep = _in_months(cells["month"], start, end) & (cells["before"] >= 0)
    if rows is not None:
        keep &= rows[cells["first"]]
    at = np.flatnonzero(keep)
    if len(at) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    month = cells["month"][at]
    year = month // 12 + 1970
    kategori = cells["kategori"][at]
    codes, (group_kategori, group_year) = _groups(kategori, year)
    n_groups = len(group_year)
    now = np.bincount(codes, weights=cells["sum"][at], minlength=n_groups)
    then = np.bincount(codes, weights=cells["sum"][cells["before"][at]], minlength=n_groups)
    n = np.bincount(codes[_run_starts(cells["umkm"][at], kategori, year)], minlength=n_groups)  # (cells: sorted)
    calendar = np.zeros((n_groups, 12), dtype=bool)
    calendar[codes, month % 12] = True
    names = coded.kategori_names
    rows_out = []
    for g in range(n_groups):
        count, now_sum, then_sum = int(n[g]), float(now[g]), float(then[g])
        note = ""
        if count < min_producers:
            note = f"Hanya {count} UMKM melapor di kedua tahun (< {min_producers}): pertumbuhan belum dapat dibaca."
        rows_out.append({
            KATEGORI: str(names[group_kategori[g]]), TAHUN: int(group_year[g]), TAHUN_LALU: int(group_year[g]) - 1,
            BULAN_SAMA: _month_span((np.flatnonzero(calendar[g]) + 1).tolist()), PENJUALAN: now_sum,
            PENJUALAN_LALU: then_sum, PERTUMBUHAN: now_sum / then_sum - 1 if then_sum > 0 else float("nan"),
            N_UMKM: count, CATATAN: note,
        })
    table = pd.DataFrame(rows_out, columns=columns)
    order = {k: i for i, k in enumerate(_kategori_order(table[KATEGORI]))}
    return table.sort_values([TAHUN, KATEGORI], key=lambda s: s.map(order) if s.name == KATEGORI else s,
                             kind="stable").reset_index(drop=True)


def complete_years(sales: pd.DataFrame) -> list[int]:
    """Years in which every one of the 12 months has sales data (any kategori)."""
    coded = _coded(sales)
    return _years_complete(coded.month[_used(coded, None)])


def _years_complete(month: np.ndarray) -> list[int]:
    """The years in which each of the 12 months is among the month codes ``month``."""
    years, counts = np.unique(present(month) // 12 + 1970, return_counts=True)
    return sorted(int(y) for y, n in zip(years, counts) if n == 12)


def seasonality(sales: pd.DataFrame, lebaran: pd.DataFrame | None = None) -> pd.DataFrame:
    """A seasonal index per kategori and calendar month: 100 is the kategori's average month, 130 a month
    that sells 30% more than it.

    Only complete years are used, and each year is measured against its own monthly average before the
    years are averaged (ratio to the annual mean). Growth from one year to the next therefore does not
    show up as "December is high", and a ten-month year cannot make its missing months look low. Within a
    year a steady trend is not removed; with two or three years of data a moving-average de-trending
    would cost the first and last six months of each short series, which is most of the data. Per
    kategori the 12 indices average to exactly 100. No complete year: an empty frame.

    ``lebaran`` (from ``lebaran_months``) adds, per calendar month, the complete years whose Idul Fitri
    fell in it."""
    return _seasonality(_coded(sales), None, lebaran)


def _seasonality(coded: CodedSales, rows: np.ndarray | None, lebaran: pd.DataFrame | None = None) -> pd.DataFrame:
    """``seasonality`` of the coded rows in ``rows`` (None: all)."""
    columns = [KATEGORI, BULAN, NAMA_BULAN, INDEKS, N_UMKM, N_TAHUN, LEBARAN]
    if coded.whole:
        group_kategori, group_month, sums, counts, years = _season_sums_from_cells(coded, rows)
    else:
        at = _used(coded, rows)
        years = _years_complete(coded.month[at])
        at = at[np.isin(coded.month[at] // 12 + 1970, years)]
        month = coded.month[at].astype(np.int64)
        kategori = coded.kategori[at]
        codes, (group_kategori, group_month) = _groups(kategori, month)  # kategori, then year and month
        sums = _sums(codes, coded.nilai[at], len(group_month))
        count_codes, (count_kategori, count_month) = _groups(kategori, month % 12 + 1)
        n = _n_distinct(count_codes, coded.umkm[at], len(count_month))
        counts = dict(zip(zip(_names(coded, count_kategori), count_month.tolist()), n.tolist()))
    if len(group_month) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    monthly = pd.Series(sums, index=pd.MultiIndex.from_arrays(
        [_names(coded, group_kategori), group_month // 12 + 1970, group_month % 12 + 1], names=[KATEGORI, TAHUN, BULAN]),
        name=PENJUALAN)
    full = pd.MultiIndex.from_product([monthly.index.levels[0], years, range(1, 13)], names=[KATEGORI, TAHUN, BULAN])
    monthly = monthly.reindex(full, fill_value=0.0).reset_index()  # a month without sales is a month of 0
    yearly_mean = monthly.groupby([KATEGORI, TAHUN])[PENJUALAN].transform("mean")
    monthly = monthly[yearly_mean > 0].assign(ratio=lambda f: f[PENJUALAN] / yearly_mean[yearly_mean > 0])
    index = monthly.groupby([KATEGORI, BULAN])["ratio"].agg(["mean", "size"]).reset_index()
    table = pd.DataFrame({
        KATEGORI: index[KATEGORI],
        BULAN: index[BULAN].astype(int),
        NAMA_BULAN: [fmt.BULAN[m - 1] for m in index[BULAN]],
        INDEKS: index["mean"] * 100,
        N_UMKM: [int(counts.get((k, m), 0)) for k, m in zip(index[KATEGORI], index[BULAN])],
        N_TAHUN: index["size"].astype(int),
    })
    marked = {} if lebaran is None else (
        lebaran[lebaran[TAHUN].isin(years)].groupby(BULAN)[TAHUN].agg(lambda y: ", ".join(str(v) for v in sorted(y))))
    table[LEBARAN] = [marked.get(m, "") for m in table[BULAN]]
    order = {k: i for i, k in enumerate(_kategori_order(table[KATEGORI]))}
    return table.sort_values([KATEGORI, BULAN], key=lambda s: s.map(order) if s.name == KATEGORI else s,
                             kind="stable").reset_index(drop=True)


def _season_sums_from_cells(coded: CodedSales, rows: np.ndarray | None):
    """``_seasonality``'s sums per (kategori, month) of the complete years, from the cells and the loose
    rows (exact sums only), and its distinct producers per (kategori, calendar month): each producer's
    cells of a kategori are one run, whose calendar months are gathered as twelve bits."""
    cells, loose = _chosen(coded, rows)
    month = np.concatenate([cells["month"], coded.month[loose]]).astype(np.int64)
    years = _years_complete(month)
    inside = np.isin(month // 12 + 1970, years)
    linked = inside[:len(cells["month"])]
    codes, (group_kategori, group_month) = _groups(
        np.concatenate([cells["kategori"], coded.kategori[loose]])[inside], month[inside])  # kategori, then month
    sums = _sums(codes, np.concatenate([cells["sum"], coded.nilai[loose]])[inside], len(group_month), whole=True)
    kategori, calendar = cells["kategori"][linked], cells["month"][linked] % 12
    runs = np.flatnonzero(_run_starts(cells["umkm"][linked], kategori))
    bits = np.bitwise_or.reduceat(np.left_shift(np.uint16(1), calendar.astype(np.uint16)), runs) if len(runs) \
        else np.zeros(0, dtype=np.uint16)
    names, run_kategori = coded.kategori_names, kategori[runs]
    counts = {}
    for m in range(12):
        per_kategori = np.bincount(run_kategori[(bits >> m) & 1 == 1], minlength=len(names))
        counts.update({(names[k], m + 1): int(per_kategori[k]) for k in np.flatnonzero(per_kategori)})
    return group_kategori, group_month, sums, counts, years


SEASONALITY_NOTE = (
    "Indeks musiman: penjualan bulan itu dibanding rata-rata bulanan tahun yang sama, dirata-rata atas tahun "
    "lengkap (12 bulan berdata); 100 = bulan rata-rata kategori, 130 = 30% di atasnya. Pita emas: bulan Idul "
    "Fitri; belanja Ramadan jatuh pada bulan itu dan bulan sebelumnya.")


def lebaran_spans(season: pd.DataFrame) -> list[tuple[float, float, str]]:
    """(start, end, label) around each calendar month that held a Lebaran in the years of the index, for
    bands on the seasonality chart (x = month 1..12)."""
    marked = season[[BULAN, LEBARAN]].drop_duplicates(BULAN)
    marked = marked[marked[LEBARAN] != ""]
    return [(m - 0.5, m + 0.5, f"Lebaran {years}") for m, years in zip(marked[BULAN], marked[LEBARAN])]


def lebaran_months(years: Iterable[int], dates: pd.Series | None = None) -> pd.DataFrame:
    """Which month Idul Fitri fell in, per year: sales of food, drink and clothing peak around it, and it
    moves about 11 days earlier every year, so "June is high" may only mean "Lebaran was in June"."""
    dates = ref.lebaran_dates() if dates is None else dates
    wanted = sorted({int(y) for y in years})
    known = [y for y in wanted if y in dates.index]
    stamps = [pd.Timestamp(dates[y]) for y in known]
    return pd.DataFrame({
        TAHUN: known,
        TANGGAL: stamps,
        BULAN: [s.month for s in stamps],
        NAMA_BULAN: [fmt.BULAN[s.month - 1] for s in stamps],
    })


def lebaran_line(lebaran: pd.DataFrame) -> str:
    """"Lebaran: 17 Juli 2015, 6 Juli 2016, 25 Juni 2017"."""
    if lebaran.empty:
        return "Lebaran: tanggal Idul Fitri untuk tahun data belum ada di data/reference/lebaran.csv."
    return "Lebaran: " + ", ".join(fmt.date_label(d) for d in lebaran[TANGGAL])


def top_products(sales: pd.DataFrame, producers: pd.DataFrame, n: int = TOP_PRODUCTS) -> pd.DataFrame:
    """The ``n`` best-selling products per kategori, with their share of the kategori's sales.

    The product is the sales row's ``produk`` text, else the producer's ``produk_utama`` from the
    registry; spellings that differ only in case or spaces are one product, shown in the most used
    spelling."""
    _require(sales, Sales, [Sales.produk])
    _require(producers, Producers, [Producers.umkm_id, Producers.produk_utama])
    return _top_products(_coded(sales, producers), None, n)


def _top_products(coded: CodedSales, rows: np.ndarray | None, n: int = TOP_PRODUCTS) -> pd.DataFrame:
    """``top_products`` of the coded rows in ``rows`` (None: all); ``coded`` carries the producers."""
    at = _used(coded, rows)
    kategori = coded.kategori[at]
    all_codes, (all_kategori,) = _groups(kategori)
    totals = pd.Series(_sums(all_codes, coded.nilai[at], len(all_kategori), coded.whole),
                       index=_names(coded, all_kategori))
    spelling = coded.product[at]
    named = spelling >= 0
    if not named.all():
        at, kategori, spelling = at[named], kategori[named], spelling[named]
    if not len(at):  # no row names a product (nor does its producer): no product to rank
        return pd.DataFrame({KATEGORI: pd.Series(dtype="string"), PRODUK: pd.Series(dtype="string"),
                             PENJUALAN: pd.Series(dtype=float), PORSI: pd.Series(dtype=float),
                             N_UMKM: pd.Series(dtype="int64")})
    # The most used spelling per key; a tie goes to the spelling seen first (value_counts' stable order).
    used = np.bincount(spelling, minlength=len(coded.spellings))
    seen_order = np.full(len(used), len(used))
    first_seen = pd.unique(spelling)  # in the order of their first rows (hashing: no pass per spelling)
    seen_order[first_seen] = np.arange(len(first_seen))
    spellings = np.flatnonzero(used)
    spelling_key = coded.product_key[spellings]
    ranked = np.lexsort((seen_order[spellings], -used[spellings], spelling_key))
    best = ranked[np.r_[True, spelling_key[ranked][1:] != spelling_key[ranked][:-1]]]
    words = dict(zip(spelling_key[best].tolist(), coded.spellings.array.take(spellings[best])))
    codes, (group_kategori, group_key) = _groups(kategori, coded.product_key[spelling])
    grouped = pd.DataFrame({
        KATEGORI: _names(coded, group_kategori),
        "_key": group_key,
        PENJUALAN: _sums(codes, coded.nilai[at], len(group_key), coded.whole),
        N_UMKM: _n_distinct(codes, coded.umkm[at], len(group_key)),
    })
    grouped[PORSI] = grouped[PENJUALAN] / grouped[KATEGORI].map(totals)
    grouped[PRODUK] = pd.Series([words[k] for k in grouped["_key"]], dtype="string")
    order = {k: i for i, k in enumerate(_kategori_order(grouped[KATEGORI]))}
    grouped["_order"] = grouped[KATEGORI].map(order)
    grouped = grouped.sort_values(["_order", PENJUALAN], ascending=[True, False], kind="stable")
    return grouped.groupby(KATEGORI, sort=False).head(n)[[KATEGORI, PRODUK, PENJUALAN, PORSI, N_UMKM]].reset_index(drop=True)


def sales_by_kecamatan(sales: pd.DataFrame, producers: pd.DataFrame) -> pd.DataFrame:
    """Sales per kategori and kecamatan with the share of the kategori's sales, largest first.

    Sales carry no kecamatan: it is the producer's, from the registry. Rows without a linked producer are
    left out of the shares (their kecamatan is unknown)."""
    _require(producers, Producers, [Producers.umkm_id, Producers.kecamatan])
    return _by_kecamatan(_coded(sales, producers), None)


def _by_kecamatan(coded: CodedSales, rows: np.ndarray | None) -> pd.DataFrame:
    """``sales_by_kecamatan`` of the coded rows in ``rows`` (None: all); ``coded`` carries the producers."""
    if coded.whole:  # from the cells: a producer's cells of one kategori are one run
        cells, _ = _chosen(coded, rows)
        where = coded.kecamatan_of_id[cells["umkm"]] if len(coded.ids) else np.zeros(0, dtype=np.int32)
        known = where >= 0
        umkm, kategori, where = cells["umkm"][known], cells["kategori"][known], where[known]
        codes, (group_kategori, group_where) = _groups(kategori, where)
        sums = _sums(codes, cells["sum"][known], len(group_where), whole=True)
        n_umkm = np.bincount(codes[_run_starts(umkm, kategori)], minlength=len(group_where)).astype(np.int64)
    else:
        at = _used(coded, rows)
        at = at[coded.umkm[at] >= 0]
        where = coded.kecamatan_of_id[coded.umkm[at]] if len(coded.ids) else np.zeros(0, dtype=np.int32)
        at, where = at[where >= 0], where[where >= 0]
        kategori = coded.kategori[at]
        codes, (group_kategori, group_where) = _groups(kategori, where)
        sums = _sums(codes, coded.nilai[at], len(group_where))
        n_umkm = _producers_per_kecamatan(coded, coded.umkm[at], kategori, group_kategori, group_where)
    grouped = pd.DataFrame({
        KATEGORI: _names(coded, group_kategori),
        KECAMATAN: pd.Series(coded.kecamatan_names[group_where], dtype="string"),
        PENJUALAN: sums,
        N_UMKM: n_umkm,
    })
    grouped[PORSI] = grouped[PENJUALAN] / grouped.groupby(KATEGORI)[PENJUALAN].transform("sum")
    order = {k: i for i, k in enumerate(_kategori_order(grouped[KATEGORI]))}
    grouped["_order"] = grouped[KATEGORI].map(order)
    grouped = grouped.sort_values(["_order", PENJUALAN], ascending=[True, False], kind="stable")
    return grouped[[KATEGORI, KECAMATAN, PENJUALAN, PORSI, N_UMKM]].reset_index(drop=True)


def _producers_per_kecamatan(coded: CodedSales, umkm: np.ndarray, kategori: np.ndarray, group_kategori: np.ndarray,
                             group_where: np.ndarray) -> np.ndarray:
    """Distinct producers per (kategori, kecamatan) group of ``_groups``, from the rows' linked producer and
    kategori codes. A producer has one kecamatan, so these are its distinct (producer, kategori) pairs
    counted under the producer's kecamatan: one table of flags over producers x kategori (3 MB for a
    province), one pass over the rows, where ``_n_distinct`` would hash the pairs of a province's groups."""
    n_kategori, n_where = max(len(coded.kategori_names), 1), max(len(coded.kecamatan_names), 1)
    seen = np.zeros(len(coded.ids) * n_kategori, dtype=bool)
    seen[umkm.astype(np.int64) * n_kategori + kategori] = True
    pairs = np.flatnonzero(seen)
    pair_key = (pairs % n_kategori) * n_where + coded.kecamatan_of_id[pairs // n_kategori]
    group_key = group_kategori.astype(np.int64) * n_where + group_where  # the groups' order: sorted
    return np.bincount(np.searchsorted(group_key, pair_key), minlength=len(group_key)).astype(np.int64)


def top_kecamatan(by_kecamatan: pd.DataFrame) -> pd.DataFrame:
    """The kecamatan where each kategori sells most (the first row per kategori of sales_by_kecamatan)."""
    return by_kecamatan.groupby(KATEGORI, sort=False).head(1).reset_index(drop=True)


@dataclass(frozen=True)
class CategoryTrends:
    freq: Freq
    trend: pd.DataFrame  # sales_by_category
    growth: pd.DataFrame  # yoy_growth
    seasonality: pd.DataFrame  # seasonality, with the Lebaran years per month
    lebaran: pd.DataFrame  # lebaran_months of the years shown
    products: pd.DataFrame  # top_products
    kecamatan: pd.DataFrame  # sales_by_kecamatan (every kategori x kecamatan)
    top_kecamatan: pd.DataFrame  # top_kecamatan

    @property
    def lebaran_periods(self) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
        """(start, end, label) of each Lebaran month, for bands on the monthly trend chart."""
        return [(pd.Timestamp(d).to_period("M").start_time, pd.Timestamp(d).to_period("M").end_time.normalize()
                 + pd.Timedelta(days=1), f"Lebaran {y}") for y, d in zip(self.lebaran[TAHUN], self.lebaran[TANGGAL])]


def analyse(tables, filters: flt.Filters, freq: Freq = "bulan", coded: CodedSales | None = None) -> CategoryTrends:
    """Everything the Tren Kategori page shows, under the shared filters.

    ``tables`` are the unfiltered tables (an ingest result or analysis.insight.filters.Tables): the growth table
    needs the months a year before the selected period, which the period filter would cut away.
    ``coded``: ``CodedSales(tables.sales, tables.producers)`` when the caller keeps one (the dashboard
    does, per data version); the filters then become masks over its arrays instead of copies of the
    tables. Built here when not given."""
    if not covers(coded, tables.sales):
        coded = _coded(tables.sales, tables.producers)
    producers = coded.of_producers(tables.producers, filters)  # every month: the growth looks a year back
    selected = coded.rows(tables.producers, filters)
    months = coded.month[mask_or_all(coded, selected) & (coded.month != NO_MONTH)]
    lebaran = lebaran_months(present(months // 12 + 1970).tolist())
    by_kecamatan = _by_kecamatan(coded, selected)
    return CategoryTrends(
        freq=freq,
        trend=_by_category(coded, selected, freq),
        growth=_yoy(coded, producers, filters.start, filters.end),
        seasonality=_seasonality(coded, selected, lebaran),
        lebaran=lebaran,
        products=_top_products(coded, selected),
        kecamatan=by_kecamatan,
        top_kecamatan=top_kecamatan(by_kecamatan),
    )


# --------------------------------------------------------------------------------------------------
# Tables as shown (Indonesian text) and as exported (numbers, Indonesian headers)


def _shown(frame: pd.DataFrame, columns: list[str], formats: dict) -> pd.DataFrame:
    out = pd.DataFrame({HEADERS[c]: [formats[c](v) for v in frame[c]] if c in formats else frame[c].to_numpy()
                        for c in columns})
    return out


_MONEY = fmt.rupiah_short
_COUNT = fmt.number


def growth_table(growth: pd.DataFrame) -> pd.DataFrame:
    """Narrow enough for a laptop screen: the year and the year compared with in one column ("2016 vs
    2015"), short headers, the count beside the rate it qualifies and the note last."""
    table = _shown(growth, [KATEGORI, PERTUMBUHAN, N_UMKM, PENJUALAN, PENJUALAN_LALU, BULAN_SAMA, CATATAN],
                   {PENJUALAN: _MONEY, PENJUALAN_LALU: _MONEY, N_UMKM: _COUNT,
                    PERTUMBUHAN: lambda v: fmt.indicator_value("pertumbuhan", v)})
    table.insert(1, HEADERS[TAHUN], [f"{y} vs {p}" for y, p in zip(growth[TAHUN], growth[TAHUN_LALU])])
    return table.rename(columns={HEADERS[PENJUALAN]: "Penjualan", HEADERS[PENJUALAN_LALU]: "Tahun sebelumnya",
                                 HEADERS[BULAN_SAMA]: "Bulan"})


def seasonality_table(season: pd.DataFrame) -> pd.DataFrame:
    """Kategori in rows, months in columns: twelve numbers per kategori read best side by side."""
    if season.empty:
        return pd.DataFrame()
    wide = season.pivot(index=KATEGORI, columns=BULAN, values=INDEKS)
    wide = wide.reindex(_kategori_order(wide.index))
    table = pd.DataFrame({HEADERS[KATEGORI]: wide.index})
    for month in wide.columns:
        table[fmt.BULAN[month - 1][:3]] = [fmt.number(v) for v in wide[month]]
    return table


def lebaran_table(lebaran: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({HEADERS[TAHUN]: lebaran[TAHUN].astype(str), HEADERS[TANGGAL]: [fmt.date_label(d) for d in lebaran[TANGGAL]],
                         HEADERS[NAMA_BULAN]: lebaran[NAMA_BULAN]})


# Short headers for the two tables the page shows side by side (half a screen wide each).
_NARROW = {HEADERS[PENJUALAN]: "Penjualan", HEADERS[PORSI]: "Porsi", HEADERS[N_UMKM]: "UMKM"}


def products_table(products: pd.DataFrame) -> pd.DataFrame:
    return _shown(products, [KATEGORI, PRODUK, PENJUALAN, PORSI, N_UMKM],
                  {PENJUALAN: _MONEY, PORSI: fmt.percent, N_UMKM: _COUNT}).rename(columns=_NARROW)


def kecamatan_table(top: pd.DataFrame) -> pd.DataFrame:
    return _shown(top, [KATEGORI, KECAMATAN, PENJUALAN, PORSI, N_UMKM],
                  {PENJUALAN: _MONEY, PORSI: fmt.percent, N_UMKM: _COUNT}).rename(columns=_NARROW)


def small_groups_note(growth: pd.DataFrame, min_producers: int = MIN_PRODUCERS) -> str | None:
    """One sentence naming the kategori whose growth rests on too few UMKM, or None."""
    few = growth.loc[growth[N_UMKM] < min_producers, KATEGORI].drop_duplicates()
    if few.empty:
        return None
    return (f"Pertumbuhan {', '.join(few)} bersandar pada kurang dari {min_producers} UMKM yang melapor di kedua "
            "tahun: angkanya lebih mencerminkan satu-dua usaha daripada kategorinya.")


_EXPORT_FORMATS = {PENJUALAN: excel.RUPIAH_FORMAT, PENJUALAN_LALU: excel.RUPIAH_FORMAT, PORSI: excel.PERCENT_FORMAT,
                   PERTUMBUHAN: excel.PERCENT_FORMAT, INDEKS: "0.0"}


def export_sheets(result: CategoryTrends, filters: flt.Filters, data_until: pd.Timestamp | None) -> dict[str, pd.DataFrame]:
    """The Excel download: every table as numbers (Excel can compute with them) with Indonesian headers,
    and a parameter sheet with the filters, grain, data date and the methods, so the numbers keep their
    meaning when the file is passed on."""
    def sheet(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        table = pd.DataFrame({HEADERS[c]: frame[c].to_numpy() for c in columns})
        return excel.with_formats(table, {HEADERS[c]: _EXPORT_FORMATS[c] for c in columns if c in _EXPORT_FORMATS})

    parameters = pd.DataFrame({
        "Parameter": ["Filter", "Data sampai", "Satuan waktu tren", "Pertumbuhan", "Indeks musiman", "Jumlah UMKM",
                      "Porsi", "Lebaran"],
        "Nilai": [
            filters.describe(), fmt.month_label(data_until), FREQ_LABELS[result.freq],
            "Penjualan bulan-bulan tahun ini dibanding bulan yang sama tahun sebelumnya, hanya UMKM-bulan yang "
            f"melapor di kedua tahun; catatan bila kurang dari {MIN_PRODUCERS} UMKM.",
            "Penjualan bulan itu ÷ rata-rata bulanan tahun yang sama, dirata-rata atas tahun lengkap (12 bulan "
            "berdata); 100 = bulan rata-rata kategori.",
            "UMKM berbeda yang melapor penjualan di baris itu (baris tanpa UMKM tertaut dihitung di penjualan saja).",
            "Bagian dari penjualan kategori, dalam persen.",
            lebaran_line(result.lebaran),
        ],
    })
    return {
        "Tren": sheet(result.trend, [LABEL, KATEGORI, PENJUALAN, N_UMKM, BULAN_DATA]),
        "Pertumbuhan": sheet(result.growth, [KATEGORI, TAHUN, TAHUN_LALU, BULAN_SAMA, PENJUALAN, PENJUALAN_LALU,
                                             PERTUMBUHAN, N_UMKM, CATATAN]),
        "Musiman": sheet(result.seasonality, [KATEGORI, NAMA_BULAN, INDEKS, N_UMKM, N_TAHUN, LEBARAN]),
        "Lebaran": pd.DataFrame({HEADERS[TAHUN]: result.lebaran[TAHUN], HEADERS[TANGGAL]: result.lebaran[TANGGAL],
                                 HEADERS[NAMA_BULAN]: result.lebaran[NAMA_BULAN]}),
        "Produk teratas": sheet(result.products, [KATEGORI, PRODUK, PENJUALAN, PORSI, N_UMKM]),
        "Kategori x kecamatan": sheet(result.kecamatan, [KATEGORI, KECAMATAN, PENJUALAN, PORSI, N_UMKM]),
        "Parameter": parameters,
    }
