"""estimate_all: the effect of each training type with its bootstrap interval and pre-training checks
(the method is described in the package docstring)."""
from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core.memory import give_back_memory
from analysis.core.schemas import Trainings
from analysis.impact import fitting, panel, threads
from analysis.impact.fitting import CHUNK, Design, row_sums
from analysis.impact.panel import NEVER, Arrays
from analysis.impact.result import BULAN_RELATIF, CI_ATAS, CI_BAWAH, EFEK_PERSEN, N_OBS, ImpactResult
from analysis.impact.threads import WORKERS

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


_Z95 = 1.959963984540054


def _percent(log_effect: float) -> float:
    return round(100.0 * math.expm1(log_effect), 1)


def _interval(center: float, se: float) -> tuple[float, float]:
    return _percent(center - _Z95 * se), _percent(center + _Z95 * se)


def _empty_result(jenis: str, n_peserta: int, n_pembanding: int, warnings: list[str]) -> ImpactResult:
    return ImpactResult(jenis, None, None, None, n_peserta, n_pembanding, warnings)


def _estimate_one(arr: Arrays, jenis: str, n_boot: int, rng: np.random.Generator) -> ImpactResult:
    """The estimate for one jenis, its bootstrap chunks one after the other."""
    plan = _plan(arr, jenis)
    if isinstance(plan, ImpactResult):
        return plan
    replicates, finish = plan
    return finish([replicates(w) for w in fitting.weight_chunks(arr.y.shape[0], n_boot, rng)])


def _plan(arr: Arrays, jenis: str):
    """The estimate for one jenis in two steps, so that the bootstrap chunks of several jenis can share
    the worker threads: ``(replicates, finish)``, where ``replicates(w)`` gives one chunk of weights'
    results and ``finish(chunks)`` the result from all chunks in draw order; or the ImpactResult itself
    when there is nothing to estimate (no weights are drawn then)."""
    n, n_months = arr.y.shape
    start = arr.start.get(jenis, np.full(n, NEVER, dtype=np.int64))
    t = np.arange(n_months)
    rel = t[None, :] - start[:, None]
    untreated = arr.observed & (rel < 0)
    # The other training types the producer already had, as start months of a step (t >= start). One
    # whose start never varies within the comparison sample cannot be estimated (and would make the
    # normal equations singular): it is left out.
    steps = [arr.start[j] for j in sorted(arr.start) if j != jenis
             and ((t[None, :] >= arr.start[j][:, None]) & untreated).sum() >= MIN_CELL_PRODUCERS]

    # Cells that can serve as a counterfactual: enough producers with untreated sales in that kategori-month.
    cell_producers = row_sums(untreated.T.astype(float), arr.group, len(arr.kategori)).T
    usable_cell = cell_producers[arr.group] >= MIN_CELL_PRODUCERS  # (N, T)
    has_pre = untreated.any(1)
    post = arr.observed & (rel >= 0) & (rel <= POST_MONTHS) & usable_cell & has_pre[:, None]
    pre = arr.observed & (rel >= -PRE_MONTHS) & (rel < 0)
    treated = (start < NEVER) & post.any(1)
    n_peserta = int(treated.sum())
    post_cells = np.zeros((len(arr.kategori), n_months), dtype=bool)
    ii, tt = np.nonzero(post)
    post_cells[arr.group[ii], tt] = True
    comparison = (untreated & post_cells[arr.group]).any(1)
    comparison &= ~treated  # a participant is counted once, as a participant
    n_pembanding = int(comparison.sum())

    warnings: list[str] = []
    if start.min() >= NEVER:
        return _empty_result(jenis, 0, 0, [f"Tidak ada peserta pelatihan {jenis} yang tercatat penjualannya."])
    if n_peserta == 0:
        return _empty_result(jenis, 0, n_pembanding, [
            f"Tidak ada peserta {jenis} dengan data penjualan sebelum dan sesudah pelatihan."])

    trained = start < NEVER
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
    design = Design(untreated, arr.y, arr.group, len(arr.kategori), columns, key, active)
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
        # The kategori x month term summed over each event month's cells, one event month at a time (the
        # same sums as one reduceat over all cells, without a replicates x cells array of them).
        per_cell = gamma.reshape(len(w), -1)
        month_cells = np.zeros((len(w), n_e))
        for e, lo, hi in zip(months_e, e_starts, [*e_starts[1:], len(ii)]):
            cells = np.take(w, ii[lo:hi], axis=1) * np.take(per_cell, cell_post[lo:hi], axis=1)
            month_cells[:, e] = np.add.reduceat(cells, [0], axis=1)[:, 0]
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
            p_value = fitting.chi2_sf(wald, d0.size)
        slope_se = float(slope_b[1:].std(ddof=1))
        p_slope = fitting.chi2_sf((slope_b[0] / slope_se) ** 2, 1) if slope_se > 0 else None

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
            warnings.append(f"Sebelum pelatihan, penjualan peserta sudah bergerak berbeda dari pembanding pada "
                            f"{len(pre_months)} bulan terakhir sebelum pelatihan, lebih jauh daripada yang bisa terjadi "
                            f"karena kebetulan; perbandingan ini tidak dapat dipercaya.")
        if slope_differs:
            pace = 100 * math.expm1(abs(float(slope_b[0])))
            arah = "lebih cepat" if slope_b[0] > 0 else "lebih lambat"
            warnings.append(f"Sebelum pelatihan, penjualan peserta sudah bergerak berbeda dari pembanding: tumbuh "
                            f"sekitar {fmt.number(pace, 1)}% per bulan {arah}, lebih jauh daripada yang bisa terjadi "
                            f"karena kebetulan; perbandingan ini tidak dapat dipercaya.")
        if p_value is None:
            warnings.append("Tidak ada data penjualan peserta pada bulan-bulan sebelum pelatihan untuk memeriksa "
                            "kesetaraan pembanding.")
        p_both = [p for p in (p_value, p_slope) if p is not None]
        return ImpactResult(jenis, effect, low, high, n_peserta, n_pembanding, warnings,
                            round(min(p_both), 4) if p_both else None, per_bulan, cukup, berbeda)

    return replicates, finish


def _prepare(producers: pd.DataFrame, sales: pd.DataFrame | None, trainings: pd.DataFrame,
             participants: pd.DataFrame, coded: Any = None, rows: np.ndarray | None = None) -> tuple[Arrays | None, list[str]]:
    treated = panel.treatment_months(trainings, participants)
    kinds = [j for j in ref.JENIS_PELATIHAN if j in set(trainings[Trainings.jenis].dropna().astype(str))]
    if coded is None:
        return panel.panel_arrays(sales, producers, treated), kinds
    take = coded.usable & (coded.umkm >= 0)
    if rows is not None:
        take &= rows
    at = np.flatnonzero(take)
    month = coded.month[at].astype(np.int64) + 1970 * 12  # months since January of year 0, as panel_arrays counts
    return panel.coded_panel_arrays(coded.umkm[at], coded.ids.to_numpy(dtype=object), month, coded.nilai[at],
                                    producers, treated), kinds


def estimate_all(producers: pd.DataFrame, sales: pd.DataFrame, trainings: pd.DataFrame,
                 participants: pd.DataFrame, *, seed: int = DEFAULT_SEED, n_boot: int = DEFAULT_BOOT,
                 jenis: list[str] | None = None, workers: int | None = None, coded: Any = None,
                 rows: np.ndarray | None = None) -> list[ImpactResult]:
    """One result per training type held (in the order of reference.JENIS_PELATIHAN).

    Each jenis gets its own random stream derived from `seed`, so a result does not change when another
    jenis is added or left out. ``workers``: threads (default up to 2); the numbers are the same for any.
    ``coded`` (an ``analysis.insight.coded.CodedSales``) and its rows ``rows`` (a mask; None: all): the
    sales read from its arrays instead of ``sales`` (the dashboard's, whose rows stay on disk).
    """
    if n_boot < 2:
        raise ValueError(f"Jumlah ulangan bootstrap minimal 2 (diberikan {n_boot}); disarankan {DEFAULT_BOOT}.")
    arr, kinds = _prepare(producers, sales, trainings, participants, coded, rows)
    give_back_memory()  # the sorts over every sales row that made the panel, before the bootstrap's arrays
    kinds = [k for k in kinds if jenis is None or k in jenis]
    if arr is None:
        return [_empty_result(kind, 0, 0, ["Tidak ada data penjualan yang tertaut ke UMKM."])
                for kind in ref.JENIS_PELATIHAN if kind in kinds]
    jobs = [(kind, np.random.default_rng([seed, position]))
            for position, kind in enumerate(ref.JENIS_PELATIHAN) if kind in kinds]
    # One BLAS thread per estimate and the work on two worker threads: OpenBLAS's own threads spin while
    # they wait for each other, and on a shared machine that made the estimate up to ten times slower;
    # the numpy calls here release the interpreter lock, so two pieces of work run side by side.
    with threads.one_blas_thread():
        return _run(arr, jobs, n_boot, max(1, min(workers or WORKERS, len(jobs))))


def estimate_scope(tables: Any, chosen: Any, *, coded: Any = None, seed: int = DEFAULT_SEED,
                   n_boot: int = DEFAULT_BOOT, workers: int | None = None) -> list[ImpactResult]:
    """``estimate_all`` of one scope, as Dampak Pelatihan, the stored estimates and the laporan all compute
    it: the producer filters of ``chosen`` (an ``analysis.insight.filters.Filters``; its period never cuts
    an estimate) applied to ``tables`` (``filters.Tables``). ``coded``: the ``CodedSales`` of these tables'
    sales, whose rows stay on disk (``tables.sales`` is then their stand-in); the scope's sales are its
    rows, read from its arrays. Without it, the scope's rows of ``tables.sales``."""
    from dataclasses import replace

    from analysis.core.schemas import Sales
    from analysis.insight import filters as flt

    chosen = replace(chosen, start=None, end=None)
    if coded is not None:
        scoped = flt.apply(replace(tables, sales=tables.sales.iloc[:0]), chosen)
        return estimate_all(scoped.producers, None, scoped.trainings, scoped.participants, seed=seed,
                            n_boot=n_boot, workers=workers, coded=coded, rows=coded.rows(tables.producers, chosen))
    sales = tables.sales[[Sales.umkm_id, Sales.bulan, Sales.nilai_rp]]  # what the estimate reads
    scoped = flt.apply(replace(tables, sales=sales), chosen)
    return estimate_all(scoped.producers, scoped.sales, scoped.trainings, scoped.participants, seed=seed,
                        n_boot=n_boot, workers=workers)


def _run(arr: Arrays, jobs: list[tuple[str, np.random.Generator]], n_boot: int, workers: int) -> list[ImpactResult]:
    """The estimates of ``jobs`` (jenis, random stream), in their order, on ``workers`` threads that take
    work in pieces: a jenis's design (``_plan``), then its bootstrap chunks one by one, so that both
    threads stay busy to the end (whole jenis per thread left one idle while the other finished its
    third) and at most a few designs and chunks are held at once. Each jenis draws its chunks from its
    own stream in order under the lock, and its result is computed from them in that order: the same
    numbers as ``_estimate_one`` one jenis after the other."""
    n = arr.y.shape[0]
    size = CHUNK
    n_chunks = -(-(n_boot + 1) // size)  # as many as fitting.weight_chunks yields
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

    def plan(position: int, job: tuple[str, np.random.Generator]) -> None:
        kind, rng = job
        planned = _plan(arr, kind)
        if isinstance(planned, ImpactResult):
            results[position] = planned
            return
        with lock:
            running.append({"position": position, "plan": planned, "draws": fitting.weight_chunks(n, n_boot, rng, size),
                            "drawn": 0, "done": 0, "chunks": [None] * n_chunks})

    def chunk(job: dict, index: int, w: np.ndarray) -> None:
        out = job["plan"][0](w)
        with lock:
            job["chunks"][index] = out
            job["done"] += 1
            complete = job["done"] == n_chunks
            if complete:
                running.remove(job)
        if complete:
            results[job["position"]] = job["plan"][1](job["chunks"])
            job.clear()  # its design goes now, not once the next jenis's has been built beside it

    def work() -> None:
        # Each unit is done in a function of its own, and let go before the next is taken: a design or a
        # chunk of weights held by this loop's names stayed alive while the next was built (at scale 20
        # two designs at once, 100 MB more).
        try:
            while (unit := take()) is not None:
                what, *args = unit
                unit = None
                (plan if what == "plan" else chunk)(*args)
                args = None
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
