"""The fast impact estimator (analysis/impact.py: one shared solve per bootstrap chunk for the three fits,
producers grouped by pattern, weights drawn chunk by chunk) against a verbatim copy of the former one:
the same estimator, so the same point estimates and the same intervals from the same bootstrap draws, up
to floating-point noise (the sums are taken in another order).

The former code is kept below as the reference; it only changes names (``_old_`` prefix, the module's
constants read through ``impact.``)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import impact

_OLD_CHUNK = 50


# ---------------------------------------------------------------------------------------------- reference
def _old_fit(untreated: np.ndarray, y: np.ndarray, x: np.ndarray, group: np.ndarray, n_groups: int,
         weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted least squares of y on producer + kategori x month effects + x, on untreated cells only,
    for every row of `weights` (B x N producer weights) at once.

    The producer effects are concentrated out (within-producer demeaning), which leaves small normal
    equations per kategori (T x T) plus K shared coefficients, solved by a Schur complement. Month
    effects are identified only up to a constant per kategori; the solution fixes their sum at zero, the
    producer effects take the constant, and the imputed counterfactuals do not depend on the choice.
    Returns gamma (B, G, T), beta (B, K), alpha (B, N).
    """
    n_boot = weights.shape[0]
    n_obs, n_months = y.shape
    k = x.shape[2]
    m = untreated.astype(float)
    count = m.sum(1)
    inv_n = np.divide(1.0, count, out=np.zeros_like(count), where=count > 0)
    ym = y * m
    xm = x * m[:, :, None]
    sum_y = ym.sum(1)
    sum_x = xm.sum(1)  # (N, K)
    r_gamma = ym - m * (sum_y * inv_n)[:, None]  # (N, T)
    a_gb = xm - m[:, :, None] * (sum_x * inv_n[:, None])[:, None, :]  # (N, T, K)
    a_bb = np.einsum("itk,itl->ikl", xm, x) - np.einsum("ik,il->ikl", sum_x, sum_x) * inv_n[:, None, None]
    r_b = np.einsum("itk,it->ik", xm, y) - sum_x * (sum_y * inv_n)[:, None]
    ones = np.ones((n_months, n_months))
    gamma_part = np.zeros((n_boot, n_groups, n_months, 1 + k))
    schur = weights @ a_bb.reshape(n_obs, k * k)
    schur = schur.reshape(n_boot, k, k)
    rhs = weights @ r_b  # (B, K)
    a_gb_all = np.zeros((n_boot, n_groups, n_months, k))
    for g in range(n_groups):
        idx = np.flatnonzero(group == g)
        if idx.size == 0:
            continue
        w = weights[:, idx]
        mg = m[idx]
        a_gg = -_old_outer_sums(w * inv_n[idx], mg).reshape(n_boot, n_months, n_months)
        diag = w @ mg  # (B, T)
        a_gg[:, np.arange(n_months), np.arange(n_months)] += diag
        scale = np.maximum(diag.mean(1), 1.0)[:, None, None]
        a_gg += ones * scale / n_months  # pins the free constant: sum of the month effects is zero
        empty = diag <= 0
        a_gg[:, np.arange(n_months), np.arange(n_months)] += empty * scale[:, :, 0]
        block = np.concatenate([(w @ r_gamma[idx])[:, :, None],
                                (w @ a_gb[idx].reshape(idx.size, -1)).reshape(n_boot, n_months, k)], axis=2)
        a_gb_all[:, g] = block[:, :, 1:]
        gamma_part[:, g] = np.linalg.solve(a_gg, block)
    if k:
        schur = schur - np.einsum("bgtk,bgtl->bkl", a_gb_all, gamma_part[..., 1:])
        rhs = rhs - np.einsum("bgtk,bgt->bk", a_gb_all, gamma_part[..., 0])
        beta = np.einsum("bkl,bl->bk", np.linalg.pinv(schur, rcond=1e-10), rhs)
        gamma = gamma_part[..., 0] - np.einsum("bgtk,bk->bgt", gamma_part[..., 1:], beta)
    else:
        beta = np.zeros((n_boot, 0))
        gamma = gamma_part[..., 0]
    # Sum of each producer's fitted month effects, per kategori: gamma[:, group, :] would be a (B, N, T)
    # array, over half a gigabyte per chunk at province size.
    fitted = np.zeros((n_boot, n_obs))
    for g in range(n_groups):
        idx = np.flatnonzero(group == g)
        if idx.size:
            fitted[:, idx] = gamma[:, g, :] @ m[idx].T
    resid_sum = sum_y[None, :] - fitted - np.einsum("ik,bk->bi", sum_x, beta)
    alpha = resid_sum * inv_n[None, :]
    return gamma, beta, alpha


def _old_outer_sums(w: np.ndarray, mg: np.ndarray) -> np.ndarray:
    """``w @ outer`` (B x T*T) where ``outer[i]`` is the flattened ``mg[i] mg[i]^T`` of producer i's 0/1
    mask of untreated months. Producers share masks (8,000 producers of one kecamatan have about 1,100
    distinct ones), so the weights are first added per distinct mask and the T*T products are taken per
    mask: the same sums in another order, and what was most of the estimate's time and memory (a
    producers x T*T array per kategori) becomes a masks x T*T one."""
    n, n_months = mg.shape
    if n == 0 or n_months > 62:  # the masks are told apart by their bits packed into one integer
        return w @ (mg[:, :, None] * mg[:, None, :]).reshape(n, n_months * n_months)
    bits = (mg > 0).astype(np.int64) @ (np.int64(1) << np.arange(n_months, dtype=np.int64))
    keys, inverse = np.unique(bits, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    starts = np.searchsorted(inverse[order], np.arange(len(keys)))
    per_mask = np.add.reduceat(w[:, order], starts, axis=1)  # (B, masks)
    masks = mg[order[starts]]
    return per_mask @ (masks[:, :, None] * masks[:, None, :]).reshape(len(keys), -1)


def _old_weights(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Row 0: the sample itself; rows 1..B: how often each producer is drawn when producers are
    resampled with replacement (the cluster bootstrap, as multinomial counts). The former code drew them
    with ``rng.multinomial``; the estimator now counts uniform draws instead (same distribution, ten times
    cheaper; ``test_resample_counts_are_multinomial`` checks the distribution), so the reference draws
    the same way and these tests compare the fit, not the random numbers."""
    draws = impact.resample_counts(n, n_boot, rng)
    return np.vstack([np.ones((1, n)), draws])


def _old_estimate_one(arr: impact._Arrays, jenis: str, n_boot: int, rng: np.random.Generator) -> impact.ImpactResult:
    n, n_months = arr.y.shape
    start = arr.start.get(jenis, np.full(n, impact._NEVER, dtype=np.int64))
    t = np.arange(n_months)
    rel = t[None, :] - start[:, None]
    untreated = arr.observed & (rel < 0)
    others = [j for j in sorted(arr.start) if j != jenis]
    x = np.stack([(t[None, :] >= arr.start[j][:, None]).astype(float) for j in others], axis=2) \
        if others else np.zeros((n, n_months, 0))
    # Another training type whose start never varies within the comparison sample cannot be estimated
    # (and would make the normal equations singular): it is left out.
    varies = [(x[..., c] * untreated).sum() >= impact.MIN_CELL_PRODUCERS for c in range(x.shape[2])]
    x = x[..., np.array(varies, dtype=bool)] if x.shape[2] else x

    # Cells that can serve as a counterfactual: enough producers with untreated sales in that kategori-month.
    cell_producers = np.zeros((len(arr.kategori), n_months))
    np.add.at(cell_producers, arr.group, untreated.astype(float))
    usable_cell = cell_producers[arr.group] >= impact.MIN_CELL_PRODUCERS  # (N, T)
    has_pre = untreated.any(1)
    post = arr.observed & (rel >= 0) & (rel <= impact.POST_MONTHS) & usable_cell & has_pre[:, None]
    pre = arr.observed & (rel >= -impact.PRE_MONTHS) & (rel < 0)
    treated = (start < impact._NEVER) & post.any(1)
    n_peserta = int(treated.sum())
    post_cells = np.zeros((len(arr.kategori), n_months), dtype=bool)
    ii, tt = np.nonzero(post)
    post_cells[arr.group[ii], tt] = True
    comparison = (untreated & post_cells[arr.group]).any(1)
    comparison &= ~treated  # a participant is counted once, as a participant
    n_pembanding = int(comparison.sum())

    warnings: list[str] = []
    if start.min() >= impact._NEVER:
        return impact._empty_result(jenis, 0, 0, [f"Tidak ada peserta pelatihan {jenis} yang tercatat penjualannya."])
    if n_peserta == 0:
        return impact._empty_result(jenis, 0, n_pembanding, [
            f"Tidak ada peserta {jenis} dengan data penjualan sebelum dan sesudah pelatihan."])

    weights = _old_weights(n, n_boot, rng)
    pre_dummies = np.stack([(rel == -k) & (start < impact._NEVER)[:, None] for k in range(impact.PRE_MONTHS, 0, -1)],
                           axis=2).astype(float)
    pre_ok = (pre_dummies * untreated[:, :, None]).sum((0, 1)) > 0
    x_pre = np.concatenate([x, pre_dummies[..., pre_ok]], axis=2)
    # A steady faster (or slower) growth of participants before training: one slope over ALL their
    # pre-training months, in log points per month. Against selection on growth it has far more power
    # than the six monthly dummies, which only see half a year.
    slope = np.where((start < impact._NEVER)[:, None] & (rel < 0), rel, 0).astype(float)
    x_slope = np.concatenate([x, slope[:, :, None]], axis=2)

    ii, tt = np.nonzero(post)
    ee = rel[ii, tt]
    taus, deltas, slopes = [], [], []
    for lo in range(0, weights.shape[0], _OLD_CHUNK):
        w = weights[lo:lo + _OLD_CHUNK]
        gamma, beta, alpha = _old_fit(untreated, arr.y, x, arr.group, len(arr.kategori), w)
        diff = arr.y[ii, tt][None, :] - alpha[:, ii] - gamma[:, arr.group[ii], tt] - beta @ x[ii, tt].T
        wi = w[:, ii]
        per_e = np.stack([(wi[:, ee == e] * diff[:, ee == e]).sum(1) / np.maximum(wi[:, ee == e].sum(1), 1e-12)
                          for e in range(impact.POST_MONTHS + 1)], axis=1)
        overall = (wi * diff).sum(1) / wi.sum(1)
        taus.append(np.column_stack([overall, per_e]))
        _, beta_pre, _ = _old_fit(untreated, arr.y, x_pre, arr.group, len(arr.kategori), w)
        deltas.append(beta_pre[:, x.shape[2]:])
        _, beta_slope, _ = _old_fit(untreated, arr.y, x_slope, arr.group, len(arr.kategori), w)
        slopes.append(beta_slope[:, -1])
    tau = np.vstack(taus)
    delta = np.vstack(deltas)
    slope_b = np.concatenate(slopes)

    center, boot = tau[0], tau[1:]
    se = boot.std(axis=0, ddof=1)
    effect = impact._percent(center[0])
    low, high = impact._interval(center[0], se[0])

    d0, dboot = delta[0], delta[1:]
    p_value = None
    if d0.size:
        cov = np.atleast_2d(np.cov(dboot, rowvar=False))
        wald = float(d0 @ np.linalg.pinv(cov) @ d0)
        p_value = impact._chi2_sf(wald, d0.size)
    slope_se = float(slope_b[1:].std(ddof=1))
    p_slope = impact._chi2_sf((slope_b[0] / slope_se) ** 2, 1) if slope_se > 0 else None

    counts_post = np.array([int((ee == e).sum()) for e in range(impact.POST_MONTHS + 1)])
    pre_months = np.arange(-impact.PRE_MONTHS, 0)[pre_ok]
    counts_pre = np.array([int((pre & (rel == k)).sum()) for k in pre_months])
    rows = [{impact.BULAN_RELATIF: int(k), impact.EFEK_PERSEN: impact._percent(d), impact.CI_BAWAH: impact._interval(d, s)[0],
             impact.CI_ATAS: impact._interval(d, s)[1], impact.N_OBS: int(c)}
            for k, d, s, c in zip(pre_months, d0, dboot.std(axis=0, ddof=1) if d0.size else [], counts_pre)]
    rows += [{impact.BULAN_RELATIF: e, impact.EFEK_PERSEN: impact._percent(center[1 + e]), impact.CI_BAWAH: impact._interval(center[1 + e], se[1 + e])[0],
              impact.CI_ATAS: impact._interval(center[1 + e], se[1 + e])[1], impact.N_OBS: int(counts_post[e])}
             for e in range(impact.POST_MONTHS + 1) if counts_post[e] > 0]
    per_bulan = pd.DataFrame(rows, columns=[impact.BULAN_RELATIF, impact.EFEK_PERSEN, impact.CI_BAWAH, impact.CI_ATAS, impact.N_OBS])

    cukup = n_peserta >= impact.MIN_PESERTA and n_pembanding >= impact.MIN_PEMBANDING
    if n_peserta < impact.MIN_PESERTA:
        warnings.append(f"Peserta terlalu sedikit: {n_peserta} UMKM dengan data penjualan sebelum dan sesudah "
                        f"pelatihan (minimal {impact.MIN_PESERTA}).")
    if n_pembanding < impact.MIN_PEMBANDING:
        warnings.append(f"Pembanding terlalu sedikit: {n_pembanding} UMKM (minimal {impact.MIN_PEMBANDING}).")
    months_differ = p_value is not None and p_value < impact.PRETREND_ALPHA
    slope_differs = p_slope is not None and p_slope < impact.PRETREND_ALPHA
    berbeda = months_differ or slope_differs
    if months_differ:
        warnings.append(f"Sebelum pelatihan, penjualan peserta sudah bergerak berbeda dari pembanding "
                        f"(uji {len(pre_months)} bulan sebelum pelatihan, p = {impact.fmt.number(p_value, 3)}); "
                        f"perbandingan ini tidak dapat dipercaya.")
    if slope_differs:
        pace = 100 * math.expm1(abs(float(slope_b[0])))
        arah = "lebih cepat" if slope_b[0] > 0 else "lebih lambat"
        warnings.append(f"Sebelum pelatihan, penjualan peserta sudah bergerak berbeda dari pembanding: tumbuh "
                        f"sekitar {impact.fmt.number(pace, 1)}% per bulan {arah} (p = {impact.fmt.number(p_slope, 3)}); "
                        f"perbandingan ini tidak dapat dipercaya.")
    if p_value is None:
        warnings.append("Tidak ada data penjualan peserta pada bulan-bulan sebelum pelatihan untuk memeriksa "
                        "kesetaraan pembanding.")
    p_both = [p for p in (p_value, p_slope) if p is not None]
    return impact.ImpactResult(jenis, effect, low, high, n_peserta, n_pembanding, warnings,
                        round(min(p_both), 4) if p_both else None, per_bulan, cukup, berbeda)




# ---------------------------------------------------------------------------------------------- panels
JENIS = ["Pemasaran", "Kemasan", "Keuangan", "Kelembagaan"]
KATEGORI = ["Makanan Olahan", "Kerajinan", "Minuman", "Fesyen", "Jasa"]


def panel(seed: int, *, n: int = 420, months: int = 30, start: str = "2015-01-01", effects=None) -> dict:
    """Four canonical tables: several kategori (one of them small, so some of its cells are unusable),
    staggered trainings of four jenis with overlapping participants (so each estimate has covariates),
    unreported months, producers first reporting late (no untreated month), and trainings after the end."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=months, freq="MS")
    t = np.arange(months)
    kategori = rng.choice(KATEGORI, n, p=[0.35, 0.25, 0.2, 0.17, 0.03])
    level = rng.normal(np.log(4_000_000), 0.8, n)
    trend = rng.normal(0.003, 0.004, n)
    effects = effects or {"Pemasaran": 0.12, "Kemasan": 0.06, "Keuangan": 0.0, "Kelembagaan": 0.03}
    log_y = level[:, None] + trend[:, None] * t + rng.normal(0, 0.15, (n, months))
    ids = np.array([f"U{i:04d}" for i in range(n)])
    trainings, participants = [], []
    for j, jenis in enumerate(JENIS):
        n_events = 2 + j % 2
        ends = sorted(rng.choice(np.arange(4, months + 3), n_events, replace=False))
        for e, end in enumerate(ends):
            pid = f"{jenis[:3]}{e}"
            end_date = (dates[0] + pd.DateOffset(months=int(end))) + pd.Timedelta(days=int(rng.integers(0, 27)))
            trainings.append({"pelatihan_id": pid, "jenis": jenis, "tanggal_mulai": end_date - pd.Timedelta(days=2),
                              "tanggal_selesai": end_date})
            people = rng.choice(n, int(rng.integers(15, 45)), replace=False)
            participants += [{"pelatihan_id": pid, "umkm_id": ids[p]} for p in people]
            log_y[people] += effects[jenis] * (t[None, :] >= end + 1)
    report = rng.random((n, months)) > 0.15
    report[rng.random(n) < 0.6] = True  # most report every month: producers share patterns
    report[rng.choice(n, n // 20, replace=False), : months // 2] = False  # late starters
    rows, cols = np.nonzero(report)
    sales = pd.DataFrame({"umkm_id": ids[rows], "bulan": dates[cols],
                          "nilai_rp": np.round(np.exp(log_y[rows, cols]), -3)})
    producers = pd.DataFrame({"umkm_id": ids, "kategori": kategori})
    return {"producers": producers, "sales": sales, "trainings": pd.DataFrame(trainings),
            "participants": pd.DataFrame(participants)}


def _both(tables: dict, n_boot: int, seed: int = 11):
    arr, kinds = impact._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    assert arr is not None and len(kinds) == len(JENIS)
    new, old = [], []
    for position, kind in enumerate(impact.ref.JENIS_PELATIHAN):
        if kind in kinds:
            new.append(impact._estimate_one(arr, kind, n_boot, np.random.default_rng([seed, position])))
            old.append(_old_estimate_one(arr, kind, n_boot, np.random.default_rng([seed, position])))
    return new, old


def _same(new: impact.ImpactResult, old: impact.ImpactResult, *, rtol: float) -> None:
    assert (new.jenis, new.n_peserta, new.n_pembanding, new.cukup_data, new.pratren_berbeda) == \
        (old.jenis, old.n_peserta, old.n_pembanding, old.cukup_data, old.pratren_berbeda)
    assert new.peringatan == old.peringatan
    for name in ("efek_persen", "ci_bawah", "ci_atas"):
        assert getattr(new, name) == pytest.approx(getattr(old, name), rel=rtol, abs=1e-9), name
    assert (new.p_pratren is None) == (old.p_pratren is None)
    if old.p_pratren is not None:
        assert new.p_pratren == pytest.approx(old.p_pratren, abs=1.01e-4)  # rounded to 4 decimals
    pd.testing.assert_frame_equal(new.per_bulan, old.per_bulan, rtol=rtol, atol=1e-9)


@pytest.mark.parametrize(("seed", "months", "n_boot"), [(1, 30, 120), (2, 24, 49), (3, 70, 60), (4, 36, 7)])
def test_unrounded_estimates_equal_the_former_code(monkeypatch, seed, months, n_boot):
    """Unrounded percentages, so that a difference beyond noise in any replicate's estimate shows. 70
    months exercise the untreated masks packed into two 62-bit words; 120 replicates span three chunks."""
    monkeypatch.setattr(impact, "_percent", lambda log_effect: 100.0 * math.expm1(log_effect))
    new, old = _both(panel(seed, months=months), n_boot)
    assert any(r.efek_persen is not None for r in old)
    for a, b in zip(new, old):
        _same(a, b, rtol=1e-9)


def test_rounded_results_are_identical_to_the_former_code():
    """What the pages show: every rounded number and sentence the same."""
    new, old = _both(panel(5), 99)
    for a, b in zip(new, old):
        assert a.as_dict() == b.as_dict()
        assert a.p_pratren == b.p_pratren
        pd.testing.assert_frame_equal(a.per_bulan, b.per_bulan)


def test_the_equivalence_check_can_fail(monkeypatch):
    """A changed draw (another seed) must be told apart: the comparison is not vacuous."""
    monkeypatch.setattr(impact, "_percent", lambda log_effect: 100.0 * math.expm1(log_effect))
    tables = panel(1)
    arr, _ = impact._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    new = impact._estimate_one(arr, "Pemasaran", 30, np.random.default_rng([11, 0]))
    old = _old_estimate_one(arr, "Pemasaran", 30, np.random.default_rng([12, 0]))
    with pytest.raises(AssertionError):
        _same(new, old, rtol=1e-9)


@pytest.mark.parametrize(("n", "n_boot", "size"), [(50, 120, 50), (7, 3, 50), (30, 49, 50), (30, 50, 50), (13, 10, 4)])
def test_weight_chunks_are_the_former_weights_draw_for_draw(n, n_boot, size):
    whole = _old_weights(n, n_boot, np.random.default_rng(9))
    chunks = list(impact._weight_chunks(n, n_boot, np.random.default_rng(9), size))
    assert all(len(c) <= size for c in chunks)
    assert np.array_equal(np.vstack(chunks), whole)


def test_resample_counts_are_multinomial():
    """Counts of n draws with replacement: every row sums to n; each count has the multinomial's mean 1
    and variance 1 - 1/n, and two producers' counts the covariance -1/n (checked over 20,000 rows, with
    margins of about five standard errors, on a fixed seed)."""
    n, rows = 8, 20_000
    counts = impact.resample_counts(n, rows, np.random.default_rng(5))
    assert counts.shape == (rows, n) and (counts.sum(1) == n).all() and (counts >= 0).all()
    cov = np.cov(counts, rowvar=False)
    assert np.allclose(counts.mean(0), 1.0, atol=0.04)
    assert np.allclose(np.diag(cov), 1 - 1 / n, atol=0.06)
    assert np.allclose(cov[~np.eye(n, dtype=bool)], -1 / n, atol=0.06)
    reference = np.random.default_rng(5).multinomial(n, np.full(n, 1 / n), size=rows)
    assert abs(np.cov(reference, rowvar=False)[0, 0] - cov[0, 0]) < 0.06


def test_fit_on_patterns_equals_the_former_fit():
    """The shared solver with producers grouped by pattern against the former per-producer fit."""
    rng = np.random.default_rng(4)
    n, t, k = 300, 20, 3
    group = rng.integers(0, 4, n)
    untreated = (rng.random((6, t)) < 0.85)[rng.integers(0, 6, n)]  # few distinct masks, as in sales data
    untreated[:40] = rng.random((40, t)) < 0.85
    y = rng.normal(size=(n, t))
    starts = rng.choice([-2, 0, 5, 12, t, t + 3], (n, k))
    x = (np.arange(t)[None, :, None] >= starts[:, None, :]).astype(float)
    weights = np.vstack([np.ones(n), rng.multinomial(n, np.full(n, 1 / n), 5)]).astype(float)
    design = impact._Design(untreated, y, group, 4, lambda rows: x[rows], np.clip(starts, 0, t))
    assert len(design.pattern_starts) < n  # producers did share patterns
    parts, schur, rhs = design.solve(weights)
    for cols in ([0, 1, 2], [0, 2], [1]):
        beta = design.beta(schur, rhs, cols)
        gamma = design.gamma(parts, cols, beta)
        alpha = design.alpha(np.arange(n), gamma, beta, cols)
        old_gamma, old_beta, old_alpha = _old_fit(untreated, y, x[..., cols], group, 4, weights)
        np.testing.assert_allclose(beta, old_beta, rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(gamma, old_gamma, rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(alpha, old_alpha, rtol=1e-9, atol=1e-10)


def test_estimate_all_is_the_same_on_worker_threads(monkeypatch):
    tables = panel(6)
    args = (tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    monkeypatch.setattr(impact, "_WORKERS", 2)
    threaded = impact.estimate_all(*args, n_boot=40)
    monkeypatch.setattr(impact, "_WORKERS", 1)
    serial = impact.estimate_all(*args, n_boot=40)
    assert [r.as_dict() for r in threaded] == [r.as_dict() for r in serial]
    for a, b in zip(threaded, serial):
        pd.testing.assert_frame_equal(a.per_bulan, b.per_bulan)


# ---------------------------------------------------------------------------------------------- panel arrays
def _old_arrays(panel: pd.DataFrame, treated: pd.DataFrame) -> impact._Arrays:
    ids = np.array(sorted(panel[impact.Sales.umkm_id].unique()), dtype=object)
    months = pd.date_range(panel[impact.Sales.bulan].min(), panel[impact.Sales.bulan].max(), freq="MS")
    row = pd.Index(ids).get_indexer(panel[impact.Sales.umkm_id])
    col = months.get_indexer(panel[impact.Sales.bulan])
    y = np.zeros((len(ids), len(months)))
    observed = np.zeros_like(y, dtype=bool)
    y[row, col] = panel[impact.LOG_OMZET].to_numpy()
    observed[row, col] = True
    by_id = panel.drop_duplicates(impact.Sales.umkm_id).set_index(impact.Sales.umkm_id)[impact.Producers.kategori]
    kategori = sorted(by_id.unique())
    group = pd.Index(kategori).get_indexer(by_id.reindex(ids))
    return impact._Arrays(ids, months, y, observed, group, kategori, impact._starts(ids, months, treated))


def _former_arrays(sales, producers, treated):
    panel = impact.monthly_panel(sales, producers)
    return None if panel.empty else _old_arrays(panel, treated)


def _same_arrays(new, old) -> None:
    assert (new is None) == (old is None)
    if old is None:
        return
    assert list(new.ids) == list(old.ids) and new.ids.dtype == old.ids.dtype
    assert new.months.equals(old.months)
    assert np.array_equal(new.y, old.y) and np.array_equal(new.observed, old.observed)
    assert np.array_equal(new.group, old.group) and list(new.kategori) == list(old.kategori)
    assert sorted(new.start) == sorted(old.start)
    assert all(np.array_equal(new.start[j], old.start[j]) for j in old.start)


@pytest.mark.parametrize("seed", [1, 3])
def test_panel_arrays_equal_the_panel_frame_route(seed):
    """Duplicated months (summed), zero and negative totals (dropped), missing values, unlinked rows and
    producers without kategori: the same arrays as monthly_panel + _arrays, bit for bit."""
    tables = panel(seed, months=20)
    rng = np.random.default_rng(seed)
    sales = tables["sales"]
    extra = sales.sample(300, random_state=seed).assign(nilai_rp=lambda f: f["nilai_rp"] * rng.random(len(f)))
    zero = sales.sample(40, random_state=seed + 1).assign(nilai_rp=0.0)
    negative = sales.sample(5, random_state=seed + 2).assign(nilai_rp=-1e9)
    unlinked = sales.sample(20, random_state=seed + 3).assign(umkm_id="X999")
    sales = pd.concat([sales, extra, zero, negative, unlinked], ignore_index=True).sample(frac=1, random_state=seed)
    sales = sales.astype({"umkm_id": "string", "nilai_rp": "Float64"})
    sales.loc[sales.index[:7], "nilai_rp"] = pd.NA
    sales.loc[sales.index[7:12], "umkm_id"] = pd.NA
    sales.loc[sales.index[12:15], "bulan"] = pd.NaT
    sales["bulan"] = sales["bulan"] + pd.Timedelta(days=9)  # a date inside the month
    producers = tables["producers"].astype("string")
    producers.loc[producers.index[:6], "kategori"] = pd.NA
    treated = impact.treatment_months(tables["trainings"], tables["participants"])
    _same_arrays(impact._panel_arrays(sales, producers, treated), _former_arrays(sales, producers, treated))


def test_panel_arrays_of_nothing_linked_is_none():
    tables = panel(2, n=80, months=10)
    treated = impact.treatment_months(tables["trainings"], tables["participants"])
    nobody = tables["producers"].assign(umkm_id="Z")
    assert impact._panel_arrays(tables["sales"], nobody, treated) is None
    assert impact._panel_arrays(tables["sales"].iloc[:0], tables["producers"], treated) is None
    assert _former_arrays(tables["sales"], nobody, treated) is None


# ---------------------------------------------------------------------------------------------- this round
def test_fit_with_an_empty_kategori_equals_the_former_fit():
    """A kategori without producers (the month blocks of all kategori are built and solved at once; the
    empty one must stay a zero solution)."""
    rng = np.random.default_rng(8)
    n, t, k = 200, 16, 2
    group = rng.choice([0, 1, 3], n)  # kategori 2 and 4 have nobody
    untreated = (rng.random((5, t)) < 0.8)[rng.integers(0, 5, n)]
    y = rng.normal(size=(n, t))
    starts = rng.choice([0, 4, 9, t + 2], (n, k))
    x = (np.arange(t)[None, :, None] >= starts[:, None, :]).astype(float)
    weights = np.vstack([np.ones(n), rng.multinomial(n, np.full(n, 1 / n), 4)]).astype(float)
    gamma, beta, alpha = impact._fit(untreated, y, x, group, 5, weights)
    old_gamma, old_beta, old_alpha = _old_fit(untreated, y, x, group, 5, weights)
    np.testing.assert_allclose(beta, old_beta, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(gamma, old_gamma, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(alpha, old_alpha, rtol=1e-9, atol=1e-10)
    assert not gamma[:, [2, 4]].any()


def _design_case(seed: int = 4):
    """Producers of whom only some have covariates (the others' rows are zero), as in the estimator."""
    rng = np.random.default_rng(seed)
    n, t, k = 300, 20, 3
    group = rng.integers(0, 4, n)
    untreated = (rng.random((6, t)) < 0.85)[rng.integers(0, 6, n)]
    y = rng.normal(size=(n, t))
    starts = rng.choice([-2, 0, 5, 12, t, t + 3], (n, k))
    starts[rng.random(n) < 0.6] = impact._NEVER  # most producers: no covariate at all
    x = (np.arange(t)[None, :, None] >= starts[:, None, :]).astype(float)
    weights = np.vstack([np.ones(n), rng.multinomial(n, np.full(n, 1 / n), 5)]).astype(float)
    return untreated, y, group, x, np.clip(starts, 0, t), weights


def test_design_on_the_active_producers_only_equals_the_former_fit():
    """``active``: the covariate terms are taken only for the producers whose covariates can be nonzero."""
    untreated, y, group, x, key, weights = _design_case()
    active = x.any((1, 2))
    assert 0 < active.sum() < len(active)
    design = impact._Design(untreated, y, group, 4, lambda rows: x[rows], key, active)
    assert len(design.act_p) < len(design.pattern_starts)
    parts, schur, rhs = design.solve(weights)
    for cols in ([0, 1, 2], [2]):
        beta = design.beta(schur, rhs, cols)
        gamma = design.gamma(parts, cols, beta)
        alpha = design.alpha(np.arange(len(y)), gamma, beta, cols)
        old_gamma, old_beta, old_alpha = _old_fit(untreated, y, x[..., cols], group, 4, weights)
        np.testing.assert_allclose(beta, old_beta, rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(gamma, old_gamma, rtol=1e-9, atol=1e-10)
        np.testing.assert_allclose(alpha, old_alpha, rtol=1e-9, atol=1e-10)


def test_design_that_leaves_out_a_producer_with_covariates_differs():
    """The comparison above can fail: dropping one producer whose covariates are nonzero changes beta."""
    untreated, y, group, x, key, weights = _design_case()
    active = x.any((1, 2))
    wrong = active.copy()
    wrong[np.flatnonzero((x * untreated[:, :, None]).any((1, 2)))[0]] = False
    design = impact._Design(untreated, y, group, 4, lambda rows: x[rows], key, wrong)
    _, schur, rhs = design.solve(weights)
    _, old_beta, _ = _old_fit(untreated, y, x, group, 4, weights)
    assert not np.allclose(design.beta(schur, rhs, [0, 1, 2]), old_beta, rtol=1e-9, atol=1e-10)


def test_estimator_leaves_out_only_producers_without_covariates(monkeypatch):
    """The ``active`` the estimator passes covers every producer with a nonzero covariate."""
    tables = panel(7)
    arr, _ = impact._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    seen = []
    original = impact._Design.__init__

    def spy(self, untreated, y, group, n_groups, columns, key, active=None):
        original(self, untreated, y, group, n_groups, columns, key, active)
        seen.append((columns(np.arange(len(y))), active))

    monkeypatch.setattr(impact._Design, "__init__", spy)
    for kind in JENIS:
        impact._estimate_one(arr, kind, 3, np.random.default_rng(0))
    assert len(seen) == len(JENIS)
    for x, active in seen:
        assert active is not None and not active.all()
        assert not x[~active].any()


def test_no_participant_drawn_is_nan_without_a_warning():
    """A replicate that drew none of the participants: its average effect stays NaN (as before), now
    without numpy's RuntimeWarning."""
    import warnings

    tables = panel(1)
    arr, _ = impact._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    replicates, _ = impact._plan(arr, "Pemasaran")
    w = np.ones((3, arr.y.shape[0]))
    trained = arr.start["Pemasaran"] < impact._NEVER
    w[1, trained] = 0.0  # nobody trained in Pemasaran drawn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tau, _, _ = replicates(w)
    assert np.isfinite(tau[0, 0]) and np.isnan(tau[1, 0]) and np.isfinite(tau[2, 0])
    np.testing.assert_array_equal(tau[0], tau[2])


@pytest.mark.parametrize(("workers", "chunk"), [(2, 7), (2, 50), (3, 4), (1, 9)])
def test_work_shared_by_chunks_equals_one_jenis_after_the_other(monkeypatch, workers, chunk):
    """The threads take designs and chunks from any jenis; each result equals _estimate_one's (same
    draws, same order), including a jenis with nothing to estimate (no weights drawn)."""
    monkeypatch.setattr(impact, "_percent", lambda log_effect: 100.0 * math.expm1(log_effect))
    monkeypatch.setattr(impact, "_CHUNK", chunk)
    tables = panel(3, months=24)
    arr, kinds = impact._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    kinds = ["Produksi & Mutu", *kinds]  # nobody attended it: an empty result, no draws
    jobs = [(kind, np.random.default_rng([5, position])) for position, kind in enumerate(kinds)]
    shared = impact._run(arr, jobs, 40, workers)
    alone = [impact._estimate_one(arr, kind, 40, np.random.default_rng([5, position]))
             for position, kind in enumerate(kinds)]
    assert [r.jenis for r in shared] == kinds
    assert shared[0].efek_persen is None and shared[1].efek_persen is not None
    for a, b in zip(shared, alone):
        assert a.as_dict() == b.as_dict() and a.p_pratren == b.p_pratren
        pd.testing.assert_frame_equal(a.per_bulan, b.per_bulan) if b.per_bulan is not None else None


def test_a_failing_jenis_fails_the_whole_estimate(monkeypatch):
    tables = panel(2, months=20)
    arr, kinds = impact._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    original = impact._plan

    def broken(arr, jenis):
        if jenis == kinds[1]:
            raise RuntimeError("rusak")
        return original(arr, jenis)

    monkeypatch.setattr(impact, "_plan", broken)
    jobs = [(kind, np.random.default_rng([5, p])) for p, kind in enumerate(kinds)]
    with pytest.raises(RuntimeError, match="rusak"):
        impact._run(arr, jobs, 20, 2)


def test_month_blocks_are_exactly_symmetric(monkeypatch):
    """solve() hands LAPACK the transposed view of the month blocks: right only if they are symmetric."""
    untreated, y, group, x, key, weights = _design_case(5)
    design = impact._Design(untreated, y, group, 4, lambda rows: x[rows], key, x.any((1, 2)))
    seen = []
    original = np.linalg.solve
    monkeypatch.setattr(np.linalg, "solve", lambda a, b: seen.append(a.copy()) or original(a, b))
    design.solve(weights)
    assert len(seen) == 1 and np.array_equal(seen[0], seen[0].swapaxes(-1, -2))


def _old_starts(ids: np.ndarray, months: pd.DatetimeIndex, treated: pd.DataFrame) -> dict[str, np.ndarray]:
    start = {}
    for jenis, part in treated.groupby(impact.JENIS):
        index = np.full(len(ids), impact._NEVER, dtype=np.int64)
        rows = pd.Index(ids).get_indexer(part[impact.Participants.umkm_id])
        keep = rows >= 0
        first = months[0]
        offset = ((part[impact.BULAN_PERLAKUAN].dt.year - first.year) * 12
                  + part[impact.BULAN_PERLAKUAN].dt.month - first.month)
        index[rows[keep]] = offset.to_numpy()[keep]
        start[str(jenis)] = index
    return start


@pytest.mark.parametrize("seed", [1, 4])
def test_starts_equal_the_former_per_jenis_lookup(seed):
    """Treatment months of every jenis (participants not in the panel, trainings before and after it)."""
    tables = panel(seed, months=20)
    treated = impact.treatment_months(tables["trainings"], tables["participants"])
    extra = treated.iloc[:5].assign(umkm_id="X999")  # a participant without sales: not in the panel
    treated = pd.concat([treated, extra], ignore_index=True)
    arr = impact._panel_arrays(tables["sales"], tables["producers"], treated)
    new, old = impact._starts(arr.ids, arr.months, treated), _old_starts(arr.ids, arr.months, treated)
    assert list(new) == list(old) == sorted(JENIS)
    for jenis in old:
        assert new[jenis].dtype == old[jenis].dtype and np.array_equal(new[jenis], old[jenis])
    assert (old["Pemasaran"] < impact._NEVER).any() and (old["Pemasaran"] == impact._NEVER).any()
