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
    assert len(list((tmp_path / "impact").glob(f"*{impact_store.LOCK_SUFFIX}"))) == 2  # a pruned entry's lock goes too


# Another process holds an entry's lock (as the dashboard's background estimator does while it computes):
# it says "held" once it has the lock, then writes the entry (or, with "dies", ends without one).
_HOLDER = """
import sys, time
from pathlib import Path
from analysis.core.files import atomic_write_text, exclusive
entry, text, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
with exclusive(entry.with_suffix(".lock")):
    print("held", flush=True)
    sys.stdin.readline()  # until the test has started to wait (or, "holds", is done)
    if mode == "holds":
        sys.exit(0)
    time.sleep(0.3)
    if mode == "dies":
        import os
        os._exit(3)
    atomic_write_text(entry, text)
"""


def _holder(entry, text: str, mode: str):
    import subprocess
    import sys

    from analysis.core.paths import ROOT

    process = subprocess.Popen([sys.executable, "-c", _HOLDER, str(entry), text, mode],
                               cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


@pytest.mark.parametrize("dies", [False, True], ids=["stores-it", "dies-without-it"])
def test_an_entry_another_process_computes_is_waited_for(tables, tmp_path, dies):
    """The lock is waited for, not the holder's time: the entry it stores is read and nothing is computed
    here; a holder that ends without storing it (killed, failed) leaves it to be computed here."""
    import threading

    scope = {"kecamatan": ("Natar",), "kategori": (), "skala": ()}
    theirs = [impact_estimate._empty_result("Pemasaran", 3, 7, ["dihitung proses lain"])]
    entry = tmp_path / "impact" / f"{impact_store._store_key('data-1', scope, 30, 5)}.json"
    entry.parent.mkdir(parents=True)
    process = _holder(entry, impact_store.json.dumps(impact_store.results_to_json(theirs)), "dies" if dies else "writes")
    calls: list = []
    found: list = []
    waiting = threading.Thread(target=lambda: found.append(impact_store.stored_estimate(
        "data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)))
    waiting.start()
    process.stdin.write("go\n")
    process.stdin.flush()
    waiting.join(120)
    assert process.wait(60) == (3 if dies else 0)
    if dies:
        assert calls == [5] and len(found[0]) == 4
        _equal(impact_store.stored_estimate("data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path),
               found[0])
    else:
        assert calls == []
        _equal(found[0], theirs)



def test_a_holder_that_takes_too_long_is_not_waited_for_forever(tables, tmp_path, monkeypatch):
    """A background estimate that crawls (the lowest priority on a busy machine): after WAIT_FOR_OTHERS_S the
    page computes the estimate itself."""
    monkeypatch.setattr(impact_store, "WAIT_FOR_OTHERS_S", 0.3)
    scope = {"kecamatan": (), "kategori": (), "skala": ()}
    entry = tmp_path / "impact" / f"{impact_store._store_key('data-1', scope, 30, 5)}.json"
    entry.parent.mkdir(parents=True)
    process = _holder(entry, "-", "holds")
    import threading

    calls: list = []
    found: list = []
    waiting = threading.Thread(target=lambda: found.append(impact_store.stored_estimate(
        "data-1", scope, 30, 5, _compute(tables, calls), cache_dir=tmp_path)))
    waiting.start()
    try:
        waiting.join(60)  # (a wait without end would hold it here until the holder lets go below)
        assert not waiting.is_alive(), "still waiting for the holder"
    finally:
        process.stdin.write("selesai\n")
        process.stdin.flush()
        waiting.join(60)
    assert process.wait(60) == 0
    assert calls == [5] and len(found[0]) == 4
