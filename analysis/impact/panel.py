"""The estimate's inputs: the monthly panel of log sales and each producer's treatment month per jenis, as arrays."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.impact.result import BULAN_PERLAKUAN, JENIS, LOG_OMZET


def require(frame: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: kolom {', '.join(repr(c) for c in missing)} tidak ada")


def month_start(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.to_period("M").dt.to_timestamp()


def monthly_panel(sales: pd.DataFrame, producers: pd.DataFrame) -> pd.DataFrame:
    """One row per linked producer and reported month: umkm_id, bulan, kategori, log_omzet.

    Rows without a producer are dropped (they cannot be followed over time), and so are months whose
    total is zero or less: log sales need a positive value, and an unreported month is missing, not zero.
    """
    require(sales, Sales.name, [Sales.umkm_id, Sales.bulan, Sales.nilai_rp])
    require(producers, Producers.name, [Producers.umkm_id, Producers.kategori])
    rows = pd.DataFrame({
        Sales.umkm_id: sales[Sales.umkm_id].astype("string"),
        Sales.bulan: month_start(sales[Sales.bulan]),
        Sales.nilai_rp: pd.to_numeric(sales[Sales.nilai_rp]).astype("float64"),
    }).dropna()
    totals = rows.groupby([Sales.umkm_id, Sales.bulan], as_index=False)[Sales.nilai_rp].sum()
    totals = totals[totals[Sales.nilai_rp] > 0]
    kategori = producers[[Producers.umkm_id, Producers.kategori]].astype("string").dropna()
    kategori = kategori.drop_duplicates(Producers.umkm_id)
    panel = totals.merge(kategori, left_on=Sales.umkm_id, right_on=Producers.umkm_id, how="inner")
    panel[LOG_OMZET] = np.log(panel[Sales.nilai_rp])
    panel = panel[[Sales.umkm_id, Sales.bulan, Producers.kategori, LOG_OMZET]]
    return panel.sort_values([Sales.umkm_id, Sales.bulan], kind="stable").reset_index(drop=True)


def treatment_months(trainings: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """umkm_id, jenis, bulan_perlakuan: the first full month after the end of the producer's first
    training of each jenis.

    The month of the training itself is event month -1: it counts as before the training (the effect is
    expected from the first full month after it) and is one of the pre-training months checked for a
    different trend. A training without an end date ends on its start date.
    """
    require(trainings, Trainings.name, [Trainings.pelatihan_id, Trainings.jenis, Trainings.tanggal_mulai,
                                         Trainings.tanggal_selesai])
    require(participants, Participants.name, [Participants.pelatihan_id, Participants.umkm_id])
    end = pd.to_datetime(trainings[Trainings.tanggal_selesai]).fillna(pd.to_datetime(trainings[Trainings.tanggal_mulai]))
    events = pd.DataFrame({
        Trainings.pelatihan_id: trainings[Trainings.pelatihan_id].astype("string"),
        JENIS: trainings[Trainings.jenis].astype("string"),
        "_selesai": end,
    }).dropna()
    people = pd.DataFrame({
        Participants.pelatihan_id: participants[Participants.pelatihan_id].astype("string"),
        Participants.umkm_id: participants[Participants.umkm_id].astype("string"),
    }).dropna()
    joined = people.merge(events, on=Participants.pelatihan_id, how="inner")
    first = joined.groupby([Participants.umkm_id, JENIS], as_index=False)["_selesai"].min()
    first[BULAN_PERLAKUAN] = month_start(first["_selesai"]) + pd.DateOffset(months=1)
    out = first[[Participants.umkm_id, JENIS, BULAN_PERLAKUAN]]
    return out.sort_values([Participants.umkm_id, JENIS], kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class Arrays:
    """The panel as producer x month arrays: the estimator works on producer-level sums, so a bootstrap
    replicate is only a weight vector over producers."""

    ids: np.ndarray  # (N,) umkm_id
    months: pd.DatetimeIndex  # (T,)
    y: np.ndarray  # (N, T) log sales, 0 where not observed
    observed: np.ndarray  # (N, T) bool
    group: np.ndarray  # (N,) kategori code
    kategori: list[str]
    start: dict[str, np.ndarray]  # jenis -> (N,) treatment month index; a large number when never trained


NEVER = 10**6


def panel_arrays(sales: pd.DataFrame, producers: pd.DataFrame, treated: pd.DataFrame) -> Arrays | None:
    """The producer x month arrays of ``monthly_panel(sales, producers)`` (None when that panel is empty)
    without the panel frame: the same sums (pandas' group sum, rows in the same order), logs and arrays, from integer
    producer and month codes instead of grouping, merging and sorting strings and timestamps."""
    require(sales, Sales.name, [Sales.umkm_id, Sales.bulan, Sales.nilai_rp])
    ids = sales[Sales.umkm_id].astype("string")
    when = pd.to_datetime(sales[Sales.bulan])
    value = pd.to_numeric(sales[Sales.nilai_rp]).astype("float64")
    valid = (ids.notna() & when.notna() & value.notna()).to_numpy()
    code, names = pd.factorize(ids[valid])
    month = (when.dt.year * 12 + when.dt.month - 1).to_numpy()[valid].astype(np.int64)
    return coded_panel_arrays(code, np.asarray(names, dtype=object), month, value.to_numpy()[valid], producers, treated)


_INT32_KEYS = 2**31 - 1  # (producer, month) keys up to this are sorted as int32


def coded_panel_arrays(code: np.ndarray, names: np.ndarray, month: np.ndarray, value: np.ndarray,
                       producers: pd.DataFrame, treated: pd.DataFrame) -> Arrays | None:
    """``panel_arrays`` of sales rows given as arrays (no frame): per row the producer's code into
    ``names`` (its umkm_id), the month (year * 12 + month - 1) and the amount, every one present, the rows
    in their order (the dashboard's ``CodedSales`` has them already)."""
    require(producers, Producers.name, [Producers.umkm_id, Producers.kategori])
    if not len(code):
        return None
    first, span = int(month.min()), int(month.max()) - int(month.min()) + 1
    # (producer, month) as one integer, built in place: int32 when it fits (a province: 250,000 producers x
    # 34 months), so each of the sort's temporaries over its 6.5 million rows is half the size
    keys = code.astype(np.int32 if (int(code.max()) + 1) * span <= _INT32_KEYS else np.int64)
    keys *= span
    keys -= first
    keys += month
    keys, total = group_sums(keys, value)
    positive = total > 0
    keys, total = keys[positive], total[positive]
    kategori = producers[[Producers.umkm_id, Producers.kategori]].astype("string").dropna()
    kategori = kategori.drop_duplicates(Producers.umkm_id)
    name_at = pd.Index(kategori[Producers.umkm_id]).get_indexer(pd.Index(names, dtype="string"))  # per umkm_id
    who = keys // span
    linked = name_at[who] >= 0
    if not linked.any():
        return None
    who, when_code, total = who[linked], keys[linked] % span + first, total[linked]
    used = np.flatnonzero(np.bincount(who, minlength=len(names)))  # the distinct producers, sorted
    names = np.asarray(names, dtype=object)
    ranked = used[np.argsort(names[used])]  # sorted(umkm_id), as _arrays
    position = np.full(len(names), -1)
    position[ranked] = np.arange(len(ranked))
    ids_sorted = np.array(list(names[ranked]), dtype=object)
    lo, hi = when_code.min(), when_code.max()
    months = pd.date_range(pd.Timestamp(year=int(lo // 12), month=int(lo % 12) + 1, day=1),
                           pd.Timestamp(year=int(hi // 12), month=int(hi % 12) + 1, day=1), freq="MS")
    row, col = position[who], when_code - lo
    y = np.zeros((len(ids_sorted), len(months)))
    observed = np.zeros_like(y, dtype=bool)
    y[row, col] = np.log(total)
    observed[row, col] = True
    producer_kategori = kategori[Producers.kategori].to_numpy()[name_at[ranked]]
    levels = sorted(set(producer_kategori))
    group = pd.Index(levels).get_indexer(producer_kategori)
    return Arrays(ids_sorted, months, y, observed, group, levels, starts(ids_sorted, months, treated))


def group_sums(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct keys and the sum of the values of each, exactly as pandas' group sum gives them
    (its compensated sum, rows in their order): a key seen once is its value; the keys seen more than
    once (few in monthly sales) go through pandas."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    new = np.empty(len(ordered), dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    sums = values[order[starts]].astype("float64")
    if len(starts) < len(ordered):  # some key seen more than once: its rows, in sorted (stable) order
        sizes = np.diff(np.r_[starts, len(keys)])
        several = np.repeat(sizes > 1, sizes)
        repeated = pd.Series(values[order[several]]).groupby(ordered[several], sort=True).sum()
        sums[sizes > 1] = repeated.to_numpy()
    return ordered[starts], sums


def starts(ids: np.ndarray, months: pd.DatetimeIndex, treated: pd.DataFrame) -> dict[str, np.ndarray]:
    """jenis -> (N,) treatment month index of each producer (``NEVER`` when it had none of that jenis):
    the producers looked up and the month offsets taken once for all rows, then split by jenis (in the
    sorted order of the jenis, as a group-by gives them)."""
    rows = pd.Index(ids).get_indexer(treated[Participants.umkm_id])
    first = months[0]
    when = treated[BULAN_PERLAKUAN]
    offset = ((when.dt.year - first.year) * 12 + when.dt.month - first.month).to_numpy()
    kinds = treated[JENIS]
    start = {}
    for jenis in sorted(kinds.dropna().unique()):
        at = (kinds == jenis).to_numpy(dtype=bool, na_value=False) & (rows >= 0)
        index = np.full(len(ids), NEVER, dtype=np.int64)
        index[rows[at]] = offset[at]
        start[str(jenis)] = index
    return start
