"""Sales per product category over time: the trend by month, quarter (triwulan) or year, growth against
the same months a year earlier, the seasonal pattern with the Lebaran months beside it, the products
that carry each category and the kecamatan where it sells most.

Every sum has the number of reporting UMKM beside it: a category whose sales rest on eight UMKM can
double because one of them grew, and the reader must be able to see that. Pure functions over the
canonical tables; inputs are never modified. The page pages/tren_kategori.py only renders these.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from analysis import filters as flt
from analysis import formatting as fmt
from analysis import reference as ref
from analysis.schemas import Producers, Sales, Table

Freq = Literal["bulan", "kuartal", "tahun"]
FREQS: tuple[Freq, ...] = ("bulan", "kuartal", "tahun")
FREQ_LABELS = {"bulan": "Bulan", "kuartal": "Triwulan", "tahun": "Tahun"}
_PANDAS_FREQ = {"bulan": "M", "kuartal": "Q", "tahun": "Y"}
_MONTHS_IN = {"bulan": 1, "kuartal": 3, "tahun": 12}
ROMAN = ("I", "II", "III", "IV")

MIN_PRODUCERS = 10  # below this a growth rate or share says more about single UMKM than about the category
TOP_PRODUCTS = 5
NO_KATEGORI = "(kategori tidak tercatat)"

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


def _base(sales: pd.DataFrame) -> pd.DataFrame:
    """The sales columns every function here needs, typed: a month key (period, not pd.Grouper: see
    TECH-NOTES), numeric value, and a kategori label also for rows that carry none, so no money is lost."""
    _require(sales, Sales, [Sales.umkm_id, Sales.bulan, Sales.kategori, Sales.nilai_rp])
    month = pd.to_datetime(sales[Sales.bulan]).dt.to_period("M")
    frame = pd.DataFrame({
        Sales.umkm_id: sales[Sales.umkm_id].astype("string"),
        "_bulan": month,
        KATEGORI: sales[Sales.kategori].astype("string").fillna(NO_KATEGORI),
        PENJUALAN: pd.to_numeric(sales[Sales.nilai_rp]).astype(float),
    }, index=sales.index)
    return frame.dropna(subset=["_bulan", PENJUALAN])


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


def sales_by_category(sales: pd.DataFrame, freq: Freq = "bulan") -> pd.DataFrame:
    """Sales and reporting UMKM per kategori and period, oldest first, with how many months of the period
    hold data: the last year or quarter is often incomplete and would otherwise read as a fall.

    Rows whose producer could not be linked still count in the sales (the money was earned) but not in
    the number of UMKM."""
    if freq not in FREQS:
        raise ValueError(f"freq harus salah satu dari {', '.join(FREQS)}, bukan {freq!r}")
    base = _base(sales)
    base[PERIODE] = base["_bulan"].dt.asfreq(_PANDAS_FREQ[freq], how="start") if freq != "bulan" else base["_bulan"]
    coverage = base.groupby(PERIODE)["_bulan"].nunique()
    grouped = base.groupby([PERIODE, KATEGORI], observed=True).agg(
        **{PENJUALAN: (PENJUALAN, "sum"), N_UMKM: (Sales.umkm_id, "nunique")}).reset_index()
    grouped[BULAN_DATA] = grouped[PERIODE].map(coverage).astype(int)
    grouped[BULAN_PENUH] = _MONTHS_IN[freq]
    order = {k: i for i, k in enumerate(_kategori_order(grouped[KATEGORI]))}
    grouped = grouped.sort_values([PERIODE, KATEGORI], key=lambda s: s.map(order) if s.name == KATEGORI else s,
                                  kind="stable").reset_index(drop=True)
    starts = grouped[PERIODE].map(lambda p: p.start_time.normalize())
    labels = [period_labels(s, freq) for s in starts]
    grouped[PERIODE] = pd.to_datetime(starts)
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

    ``start``/``end`` (the period filter) choose which year-months are reported; the months a year
    earlier are taken from ``sales`` even when they lie before ``start``, so pass sales that are not
    cut to the period (as ``analyse`` does). A kategori with fewer than ``min_producers`` matched UMKM
    gets a note: its rate moves with single businesses."""
    _require(sales, Sales, [Sales.umkm_id, Sales.bulan, Sales.kategori, Sales.nilai_rp])
    period = flt.Filters(start=start, end=end)
    months = pd.to_datetime(sales[Sales.bulan])
    # Only the reported months and the months a year before them can match: the rest of a province's
    # million rows would only be typed and grouped to be dropped by the merge.
    needed = flt.in_period(months, period) | flt.in_period(months + pd.DateOffset(years=1), period)
    sales = sales[[Sales.umkm_id, Sales.bulan, Sales.kategori, Sales.nilai_rp]]  # not the other text columns
    base = _base(sales if bool(needed.all()) else flt.take_rows(sales, needed)).dropna(subset=[Sales.umkm_id])
    base[TAHUN] = base["_bulan"].dt.year
    base[BULAN] = base["_bulan"].dt.month
    # Grouped and matched on integer codes of umkm_id and a categorical kategori (categories sorted, so
    # groups come in the same order as on the text): on a million text ids this took over a second.
    base[_UMKM_CODE] = pd.factorize(base[Sales.umkm_id])[0]
    base = base.drop(columns=[Sales.umkm_id]).assign(**{KATEGORI: base[KATEGORI].astype("category")})
    keys = [_UMKM_CODE, KATEGORI, TAHUN, BULAN]
    month_start = base["_bulan"].dt.to_timestamp()
    in_period = flt.in_period(month_start, period)
    current = base[in_period].groupby(keys, observed=True)[PENJUALAN].sum().reset_index()
    # Only the months a year before a reported month can match: grouping every month of every UMKM cost
    # a second at province size. The same cells as before, summed in the same row order.
    year_before = flt.in_period(month_start + pd.DateOffset(years=1), period)
    cells = base[year_before].groupby(keys, observed=True)[PENJUALAN].sum().reset_index()
    before = cells.assign(**{TAHUN: cells[TAHUN] + 1}).rename(columns={PENJUALAN: PENJUALAN_LALU})
    matched = current.merge(before, on=keys, how="inner")
    columns = [KATEGORI, TAHUN, TAHUN_LALU, BULAN_SAMA, PENJUALAN, PENJUALAN_LALU, PERTUMBUHAN, N_UMKM, CATATAN]
    if matched.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    rows = []
    for (kategori, year), group in matched.groupby([KATEGORI, TAHUN], observed=True):
        now, then = float(group[PENJUALAN].sum()), float(group[PENJUALAN_LALU].sum())
        n = int(group[_UMKM_CODE].nunique())
        note = ""
        if n < min_producers:
            note = f"Hanya {n} UMKM melapor di kedua tahun (< {min_producers}): pertumbuhan belum dapat dibaca."
        rows.append({
            KATEGORI: kategori, TAHUN: int(year), TAHUN_LALU: int(year) - 1, BULAN_SAMA: _month_span(group[BULAN]),
            PENJUALAN: now, PENJUALAN_LALU: then, PERTUMBUHAN: now / then - 1 if then > 0 else float("nan"),
            N_UMKM: n, CATATAN: note,
        })
    table = pd.DataFrame(rows, columns=columns)
    order = {k: i for i, k in enumerate(_kategori_order(table[KATEGORI]))}
    return table.sort_values([TAHUN, KATEGORI], key=lambda s: s.map(order) if s.name == KATEGORI else s,
                             kind="stable").reset_index(drop=True)


def complete_years(sales: pd.DataFrame) -> list[int]:
    """Years in which every one of the 12 months has sales data (any kategori)."""
    base = _base(sales)
    months = base["_bulan"].drop_duplicates()
    per_year = months.groupby(months.dt.year).nunique()
    return sorted(int(y) for y, n in per_year.items() if n == 12)


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
    years = complete_years(sales)
    base = _base(sales)
    base = base[base["_bulan"].dt.year.isin(years)]
    columns = [KATEGORI, BULAN, NAMA_BULAN, INDEKS, N_UMKM, N_TAHUN, LEBARAN]
    if base.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    base[TAHUN] = base["_bulan"].dt.year
    base[BULAN] = base["_bulan"].dt.month
    monthly = base.groupby([KATEGORI, TAHUN, BULAN], observed=True)[PENJUALAN].sum()
    full = pd.MultiIndex.from_product([monthly.index.levels[0], years, range(1, 13)], names=[KATEGORI, TAHUN, BULAN])
    monthly = monthly.reindex(full, fill_value=0.0).reset_index()  # a month without sales is a month of 0
    yearly_mean = monthly.groupby([KATEGORI, TAHUN])[PENJUALAN].transform("mean")
    monthly = monthly[yearly_mean > 0].assign(ratio=lambda f: f[PENJUALAN] / yearly_mean[yearly_mean > 0])
    index = monthly.groupby([KATEGORI, BULAN])["ratio"].agg(["mean", "size"]).reset_index()
    counts = base.groupby([KATEGORI, BULAN], observed=True)[Sales.umkm_id].nunique()
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


def _clean_text(values: pd.Series) -> pd.Series:
    """Stripped, single-spaced text; blank is missing. Done once per distinct value (a province's million
    sales rows name a few thousand products)."""
    codes, uniques = pd.factorize(values.astype("string"))
    cleaned = pd.Series(uniques, dtype="string").str.strip().str.replace(r"\s+", " ", regex=True).replace("", pd.NA)
    return pd.Series(cleaned.array.take(codes, allow_fill=True), index=values.index, dtype="string")


def _folded(values: pd.Series) -> pd.Series:
    """``reference.fold`` of every value, computed once per distinct value (no missing values expected)."""
    codes, uniques = pd.factorize(values)
    return pd.Series(np.array([ref.fold(u) for u in uniques], dtype=object)[codes], index=values.index)


def top_products(sales: pd.DataFrame, producers: pd.DataFrame, n: int = TOP_PRODUCTS) -> pd.DataFrame:
    """The ``n`` best-selling products per kategori, with their share of the kategori's sales.

    The product is the sales row's ``produk`` text, else the producer's ``produk_utama`` from the
    registry; spellings that differ only in case or spaces are one product, shown in the most used
    spelling."""
    _require(sales, Sales, [Sales.produk])
    _require(producers, Producers, [Producers.umkm_id, Producers.produk_utama])
    base = _base(sales)
    main = producers.drop_duplicates(Producers.umkm_id).set_index(Producers.umkm_id)[Producers.produk_utama]
    text = _clean_text(sales.loc[base.index, Sales.produk]).fillna(_clean_text(base[Sales.umkm_id].map(main)))
    base[PRODUK] = text
    base = base.dropna(subset=[PRODUK])
    base["_key"] = _folded(base[PRODUK])
    spelling = base.groupby("_key")[PRODUK].agg(lambda s: s.value_counts().index[0])
    grouped = base.groupby([KATEGORI, "_key"], observed=True).agg(
        **{PENJUALAN: (PENJUALAN, "sum"), N_UMKM: (Sales.umkm_id, "nunique")}).reset_index()
    totals = _base(sales).groupby(KATEGORI)[PENJUALAN].sum()
    grouped[PORSI] = grouped[PENJUALAN] / grouped[KATEGORI].map(totals)
    grouped[PRODUK] = grouped["_key"].map(spelling)
    order = {k: i for i, k in enumerate(_kategori_order(grouped[KATEGORI]))}
    grouped["_order"] = grouped[KATEGORI].map(order)
    grouped = grouped.sort_values(["_order", PENJUALAN], ascending=[True, False], kind="stable")
    return grouped.groupby(KATEGORI, sort=False).head(n)[[KATEGORI, PRODUK, PENJUALAN, PORSI, N_UMKM]].reset_index(drop=True)


def sales_by_kecamatan(sales: pd.DataFrame, producers: pd.DataFrame) -> pd.DataFrame:
    """Sales per kategori and kecamatan with the share of the kategori's sales, largest first.

    Sales carry no kecamatan: it is the producer's, from the registry. Rows without a linked producer are
    left out of the shares (their kecamatan is unknown)."""
    _require(producers, Producers, [Producers.umkm_id, Producers.kecamatan])
    base = _base(sales).dropna(subset=[Sales.umkm_id])
    where = producers.drop_duplicates(Producers.umkm_id).set_index(Producers.umkm_id)[Producers.kecamatan]
    base[KECAMATAN] = base[Sales.umkm_id].map(where)
    base = base.dropna(subset=[KECAMATAN])
    grouped = base.groupby([KATEGORI, KECAMATAN], observed=True).agg(
        **{PENJUALAN: (PENJUALAN, "sum"), N_UMKM: (Sales.umkm_id, "nunique")}).reset_index()
    grouped[PORSI] = grouped[PENJUALAN] / grouped.groupby(KATEGORI)[PENJUALAN].transform("sum")
    order = {k: i for i, k in enumerate(_kategori_order(grouped[KATEGORI]))}
    grouped["_order"] = grouped[KATEGORI].map(order)
    grouped = grouped.sort_values(["_order", PENJUALAN], ascending=[True, False], kind="stable")
    return grouped[[KATEGORI, KECAMATAN, PENJUALAN, PORSI, N_UMKM]].reset_index(drop=True)


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


def analyse(tables, filters: flt.Filters, freq: Freq = "bulan") -> CategoryTrends:
    """Everything the Tren Kategori page shows, under the shared filters.

    ``tables`` are the unfiltered tables (an ingest result or analysis.filters.Tables): the growth table
    needs the months a year before the selected period, which the period filter would cut away."""
    selected = flt.apply(tables, filters)
    everything_before = flt.apply(tables, replace(filters, start=None, end=None))
    trend = sales_by_category(selected.sales, freq)
    years = pd.to_datetime(selected.sales[Sales.bulan]).dt.year.dropna().unique()
    lebaran = lebaran_months(years)
    by_kecamatan = sales_by_kecamatan(selected.sales, selected.producers)
    return CategoryTrends(
        freq=freq,
        trend=trend,
        growth=yoy_growth(everything_before.sales, filters.start, filters.end),
        seasonality=seasonality(selected.sales, lebaran),
        lebaran=lebaran,
        products=top_products(selected.sales, selected.producers),
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


def export_sheets(result: CategoryTrends, filters: flt.Filters, data_until: pd.Timestamp | None) -> dict[str, pd.DataFrame]:
    """The Excel download: every table as numbers (Excel can compute with them) with Indonesian headers,
    and a parameter sheet with the filters, grain, data date and the methods, so the numbers keep their
    meaning when the file is passed on."""
    def sheet(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame({HEADERS[c]: frame[c].to_numpy() for c in columns})

    parameters = pd.DataFrame({
        "Parameter": ["Filter", "Data sampai", "Satuan waktu tren", "Pertumbuhan", "Indeks musiman", "Jumlah UMKM",
                      "Porsi", "Lebaran"],
        "Nilai": [
            filters.describe(), fmt.month_label(data_until), FREQ_LABELS[result.freq],
            "Penjualan bulan-bulan tahun ini dibanding bulan yang sama tahun sebelumnya, hanya UMKM-bulan yang "
            f"melapor di kedua tahun; catatan bila kurang dari {MIN_PRODUCERS} UMKM. Pertumbuhan 0,10 = naik 10%.",
            "Penjualan bulan itu ÷ rata-rata bulanan tahun yang sama, dirata-rata atas tahun lengkap (12 bulan "
            "berdata); 100 = bulan rata-rata kategori.",
            "UMKM berbeda yang melapor penjualan di baris itu (baris tanpa UMKM tertaut dihitung di penjualan saja).",
            "Proporsi 0–1 dari penjualan kategori (0,25 = 25%).",
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
