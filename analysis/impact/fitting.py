"""The least-squares fit on the untreated observations (producer effects, kategori x month effects,
other training types), solved for many bootstrap draws at once, and the draws themselves."""
from __future__ import annotations

import math

import numpy as np

# Bootstrap replicates drawn and solved together; bounds memory at ~B x producers floats. 25: a province's
# whole-area estimate peaks 150 MB lower than with 50, in the same time (the numbers do not depend on it).
CHUNK = 25


_BLOCK = 4096  # producers (or patterns) whose covariates are built at once


class Design:
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
        wp = row_sums(weights, self.pattern_of, len(self.pattern_starts))
        w_mask = row_sums(wp, self.mask_of, len(self.mask_starts))
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
        parts = solve_blocks(a_gg.transpose(0, 1, 3, 2), block).transpose(1, 0, 2, 3)
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


def solve_blocks(a: np.ndarray, b: np.ndarray) -> np.ndarray:
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


def row_sums(values: np.ndarray, bins: np.ndarray, n_bins: int) -> np.ndarray:
    """(B, n_bins): the sums of each row's ``values`` (B, N) per bin (``bins``, (N,), in 0..n_bins-1),
    taken in column order; whole-number values (counts) give exact sums."""
    rows = values.shape[0]
    where = (bins[None, :] + (np.arange(rows, dtype=np.int64) * n_bins)[:, None]).ravel()
    return np.bincount(where, weights=values.ravel(), minlength=rows * n_bins).reshape(rows, n_bins)


def fit(untreated: np.ndarray, y: np.ndarray, x: np.ndarray, group: np.ndarray, n_groups: int,
         weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One fit on covariates ``x`` (N, T, K), every producer its own pattern: gamma (B, G, T), beta (B, K),
    alpha (B, N)."""
    n = y.shape[0]
    design = Design(untreated, y, group, n_groups, lambda rows: x[rows], np.arange(n)[:, None])
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


def weight_chunks(n: int, n_boot: int, rng: np.random.Generator, size: int | None = None):
    """Producer weights, ``size`` (default ``CHUNK``) replicates at a time. Row 0: the sample itself;
    rows 1..B: how often each producer is drawn when producers are resampled with replacement (the cluster
    bootstrap, as multinomial counts, see ``resample_counts``). Drawn chunk by chunk, the same numbers as
    all at once (the generator's stream is consumed in the same order), without a B x N array of them."""
    size = size or CHUNK
    done = 0
    while done < n_boot + 1:
        rows = min(size, n_boot + 1 - done)
        draws = resample_counts(n, rows - (done == 0), rng)
        yield np.vstack([np.ones((1, n)), draws]) if done == 0 else draws
        done += rows


def chi2_sf(x: float, df: int) -> float:
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
