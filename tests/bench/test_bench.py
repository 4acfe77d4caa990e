"""The benchmark's report functions (no timing here: speed is measured by `python -m bench`, not asserted)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import bench.__main__ as bench


def fake_result(scale: int, ingest_s: float, warm_s: float) -> dict:
    result = {
        "scale": scale, "data": {"producers": 2500 * scale, "sales_rows": 65000 * scale, "files": 32,
                                 "megabytes": 3.0 * scale},
        "raw_read_s": 0.3 * scale, "ingest_s": ingest_s, "reingest_s": 0.02, "outputs_s": 0.1,
        "pages": {"Ringkasan": {"cold_s": 1.0, "warm_s": warm_s, "problems": []},
                  "Peta Kecamatan": {"cold_s": 0.5, "warm_s": 0.2, "problems": ["error: x"]}},
        "peak_rss_mb": 400.0,
    }
    result["ingest_ratio"] = ingest_s / result["raw_read_s"]
    result["reingest_share"] = result["reingest_s"] / ingest_s
    result["targets"] = bench._verdicts(result)
    return result


def test_verdicts_follow_the_targets():
    good = fake_result(1, ingest_s=0.4, warm_s=0.45)["targets"]
    assert good["ingest_ratio <= 1.5"] and good["every page warm_s <= 0.5"] and good["reingest_s <= 5% of ingest_s"]
    assert good["every page cold_s <= 2.0"] and good["memory at once <= 1024 MB"]
    assert not good["pages without errors"]  # a page with an error box is not a fast page
    slow = fake_result(1, ingest_s=0.5, warm_s=0.9)["targets"]
    assert not slow["ingest_ratio <= 1.5"] and not slow["every page warm_s <= 0.5"]


def test_a_province_is_judged_on_its_own_targets():
    """Scale 100 and up: ingest 2x the raw read, 1 s warm, 3 s cold, 2 GB (issue 18)."""
    result = fake_result(100, ingest_s=55.0, warm_s=0.9)
    result["pages"]["Ringkasan"]["cold_s"] = 2.5
    result["peak_rss_mb"] = 1900.0
    verdicts = bench._verdicts(result)
    assert verdicts["ingest_ratio <= 2.0"] and verdicts["every page warm_s <= 1.0"]
    assert verdicts["every page cold_s <= 3.0"] and verdicts["memory at once <= 2048 MB"]
    assert not bench._verdicts(fake_result(20, ingest_s=11.0, warm_s=0.9))["every page warm_s <= 0.5"]


def test_table_lists_every_page_and_target():
    text = bench.table(fake_result(1, ingest_s=5.0, warm_s=1.5))
    assert "| Ringkasan: cold_s / warm_s | 1.00 / 1.50 |" in text
    assert "| Peta Kecamatan: cold_s / warm_s |" in text
    assert "- ingest_ratio <= 1.5: TIDAK" in text


def test_growth_divides_by_the_smallest_scale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    for scale, ingest_s in ((1, 4.0), (5, 20.0)):
        (tmp_path / f"results-{scale}.json").write_text(json.dumps(fake_result(scale, ingest_s, 0.5)), encoding="utf-8")
    text = bench.growth([1, 5])
    assert "| ingest_s | 4.00 | 20.00 | 5.0 |" in text
    assert "| producers | 2,500 | 12,500 | 5.0 |" in text


def test_memory_verdict_counts_the_ingest_workers():
    """The ingest's workers are other processes: their memory at the same moment counts against the
    1 GB target even when this process stays under it."""
    result = fake_result(1, ingest_s=0.5, warm_s=0.5)
    assert bench._verdicts(result)["memory at once <= 1024 MB"]
    result["ingest_rss_total_mb"] = 1100.0
    assert not bench._verdicts(result)["memory at once <= 1024 MB"]


def test_memory_verdict_counts_the_background_estimates():
    """The pages' background impact estimates run in a process of their own: counted too."""
    result = fake_result(1, ingest_s=0.5, warm_s=0.5)
    result["pages_rss_total_mb"] = 1000.0
    assert bench._verdicts(result)["memory at once <= 1024 MB"]
    assert ("| pages_rss_total_mb (this process + background estimates, at once) | 1000 | ≤ 1024 (the largest of the three) |"
            in bench.table(result))
    result["pages_rss_total_mb"] = 1100.0
    assert not bench._verdicts(result)["memory at once <= 1024 MB"]


def test_table_shows_both_read_floors():
    result = fake_result(1, ingest_s=0.9, warm_s=0.5)
    result.update(read_checked_s=0.45, ingest_ratio_checked=2.0, ingest_rss_total_mb=900.0)
    text = bench.table(result)
    assert "| raw_read_s (engine only: calamine / csv, no checks, no cleaning) | 0.30 |" in text
    assert "| read_checked_s (read_file: safety checks + engine) | 0.45 |" in text
    assert "| ingest_rss_total_mb (this process + workers, at once) | 900 | ≤ 1024 (the largest of the three) |" in text


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the sampler reads Linux /proc")
def test_memory_sampler_adds_a_child_process():
    import subprocess
    import sys

    code = "import time; block = bytearray(300 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096]); time.sleep(1.5)"
    with bench._MemorySampler(every_s=0.01) as sampler:
        own = bench._rss_mb(__import__("os").getpid())
        subprocess.run([sys.executable, "-c", code], check=True)
    assert sampler.peak_mb > own + 250  # the child's 300 MB were seen beside this process
    assert 250 < sampler.child_peak_mb < sampler.peak_mb - own + 1  # and as the largest child


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the sampler reads Linux /proc")
def test_memory_sampler_leaves_out_a_child_not_yet_running_its_own_program():
    """A forked child that has not executed its program shows this process's pages as its own resident
    memory (shared, not held twice), as a spawned worker does for a moment: it is not added."""
    import os
    import time

    block = bytearray(300 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # this process now holds 300 MB more
    with bench._MemorySampler(every_s=0.01) as sampler:
        own = bench._rss_mb(os.getpid())
        child = os.fork()
        if child == 0:  # the child: the parent's pages, no program of its own
            time.sleep(1.0)
            os._exit(0)
        os.waitpid(child, 0)
    del block
    # The fork (this process's 300 MB) is not counted; a child that earlier tests started (multiprocessing's
    # resource tracker, about 15 MB, once a worker was spawned in this process) may be.
    assert own > 300 and sampler.child_peak_mb < 100
    assert sampler.peak_mb < own + 100


def test_raw_read_counts_every_row_of_the_demo_data():
    """The engine-only floor reads the same rows as read_file (no file or sheet left out)."""
    from analysis.core import paths

    raw = paths.ROOT / "data" / "demo" / "raw"
    assert bench.raw_read(raw)[1] == bench.read_checked(raw)[1] > 30_000


def test_table_shows_both_cold_ingests():
    result = fake_result(1, ingest_s=0.9, warm_s=0.5)
    result["ingest_runs_s"] = [1.25, 0.9]
    assert "| ingest_s (cold, best of two) | 0.90 (1.25 / 0.90) |" in bench.table(result)


def test_the_directory_lines_and_their_target():
    result = fake_result(1, ingest_s=0.5, warm_s=0.5)
    result["directory"] = {"search_s": 0.12, "profile_s": 0.31, "searches_s": [0.1, 0.12], "profiles_s": [0.31, 0.2],
                           "problems": []}
    assert bench._verdicts(result)["Direktori search_s and profile_s <= 0.5"]
    text = bench.table({**result, "targets": bench._verdicts(result)})
    assert "| Direktori UMKM: warm search_s (a new search, slower of 2) | 0.12 | ≤ 0.5 |" in text
    assert "| Profil UMKM: warm profile_s (opened from a search, slower of 2) | 0.31 | ≤ 0.5 |" in text
    result["directory"]["profile_s"] = 0.8
    assert not bench._verdicts(result)["Direktori search_s and profile_s <= 0.5"]
    result["pages"]["Peta Kecamatan"]["problems"] = []
    assert bench._verdicts(result)["pages without errors"]
    result["directory"]["problems"] = ["error: x"]
    assert not bench._verdicts(result)["pages without errors"]


def test_every_page_app_shares_the_components_discovered_once(monkeypatch: pytest.MonkeyPatch):
    """A server scans the installed packages for components once; the bench's AppTests share one scan
    and still run a page."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    scans = []
    real = BidiComponentManager.discover_and_register_components
    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components",
                        lambda self, **kwargs: scans.append(1) or real(self, **kwargs))
    monkeypatch.setattr(bench, "_COMPONENTS", [])
    first, second = bench._app(120), bench._app(120)
    assert first._bidi_component_manager is second._bidi_component_manager is not None
    second.run()
    assert not second.exception and len(scans) == 1
