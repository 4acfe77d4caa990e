"""One kecamatan at a glance (the profile under the map) and the category summary Ringkasan shares with
it: its indicators beside the region's, what its UMKM make and sell, its monthly sales, the trainings
its UMKM attended and its UMKM per desa/kelurahan. Pure functions over the four tables; nothing is modified.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.core import formatting as fmt
from analysis.core import places, wilayah
from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight import metrics
from analysis.insight.coded import NO_KATEGORI, CodedSales, covers, mask_or_all

# Columns of the frames below (taken by pages and charts from here, never typed as strings).
JUMLAH_UMKM = metrics.JUMLAH_UMKM
PENJUALAN = "penjualan_rp"
PESERTA = "peserta_dari_kecamatan"
COL_KABUPATEN = "Kabupaten"
COL_PRODUK, COL_JUMLAH = "Produk utama", "Jumlah UMKM"
COL_KEGIATAN, COL_JENIS, COL_MULAI, COL_SELESAI, COL_PESERTA = (
    "Kegiatan", "Jenis", "Mulai", "Selesai", "Peserta dari kecamatan ini")
COL_DESA, COL_KODE_DESA = "Desa/Kelurahan", "Kode desa"
COL_KABUPATEN_KOTA = "Kabupaten/kota"
UNRECOGNISED_DESA = "(desa tidak dikenali atau tidak diisi)"
TOP = 10


def category_summary(producers: pd.DataFrame, sales: pd.DataFrame | None, sales_filter: flt.Filters | None = None, *,
                     coded: CodedSales | None = None, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Per kategori: registered UMKM and sales (in the period of ``sales_filter``, when given), most UMKM
    first. Sales are counted under the sales row's own kategori: an unlinked sales row has no producer
    but still says what was sold. With ``coded`` the sales are its rows ``rows`` (a mask; None: all),
    ``sales`` is not read."""
    counts = producers[Producers.kategori].value_counts()
    if coded is not None:
        take = mask_or_all(coded, rows)
        if sales_filter is not None:
            take = take & coded.in_period(sales_filter)
        names_of = coded.kategori_names
        labelled = take & (coded.kategori != _code_of(names_of, NO_KATEGORI))
        present = np.bincount(coded.kategori[labelled], minlength=len(names_of)) > 0
        valued = labelled & ~np.isnan(coded.nilai)
        sums = np.bincount(coded.kategori[valued], weights=coded.nilai[valued], minlength=len(names_of))
        money = pd.Series(sums[present], index=pd.Index(names_of[present].to_numpy(dtype=object)))
    else:
        sold = sales if sales_filter is None else sales[flt.in_period(sales[Sales.bulan], sales_filter)]
        money = pd.to_numeric(sold[Sales.nilai_rp]).groupby(sold[Sales.kategori]).sum()
    names = sorted(set(counts.index) | set(money.index))
    frame = pd.DataFrame({
        Producers.kategori: pd.Series(names, dtype="string"),
        JUMLAH_UMKM: [int(counts.get(n, 0)) for n in names],
        PENJUALAN: [float(money.get(n, 0.0)) for n in names],
    })
    return frame.sort_values([JUMLAH_UMKM, PENJUALAN], ascending=False, kind="stable").reset_index(drop=True)


def _code_of(names: pd.Series, label: str) -> int:
    found = np.flatnonzero(names.to_numpy(dtype=object) == label)
    return int(found[0]) if len(found) else -1


@dataclass(frozen=True)
class KecamatanProfile:
    kecamatan: str
    n_umkm: int
    indicators: pd.DataFrame  # Indikator, <kecamatan>, Kabupaten (formatted text)
    categories: pd.DataFrame  # kategori, jumlah_umkm, penjualan_rp
    products: pd.DataFrame  # Produk utama, Jumlah UMKM (top TOP)
    monthly_sales: pd.DataFrame  # bulan, nilai_rp
    trainings: pd.DataFrame  # Kegiatan, Jenis, Mulai, Selesai, Peserta dari kecamatan ini
    desa: pd.DataFrame  # Desa/Kelurahan, Kode desa, jumlah_umkm: every desa of the kecamatan, then the unrecognised
    kode_kecamatan: str = ""


def kecamatan_profile(tables, filters: flt.Filters, kecamatan: str, coded: CodedSales | None = None) -> KecamatanProfile:
    """The profile of one kecamatan under the other filters (kategori, skala, period); the region's column
    ("Kabupaten", "Kota" or "Provinsi") uses the same filters without a kecamatan choice, so the two
    columns compare like with like. ``coded``: the sales as the dashboard keeps them (needed when the
    tables hold their sales on disk)."""
    own = replace(filters, kecamatan=(kecamatan,))
    whole = replace(filters, kecamatan=())
    here = ind.compute(tables, own, coded=coded).iloc[0]
    kabupaten = ind.compute(tables, whole, coded=coded).iloc[0]
    keys = ind.map_keys()
    indicators = pd.DataFrame({
        ind.COL_INDIKATOR: [ind.INDICATORS[k].label for k in keys],
        kecamatan: [fmt.indicator_value(ind.INDICATORS[k].kind, here[k]) for k in keys],
        wilayah.region().unit: [fmt.indicator_value(ind.INDICATORS[k].kind, kabupaten[k]) for k in keys],
    })

    if covers(coded, tables.sales):
        selected = coded.apply(tables, own, [Sales.bulan, Sales.nilai_rp])
        categories = category_summary(selected.producers, None, coded=coded, rows=coded.rows(tables.producers, own))
    else:
        selected = flt.apply(tables, own)
        categories = category_summary(selected.producers, selected.sales)
    products = (selected.producers[Producers.produk_utama].dropna().value_counts().head(TOP)
                .rename_axis(COL_PRODUK).reset_index(name=COL_JUMLAH))
    return KecamatanProfile(
        kecamatan=kecamatan,
        n_umkm=int(here[ind.N_UMKM]),
        indicators=indicators,
        categories=categories[categories[JUMLAH_UMKM] > 0].head(TOP).reset_index(drop=True),
        products=products,
        monthly_sales=metrics.monthly_sales(selected.sales),
        trainings=_trainings(selected.trainings, selected.participants),
        desa=desa_table(selected.producers, ref.kecamatan_code(kecamatan)),
        kode_kecamatan=ref.kecamatan_code(kecamatan),
    )


def kecamatan_in(kabupaten: str) -> list[str]:
    """The region's kecamatan (canonical names) of one kabupaten/kota, by its name."""
    table = ref.kecamatan()
    return list(table.loc[table["kabupaten"] == kabupaten, "kecamatan"])


def desa_table(producers: pd.DataFrame, kode_kecamatan: str) -> pd.DataFrame:
    """UMKM per desa/kelurahan of one kecamatan: every desa of the national list (those without UMKM
    with 0), most UMKM first, then one row for UMKM whose desa was not recognised or not given."""
    if "kode_desa" not in producers or producers["kode_desa"].isna().all():  # tables stored before desa were recognised
        producers = places.with_desa(producers)
    desa = wilayah.desa_of(wilayah.region().kode)
    desa = desa[desa["kode_kecamatan"] == kode_kecamatan]
    mine = producers[producers[Producers.kode_kecamatan].astype("string") == kode_kecamatan]
    counts = mine["kode_desa"].dropna().astype(str).value_counts()
    frame = pd.DataFrame({
        COL_DESA: desa["desa"].astype("string").to_numpy(),
        COL_KODE_DESA: desa["kode_desa"].astype("string").to_numpy(),
        JUMLAH_UMKM: [int(counts.get(k, 0)) for k in desa["kode_desa"]],
    }).sort_values([JUMLAH_UMKM, COL_DESA], ascending=[False, True], kind="stable")
    unknown = int(mine["kode_desa"].isna().sum())
    if unknown:
        frame = pd.concat([frame, pd.DataFrame({COL_DESA: [UNRECOGNISED_DESA], COL_KODE_DESA: [pd.NA],
                                                JUMLAH_UMKM: [unknown]}).astype({COL_DESA: "string", COL_KODE_DESA: "string"})])
    return frame.reset_index(drop=True)


def _trainings(trainings: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Events with at least one participant linked to the kecamatan's UMKM (``participants`` is already
    restricted to them), newest first, with how many came from the kecamatan."""
    counts = participants.dropna(subset=[Participants.umkm_id]).groupby(Participants.pelatihan_id).size()
    events = trainings[trainings[Trainings.pelatihan_id].isin(counts.index)]
    events = events.sort_values(Trainings.tanggal_mulai, ascending=False, kind="stable")
    return pd.DataFrame({
        COL_KEGIATAN: events[Trainings.nama_kegiatan].to_numpy(),
        COL_JENIS: events[Trainings.jenis].to_numpy(),
        COL_MULAI: [fmt.date_label(d) for d in events[Trainings.tanggal_mulai]],
        COL_SELESAI: [fmt.date_label(d) for d in events[Trainings.tanggal_selesai]],
        COL_PESERTA: [int(counts[i]) for i in events[Trainings.pelatihan_id]],
    })


def top(frame: pd.DataFrame, column: str, n: int = TOP) -> pd.DataFrame:
    """The ``n`` rows with the largest ``column``, largest first (rows with 0 left out: a bar of nothing)."""
    chosen = frame[pd.to_numeric(frame[column]) > 0]
    return chosen.sort_values(column, ascending=False, kind="stable").head(n).reset_index(drop=True)
