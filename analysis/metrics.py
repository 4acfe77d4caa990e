"""Headline indicators and simple aggregations over the four canonical tables (pure functions).

Pages show these numbers; they never compute them. Every function takes the tables as arguments,
checks that the columns it needs are there (naming the missing one, in Indonesian, so a person who
loaded an odd file can see what is wrong) and returns new objects without touching its inputs.

Shares are of *all* registered UMKM: a producer whose NIB, PIRT, halal or market reach was not
recorded counts as not having it. That is the conservative reading the Dinas reports use ("x% of our
UMKM are known to hold an NIB"); the skala shares add a "Tidak diketahui" part so they still sum to 1.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

import pandas as pd

from analysis import reference as ref
from analysis.schemas import Participants, Producers, Sales, Table, Trainings

# Name of the count column in producers_per_kecamatan(); pages and charts refer to it by this constant.
JUMLAH_UMKM = "jumlah_umkm"
SKALA_TIDAK_DIKETAHUI = "Tidak diketahui"

_KABUPATEN = "Kabupaten"
# Market reach beyond the kabupaten: every level above "Kabupaten" in the contract's ordered list.
PASAR_LUAR_KABUPATEN = ref.JANGKAUAN_PASAR[ref.JANGKAUAN_PASAR.index(_KABUPATEN) + 1 :]


class Headline(TypedDict):
    jumlah_umkm: int
    tenaga_kerja: int
    omzet_tahunan_rp: float
    porsi_skala: dict[str, float]
    porsi_terlatih: float | None
    porsi_nib: float | None
    porsi_pirt: float | None
    porsi_halal: float | None
    porsi_luar_kabupaten: float | None
    jumlah_pelatihan: int
    jumlah_peserta: int
    penjualan_bulanan: pd.DataFrame  # columns Sales.bulan, Sales.nilai_rp; one row per month
    bulan_terakhir: pd.Timestamp | None
    penjualan_bulan_terakhir: float | None


def _require(frame: pd.DataFrame, table: type[Table], columns: Iterable[str]) -> None:
    """Fail early with the name of every missing column instead of a bare KeyError deep in pandas."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        raise ValueError(f"{table.name}: kolom {names} tidak ada")


def _share(count: int, total: int) -> float | None:
    return None if total == 0 else count / total


def _count_true(series: pd.Series) -> int:
    """True values of a yes/no column; missing counts as not (see the module docstring)."""
    return int(series.astype("boolean").fillna(False).sum())


def monthly_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """Total sales value per month, oldest first.

    Rows whose producer could not be linked (umkm_id missing) still count: the money was earned even if
    the registry lacks the seller.
    """
    _require(sales, Sales, [Sales.bulan, Sales.nilai_rp])
    # A year-month period key is fast (TECH-NOTES) and tolerates a bulan that is not the 1st.
    month = pd.to_datetime(sales[Sales.bulan]).dt.to_period("M").dt.to_timestamp()
    totals = (
        pd.DataFrame({Sales.bulan: month, Sales.nilai_rp: pd.to_numeric(sales[Sales.nilai_rp])})
        .dropna(subset=[Sales.bulan])
        .groupby(Sales.bulan, as_index=False)[Sales.nilai_rp]
        .sum()
    )
    return totals.sort_values(Sales.bulan, kind="stable").reset_index(drop=True)


def months(sales: pd.DataFrame) -> list[pd.Timestamp]:
    """Every month that has sales, oldest first: the choices of the period filter."""
    _require(sales, Sales, [Sales.bulan])
    values = pd.to_datetime(sales[Sales.bulan]).dropna().dt.to_period("M").unique()
    return [period.to_timestamp() for period in sorted(values)]


def data_period(sales: pd.DataFrame) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last month with sales, so every page can say which period its numbers describe."""
    months = monthly_sales(sales)[Sales.bulan]
    if months.empty:
        return None, None
    return months.iloc[0], months.iloc[-1]


def headline(
    producers: pd.DataFrame,
    sales: pd.DataFrame,
    trainings: pd.DataFrame,
    participants: pd.DataFrame,
) -> Headline:
    """The numbers on the Ringkasan page: size of the UMKM population, how formalised it is, how far it
    sells, how much training reached it, and monthly sales."""
    _require(
        producers,
        Producers,
        [
            Producers.umkm_id,
            Producers.tenaga_kerja,
            Producers.omzet_tahunan_rp,
            Producers.skala,
            Producers.nib,
            Producers.pirt,
            Producers.halal,
            Producers.jangkauan_pasar,
        ],
    )
    _require(trainings, Trainings, [Trainings.pelatihan_id])
    _require(participants, Participants, [Participants.umkm_id])
    monthly = monthly_sales(sales)  # checks the sales columns

    total = len(producers)
    skala = producers[Producers.skala].astype("string")
    known = {name: int((skala == name).sum()) for name in ref.SKALA}
    porsi_skala = {name: count / total if total else 0.0 for name, count in known.items()}
    unknown = total - sum(known.values())  # no omzet and no aset recorded
    if unknown:
        porsi_skala[SKALA_TIDAK_DIKETAHUI] = unknown / total

    trained_ids = participants[Participants.umkm_id].dropna()
    trained = int(producers[Producers.umkm_id].isin(trained_ids).sum())
    beyond = int(producers[Producers.jangkauan_pasar].isin(PASAR_LUAR_KABUPATEN).sum())

    last_month = monthly[Sales.bulan].iloc[-1] if not monthly.empty else None
    last_value = float(monthly[Sales.nilai_rp].iloc[-1]) if not monthly.empty else None

    return Headline(
        jumlah_umkm=total,
        tenaga_kerja=int(pd.to_numeric(producers[Producers.tenaga_kerja]).sum()),
        omzet_tahunan_rp=float(pd.to_numeric(producers[Producers.omzet_tahunan_rp]).sum()),
        porsi_skala=porsi_skala,
        porsi_terlatih=_share(trained, total),
        porsi_nib=_share(_count_true(producers[Producers.nib]), total),
        porsi_pirt=_share(_count_true(producers[Producers.pirt]), total),
        porsi_halal=_share(_count_true(producers[Producers.halal]), total),
        porsi_luar_kabupaten=_share(beyond, total),
        jumlah_pelatihan=int(trainings[Trainings.pelatihan_id].nunique()),
        jumlah_peserta=len(participants),
        penjualan_bulanan=monthly,
        bulan_terakhir=last_month,
        penjualan_bulan_terakhir=last_value,
    )


def producers_per_kecamatan(producers: pd.DataFrame) -> pd.DataFrame:
    """Number of UMKM in each of the 17 kecamatan, most first.

    Kecamatan with no registered UMKM are kept with 0: for the Dinas an empty kecamatan is a finding
    (no officer reports, or no outreach yet), not something to hide. Ties keep the official order.
    """
    _require(producers, Producers, [Producers.kecamatan])
    counts = producers[Producers.kecamatan].value_counts()
    official = ref.kecamatan_names()
    codes = {name: ref.kecamatan_code(name) for name in official}
    # A name outside the reference should not reach here (ingest rejects it), but it must not vanish.
    names = [*official, *sorted(set(counts.index) - set(official))]
    table = pd.DataFrame(
        {
            Producers.kecamatan: pd.Series(names, dtype="string"),
            Producers.kode_kecamatan: pd.Series([codes.get(n) for n in names], dtype="string"),
            JUMLAH_UMKM: pd.Series([int(counts.get(n, 0)) for n in names], dtype="int64"),
        }
    )
    return table.sort_values(JUMLAH_UMKM, ascending=False, kind="stable").reset_index(drop=True)
