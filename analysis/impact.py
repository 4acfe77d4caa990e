"""Training impact: did sales of the producers who attended a training type (jenis) grow more than
sales of comparable producers who had not (yet) attended one?

Method (an imputation estimator in the style of Borusyak, Jaravel and Spiess 2024, robust to trainings
held at different dates):

1. Panel: log of each producer's monthly sales (sum of nilai_rp per umkm_id and month). Unlinked rows
   are dropped; a month without a report is missing, never zero (a missing report is not a sale of 0).
2. Treatment month of a producer for a jenis: the first full month after the month in which its FIRST
   training of that jenis ended (a training ending 16 March counts from April).
3. On the untreated observations only (producers never trained in that jenis, and trained ones before
   their treatment month) fit log sales = producer effect + kategori x month effect + effects of the
   OTHER training types the producer already had. The producer effect absorbs that bigger producers are
   invited more often; kategori x month absorbs category trends and the Lebaran season; the other-jenis
   terms keep e.g. a Kemasan effect from leaking into the Pemasaran comparison.
4. That fit predicts each participant's sales had it not been trained (counterfactual); the effect is
   the average of actual minus predicted over event months 0..12, in percent 100*(exp(mean) - 1).
5. Uncertainty: a bootstrap that resamples producers (clustered by producer), all replicates solved at
   once. Check of the comparison, on the untreated observations: (a) dummies for the 6 months before
   training, tested jointly against zero (Wald test with the bootstrap covariance; BJS's pre-trend test),
   and (b) one participant-specific linear trend over all their months before training, which catches a
   steady faster growth that six months alone would miss. If either rejects, the result carries a
   warning and the verdict says the estimate cannot be trusted.

Everything here is pure (frames in, new frames/dataclasses out) so the page and the command line share it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis import formatting as fmt
from analysis import reference as ref
from analysis.files import atomic_write_text
from analysis.schemas import Participants, Producers, Sales, Trainings

PRE_MONTHS = 6  # event months -6..-1 are tested for a pre-trend and drawn on the chart
POST_MONTHS = 12  # the effect averages event months 0..12
# Below this many participants with sales both before and after training the interval is too wide to
# say anything to a department head, and the bootstrap itself becomes unreliable.
MIN_PESERTA = 30
MIN_PEMBANDING = 30  # comparison producers in the participants' kategori over the same months
# A kategori x month cell needs untreated sales from this many producers before it can serve as the
# counterfactual for a participant in that cell; it also keeps a bootstrap draw from emptying the cell.
MIN_CELL_PRODUCERS = 10
# The dashboard tests five or six training types at once: at 0.05 each, one false alarm among them would
# be expected about one time in four (the demo data, which has no pre-trend by construction, trips 0.05 on
# Keuangan with p ~ 0.02-0.06). 0.01 keeps the family-wise false-alarm rate near 5%.
PRETREND_ALPHA = 0.01
DEFAULT_BOOT = 299
DEFAULT_SEED = 20240601
_CHUNK = 50  # bootstrap replicates drawn and solved together; bounds memory at ~B x producers floats
_BLOCK = 4096  # producers (or patterns) whose covariates are built at once
_Z95 = 1.959963984540054

BULAN_RELATIF = "bulan_relatif"
EFEK_PERSEN = "efek_persen"
CI_BAWAH = "ci_bawah"
CI_ATAS = "ci_atas"
N_OBS = "n_obs"
LOG_OMZET = "log_omzet"
BULAN_PERLAKUAN = "bulan_perlakuan"
JENIS = "jenis"


@dataclass(frozen=True, eq=False)
class ImpactResult:
    """The estimate for one training type; percent values, e.g. 15.2 for +15,2%."""

    jenis: str
    efek_persen: float | None
    ci_bawah: float | None
    ci_atas: float | None
    n_peserta: int
    n_pembanding: int
    peringatan: list[str] = field(default_factory=list)
    p_pratren: float | None = None  # p-value of the joint test of the pre-training months
    per_bulan: pd.DataFrame | None = None  # event study: bulan_relatif, efek_persen, ci_bawah, ci_atas, n_obs
    cukup_data: bool = False  # enough participants and comparison producers
    pratren_berbeda: bool = False  # the pre-training check failed

    def as_dict(self) -> dict:
        """The keys of the command-line JSON (and of a table row on the page)."""
        return {"jenis": self.jenis, "efek_persen": self.efek_persen, "ci_bawah": self.ci_bawah,
                "ci_atas": self.ci_atas, "n_peserta": self.n_peserta, "n_pembanding": self.n_pembanding,
                "peringatan": list(self.peringatan)}


# ---------------------------------------------------------------------------------------------- inputs
def _require(frame: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: kolom {', '.join(repr(c) for c in missing)} tidak ada")


def _month_start(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.to_period("M").dt.to_timestamp()


def monthly_panel(sales: pd.DataFrame, producers: pd.DataFrame) -> pd.DataFrame:
    """One row per linked producer and reported month: umkm_id, bulan, kategori, log_omzet.

    Rows without a producer are dropped (they cannot be followed over time), and so are months whose
    total is zero or less: log sales need a positive value, and an unreported month is missing, not zero.
    """
    _require(sales, Sales.name, [Sales.umkm_id, Sales.bulan, Sales.nilai_rp])
    _require(producers, Producers.name, [Producers.umkm_id, Producers.kategori])
    rows = pd.DataFrame({
        Sales.umkm_id: sales[Sales.umkm_id].astype("string"),
        Sales.bulan: _month_start(sales[Sales.bulan]),
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
    _require(trainings, Trainings.name, [Trainings.pelatihan_id, Trainings.jenis, Trainings.tanggal_mulai,
                                         Trainings.tanggal_selesai])
    _require(participants, Participants.name, [Participants.pelatihan_id, Participants.umkm_id])
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
    first[BULAN_PERLAKUAN] = _month_start(first["_selesai"]) + pd.DateOffset(months=1)
    out = first[[Participants.umkm_id, JENIS, BULAN_PERLAKUAN]]
    return out.sort_values([Participants.umkm_id, JENIS], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- arrays
@dataclass(frozen=True, eq=False)
class _Arrays:
    """The panel as producer x month arrays: the estimator works on producer-level sums, so a bootstrap
    replicate is only a weight vector over producers."""

    ids: np.ndarray  # (N,) umkm_id
    months: pd.DatetimeIndex  # (T,)
    y: np.ndarray  # (N, T) log sales, 0 where not observed
    observed: np.ndarray  # (N, T) bool
    group: np.ndarray  # (N,) kategori code
    kategori: list[str]
    start: dict[str, np.ndarray]  # jenis -> (N,) treatment month index; a large number when never trained


_NEVER = 10**6


def _panel_arrays(sales: pd.DataFrame, producers: pd.DataFrame, treated: pd.DataFrame) -> _Arrays | None:
    """The producer x month arrays of ``monthly_panel(sales, producers)`` (None when that panel is empty)
    without the panel frame: the same sums (pandas' group sum, rows in the same order), logs and arrays, from integer
    producer and month codes instead of grouping, merging and sorting strings and timestamps."""
    _require(sales, Sales.name, [Sales.umkm_id, Sales.bulan, Sales.nilai_rp])
    _require(producers, Producers.name, [Producers.umkm_id, Producers.kategori])
    ids = sales[Sales.umkm_id].astype("string")
    when = pd.to_datetime(sales[Sales.bulan])
    value = pd.to_numeric(sales[Sales.nilai_rp]).astype("float64")
    valid = (ids.notna() & when.notna() & value.notna()).to_numpy()
    code, names = pd.factorize(ids[valid])
    month = (when.dt.year * 12 + when.dt.month - 1).to_numpy()[valid].astype(np.int64)
    if not len(code):
        return None
    first, span = month.min(), month.max() - month.min() + 1
    keys, total = _group_sums(code * span + (month - first), value.to_numpy()[valid])
    positive = total > 0
    keys, total = keys[positive], total[positive]
    kategori = producers[[Producers.umkm_id, Producers.kategori]].astype("string").dropna()
    kategori = kategori.drop_duplicates(Producers.umkm_id)
    name_at = pd.Index(kategori[Producers.umkm_id]).get_indexer(names)  # per distinct umkm_id
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
    return _Arrays(ids_sorted, months, y, observed, group, levels, _starts(ids_sorted, months, treated))


def _group_sums(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct keys and the sum of the values of each, exactly as pandas' group sum gives them
    (its compensated sum, rows in their order): a key seen once is its value; the keys seen more than
    once (few in monthly sales) go through pandas."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    distinct = ordered[starts]
    sizes = np.diff(np.r_[starts, len(keys)])
    sums = values[order[starts]].astype("float64")
    several = np.repeat(sizes > 1, sizes)  # rows of a key seen more than once, in sorted (stable) order
    if several.any():
        repeated = pd.Series(values[order[several]]).groupby(ordered[several], sort=True).sum()
        sums[sizes > 1] = repeated.to_numpy()
    return distinct, sums


def _starts(ids: np.ndarray, months: pd.DatetimeIndex, treated: pd.DataFrame) -> dict[str, np.ndarray]:
    """jenis -> (N,) treatment month index of each producer (``_NEVER`` when it had none of that jenis):
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
        index = np.full(len(ids), _NEVER, dtype=np.int64)
        index[rows[at]] = offset[at]
        start[str(jenis)] = index
    return start


# ---------------------------------------------------------------------------------------------- threads
_WORKERS = max(1, min(2, os.cpu_count() or 1))
_BLAS_LOCK = threading.Lock()
_BLAS_STATE = {"users": 0, "before": None}


def _openblas_controls():
    """(get, set) of the thread count of the OpenBLAS bundled with numpy's wheels, or None (another
    BLAS, another platform). The calls threadpoolctl would make, without the dependency."""
    import ctypes

    base = Path(np.__file__).resolve().parent
    for path in sorted([*base.parent.glob("numpy.libs/*openblas*"), *base.glob(".dylibs/*openblas*")]):
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""),
                               ("openblas", "64_"), ("openblas", "")):
            get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and put is not None:
                get.restype, put.argtypes = ctypes.c_int, [ctypes.c_int]
                return get, put
    return None


_OPENBLAS = None


@contextmanager
def _one_blas_thread():
    """Single-threaded BLAS inside the block (process-wide, restored when the last user leaves)."""
    global _OPENBLAS
    with _BLAS_LOCK:
        if _OPENBLAS is None:
            try:
                _OPENBLAS = _openblas_controls() or False
            except Exception:  # noqa: BLE001 - only a speed-up: without it the estimate is the same
                _OPENBLAS = False
        if _OPENBLAS and _BLAS_STATE["users"] == 0:
            _BLAS_STATE["before"] = _OPENBLAS[0]()
            _OPENBLAS[1](1)
        _BLAS_STATE["users"] += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _BLAS_STATE["users"] -= 1
            if _OPENBLAS and _BLAS_STATE["users"] == 0 and _BLAS_STATE["before"]:
                _OPENBLAS[1](_BLAS_STATE["before"])


# ---------------------------------------------------------------------------------------------- fit
class _Design:
    """Weighted least squares of y on producer + kategori x month effects + covariates, on untreated
    cells only, for every row of a B x N matrix of producer weights at once, and for several fits that
    share the untreated cells and differ only in which covariate columns they use (the effect, the
    pre-training months, the pre-training slope): the weight-independent parts, computed once per jenis.

    The producer effects are concentrated out (within-producer demeaning), which leaves small normal
    equations per kategori (T x T) plus K shared coefficients, solved by a Schur complement. Month
    effects are identified only up to a constant per kategori; the solution fixes their sum at zero, the
    producer effects take the constant, and the imputed counterfactuals do not depend on the choice.

    Every normal equation is a weighted sum of per-producer terms. Producers of one kategori with the same
    untreated months and the same covariate values there (a "pattern": 42,000 producers have about
    11,000, one kecamatan's 8,000 about 2,900) share their covariate and month terms, so those are taken
    once per pattern after the weights are added per pattern; only the terms with sales stay per producer.
    The T x T blocks are solved once per replicate with ALL covariate columns on the right-hand side, and
    a fit on a subset of the columns takes its coefficients from the matching sub-block of the one Schur
    complement: the same equations as three separate fits, in another order of the sums.

    ``columns(rows)`` gives the covariates of those producers, (len(rows), T, K); ``key`` (N, J) is such
    that producers with equal key, kategori and untreated months have equal covariates on those months.
    ``active`` (N,) bool, default all: producers whose covariates may be nonzero; the others' covariates
    must be zero in every month (their terms are then exact zeros and are skipped), and ``key`` must tell
    active from inactive producers. In the estimator most producers are inactive: trained in no jenis.
    """

    def __init__(self, untreated: np.ndarray, y: np.ndarray, group: np.ndarray, n_groups: int,
                 columns, key: np.ndarray, active: np.ndarray | None = None):
        n, n_months = y.shape
        self.untreated, self.group, self.n_groups, self.n_months = untreated, group, n_groups, n_months
        m = untreated.astype(float)
        count = m.sum(1)
        self.inv_n = np.divide(1.0, count, out=np.zeros_like(count), where=count > 0)
        ym = y * m
        self.sum_y = ym.sum(1)
        # Patterns: producers sorted by kategori, then untreated months (packed into 62-bit words), then key.
        words = [(untreated[:, lo:lo + 62].astype(np.int64) @ (np.int64(1) << np.arange(min(62, n_months - lo),
                                                                                   dtype=np.int64)))
                 for lo in range(0, n_months, 62)]
        sort_keys = np.column_stack([group.astype(np.int64)] + words + [np.asarray(key, dtype=np.int64)])
        order = np.lexsort(sort_keys.T[::-1])
        ordered = sort_keys[order]
        new_pattern = np.ones(n, dtype=bool)
        new_pattern[1:] = (ordered[1:] != ordered[:-1]).any(1)
        new_mask = np.ones(n, dtype=bool)
        new_mask[1:] = (ordered[1:, :1 + len(words)] != ordered[:-1, :1 + len(words)]).any(1)
        self.order = order
        self.pattern_starts = np.flatnonzero(new_pattern)  # positions in `order`
        pattern_of = np.empty(n, dtype=np.int64)
        pattern_of[order] = np.cumsum(new_pattern) - 1
        self.pattern_of = pattern_of  # (N,) each producer's pattern
        reps = order[self.pattern_starts]  # one producer per pattern
        p_group = group[reps]
        self.mask_starts = np.flatnonzero(new_mask[self.pattern_starts])  # positions among the patterns
        self.mask_of = np.cumsum(new_mask[self.pattern_starts]) - 1  # (P,) each pattern's mask
        self.mask_inv_n = self.inv_n[reps[self.mask_starts]]  # a mask fixes the number of untreated months
        self.m_bounds = np.searchsorted(p_group[self.mask_starts], np.arange(n_groups + 1))
        self.n_bounds = np.searchsorted(group[order], np.arange(n_groups + 1))
        self.masks = m[reps[self.mask_starts]]  # (M, T): the distinct untreated months, per kategori
        rows_up, cols_up = np.triu_indices(n_months)
        mask_bits = untreated[reps[self.mask_starts]]
        self.mask_pairs = [(mg[:, rows_up] & mg[:, cols_up]).astype(float)  # (M_g, T(T+1)/2): upper triangle
                           for mg in (mask_bits[a:b] for a, b in zip(self.m_bounds[:-1], self.m_bounds[1:]))]
        # Position in that upper triangle of every cell of a T x T matrix, both halves.
        upper = np.empty((n_months, n_months), dtype=np.int64)
        upper[rows_up, cols_up] = upper[cols_up, rows_up] = np.arange(len(rows_up))
        self.symmetric = upper.ravel()
        # Covariate terms, only for the producers whose covariates can be nonzero (``active``, default all;
        # a participant or a producer trained in another jenis): every term of the others is zero. A pattern
        # is all active or all inactive (``key`` tells them apart), so the active patterns are a subset.
        self.active = np.flatnonzero(np.ones(n, dtype=bool) if active is None else active)
        self.k = k = columns(reps[:1]).shape[2]
        self.act_p = np.flatnonzero(np.isin(reps, self.active))  # active patterns, in pattern order
        self.a_bounds = np.searchsorted(p_group[self.act_p], np.arange(n_groups + 1))
        n_a = len(self.act_p)
        self.a_gb = np.empty((n_a, n_months * k))
        self.a_bb = np.empty((n_a, k * k))
        sum_x_p = np.zeros((len(reps), k))
        for lo in range(0, n_a, _BLOCK):
            at = slice(lo, min(n_a, lo + _BLOCK))
            who = reps[self.act_p[at]]
            m_p, x_p, inv_p = m[who], columns(who), self.inv_n[who]
            xm = x_p * m_p[:, :, None]
            sum_x_p[self.act_p[at]] = sx = xm.sum(1)
            self.a_bb[at] = (np.matmul(xm.transpose(0, 2, 1), x_p)
                             - sx[:, :, None] * sx[:, None, :] * inv_p[:, None, None]).reshape(len(m_p), -1)
            self.a_gb[at] = np.subtract(xm, m_p[:, :, None] * (sx * inv_p[:, None])[:, None, :], out=xm).reshape(len(m_p), -1)
        # Terms with sales, per producer (in pattern order for the month blocks).
        self.sum_x = sum_x_p[pattern_of]  # (N, K)
        self.r_gamma = (ym - m * (self.sum_y * self.inv_n)[:, None])[order]  # (N, T)
        self.r_b = np.empty((len(self.active), self.k))
        for lo in range(0, len(self.active), _BLOCK):
            at = slice(lo, min(len(self.active), lo + _BLOCK))
            rows = self.active[at]
            self.r_b[at] = (np.einsum("itk,it->ik", columns(rows), ym[rows])
                            - self.sum_x[rows] * (self.sum_y[rows] * self.inv_n[rows])[:, None])

    def solve(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every row of ``weights``: the per-kategori month solutions of [sales | every covariate]
        (B, G, T, 1 + K), the Schur complement of the covariates (B, K, K) and its right-hand side (B, K).

        The weights are counts (whole numbers), so the sums of weights per pattern and per mask, and the
        diagonals of the month blocks, are exact in any order; the month blocks of all kategori are built
        and solved at once, kategori first."""
        n_boot, t, k, n_groups = weights.shape[0], self.n_months, self.k, self.n_groups
        w = np.take(weights, self.order, axis=1)
        wp = _row_sums(weights, self.pattern_of, len(self.pattern_starts))
        w_mask = _row_sums(wp, self.mask_of, len(self.mask_starts))
        wn_mask = w_mask * self.mask_inv_n
        wp_act = np.take(wp, self.act_p, axis=1)
        schur = (wp_act @ self.a_bb).reshape(n_boot, k, k)
        rhs = np.take(weights, self.active, axis=1) @ self.r_b
        outer = np.zeros((n_groups, n_boot, t * (t + 1) // 2))
        diag = np.zeros((n_groups, n_boot, t))
        block = np.zeros((n_groups, n_boot, t, 1 + k))
        for g in range(n_groups):
            m0, m1 = self.m_bounds[g], self.m_bounds[g + 1]
            if m0 == m1:
                continue  # no producer: made an identity below, a zero solution
            n0, n1 = self.n_bounds[g], self.n_bounds[g + 1]
            a0, a1 = self.a_bounds[g], self.a_bounds[g + 1]
            # Sum over producers of w_i / n_i * m_i m_i^T, taken per distinct mask (upper triangle only).
            np.matmul(wn_mask[:, m0:m1], self.mask_pairs[g], out=outer[g])
            np.matmul(w_mask[:, m0:m1], self.masks[m0:m1], out=diag[g])
            np.matmul(w[:, n0:n1], self.r_gamma[n0:n1], out=block[g, :, :, 0])
            if a1 > a0:
                block[g, :, :, 1:] = (wp_act[:, a0:a1] @ self.a_gb[a0:a1]).reshape(n_boot, t, k)
        a_gg = np.take(outer, self.symmetric, axis=2).reshape(n_groups, n_boot, t, t)
        np.negative(a_gg, out=a_gg)
        on_diagonal = a_gg.reshape(n_groups, n_boot, t * t)[..., ::t + 1]  # a view
        on_diagonal += diag
        scale = np.maximum(diag.mean(2), 1.0)[:, :, None, None]
        a_gg += scale / t  # pins the free constant: sum of the month effects is zero
        on_diagonal += (diag <= 0) * scale[..., 0]
        no_one = self.m_bounds[1:] == self.m_bounds[:-1]
        a_gg[no_one] = np.eye(t)
        # a_gg is exactly symmetric (both triangles from one gather, the same additions on the diagonal and
        # everywhere): its transposed view is the same matrix, which LAPACK reads column by column.
        parts = _solve_blocks(a_gg.transpose(0, 1, 3, 2), block).transpose(1, 0, 2, 3)
        parts = parts.reshape(n_boot, n_groups * t, 1 + k)
        a_gb_t = block[..., 1:].transpose(1, 0, 2, 3).reshape(n_boot, n_groups * t, k).transpose(0, 2, 1)
        schur = schur - a_gb_t @ parts[..., 1:]
        rhs = rhs - (a_gb_t @ parts[..., :1])[..., 0]
        return parts.reshape(n_boot, n_groups, t, 1 + k), schur, rhs

    @staticmethod
    def beta(schur: np.ndarray, rhs: np.ndarray, cols: list[int]) -> np.ndarray:
        """(B, len(cols)) coefficients of the fit on those covariate columns only."""
        if not cols:
            return np.zeros((schur.shape[0], 0))
        c = np.asarray(cols)
        return np.einsum("bkl,bl->bk", np.linalg.pinv(schur[:, c[:, None], c], rcond=1e-10), rhs[:, c])

    @staticmethod
    def gamma(parts: np.ndarray, cols: list[int], beta: np.ndarray) -> np.ndarray:
        """(B, G, T) kategori x month effects of that fit."""
        if not cols:
            return parts[..., 0]
        return parts[..., 0] - np.einsum("bgtk,bk->bgt", parts[..., 1 + np.asarray(cols)], beta)

    def alpha(self, rows: np.ndarray, gamma: np.ndarray, beta: np.ndarray, cols: list[int]) -> np.ndarray:
        """(B, len(rows)) producer effects of that fit, for those producers only."""
        # Sum of each producer's fitted month effects, per kategori: gamma[:, group, :] would be a (B, N, T)
        # array, over half a gigabyte per chunk at province size.
        fitted = np.zeros((gamma.shape[0], len(rows)))
        for g in np.unique(self.group[rows]):
            at = np.flatnonzero(self.group[rows] == g)
            fitted[:, at] = gamma[:, g, :] @ self.untreated[rows[at]].T.astype(float)
        resid_sum = self.sum_y[rows][None, :] - fitted - np.einsum("ik,bk->bi", self.sum_x[rows][:, cols], beta)
        return resid_sum * self.inv_n[rows][None, :]


def _solve_blocks(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.linalg.solve(a, b)`` over stacked blocks, where a singular block gets the least-squares
    solution of smallest norm instead of failing the whole estimate.

    A kategori's month block is singular when its untreated months fall apart in groups that no producer
    links (producers A reported only in 2015, producers B only in 2017): the months of each group are
    then known only up to a constant of their own. A bootstrap draw of a small kategori does that now and
    then (2 to 7 of 450 blocks in four kecamatan of the demo data, never the sample itself), and it
    stopped the estimate of the whole kecamatan with "Singular matrix". Any solution of those normal
    equations gives the same covariate coefficients and the same fitted values (the projection on the
    month dummies does not depend on which generalised inverse is used), so the smallest one is taken;
    only a counterfactual in a group the participant has no month in stays arbitrary, which the
    cell rule (MIN_CELL_PRODUCERS in the sample itself) keeps rare."""
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        pass
    n = a.shape[-1]
    flat_a, flat_b = a.reshape(-1, n, n), b.reshape(-1, n, b.shape[-1])
    out = np.empty(flat_b.shape)
    for i in range(len(flat_a)):
        try:
            out[i] = np.linalg.solve(flat_a[i], flat_b[i])
        except np.linalg.LinAlgError:
            out[i] = np.linalg.lstsq(flat_a[i], flat_b[i], rcond=None)[0]
    return out.reshape(b.shape)


def _row_sums(values: np.ndarray, bins: np.ndarray, n_bins: int) -> np.ndarray:
    """(B, n_bins): the sums of each row's ``values`` (B, N) per bin (``bins``, (N,), in 0..n_bins-1),
    taken in column order; whole-number values (counts) give exact sums."""
    rows = values.shape[0]
    where = (bins[None, :] + (np.arange(rows, dtype=np.int64) * n_bins)[:, None]).ravel()
    return np.bincount(where, weights=values.ravel(), minlength=rows * n_bins).reshape(rows, n_bins)


def _fit(untreated: np.ndarray, y: np.ndarray, x: np.ndarray, group: np.ndarray, n_groups: int,
         weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One fit on covariates ``x`` (N, T, K), every producer its own pattern: gamma (B, G, T), beta (B, K),
    alpha (B, N)."""
    n = y.shape[0]
    design = _Design(untreated, y, group, n_groups, lambda rows: x[rows], np.arange(n)[:, None])
    cols = list(range(x.shape[2]))
    parts, schur, rhs = design.solve(weights)
    beta = design.beta(schur, rhs, cols)
    gamma = design.gamma(parts, cols, beta)
    return gamma, beta, design.alpha(np.arange(n), gamma, beta, cols)


def resample_counts(n: int, rows: int, rng: np.random.Generator) -> np.ndarray:
    """``rows`` x ``n`` counts of how often each of n producers is drawn when n are drawn with
    replacement: multinomial(n, 1/n each), counted from n uniform draws per row. The same distribution as
    ``rng.multinomial(n, [1/n] * n)``, about ten times cheaper (numpy draws a multinomial as n
    conditional binomials), which was a third of an estimate's time for one kecamatan."""
    draws = rng.integers(0, n, size=(rows, n), dtype=np.int64 if n > 2**31 - 1 else np.int32)
    out = np.empty((rows, n))
    for r in range(rows):
        out[r] = np.bincount(draws[r], minlength=n)
    return out


def _weight_chunks(n: int, n_boot: int, rng: np.random.Generator, size: int | None = None):
    """Producer weights, ``size`` (default ``_CHUNK``) replicates at a time. Row 0: the sample itself;
    rows 1..B: how often each producer is drawn when producers are resampled with replacement (the cluster
    bootstrap, as multinomial counts, see ``resample_counts``). Drawn chunk by chunk, the same numbers as
    all at once (the generator's stream is consumed in the same order), without a B x N array of them."""
    size = size or _CHUNK
    done = 0
    while done < n_boot + 1:
        rows = min(size, n_boot + 1 - done)
        draws = resample_counts(n, rows - (done == 0), rng)
        yield np.vstack([np.ones((1, n)), draws]) if done == 0 else draws
        done += rows


def _chi2_sf(x: float, df: int) -> float:
    """Upper tail of the chi-square distribution, exact for integer df (no scipy needed)."""
    if df <= 0 or not np.isfinite(x):
        return float("nan") if df <= 0 else 0.0
    half = x / 2.0
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for j in range(1, df // 2):
            term *= half / j
            total += term
        return float(min(1.0, math.exp(-half) * total))
    total = math.erfc(math.sqrt(half))
    for j in range(1, (df - 1) // 2 + 1):
        a = j - 0.5  # adds (x/2)^a e^(-x/2) / Gamma(a + 1)
        total += math.exp(a * math.log(half) - half - math.lgamma(a + 1)) if half > 0 else 0.0
    return float(min(1.0, total))


# ---------------------------------------------------------------------------------------------- estimate
def _percent(log_effect: float) -> float:
    return round(100.0 * math.expm1(log_effect), 1)


def _interval(center: float, se: float) -> tuple[float, float]:
    return _percent(center - _Z95 * se), _percent(center + _Z95 * se)


def _empty_result(jenis: str, n_peserta: int, n_pembanding: int, warnings: list[str]) -> ImpactResult:
    return ImpactResult(jenis, None, None, None, n_peserta, n_pembanding, warnings)


def _estimate_one(arr: _Arrays, jenis: str, n_boot: int, rng: np.random.Generator) -> ImpactResult:
    """The estimate for one jenis, its bootstrap chunks one after the other."""
    plan = _plan(arr, jenis)
    if isinstance(plan, ImpactResult):
        return plan
    replicates, finish = plan
    return finish([replicates(w) for w in _weight_chunks(arr.y.shape[0], n_boot, rng)])


def _plan(arr: _Arrays, jenis: str):
    """The estimate for one jenis in two steps, so that the bootstrap chunks of several jenis can share
    the worker threads: ``(replicates, finish)``, where ``replicates(w)`` gives one chunk of weights'
    results and ``finish(chunks)`` the result from all chunks in draw order; or the ImpactResult itself
    when there is nothing to estimate (no weights are drawn then)."""
    n, n_months = arr.y.shape
    start = arr.start.get(jenis, np.full(n, _NEVER, dtype=np.int64))
    t = np.arange(n_months)
    rel = t[None, :] - start[:, None]
    untreated = arr.observed & (rel < 0)
    # The other training types the producer already had, as start months of a step (t >= start). One
    # whose start never varies within the comparison sample cannot be estimated (and would make the
    # normal equations singular): it is left out.
    steps = [arr.start[j] for j in sorted(arr.start) if j != jenis
             and ((t[None, :] >= arr.start[j][:, None]) & untreated).sum() >= MIN_CELL_PRODUCERS]

    # Cells that can serve as a counterfactual: enough producers with untreated sales in that kategori-month.
    cell_producers = _row_sums(untreated.T.astype(float), arr.group, len(arr.kategori)).T
    usable_cell = cell_producers[arr.group] >= MIN_CELL_PRODUCERS  # (N, T)
    has_pre = untreated.any(1)
    post = arr.observed & (rel >= 0) & (rel <= POST_MONTHS) & usable_cell & has_pre[:, None]
    pre = arr.observed & (rel >= -PRE_MONTHS) & (rel < 0)
    treated = (start < _NEVER) & post.any(1)
    n_peserta = int(treated.sum())
    post_cells = np.zeros((len(arr.kategori), n_months), dtype=bool)
    ii, tt = np.nonzero(post)
    post_cells[arr.group[ii], tt] = True
    comparison = (untreated & post_cells[arr.group]).any(1)
    comparison &= ~treated  # a participant is counted once, as a participant
    n_pembanding = int(comparison.sum())

    warnings: list[str] = []
    if start.min() >= _NEVER:
        return _empty_result(jenis, 0, 0, [f"Tidak ada peserta pelatihan {jenis} yang tercatat penjualannya."])
    if n_peserta == 0:
        return _empty_result(jenis, 0, n_pembanding, [
            f"Tidak ada peserta {jenis} dengan data penjualan sebelum dan sesudah pelatihan."])

    trained = start < _NEVER
    # Pre-training months -6..-1 that occur among the untreated cells get a dummy each (the pre-trend test).
    pre_k = [k for k in range(PRE_MONTHS, 0, -1) if ((rel == -k) & trained[:, None] & untreated).any()]
    pre_ok = np.array([k in pre_k for k in range(PRE_MONTHS, 0, -1)], dtype=bool)

    def columns(rows: np.ndarray) -> np.ndarray:
        """Covariates of those producers, (rows, T, K): the other training types, the pre-training month
        dummies, and the pre-training slope. A steady faster (or slower) growth of participants before
        training is caught by one slope over ALL their pre-training months, in log points per month:
        against selection on growth it has far more power than the six monthly dummies (half a year)."""
        r, tr = rel[rows], trained[rows][:, None]
        out = np.empty((len(rows), n_months, len(steps) + len(pre_k) + 1))
        for c, s in enumerate(steps):
            out[:, :, c] = t[None, :] >= s[rows, None]
        for c, k in enumerate(pre_k, start=len(steps)):
            out[:, :, c] = (r == -k) & tr
        out[:, :, -1] = np.where(tr & (r < 0), r, 0)
        return out

    # Producers with equal starts (steps clipped to the panel, where t >= s cannot tell them apart) have
    # equal covariates wherever their untreated months are equal.
    key = np.column_stack([np.clip(s, 0, n_months) for s in steps] + [start])
    # Covariates are all zero for a producer not trained in this jenis and trained in none of the steps
    # within the panel (t >= s for some month t < T): the design skips their zero terms.
    active = trained.copy()
    for s in steps:
        active |= s < n_months
    design = _Design(untreated, arr.y, arr.group, len(arr.kategori), columns, key, active)
    k0 = len(steps)
    effect_cols = list(range(k0))
    pre_cols = list(range(k0 + len(pre_k)))
    slope_cols = effect_cols + [k0 + len(pre_k)]

    # The effect per event month e is the weighted mean of actual minus imputed log sales over the
    # participants' cells of that month: sum of w (y - alpha - gamma - x beta) / sum of w. A participant
    # has at most one cell per event month, so the sales, producer-effect and covariate terms and the
    # weights are summed per participant (small matrices, participants x event months); only the kategori
    # x month term is taken per cell, the cells ordered by event month. The same sums in another order.
    ii, tt = np.nonzero(post)
    ee = rel[ii, tt]
    by_e = np.argsort(ee, kind="stable")
    ii, tt, ee = ii[by_e], tt[by_e], ee[by_e]
    x_post = np.stack([tt >= s[ii] for s in steps], axis=1).astype(float) if steps else np.zeros((len(ii), 0))
    people, person = np.unique(ii, return_inverse=True)
    cell_post = arr.group[ii] * n_months + tt  # its kategori x month
    months_e, e_starts = np.unique(ee, return_index=True)  # event months with cells, where they start
    n_e = POST_MONTHS + 1
    in_e = np.zeros((len(people), n_e))  # participant x event month: 1 where it has a cell
    in_e[person, ee] = 1.0
    sales_e = np.zeros((len(people), n_e))
    sales_e[person, ee] = arr.y[ii, tt]
    steps_e = np.zeros((len(people), k0, n_e))
    steps_e[person, :, ee] = x_post
    per_person = np.concatenate([in_e, sales_e, steps_e.reshape(len(people), k0 * n_e)], axis=1)
    # Counted here, so that the (N, T) arrays are not held while the bootstrap runs.
    counts_post = np.array([int((ee == e).sum()) for e in range(POST_MONTHS + 1)])
    pre_months = np.arange(-PRE_MONTHS, 0)[pre_ok]
    counts_pre = np.array([int((pre & (rel == k)).sum()) for k in pre_months])

    def replicates(w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        parts, schur, rhs = design.solve(w)
        beta = design.beta(schur, rhs, effect_cols)
        gamma = design.gamma(parts, effect_cols, beta)
        alpha = design.alpha(people, gamma, beta, effect_cols)
        w_people = np.take(w, people, axis=1)
        sums = w_people @ per_person
        # The weights are counts, so their sums per event month are exact.
        weight_e, sales = sums[:, :n_e], sums[:, n_e:2 * n_e]
        covariates = np.einsum("bke,bk->be", sums[:, 2 * n_e:].reshape(len(w), k0, n_e), beta)
        cells = np.take(w, ii, axis=1) * np.take(gamma.reshape(len(w), -1), cell_post, axis=1)
        month_cells = np.zeros((len(w), n_e))
        month_cells[:, months_e] = np.add.reduceat(cells, e_starts, axis=1)
        total = sales - (w_people * alpha) @ in_e - month_cells - covariates
        # An event month without cells averages to 0 (left out of the table).
        per_e = total / np.maximum(weight_e, 1e-12)
        # A replicate that drew no participant has no average: its NaN is kept (as the former code did,
        # with a RuntimeWarning), and makes the interval NaN rather than narrower than it should be.
        with np.errstate(invalid="ignore", divide="ignore"):
            overall = total.sum(1) / weight_e.sum(1)
        return (np.column_stack([overall, per_e]), design.beta(schur, rhs, pre_cols)[:, k0:],
                design.beta(schur, rhs, slope_cols)[:, -1])

    def finish(chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> ImpactResult:
        taus, deltas, slopes = zip(*chunks)
        tau = np.vstack(taus)
        delta = np.vstack(deltas)
        slope_b = np.concatenate(slopes)

        center, boot = tau[0], tau[1:]
        se = boot.std(axis=0, ddof=1)
        effect = _percent(center[0])
        low, high = _interval(center[0], se[0])

        d0, dboot = delta[0], delta[1:]
        p_value = None
        if d0.size:
            cov = np.atleast_2d(np.cov(dboot, rowvar=False))
            wald = float(d0 @ np.linalg.pinv(cov) @ d0)
            p_value = _chi2_sf(wald, d0.size)
        slope_se = float(slope_b[1:].std(ddof=1))
        p_slope = _chi2_sf((slope_b[0] / slope_se) ** 2, 1) if slope_se > 0 else None

        rows = [{BULAN_RELATIF: int(k), EFEK_PERSEN: _percent(d), CI_BAWAH: _interval(d, s)[0],
                 CI_ATAS: _interval(d, s)[1], N_OBS: int(c)}
                for k, d, s, c in zip(pre_months, d0, dboot.std(axis=0, ddof=1) if d0.size else [], counts_pre)]
        rows += [{BULAN_RELATIF: e, EFEK_PERSEN: _percent(center[1 + e]), CI_BAWAH: _interval(center[1 + e], se[1 + e])[0],
                  CI_ATAS: _interval(center[1 + e], se[1 + e])[1], N_OBS: int(counts_post[e])}
                 for e in range(POST_MONTHS + 1) if counts_post[e] > 0]
        per_bulan = pd.DataFrame(rows, columns=[BULAN_RELATIF, EFEK_PERSEN, CI_BAWAH, CI_ATAS, N_OBS])

        cukup = n_peserta >= MIN_PESERTA and n_pembanding >= MIN_PEMBANDING
        if n_peserta < MIN_PESERTA:
            warnings.append(f"Peserta terlalu sedikit: {n_peserta} UMKM dengan data penjualan sebelum dan sesudah "
                            f"pelatihan (minimal {MIN_PESERTA}).")
        if n_pembanding < MIN_PEMBANDING:
            warnings.append(f"Pembanding terlalu sedikit: {n_pembanding} UMKM (minimal {MIN_PEMBANDING}).")
        months_differ = p_value is not None and p_value < PRETREND_ALPHA
        slope_differs = p_slope is not None and p_slope < PRETREND_ALPHA
        berbeda = months_differ or slope_differs
        if months_differ:
            warnings.append(f"Sebelum pelatihan, penjualan peserta sudah bergerak berbeda dari pembanding "
                            f"(uji {len(pre_months)} bulan sebelum pelatihan, p = {fmt.number(p_value, 3)}); "
                            f"perbandingan ini tidak dapat dipercaya.")
        if slope_differs:
            pace = 100 * math.expm1(abs(float(slope_b[0])))
            arah = "lebih cepat" if slope_b[0] > 0 else "lebih lambat"
            warnings.append(f"Sebelum pelatihan, penjualan peserta sudah bergerak berbeda dari pembanding: tumbuh "
                            f"sekitar {fmt.number(pace, 1)}% per bulan {arah} (p = {fmt.number(p_slope, 3)}); "
                            f"perbandingan ini tidak dapat dipercaya.")
        if p_value is None:
            warnings.append("Tidak ada data penjualan peserta pada bulan-bulan sebelum pelatihan untuk memeriksa "
                            "kesetaraan pembanding.")
        p_both = [p for p in (p_value, p_slope) if p is not None]
        return ImpactResult(jenis, effect, low, high, n_peserta, n_pembanding, warnings,
                            round(min(p_both), 4) if p_both else None, per_bulan, cukup, berbeda)

    return replicates, finish


def _prepare(producers: pd.DataFrame, sales: pd.DataFrame, trainings: pd.DataFrame,
             participants: pd.DataFrame) -> tuple[_Arrays | None, list[str]]:
    treated = treatment_months(trainings, participants)
    kinds = [j for j in ref.JENIS_PELATIHAN if j in set(trainings[Trainings.jenis].dropna().astype(str))]
    return _panel_arrays(sales, producers, treated), kinds


def estimate_all(producers: pd.DataFrame, sales: pd.DataFrame, trainings: pd.DataFrame,
                 participants: pd.DataFrame, *, seed: int = DEFAULT_SEED, n_boot: int = DEFAULT_BOOT,
                 jenis: list[str] | None = None, workers: int | None = None) -> list[ImpactResult]:
    """One result per training type held (in the order of reference.JENIS_PELATIHAN).

    Each jenis gets its own random stream derived from `seed`, so a result does not change when another
    jenis is added or left out. ``workers``: threads (default up to 2); the numbers are the same for any.
    """
    if n_boot < 2:
        raise ValueError(f"Jumlah ulangan bootstrap minimal 2 (diberikan {n_boot}); disarankan {DEFAULT_BOOT}.")
    arr, kinds = _prepare(producers, sales, trainings, participants)
    kinds = [k for k in kinds if jenis is None or k in jenis]
    if arr is None:
        return [_empty_result(kind, 0, 0, ["Tidak ada data penjualan yang tertaut ke UMKM."])
                for kind in ref.JENIS_PELATIHAN if kind in kinds]
    jobs = [(kind, np.random.default_rng([seed, position]))
            for position, kind in enumerate(ref.JENIS_PELATIHAN) if kind in kinds]
    # One BLAS thread per estimate and the work on two worker threads: OpenBLAS's own threads spin while
    # they wait for each other, and on a shared machine that made the estimate up to ten times slower;
    # the numpy calls here release the interpreter lock, so two pieces of work run side by side.
    with _one_blas_thread():
        return _run(arr, jobs, n_boot, max(1, min(workers or _WORKERS, len(jobs))))


def _run(arr: _Arrays, jobs: list[tuple[str, np.random.Generator]], n_boot: int, workers: int) -> list[ImpactResult]:
    """The estimates of ``jobs`` (jenis, random stream), in their order, on ``workers`` threads that take
    work in pieces: a jenis's design (``_plan``), then its bootstrap chunks one by one, so that both
    threads stay busy to the end (whole jenis per thread left one idle while the other finished its
    third) and at most a few designs and chunks are held at once. Each jenis draws its chunks from its
    own stream in order under the lock, and its result is computed from them in that order: the same
    numbers as ``_estimate_one`` one jenis after the other."""
    n = arr.y.shape[0]
    size = _CHUNK
    n_chunks = -(-(n_boot + 1) // size)  # as many as _weight_chunks yields
    results: list[ImpactResult | None] = [None] * len(jobs)
    pending = list(enumerate(jobs))  # jenis not yet planned
    running: list[dict] = []  # planned jenis with chunks left to draw or to finish
    lock = threading.Lock()
    failed = threading.Event()

    def take():
        with lock:
            if failed.is_set():
                return None
            for job in running:
                if job["drawn"] < n_chunks:
                    job["drawn"] += 1
                    return "chunk", job, job["drawn"] - 1, next(job["draws"])
            return ("plan", *pending.pop(0)) if pending else None

    def work() -> None:
        try:
            while (unit := take()) is not None:
                if unit[0] == "plan":
                    _, position, (kind, rng) = unit
                    plan = _plan(arr, kind)
                    if isinstance(plan, ImpactResult):
                        results[position] = plan
                        continue
                    with lock:
                        running.append({"position": position, "plan": plan, "draws": _weight_chunks(n, n_boot, rng, size),
                                        "drawn": 0, "done": 0, "chunks": [None] * n_chunks})
                    continue
                _, job, index, w = unit
                out = job["plan"][0](w)
                with lock:
                    job["chunks"][index] = out
                    job["done"] += 1
                    complete = job["done"] == n_chunks
                    if complete:
                        running.remove(job)
                if complete:
                    results[job["position"]] = job["plan"][1](job["chunks"])
        except BaseException:
            failed.set()
            raise

    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(work) for _ in range(workers)]:
                future.result()
    else:
        work()
    return results


# ---------------------------------------------------------------------------------------------- store
_STORE_FORMAT = 1  # bump when the layout of a stored entry changes
MAX_STORED = 256  # entries kept (a few kilobytes each); the oldest are removed first
_PER_BULAN = [BULAN_RELATIF, EFEK_PERSEN, CI_BAWAH, CI_ATAS, N_OBS]


def results_to_json(results: list[ImpactResult]) -> list[dict]:
    """Every field of the results as plain JSON values (floats round-trip exactly)."""
    return [{**r.as_dict(), "p_pratren": r.p_pratren, "cukup_data": r.cukup_data,
             "pratren_berbeda": r.pratren_berbeda,
             "per_bulan": None if r.per_bulan is None else r.per_bulan.to_dict("records")} for r in results]


def results_from_json(items: list[dict]) -> list[ImpactResult]:
    """The inverse of results_to_json: equal results, per_bulan with the same columns and dtypes."""
    return [ImpactResult(d["jenis"], d["efek_persen"], d["ci_bawah"], d["ci_atas"], int(d["n_peserta"]),
                         int(d["n_pembanding"]), list(d["peringatan"]), d["p_pratren"],
                         None if d["per_bulan"] is None else pd.DataFrame(d["per_bulan"], columns=_PER_BULAN),
                         bool(d["cukup_data"]), bool(d["pratren_berbeda"])) for d in items]


def _store_key(data_key: str, scope: dict, n_boot: int, seed: int) -> str:
    """The estimate depends on the data, the scope, the bootstrap and the code (the ingest with its
    reference tables, this module, the filters that cut the scope, numpy's random streams)."""
    from analysis.ingest_cache import code_version  # the ingest's code: a folder's tables depend on it

    digest = hashlib.blake2b(digest_size=16)
    digest.update(code_version().encode())
    here = Path(__file__).resolve().parent
    for name in ("impact.py", "filters.py"):
        digest.update((here / name).read_bytes())
    digest.update(json.dumps({"format": _STORE_FORMAT, "data": data_key, "scope": scope, "n_boot": n_boot,
                              "seed": seed, "numpy": np.__version__, "pandas": pd.__version__},
                             sort_keys=True, default=list).encode())
    return digest.hexdigest()


def stored_estimate(data_key: str, scope: dict, n_boot: int, seed: int, compute,
                    cache_dir: Path | None = None) -> list[ImpactResult]:
    """``compute()`` (an estimate_all on the scoped tables) through a store on disk, so a scope estimated
    once is read back in milliseconds after a restart. ``data_key`` must change with the data (a content
    fingerprint); ``config.CACHE_DIR`` is read at call time. An entry that cannot be read is removed and
    recomputed, never trusted and never fatal; a store that cannot be written is skipped."""
    root = Path(cache_dir if cache_dir is not None else config.CACHE_DIR) / "impact"
    path = root / f"{_store_key(data_key, scope, n_boot, seed)}.json"
    while True:
        try:
            return results_from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - a damaged entry (truncated, bad JSON) or no store: recompute it
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
        # The same entry being computed by another thread (another session of the dashboard asked for the
        # same scope): wait for it and read its result instead of computing it a second time.
        # When it could not store its result, the loop comes back here and this thread computes it.
        with _COMPUTING_LOCK:
            running = _COMPUTING.get(path)
            if running is None:
                mine = _COMPUTING[path] = threading.Event()
                break
        running.wait()
    try:
        results = compute()
        try:
            atomic_write_text(path, json.dumps(results_to_json(results), ensure_ascii=False))
            entries = sorted(root.glob("*.json"), key=lambda p: p.stat().st_mtime)
            for old in entries[:max(0, len(entries) - MAX_STORED)]:
                old.unlink(missing_ok=True)
        except OSError:
            pass
    finally:
        with _COMPUTING_LOCK:
            del _COMPUTING[path]
        mine.set()
    return results


_COMPUTING: dict[Path, threading.Event] = {}  # store entries being computed -> set when that ends
_COMPUTING_LOCK = threading.Lock()


def precompute(data_key: str, scopes: list[tuple[dict, Callable[[], list[ImpactResult]]]], n_boot: int,
               seed: int, *, cache_dir: Path | None = None) -> int:
    """``stored_estimate`` of each (scope, compute) in order: the number of scopes that were computed and
    stored (the others were in the store already, or failed). A scope whose estimate fails is left out:
    the page that asks for it computes it again and shows its error there."""
    computed = 0
    for scope, compute in scopes:
        ran = []

        def counted(compute=compute, ran=ran):
            result = compute()
            ran.append(True)
            return result

        try:
            stored_estimate(data_key, scope, n_boot, seed, counted, cache_dir=cache_dir)
        except Exception:  # noqa: BLE001 - see above: never this function's to report
            continue
        computed += len(ran)
    return computed


def estimate_kecamatan(data_key: str, tables: dict[str, pd.DataFrame], kecamatan: list[str], n_boot: int,
                       seed: int, cache_dir: Path) -> int:
    """The estimate of each kecamatan alone into the store (``precompute``), at the lowest priority of
    the system: the dashboard runs this in a process of its own once data is loaded (ui/data.py), so
    that picking a kecamatan on Dampak Pelatihan reads a stored estimate. ``tables``: producers (umkm_id,
    kecamatan, kategori), sales (umkm_id, bulan, nilai_rp), trainings and participants: all the
    estimate reads. The scopes are the page's: the same tables (filters.apply) and the same numbers."""
    from analysis import filters as flt
    from analysis.memory import give_back_memory

    lower_priority()
    everything = flt.Tables(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    give_back_memory()  # the tables' pickled bytes, read from the dashboard

    def scope(name: str) -> tuple[dict, Callable[[], list[ImpactResult]]]:
        def compute() -> list[ImpactResult]:
            scoped = flt.apply(everything, flt.Filters(kecamatan=(name,)))
            try:
                # One thread: a second held 80 MB more at province size, beside the dashboard's own.
                return estimate_all(scoped.producers, scoped.sales, scoped.trainings, scoped.participants,
                                    seed=seed, n_boot=n_boot, workers=1)
            finally:
                del scoped
                give_back_memory()

        return {"kecamatan": (name,), "kategori": (), "skala": ()}, compute

    return precompute(data_key, [scope(name) for name in kecamatan], n_boot, seed, cache_dir=cache_dir)


def lower_priority() -> None:
    """Make this process give way to every other one for the processors (nice 19). Where processes
    have no nice value (Windows), nothing happens."""
    try:
        os.nice(19 - os.nice(0))
    except (AttributeError, OSError):
        pass


def lower_thread_priority() -> bool:
    """Give the calling thread the lowest priority (nice 19) where a nice value belongs to a thread
    (Linux), so that a process it starts is at nice 19 from its first instruction: the background
    estimate's interpreter then starts, imports pandas and unpickles its tables without competing with
    the page that is opening. Whether it did; elsewhere (where nice would lower the whole dashboard)
    nothing happens and the process lowers itself once started (``lower_priority``)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):
        return False
    return True


def event_study(producers: pd.DataFrame, sales: pd.DataFrame, trainings: pd.DataFrame,
                participants: pd.DataFrame, jenis: str, *, seed: int = DEFAULT_SEED,
                n_boot: int = DEFAULT_BOOT) -> pd.DataFrame:
    """Per event month (-6..12): the effect in percent with its 95% band, for the chart.

    Months before training are the pre-trend coefficients (0 expected); months from 0 on are the
    imputed effects. Empty when the jenis cannot be estimated. Same numbers as estimate_all's per_bulan.
    """
    results = estimate_all(producers, sales, trainings, participants, seed=seed, n_boot=n_boot, jenis=[jenis])
    if not results or results[0].per_bulan is None:
        return pd.DataFrame(columns=[BULAN_RELATIF, EFEK_PERSEN, CI_BAWAH, CI_ATAS, N_OBS])
    return results[0].per_bulan.copy()


# An interval within ±3% around zero rules out any effect worth a training budget line.
SMALL_EFFECT_PERSEN = 3.0


def verdict(result: ImpactResult) -> str:
    """One Indonesian sentence that claims no more than the interval and the checks allow."""
    name = f"pelatihan {result.jenis}"
    if result.efek_persen is None or result.ci_bawah is None or result.ci_atas is None:
        reason = result.peringatan[0] if result.peringatan else "data tidak cukup."
        return f"Belum cukup bukti tentang dampak {name}: {reason[0].lower() + reason[1:]}"
    band = (f"perkiraan {fmt.number(result.efek_persen, 1)}%, selang kepercayaan 95% "
            f"{fmt.number(result.ci_bawah, 1)}% s.d. {fmt.number(result.ci_atas, 1)}%")
    if math.isnan(result.ci_bawah) or math.isnan(result.ci_atas):
        # Some bootstrap draws had no participant at all: too few of them for an interval.
        band = f"perkiraan {fmt.number(result.efek_persen, 1)}%, selang kepercayaan tidak dapat dihitung"
    if not result.cukup_data:
        return (f"Belum cukup bukti tentang dampak {name}: pesertanya ({result.n_peserta} UMKM) atau pembandingnya "
                f"({result.n_pembanding} UMKM) terlalu sedikit untuk disimpulkan ({band}).")
    if result.pratren_berbeda:
        return (f"Perkiraan dampak {name} belum dapat dipercaya: sebelum pelatihan, penjualan peserta sudah "
                f"bergerak berbeda dari pembanding, jadi selisih sesudahnya belum tentu karena pelatihan ({band}).")
    if result.ci_bawah > 0:
        return (f"Setelah {name}, penjualan bulanan peserta diperkirakan {fmt.number(result.efek_persen, 1)}% lebih "
                f"tinggi daripada tanpa pelatihan; dengan keyakinan 95% kenaikannya antara "
                f"{fmt.number(result.ci_bawah, 1)}% dan {fmt.number(result.ci_atas, 1)}%.")
    if result.ci_atas < 0:
        return (f"Setelah {name}, penjualan bulanan peserta diperkirakan {fmt.number(-result.efek_persen, 1)}% lebih "
                f"rendah daripada tanpa pelatihan; dengan keyakinan 95% penurunannya antara "
                f"{fmt.number(-result.ci_atas, 1)}% dan {fmt.number(-result.ci_bawah, 1)}%.")
    if -SMALL_EFFECT_PERSEN <= result.ci_bawah and result.ci_atas <= SMALL_EFFECT_PERSEN:
        # A narrow interval around zero is a finding too: a planner moving the budget needs to know that
        # a large effect has been ruled out, not only that zero has not.
        return (f"Belum cukup bukti bahwa {name} mengubah penjualan peserta: {band}, selang ini mencakup nol. "
                f"Selang yang sempit ini juga menunjukkan bahwa dampaknya, kalaupun ada, kecil: tidak lebih dari "
                f"{fmt.number(result.ci_atas, 1)}%.")
    return (f"Belum cukup bukti bahwa {name} mengubah penjualan peserta: {band}, selang ini mencakup nol, "
            f"jadi dampaknya bisa saja nol.")


# ---------------------------------------------------------------------------------------------- CLI
TABLE_FILES = {name: f"{name}.parquet" for name in (Producers.name, Sales.name, Trainings.name, Participants.name)}


def read_tables(directory: Path) -> dict[str, pd.DataFrame]:
    """The four parquet tables written by `python -m analysis.ingest --out DIR`."""
    missing = [f for f in TABLE_FILES.values() if not (directory / f).is_file()]
    if missing:
        raise FileNotFoundError(f"Berkas tidak ada di {directory}: {', '.join(missing)}")
    return {name: pd.read_parquet(directory / f) for name, f in TABLE_FILES.items()}


def _cell(value: float | None) -> str:
    return "-" if value is None else fmt.number(value, 1)


def _table(results: list[ImpactResult]) -> str:
    header = f"{'Jenis pelatihan':<17} {'Efek %':>7} {'CI 95%':>17} {'Peserta':>8} {'Pembanding':>11}"
    lines = [header, "-" * len(header)]
    for r in results:
        band = f"{_cell(r.ci_bawah)} s.d. {_cell(r.ci_atas)}"
        lines.append(f"{r.jenis:<17} {_cell(r.efek_persen):>7} {band:>17} {r.n_peserta:>8} {r.n_pembanding:>11}")
    lines.append("")
    for r in results:
        lines.append(f"{r.jenis}: {verdict(r)}")
        lines.extend(f"  Peringatan: {w}" for w in r.peringatan)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.impact",
                                     description="Perkirakan dampak tiap jenis pelatihan pada penjualan peserta.")
    parser.add_argument("--data", required=True, type=Path, help="folder berisi tabel hasil analysis.ingest")
    parser.add_argument("--json", action="store_true", help="cetak daftar JSON, satu objek per jenis pelatihan")
    parser.add_argument("--boot", type=int, default=DEFAULT_BOOT, help="jumlah ulangan bootstrap")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="benih acak bootstrap")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    if not args.data.is_dir():
        print(f"Folder data tidak ditemukan: {args.data}", file=sys.stderr)
        return 2
    try:
        tables = read_tables(args.data)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    began = time.perf_counter()
    try:
        results = estimate_all(tables[Producers.name], tables[Sales.name], tables[Trainings.name],
                               tables[Participants.name], seed=args.seed, n_boot=args.boot)
    except ValueError as exc:  # a missing column or a bad --boot: the user's input, not a crash
        print(str(exc), file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - began
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        print(_table(results))
    print(f"Selesai dalam {fmt.number(elapsed, 1)} detik ({args.boot} ulangan bootstrap).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
