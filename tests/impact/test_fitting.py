"""The least-squares fit of the impact estimate (analysis/impact/fitting.py) and its bootstrap draws.

The fast solver (producers grouped by pattern, covariate terms only for the producers that have any,
the month blocks of all kategori solved at once) is checked against plain dummy-variable weighted least
squares solved by ``np.linalg.lstsq``: the definition of the fit, not a former copy of the solver."""
from __future__ import annotations

import numpy as np
import pytest

from analysis.impact import fitting
from analysis.impact.panel import NEVER


def _least_squares(untreated, y, x, group, n_groups, w):
    """Weighted least squares of y on producer dummies + kategori x month dummies + x over the untreated
    cells of the producers drawn (w > 0): (beta, cell rows, cell months, fitted values of those cells)."""
    n, t = y.shape
    ii, tt = np.nonzero(untreated & (w > 0)[:, None])
    design = np.hstack([np.eye(n)[ii], np.eye(n_groups * t)[group[ii] * t + tt], x[ii, tt]])
    root = np.sqrt(w[ii])
    coef = np.linalg.lstsq(design * root[:, None], y[ii, tt] * root, rcond=None)[0]
    return coef[design.shape[1] - x.shape[2]:], ii, tt, design @ coef


def _assert_is_least_squares(untreated, y, x, group, n_groups, weights, gamma, beta, alpha) -> None:
    for b, w in enumerate(weights):
        expected_beta, ii, tt, expected_fit = _least_squares(untreated, y, x, group, n_groups, w)
        fitted = alpha[b, ii] + gamma[b, group[ii], tt] + x[ii, tt] @ beta[b]
        np.testing.assert_allclose(beta[b], expected_beta, rtol=1e-7, atol=1e-9)
        np.testing.assert_allclose(fitted, expected_fit, rtol=1e-7, atol=1e-8)


def _case(seed: int, *, n: int = 160, t: int = 14, k: int = 3, inactive: float = 0.0):
    """Producers sharing a few masks of untreated months (as sales data do), staggered covariate steps
    and bootstrap weights; ``inactive``: the share of producers without any covariate (rows of zeros)."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 4, n)
    untreated = (rng.random((6, t)) < 0.85)[rng.integers(0, 6, n)]
    untreated[:25] = rng.random((25, t)) < 0.85
    y = rng.normal(size=(n, t))
    starts = rng.choice([-2, 0, 5, 9, t, t + 3], (n, k))
    starts[rng.random(n) < inactive] = NEVER
    x = (np.arange(t)[None, :, None] >= starts[:, None, :]).astype(float)
    weights = np.vstack([np.ones(n), fitting.resample_counts(n, 4, rng)])
    return untreated, y, group, x, np.clip(starts, 0, t), weights


def test_design_on_shared_patterns_is_the_least_squares_fit():
    """Producers grouped by pattern, and a fit on a subset of the covariate columns taken from the one
    Schur complement: the weighted least-squares fit of each replicate."""
    untreated, y, group, x, key, weights = _case(4)
    design = fitting.Design(untreated, y, group, 4, lambda rows: x[rows], key)
    assert len(design.pattern_starts) < len(y)  # producers did share patterns
    parts, schur, rhs = design.solve(weights)
    for cols in ([0, 1, 2], [0, 2], [1]):
        beta = design.beta(schur, rhs, cols)
        gamma = design.gamma(parts, cols, beta)
        alpha = design.alpha(np.arange(len(y)), gamma, beta, cols)
        _assert_is_least_squares(untreated, y, x[..., cols], group, 4, weights, gamma, beta, alpha)


def test_design_on_the_active_producers_only_is_the_least_squares_fit():
    """``active``: the covariate terms are taken only for the producers whose covariates can be nonzero."""
    untreated, y, group, x, key, weights = _case(5, inactive=0.6)
    active = x.any((1, 2))
    assert 0 < active.sum() < len(active)
    design = fitting.Design(untreated, y, group, 4, lambda rows: x[rows], key, active)
    assert len(design.act_p) < len(design.pattern_starts)
    parts, schur, rhs = design.solve(weights)
    for cols in ([0, 1, 2], [2]):
        beta = design.beta(schur, rhs, cols)
        gamma = design.gamma(parts, cols, beta)
        alpha = design.alpha(np.arange(len(y)), gamma, beta, cols)
        _assert_is_least_squares(untreated, y, x[..., cols], group, 4, weights, gamma, beta, alpha)


def test_design_that_leaves_out_a_producer_with_covariates_is_not_the_least_squares_fit():
    """The comparison above can fail: dropping one producer whose covariates change over its untreated
    months (a constant one is absorbed by its producer effect) changes beta."""
    untreated, y, group, x, key, weights = _case(5, inactive=0.6)
    wrong = x.any((1, 2))
    cells = untreated[:, :, None]
    varies = np.flatnonzero((np.where(cells, x, -np.inf).max(1) > np.where(cells, x, np.inf).min(1)).any(1))
    wrong[varies[0]] = False
    design = fitting.Design(untreated, y, group, 4, lambda rows: x[rows], key, wrong)
    _, schur, rhs = design.solve(weights)
    expected_beta = _least_squares(untreated, y, x, group, 4, weights[0])[0]
    assert not np.allclose(design.beta(schur, rhs, [0, 1, 2])[0], expected_beta, rtol=1e-7, atol=1e-9)


def test_fit_with_an_empty_kategori_is_the_least_squares_fit():
    """A kategori without producers (the month blocks of all kategori are built and solved at once; the
    empty one must stay a zero solution)."""
    rng = np.random.default_rng(8)
    n, t, k = 120, 12, 2
    group = rng.choice([0, 1, 3], n)  # kategori 2 and 4 have nobody
    untreated = (rng.random((5, t)) < 0.8)[rng.integers(0, 5, n)]
    y = rng.normal(size=(n, t))
    starts = rng.choice([0, 4, 9, t + 2], (n, k))
    x = (np.arange(t)[None, :, None] >= starts[:, None, :]).astype(float)
    weights = np.vstack([np.ones(n), fitting.resample_counts(n, 3, rng)])
    gamma, beta, alpha = fitting.fit(untreated, y, x, group, 5, weights)
    _assert_is_least_squares(untreated, y, x, group, 5, weights, gamma, beta, alpha)
    assert not gamma[:, [2, 4]].any()


def test_month_blocks_are_exactly_symmetric(monkeypatch):
    """solve() hands LAPACK the transposed view of the month blocks: right only if they are symmetric."""
    untreated, y, group, x, key, weights = _case(5, inactive=0.6)
    design = fitting.Design(untreated, y, group, 4, lambda rows: x[rows], key, x.any((1, 2)))
    seen = []
    original = np.linalg.solve
    monkeypatch.setattr(np.linalg, "solve", lambda a, b: seen.append(a.copy()) or original(a, b))
    design.solve(weights)
    assert len(seen) == 1 and np.array_equal(seen[0], seen[0].swapaxes(-1, -2))


def test_resample_counts_are_multinomial():
    """Counts of n draws with replacement: every row sums to n; each count has the multinomial's mean 1
    and variance 1 - 1/n, and two producers' counts the covariance -1/n (checked over 20,000 rows, with
    margins of about five standard errors, on a fixed seed)."""
    n, rows = 8, 20_000
    counts = fitting.resample_counts(n, rows, np.random.default_rng(5))
    assert counts.shape == (rows, n) and (counts.sum(1) == n).all() and (counts >= 0).all()
    cov = np.cov(counts, rowvar=False)
    assert np.allclose(counts.mean(0), 1.0, atol=0.04)
    assert np.allclose(np.diag(cov), 1 - 1 / n, atol=0.06)
    assert np.allclose(cov[~np.eye(n, dtype=bool)], -1 / n, atol=0.06)
    reference = np.random.default_rng(5).multinomial(n, np.full(n, 1 / n), size=rows)
    assert abs(np.cov(reference, rowvar=False)[0, 0] - cov[0, 0]) < 0.06


@pytest.mark.parametrize(("n", "n_boot", "size"), [(50, 120, 50), (7, 3, 50), (30, 49, 50), (30, 50, 50), (13, 10, 4)])
def test_weight_chunks_are_the_draws_taken_all_at_once(n, n_boot, size):
    """Drawn chunk by chunk, the weights are those drawn at once from the same generator: the sample
    itself (all ones), then n_boot rows of resample counts. So a chunk size never changes an estimate."""
    whole = np.vstack([np.ones((1, n)), fitting.resample_counts(n, n_boot, np.random.default_rng(9))])
    chunks = list(fitting.weight_chunks(n, n_boot, np.random.default_rng(9), size))
    assert all(len(c) <= size for c in chunks)
    assert np.array_equal(np.vstack(chunks), whole)
