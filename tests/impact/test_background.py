"""Impact estimates computed ahead, in the background (analysis.impact_background.precompute and estimate_kecamatan,
ui/data.py): each scope is stored once and a failed one left to the page, a scope being computed by
another session is waited for instead of computed twice (and computed by the waiter when that fails),
the background process runs at the lowest priority and is stopped by newer data, and the dashboard
stores the whole area's and every kecamatan's estimate, equal to the one the Dampak Pelatihan page
computes itself, so that opening the page or picking a kecamatan reads it from the store."""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.core import settings
from analysis.core.paths import DEMO_RAW_DIR, ROOT
from analysis.impact import background as impact_background
from analysis.impact import estimate
from analysis.impact import store as impact_store
from analysis.ingest.cache import cached_ingest
from analysis.insight import filters as flt
from tests.impact.synthetic import panel  # the synthetic panel with four training types
from tests.impact.synthetic import same_results as _equal
from ui import data as ui_data
from ui import filters as ui_filters

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def tables():
    return panel(8, n=300)


def _compute(tables, calls: list, label: str, started: threading.Event | None = None,
             release: threading.Event | None = None):
    def compute():
        calls.append(label)
        if started is not None:
            started.set()
        if release is not None:
            assert release.wait(30)
        return estimate.estimate_all(tables["producers"], tables["sales"], tables["trainings"],
                                   tables["participants"], seed=5, n_boot=30)
    return compute


def test_precompute_stores_each_scope_once_and_skips_a_failed_one(tables, tmp_path: Path):
    calls: list[str] = []
    scopes = [({"kecamatan": (k,), "kategori": (), "skala": ()}, _compute(tables, calls, k)) for k in ("Natar", "Palas")]
    assert impact_background.precompute("data-1", scopes, 30, 5, cache_dir=tmp_path) == 2
    assert impact_background.precompute("data-1", scopes, 30, 5, cache_dir=tmp_path) == 0  # both in the store now
    assert calls == ["Natar", "Palas"]
    assert len(list((tmp_path / "impact").glob("*.json"))) == 2
    failing = [({"kecamatan": ("Sragi",), "kategori": (), "skala": ()}, lambda: 1 / 0), *scopes]
    assert impact_background.precompute("data-2", failing, 30, 5, cache_dir=tmp_path) == 2  # the failed one is left out
    assert calls == ["Natar", "Palas", "Natar", "Palas"]


def test_a_scope_being_computed_is_waited_for_not_computed_again(tables, tmp_path: Path):
    scope = {"kecamatan": ("Natar",), "kategori": (), "skala": ()}
    calls: list[str] = []
    started, release = threading.Event(), threading.Event()
    found: dict[str, list] = {}
    first = threading.Thread(target=lambda: found.setdefault("latar", impact_store.stored_estimate(
        "data-1", scope, 30, 5, _compute(tables, calls, "latar", started, release), cache_dir=tmp_path)))
    first.start()
    assert started.wait(30)
    second = threading.Thread(target=lambda: found.setdefault("halaman", impact_store.stored_estimate(
        "data-1", scope, 30, 5, _compute(tables, calls, "halaman"), cache_dir=tmp_path)))
    second.start()
    second.join(0.3)
    assert second.is_alive()  # waiting for the first, not computing
    release.set()
    first.join(30)
    second.join(30)
    assert calls == ["latar"]
    _equal(found["halaman"], found["latar"])
    assert not impact_store.COMPUTING


def test_a_waiter_computes_the_scope_itself_when_the_other_computation_fails(tables, tmp_path: Path):
    scope = {"kecamatan": ("Palas",), "kategori": (), "skala": ()}
    calls: list[str] = []
    started, release = threading.Event(), threading.Event()

    def failing():
        calls.append("latar")
        started.set()
        assert release.wait(30)
        raise RuntimeError("data diganti")

    errors: list[Exception] = []

    def background():
        try:
            impact_store.stored_estimate("data-1", scope, 30, 5, failing, cache_dir=tmp_path)
        except RuntimeError as error:
            errors.append(error)

    first = threading.Thread(target=background)
    first.start()
    assert started.wait(30)
    found = {}
    second = threading.Thread(target=lambda: found.setdefault("halaman", impact_store.stored_estimate(
        "data-1", scope, 30, 5, _compute(tables, calls, "halaman"), cache_dir=tmp_path)))
    second.start()
    release.set()
    first.join(30)
    second.join(30)
    assert calls == ["latar", "halaman"] and len(errors) == 1
    assert found["halaman"] and not impact_store.COMPUTING


def _nice_in_a_background_process(queue) -> None:
    impact_background.lower_priority()
    queue.put(os.nice(0))


@pytest.mark.skipif(not hasattr(os, "nice"), reason="processes have no nice value here")
def test_the_background_process_gives_way_to_others():
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_nice_in_a_background_process, args=(queue,))
    child.start()
    assert queue.get(timeout=60) == 19
    child.join(60)
    assert os.nice(0) < 19  # this process is untouched


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value belongs to a thread only on Linux")
def test_a_process_started_by_a_lowered_thread_starts_at_the_lowest_priority():
    """The starter thread lowers itself, so the background process imports and unpickles at nice 19;
    the rest of the dashboard keeps its priority."""
    import subprocess
    import threading

    seen: dict = {}

    def start() -> None:
        seen["lowered"] = impact_background.lower_thread_priority()
        seen["child"] = subprocess.run([sys.executable, "-c", "import os; print(os.nice(0))"],
                                       capture_output=True, text=True, timeout=60).stdout.strip()

    thread = threading.Thread(target=start)
    thread.start()
    thread.join(60)
    assert seen == {"lowered": True, "child": "19"}
    assert os.nice(0) < 19  # this thread, and so the dashboard's page runs, untouched


@pytest.fixture
def background(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configure):
    configure(background_impact=True, cache_dir=tmp_path)
    monkeypatch.setattr(impact_background, "_STATE", {"key": None, "starter": None, "process": None})
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path
    process = impact_background._STATE["process"]
    if process is not None and process.is_alive():
        process.terminate()
    st.cache_data.clear()
    st.cache_resource.clear()


def test_the_dashboard_stores_the_whole_area_and_every_kecamatan_and_the_page_reads_them(background: Path, monkeypatch: pytest.MonkeyPatch):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()  # Ringkasan: loading the data starts the background estimates
    assert not at.exception, [e.value for e in at.exception]
    assert impact_background.done(180)
    process = impact_background._STATE["process"]
    assert process is not None and process.name == "dampak-latar" and process.exitcode == 0
    fingerprint = ui_data.source_fingerprint(DEMO_RAW_DIR)
    assert impact_background._STATE["key"] == fingerprint
    shared = ui_data._shared(str(DEMO_RAW_DIR), fingerprint)
    kecamatan = sorted(shared.producers["kecamatan"].dropna().astype(str).unique())
    stored = list((background / "impact").glob("*.json"))
    assert len(stored) == len(kecamatan) + 1  # the whole area, then each kecamatan alone

    # The page's own estimate of a kecamatan (from the coded sales' arrays, as the background computed it
    # in its own process) equals the stored one, and the page reads the store instead of computing:
    # estimate_all is never called.
    def page_compute(kec):
        chosen = (kec,) if kec else ()
        scoped = ui_data._impact_scoped(str(DEMO_RAW_DIR), fingerprint, chosen, (), ())
        assert len(scoped.sales) == 0  # the rows stay on disk
        coded = ui_data._coded(str(DEMO_RAW_DIR), fingerprint)
        rows = coded.rows(shared.producers, flt.Filters(kecamatan=chosen))
        return estimate.estimate_all(scoped.producers, None, scoped.trainings, scoped.participants, coded=coded,
                                     rows=rows)

    whole = page_compute(None)
    _equal(whole, impact_store.stored_estimate(fingerprint, {"kecamatan": (), "kategori": (), "skala": ()},
                                               estimate.DEFAULT_BOOT, estimate.DEFAULT_SEED, lambda: pytest.fail("dihitung lagi")))
    natar = page_compute("Natar")
    _equal(natar, impact_store.stored_estimate(fingerprint, {"kecamatan": ("Natar",), "kategori": (), "skala": ()},
                                         estimate.DEFAULT_BOOT, estimate.DEFAULT_SEED, lambda: pytest.fail("dihitung lagi")))
    calls = []
    real = estimate.estimate_all
    monkeypatch.setattr(estimate, "estimate_all", lambda *a, **k: calls.append(1) or real(*a, **k))  # estimate_scope's
    page = AppTest.from_file(APP, default_timeout=120)
    page.switch_page("pages/dampak_pelatihan.py")
    page.run()
    assert not page.exception, [e.value for e in page.exception]
    assert calls == []  # the whole area was computed ahead too
    page.multiselect(key=ui_filters.KEY_KECAMATAN).set_value(["Natar"]).run()
    assert not page.exception, [e.value for e in page.exception]
    assert calls == []
    # The same run with a scope not computed ahead (two kecamatan) does compute: the check can fail.
    page.multiselect(key=ui_filters.KEY_KECAMATAN).set_value(["Natar", "Palas"]).run()
    assert calls == [1]


def test_newer_data_stops_the_estimates_of_the_former(background: Path):
    result = cached_ingest([DEMO_RAW_DIR])
    impact_background.start("data-lama", result, background)
    impact_background._STATE["starter"].join(120)
    former = impact_background._STATE["process"]
    assert former is not None and former.is_alive()
    impact_background.start("data-baru", result, background)
    assert impact_background.done(180)
    former.join(30)
    assert former.exitcode is not None and former.exitcode != 0  # stopped, not finished
    assert impact_background._STATE["process"] is not former and impact_background._STATE["process"].exitcode == 0
    assert [p for p in multiprocessing.active_children() if p.name == "dampak-latar"] == []


def test_no_background_estimates_when_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configure):
    configure(cache_dir=tmp_path)
    monkeypatch.setattr(impact_background, "_STATE", {"key": None, "starter": None, "process": None})
    assert settings.get().background_impact is False  # as the test session sets it
    AppTest.from_file(APP, default_timeout=120).run()
    assert impact_background._STATE["starter"] is None and impact_background._STATE["process"] is None
    assert not (tmp_path / "impact").exists()
