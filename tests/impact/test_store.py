"""The on-disk store of impact estimates (analysis.impact.stored_estimate): a stored scope reads back
equal to the computed one, a different scope, seed or code computes again, and a damaged entry is
recomputed instead of trusted."""
from __future__ import annotations

import pytest

from analysis.impact import estimate as impact_estimate
from analysis.impact import store as impact_store
from tests.impact.synthetic import panel  # the synthetic panel with four training types
from tests.impact.synthetic import same_results as _equal


@pytest.fixture(scope="module")
def tables():
    return panel(8, n=300)


def _compute(tables, calls: list, seed: int = 5):
    def compute():
        calls.append(seed)
        return impact_estimate.estimate_all(tables["producers"], tables["sales"], tables["trainings"],
                                   tables["participants"], seed=seed, n_boot=30)
    return compute


def test_a_stored_scope_reads_back_equal_without_computing(tables, tmp_path):
    calls: list = []
    scope = {"kecamatan": ("Natar",), "kategori": (), "skala": ()}
    first = impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)
    again = impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)
    assert calls == [5]
    _equal(first, again)
    assert any(r.per_bulan is not None and len(r.per_bulan) for r in again)


def test_results_without_estimate_round_trip():
    empty = [impact_estimate._empty_result("Keuangan", 0, 4, ["Tidak ada peserta."])]
    _equal(impact_store.results_from_json(impact_store.results_to_json(empty)), empty)


def test_another_scope_seed_bootstrap_or_data_computes_again(tables, tmp_path):
    calls: list = []
    scope = {"kecamatan": (), "kategori": (), "skala": ()}
    impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)
    impact_store.stored_estimate("data-1", {**scope, "kecamatan": ("Natar",)}, 30, 5, _compute(tables, calls),
                           cache_dir=tmp_path)
    impact_store.stored_estimate("data-1", scope, 30, 6, _compute(tables, calls, seed=6), cache_dir=tmp_path)
    impact_store.stored_estimate("data-1", scope, 31, 5, _compute(tables, calls), cache_dir=tmp_path)
    impact_store.stored_estimate("data-2", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)
    assert len(calls) == 5
    assert len(list((tmp_path / "impact").glob("*.json"))) == 5


def test_a_code_change_computes_again(tables, tmp_path, monkeypatch):
    calls: list = []
    scope = {"kecamatan": (), "kategori": (), "skala": ()}
    impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)
    monkeypatch.setattr(impact_store, "_STORE_FORMAT", impact_store._STORE_FORMAT + 1)
    impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)
    assert len(calls) == 2


def test_a_damaged_entry_is_recomputed_and_rewritten(tables, tmp_path):
    calls: list = []
    scope = {"kecamatan": (), "kategori": (), "skala": ()}
    first = impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)
    [entry] = (tmp_path / "impact").glob("*.json")
    entry.write_text(entry.read_text(encoding="utf-8")[:40], encoding="utf-8")  # truncated
    again = impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)
    assert calls == [5, 5]
    _equal(first, again)
    _equal(impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path), first)
    assert calls == [5, 5]


def test_an_unwritable_store_still_returns_the_estimate(tables, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")  # the store's folder cannot be created under a file
    calls: list = []
    result = impact_store.stored_estimate("data-1", {}, 30, 5, _compute(tables, calls), cache_dir=blocker)
    assert calls == [5] and len(result) == 4


def test_old_entries_are_pruned(tables, tmp_path, monkeypatch):
    monkeypatch.setattr(impact_store, "MAX_STORED", 2)
    few = [impact_estimate._empty_result("Keuangan", 0, 0, ["-"])]
    for i in range(4):
        impact_store.stored_estimate(f"data-{i}", {}, 30, 5, lambda: few, cache_dir=tmp_path)
    assert len(list((tmp_path / "impact").glob("*.json"))) == 2
