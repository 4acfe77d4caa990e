"""What each view of the meeting shows, gathered once for the deck, the PDF laporan and the presentation mode,
so the three never disagree."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from analysis.core import formatting as fmt
from analysis.core import wilayah
from analysis.impact import ImpactResult
from analysis.insight import budget, trends, yearly
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight import targets as tgt
from analysis.insight.coded import CodedSales, covers

APPROXIMATE_ATTR = "perkiraan"  # set in a boundaries frame's attrs when the polygons are the shipped approximate ones
APPROXIMATE_LABEL = "Batas perkiraan (Cahya DSN, lisensi MIT), bukan batas wilayah resmi"


def dinas() -> str:
    """The office, named after the region of the settings: "Dinas Koperasi dan UKM Kabupaten Lampung Selatan"."""
    return f"Dinas Koperasi dan UKM {wilayah.region().nama}"


def region_line() -> str:
    """"Kabupaten Lampung Selatan (kode wilayah Kemendagri 18.01)" for the region of the settings."""
    region = wilayah.region()
    return f"{region.nama} (kode wilayah Kemendagri {region.kode})"


DECK_TITLE = "Profil dan Prioritas Pembinaan UMKM"


MAP_KEY = "jumlah_umkm"


# The indicators of the summary slide, in reading order.
SUMMARY_KEYS = ("jumlah_umkm", "omzet_tahunan_rp", "porsi_mikro", "porsi_nib", "porsi_pirt", "porsi_halal",
                "porsi_online", "porsi_luar_kabupaten", "porsi_terlatih", "porsi_terlatih_pemasaran",
                "penjualan_rp", "pertumbuhan_penjualan")


TREND_FREQ = "kuartal"


RP_JUTA = 1e6  # trend chart values in Rp juta: "1.250" reads better on an axis than "1.250.000.000"


TOP_BUDGET_ROWS = 17


SOURCE_REGISTRY = "registri pelaku UMKM"


SOURCE_SALES = "laporan penjualan bulanan"


SOURCE_TRAINING = "daftar hadir pelatihan"


# Slide keys, in deck order; the presentation mode steps through the same views.
TITLE, INDICATORS, MAP, TRENDS, IMPACT, BUDGET, NOTES = ("judul", "indikator", "peta", "tren", "dampak",
                                                         "anggaran", "catatan")
TARGETS = "target"  # the PDF's section of targets against realisasi (not a slide of the deck)


SLIDE_TITLES = {
    TITLE: DECK_TITLE,
    INDICATORS: "Ringkasan indikator",
    MAP: "Sebaran UMKM per kecamatan",
    TRENDS: "Tren penjualan per kategori produk",
    IMPACT: "Dampak pelatihan terhadap penjualan",
    BUDGET: "Prioritas anggaran pelatihan",
    NOTES: "Catatan data",
}


SLIDE_SOURCES = {
    INDICATORS: f"{SOURCE_REGISTRY}, {SOURCE_SALES}, {SOURCE_TRAINING}",
    MAP: SOURCE_REGISTRY,
    TRENDS: SOURCE_SALES,
    IMPACT: f"{SOURCE_SALES} dan {SOURCE_TRAINING}; estimasi imputasi dengan bootstrap",
    BUDGET: f"{SOURCE_REGISTRY}, {SOURCE_SALES}, {SOURCE_TRAINING}; parameter perencana",
    NOTES: "hasil pembacaan berkas data",
    TARGETS: f"{SOURCE_REGISTRY}, {SOURCE_SALES}, {SOURCE_TRAINING}; target dari tabel target indikator",
}


SECTION_TITLES = {**SLIDE_TITLES, TARGETS: "Capaian indikator terhadap target"}


@dataclass(frozen=True, eq=False)
class DeckContent:
    """Everything the deck and the presentation mode show, computed once."""

    filters: flt.Filters
    data_until: pd.Timestamp | None
    made_on: date
    indicators: pd.DataFrame  # Indikator, Nilai, Perubahan
    per_kecamatan: pd.DataFrame  # indicators.compute(by_kecamatan=True)
    trend: pd.DataFrame  # trends.sales_by_category(freq=TREND_FREQ)
    trend_wide: pd.DataFrame  # index: period label, columns: kategori, values: Rp juta
    impact: list[ImpactResult]
    plan: budget.Plan
    notes: list[str]
    official_map: bool = False
    approximate_map: bool = False  # the boundaries are the shipped approximate ones ("batas perkiraan")
    boundaries: Any = None  # GeoDataFrame of imported boundaries, or None for the schematic tiles
    tiles: pd.DataFrame | None = None
    achievement: pd.DataFrame = field(default_factory=pd.DataFrame)  # targets.achievement: every target
    targets_label: str = ""  # where the targets come from ("Target kantor", "Target contoh ...")
    first_month: pd.Timestamp | None = None
    ingest_totals: Mapping[str, Any] = field(default_factory=dict)

    @property
    def target_year(self) -> int | None:
        """The year the report looks at first: the latest with both a target and a realisasi."""
        return tgt.default_year(self.achievement) if len(self.achievement) else None

    def stamp(self, key: str) -> str:
        """The line under every slide and view: source, data date, filters."""
        return stamp(key, self.data_until, self.filters)


def stamp(key: str, data_until: pd.Timestamp | None, filters: flt.Filters) -> str:
    """The line under every slide and view: source, data date, filters."""
    return (f"Sumber: {SLIDE_SOURCES.get(key) or dinas()} · Data sampai {fmt.month_label(data_until)} · "
            f"Filter: {filters.describe()}")


def indicator_rows(tables, filters: flt.Filters, months: list[pd.Timestamp], coded=None) -> pd.DataFrame:
    """The summary slide's table: label, formatted value, change against the previous period. ``coded``:
    the sales as ``analysis.insight.coded.CodedSales`` when the caller keeps one."""
    rows = ind.with_change(tables, filters, months, coded=coded).set_index("key")
    keys = [k for k in SUMMARY_KEYS if k in rows.index]
    return pd.DataFrame({
        "Indikator": [rows.loc[k, "label"] for k in keys],
        "Nilai": [fmt.indicator_value(rows.loc[k, "kind"], rows.loc[k, "value"]) for k in keys],
        "Perubahan": [fmt.indicator_delta(rows.loc[k, "kind"], rows.loc[k, "change"], rows.loc[k, "previous"])
                      or fmt.MISSING for k in keys],
    })


def trend_wide(trend: pd.DataFrame) -> pd.DataFrame:
    """Sales per period (rows, Indonesian short labels) and kategori (columns) in Rp juta: the chart data."""
    if trend.empty:
        return pd.DataFrame()
    wide = trend.pivot_table(index=[trends.PERIODE, trends.TICK], columns=trends.KATEGORI, values=trends.PENJUALAN,
                             aggfunc="sum", fill_value=0.0, observed=True, sort=True)
    wide = wide.reset_index(level=0, drop=True) / RP_JUTA
    order = list(dict.fromkeys(trend[trends.KATEGORI].astype(str)))
    return wide[[c for c in order if c in wide.columns]]


def data_notes(content_filters: flt.Filters, data_until: pd.Timestamp | None, first_month: pd.Timestamp | None,
               totals: Mapping[str, Any], official_map: bool, plan: budget.Plan,
               trend_note: str | None, approximate_map: bool = False) -> list[str]:
    notes = [
        f"Periode data penjualan: {fmt.period_label(first_month, data_until)}. Filter: {content_filters.describe()}.",
        f"Kualitas data: {fmt.ingest_totals_line(totals)}." if totals else "Laporan impor data tidak tersedia.",
        ("Peta memakai batas kecamatan perkiraan (Cahya DSN, lisensi MIT), bukan batas wilayah resmi."
         if approximate_map else "Peta memakai batas kecamatan yang diimpor.")
        if official_map else
        "Peta skematis: satu kotak per kecamatan, bukan batas wilayah resmi (batas resmi belum diimpor).",
        "Dampak pelatihan bukan hasil percobaan: peserta tidak diundi. Selang 95% dari bootstrap per UMKM; "
        "perkiraan dengan peringatan tidak boleh dibaca sebagai dampak.",
        budget.RANGE_NOTE,
        "NIK dan nomor HP disamarkan pada semua ekspor.",
    ]
    if trend_note:
        notes.insert(1, trend_note)
    for warning in plan.warnings:
        notes.append(f"Perkiraan lemah — {warning}.")
    return notes


def trend_data(tables, filters: flt.Filters, coded: CodedSales | None = None) -> pd.DataFrame:
    """The trend slide's data: sales per quarter and kategori under the filters (the rows found by
    ``coded`` when it holds the tables' sales)."""
    if covers(coded, tables.sales):
        return trends.sales_by_category(None, TREND_FREQ, coded=coded, rows=coded.rows(tables.producers, filters))
    return trends.sales_by_category(flt.apply(tables, filters).sales, TREND_FREQ)


def build_content(tables, filters: flt.Filters, results: Sequence[ImpactResult], params: budget.PlanParams, *,
                  ingest_totals: Mapping[str, Any] | None = None, boundaries: Any = None,
                  tiles: pd.DataFrame | None = None, made_on: date | None = None,
                  targets: pd.DataFrame | None = None, targets_label: str = "", realised: pd.DataFrame | None = None,
                  coded: CodedSales | None = None) -> DeckContent:
    """The deck's content from the unfiltered tables, the filters, the impact estimates (under the same
    kecamatan / kategori / skala filters) and the budget parameters. ``boundaries``: the imported or
    shipped GeoDataFrame (attrs["perkiraan"] on shipped ones), or None to draw ``tiles``
    (boundaries.schematic_tiles) as a labelled schematic. ``targets``: the checked targets table
    (analysis.insight.targets) compared with ``realised`` (analysis.insight.yearly.realisation, computed
    here when not given, with the ingest's size criterion)."""
    if not covers(coded, tables.sales):
        coded = CodedSales(tables.sales, tables.producers)  # once, for every indicator below
    months = coded.months()
    first, last = (months[0], months[-1]) if months else (None, None)
    sales_trend = trend_data(tables, filters, coded)
    per_kecamatan = ind.compute(tables, filters, by_kecamatan=True, coded=coded)
    values = budget.criteria(tables, filters, per_kecamatan=per_kecamatan)
    plan = budget.make_plan(tables, filters, params, results, values=values,
                            reached=budget.reach(tables, filters, coded=coded))
    official = boundaries is not None
    approximate = official and bool(getattr(boundaries, "attrs", {}).get(APPROXIMATE_ATTR))
    totals = dict(ingest_totals or {})
    achieved = pd.DataFrame()
    if targets is not None and len(targets):
        if realised is None:
            realised = yearly.realisation(tables, filters, kriteria=totals.get("kriteria_skala"), coded=coded)
        achieved = tgt.achievement(targets, realised, part_of_region=filters.selects_producers)
    return DeckContent(
        filters=filters, data_until=last, made_on=made_on or date.today(),
        indicators=indicator_rows(tables, filters, months, coded=coded),
        per_kecamatan=per_kecamatan,
        trend=sales_trend, trend_wide=trend_wide(sales_trend), impact=list(results), plan=plan,
        notes=data_notes(filters, last, first, totals, official, plan, trends.incomplete_note(sales_trend),
                         approximate_map=approximate),
        official_map=official, approximate_map=approximate, boundaries=boundaries, tiles=tiles, achievement=achieved,
        targets_label=targets_label, first_month=first, ingest_totals=totals,
    )


def impact_frame(results: Sequence[ImpactResult]) -> pd.DataFrame:
    """The impact slide's table: effect, 95% interval, counts, and whether the estimate can be trusted."""
    from analysis.insight import training

    return pd.DataFrame({
        "Jenis pelatihan": [r.jenis for r in results],
        "Efek": [fmt.signed_percent(r.efek_persen) for r in results],
        "Selang 95%": [training.interval_text(r) for r in results],
        "Peserta": [fmt.number(r.n_peserta) for r in results],
        "Catatan": [budget.weak_reason(r) or "cukup kuat" for r in results],
    })


def budget_summary_lines(plan: budget.Plan) -> list[str]:
    p = plan.params
    lines = [f"Anggaran {fmt.rupiah(p.anggaran_rp)}; terpakai {fmt.rupiah(plan.spent_rp)} untuk "
             f"{fmt.number(plan.n_seats)} kursi."]
    for row in plan.sales.to_dict("records"):
        lines.append(f"{row[budget.JENIS]}: {fmt.number(row[budget.KURSI])} kursi, tambahan penjualan "
                     f"{budget.range_text(row[budget.TAMBAHAN_BAWAH], row[budget.TAMBAHAN_ATAS])} per tahun"
                     + (f" (perkiraan lemah: {row[budget.PERINGATAN]})" if row[budget.PERINGATAN] else ""))
    low, high = plan.total(budget.TAMBAHAN_BAWAH), plan.total(budget.TAMBAHAN_ATAS)
    if low is not None:
        lines.append(f"Seluruh rencana: {budget.range_text(low, high)} per tahun (selang 95%).")
    if plan.n_seats == 0:
        lines.append("Belum ada kursi: anggaran, porsi, atau biaya per peserta belum diisi.")
    return lines
