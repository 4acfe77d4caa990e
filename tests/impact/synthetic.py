"""Shared by the impact tests (imported as ``tests.impact.synthetic``): a synthetic sales panel with four
training types, and the comparison of two lists of estimates."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.impact import ImpactResult

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


RTOL = 1e-9  # far below the 0.1 percentage point the results are rounded to; far above a CPU's last bits


def _same_number(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=RTOL, abs_tol=1e-12)
    return a == b


def same_results(a: list[ImpactResult], b: list[ImpactResult]) -> None:
    """The same estimates: every field, the per-month table with its dtypes, numbers within RTOL (an
    interval may be NaN: equal to NaN then)."""
    assert len(a) == len(b)
    for x, y in zip(a, b):
        one, other = x.as_dict(), y.as_dict()
        assert one.keys() == other.keys()
        for key in one:
            assert _same_number(one[key], other[key]), (x.jenis, key, one[key], other[key])
        assert _same_number(x.p_pratren, y.p_pratren), (x.jenis, x.p_pratren, y.p_pratren)
        assert (x.cukup_data, x.pratren_berbeda) == (y.cukup_data, y.pratren_berbeda)
        if x.per_bulan is None:
            assert y.per_bulan is None
        else:
            pd.testing.assert_frame_equal(x.per_bulan, y.per_bulan, check_exact=False, rtol=RTOL, atol=1e-12)
