"""How estimate_all shares its work (analysis/impact/estimate.py): on worker threads, jenis by jenis or
chunk by chunk, the estimates are those of one jenis after the other; a failure anywhere fails the whole
estimate; the design leaves out only producers without covariates; a bootstrap replicate that drew no
participant stays NaN. (What the estimates are on the demo data is pinned by tests/golden.)"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.impact import estimate, fitting
from analysis.impact.panel import NEVER
from tests.impact.synthetic import JENIS, panel, same_results


def _unrounded(monkeypatch) -> None:
    """Percentages as computed, not rounded to 0.1: a difference beyond noise in any replicate shows."""
    monkeypatch.setattr(estimate, "_percent", lambda log_effect: 100.0 * math.expm1(log_effect))


def test_estimate_all_is_the_same_on_worker_threads(monkeypatch):
    _unrounded(monkeypatch)
    tables = panel(6)
    args = (tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    monkeypatch.setattr(estimate, "WORKERS", 2)
    threaded = estimate.estimate_all(*args, n_boot=40)
    monkeypatch.setattr(estimate, "WORKERS", 1)
    serial = estimate.estimate_all(*args, n_boot=40)
    assert any(r.efek_persen is not None for r in serial)
    same_results(threaded, serial)


@pytest.mark.parametrize(("workers", "chunk"), [(2, 7), (2, 50), (3, 4), (1, 9)])
def test_work_shared_by_chunks_equals_one_jenis_after_the_other(monkeypatch, workers, chunk):
    """The threads take designs and chunks from any jenis; each result equals _estimate_one's (same
    draws, same order), including a jenis with nothing to estimate (no weights drawn)."""
    _unrounded(monkeypatch)
    monkeypatch.setattr(estimate, "CHUNK", chunk)  # the binding _run reads
    tables = panel(3, months=24)
    arr, kinds = estimate._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    kinds = ["Produksi & Mutu", *kinds]  # nobody attended it: an empty result, no draws
    jobs = [(kind, np.random.default_rng([5, position])) for position, kind in enumerate(kinds)]
    shared = estimate._run(arr, jobs, 40, workers)
    alone = [estimate._estimate_one(arr, kind, 40, np.random.default_rng([5, position]))
             for position, kind in enumerate(kinds)]
    assert [r.jenis for r in shared] == kinds
    assert shared[0].efek_persen is None and shared[1].efek_persen is not None
    same_results(shared, alone)


def test_a_failing_jenis_fails_the_whole_estimate(monkeypatch):
    tables = panel(2, months=20)
    arr, kinds = estimate._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    original = estimate._plan

    def broken(arr, jenis):
        if jenis == kinds[1]:
            raise RuntimeError("rusak")
        return original(arr, jenis)

    monkeypatch.setattr(estimate, "_plan", broken)
    jobs = [(kind, np.random.default_rng([5, p])) for p, kind in enumerate(kinds)]
    with pytest.raises(RuntimeError, match="rusak"):
        estimate._run(arr, jobs, 20, 2)


def test_estimator_leaves_out_only_producers_without_covariates(monkeypatch):
    """The ``active`` the estimator passes to the design covers every producer with a nonzero covariate."""
    tables = panel(7)
    arr, _ = estimate._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    seen = []
    original = fitting.Design.__init__

    def spy(self, untreated, y, group, n_groups, columns, key, active=None):
        original(self, untreated, y, group, n_groups, columns, key, active)
        seen.append((columns(np.arange(len(y))), active))

    monkeypatch.setattr(fitting.Design, "__init__", spy)
    for kind in JENIS:
        estimate._estimate_one(arr, kind, 3, np.random.default_rng(0))
    assert len(seen) == len(JENIS)
    for x, active in seen:
        assert active is not None and not active.all()
        assert not x[~active].any()


def test_no_participant_drawn_is_nan_without_a_warning():
    """A replicate that drew none of the participants: its average effect stays NaN (the interval becomes
    NaN rather than narrower than it should be), without numpy's RuntimeWarning; the other replicates are
    unaffected (the same weights give the same numbers, up to the last bits a CPU may round differently)."""
    tables = panel(1)
    arr, _ = estimate._prepare(tables["producers"], tables["sales"], tables["trainings"], tables["participants"])
    replicates, _ = estimate._plan(arr, "Pemasaran")
    w = np.ones((3, arr.y.shape[0]))
    trained = arr.start["Pemasaran"] < NEVER
    w[1, trained] = 0.0  # nobody trained in Pemasaran drawn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tau, _, _ = replicates(w)
    assert np.isfinite(tau[0, 0]) and np.isnan(tau[1, 0]) and np.isfinite(tau[2, 0])
    np.testing.assert_allclose(tau[2], tau[0], rtol=1e-9, atol=1e-12, equal_nan=True)
    alone, _, _ = replicates(w[[0]])
    np.testing.assert_allclose(alone[0], tau[0], rtol=1e-9, atol=1e-12, equal_nan=True)
    assert isinstance(pd.isna(tau[1, 0]), (bool, np.bool_))


def test_one_thread_holds_one_design_at_a_time(monkeypatch):
    """On one thread, a jenis's design is let go once its result is computed, before the next jenis's is
    built (two designs at once held 100 MB more at scale 20)."""
    import gc
    import weakref

    tables = panel(6)
    built: list[weakref.ref] = []
    most = [0]
    original = fitting.Design.__init__

    def counting(self, *args, **kwargs):
        gc.collect()
        most[0] = max(most[0], 1 + sum(ref() is not None for ref in built))
        original(self, *args, **kwargs)
        built.append(weakref.ref(self))

    monkeypatch.setattr(fitting.Design, "__init__", counting)
    results = estimate.estimate_all(tables["producers"], tables["sales"], tables["trainings"], tables["participants"],
                                    n_boot=20, workers=1)
    assert len(built) >= 2 and any(r.efek_persen is not None for r in results)
    assert most[0] == 1
