"""Files read in worker processes give the very same result as files read one after another: every
frame (values, dtypes, row order) and every byte of the report, bad files included."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest import IngestResult, ingest_paths
from analysis.ingest import merge as ingest_merge
from analysis.ingest import reading as ingest_reading

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "raw"
BAD = ROOT / "tests" / "bad_input"
# A read error, a refused far cell, a ZIP bomb, a sheet that is not a table, error cells, a UTF-16 CSV.
BAD_FILES = ("terpotong.xlsx", "sel_jauh.xlsx", "bom_zip.xlsx", "rekap_jumlah.xlsx", "rumus_dan_galat.xlsx",
             "csv_utf16.csv", "kosong.csv")


@pytest.fixture(scope="module")
def inputs() -> list[Path]:
    if not DEMO.is_dir():
        pytest.skip("data/demo/raw belum dibuat")
    return [DEMO, *(BAD / name for name in BAD_FILES)]


@pytest.fixture(scope="module")
def serial(inputs) -> tuple[IngestResult, list]:
    calls: list = []
    return ingest_paths(inputs, workers=1, progress=lambda *a: calls.append(a)), calls


@pytest.fixture(scope="module")
def parallel(inputs) -> tuple[IngestResult, list]:
    calls: list = []
    return ingest_paths(inputs, workers=2, progress=lambda *a: calls.append(a)), calls


def test_parallel_frames_equal_serial(serial, parallel):
    for name in IngestResult.FRAMES:
        one, two = getattr(serial[0], name), getattr(parallel[0], name)
        assert not one.empty or name == "near_duplicates", name
        pd.testing.assert_frame_equal(one, two, check_exact=True, obj=name)


def test_parallel_report_equal_serial(serial, parallel):
    one, two = serial[0].report, parallel[0].report
    assert [f["path"] for f in one["files"]] == [f["path"] for f in two["files"]]
    assert one == two
    # the bad files are in it with their messages, and the merges found across files are counted
    messages = " | ".join(f["message"] for f in two["files"])
    assert "terpotong atau rusak" in messages and "Lembar terlalu luas" in messages
    assert two["totals"]["rows_merged"] > 0 and two["totals"]["balanced"]


def test_progress_counts_up_to_all_files(serial, parallel):
    for _, calls in (serial, parallel):
        total = calls[0][1]
        assert calls[-1] == (total, total, "")
        done = [c[0] for c in calls]
        assert done == sorted(done) and all(c[1] == total for c in calls)
        assert all(name for _, _, name in calls[:-1])
    assert len(parallel[1]) >= 2


def test_worker_count(monkeypatch, tmp_path, configure):
    small = tmp_path / "a.csv"
    small.write_text("Nama Usaha;Nama Pemilik\nA;B\n", encoding="utf-8")
    other = tmp_path / "b.csv"
    other.write_text("Nama Usaha;Nama Pemilik\nC;D\n", encoding="utf-8")
    found = [(small, None), (other, None), (tmp_path / "c.pdf", "dilewati")]
    configure(ingest_workers=None)
    assert ingest_reading._worker_count(None, found) == 1  # small input: in this process
    assert ingest_reading._worker_count(4, found) == 2  # never more than files to read
    assert ingest_reading._worker_count(2, found[:1]) == 1
    configure(ingest_workers=1)
    assert ingest_reading._worker_count(None, found) == 1
    configure(ingest_workers=2)
    assert ingest_reading._worker_count(None, found) == 2
    monkeypatch.setattr(ingest_reading, "PARALLEL_MIN_BYTES", 10)
    configure(ingest_workers=None)
    assert ingest_reading._worker_count(None, found) == min(2, __import__("os").cpu_count() or 1)


def test_workers_do_not_run_the_main_script(tmp_path, monkeypatch, inputs):
    """Under Streamlit the main module is the dashboard script (app.py): a spawned worker must not run
    it (nor may a script without a __main__ guard start the ingest again in each worker)."""
    import os
    import sys
    import types

    marker = tmp_path / "main-script-ran"
    script = tmp_path / "app_like.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake)
    before = os.times()
    result = ingest_paths(inputs[:1], workers=2)
    assert ingest_reading.workers_exited(timeout=60)
    after = os.times()
    assert not marker.exists()
    assert after.children_user + after.children_system > before.children_user + before.children_system  # read in workers
    assert len(result.sales) and result.report["totals"]["files_error"] == 0


def test_command_line_ingest_reads_in_workers(tmp_path, inputs):
    """``python -m analysis.ingest`` runs this module as __main__: its workers must still find the code
    they run (they used to die, one traceback each, and the files were read in the parent)."""
    import os
    import subprocess
    import sys

    out = tmp_path / "keluar"
    env = {**os.environ, "UMKM_INGEST_WORKERS": "2", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "analysis.ingest", "--no-cache", "--out", str(out), str(inputs[0])],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Can't get attribute" not in done.stderr, done.stderr
    assert pd.read_parquet(out / "sales.parquet").shape[0] > 0


def test_near_duplicates_searched_where_a_worker_can_take_it(serial):
    """The near-duplicate search is one task per kecamatan in the reading workers' pool; the tasks not
    yet started when the linking is done are scored here, so the table is the same whoever scored
    each. A pool that refuses the tasks (shut down or broken) leaves them to a thread here, and a
    worker that dies under one has it searched here again."""
    from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from analysis.ingest.linking import near_duplicates

    producers = serial[0].producers
    expected = near_duplicates(producers)
    assert len(expected) and expected["kecamatan"].nunique() > 1
    with ProcessPoolExecutor(max_workers=1, mp_context=ingest_reading.worker_context()) as pool, \
            ThreadPoolExecutor(max_workers=1) as side:
        search = ingest_merge.search_near(producers, [pool], side)
        assert len(search.tasks) == len(search.groups) > 1
        pd.testing.assert_frame_equal(ingest_merge.near_result(search, producers), expected)
    closed = ProcessPoolExecutor(max_workers=1)
    closed.shutdown()
    with ThreadPoolExecutor(max_workers=1) as side:
        search = ingest_merge.search_near(producers, [closed], side)
        pd.testing.assert_frame_equal(ingest_merge.near_result(search, producers), expected)
        assert ingest_merge.search_near(producers.iloc[:0], [closed], side) is None
    died: Future = Future()
    died.set_running_or_notify_cancel()  # started: not taken back, its result awaited
    died.set_exception(BrokenProcessPool("worker died"))
    search.tasks = [died] * len(search.groups)
    pd.testing.assert_frame_equal(ingest_merge.near_result(search, producers), expected)
    assert ingest_merge.near_result(None, producers).empty


def test_finished_worker_shutdowns_are_not_kept(inputs):
    """A server ingests many times without asking workers_exited(): the threads that shut down earlier
    ingests' workers are dropped once they have finished, not kept for ever."""
    import threading

    finished = threading.Thread(target=lambda: None)
    finished.start()
    finished.join()
    ingest_reading._CLOSING.append(finished)
    ingest_paths(inputs[:1], workers=2)
    assert finished not in ingest_reading._CLOSING
    assert ingest_reading.workers_exited(timeout=60) and not ingest_reading._CLOSING


class _DyingPool:
    """A stand-in for the worker pool, on threads, whose worker dies on ``poison``: that file's task and
    every later one are refused as a real pool refuses them once a worker has died (BrokenProcessPool).
    ``deaths`` counts the files that killed a worker; with ``survive_alone`` the file is read the second
    time (alone, in a fresh pool)."""

    poison: Path | None = None
    survive_alone = False
    deaths = 0

    def __init__(self, max_workers: int, mp_context=None, **options):  # initializer: this process's settings already
        from concurrent.futures import ThreadPoolExecutor

        self._threads = ThreadPoolExecutor(max_workers=max_workers)
        self._broken = False

    def submit(self, fn, *args):
        from concurrent.futures.process import BrokenProcessPool

        if self._broken:
            raise BrokenProcessPool("a worker died")
        return self._threads.submit(self._run, fn, *args)

    def _run(self, fn, *args):
        from concurrent.futures.process import BrokenProcessPool

        if args and isinstance(args[0], Path) and args[0] == self.poison and not (self.deaths and self.survive_alone):
            self._broken = True
            type(self).deaths += 1
            raise BrokenProcessPool("a worker died")
        return fn(*args)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self._threads.shutdown(wait=wait, cancel_futures=cancel_futures)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


@pytest.mark.parametrize("survive_alone", [True, False], ids=["alone-it-reads", "it-kills-every-reader"])
def test_a_file_that_kills_its_worker(serial, inputs, monkeypatch, survive_alone):
    """The largest file goes to the worker pool first; its worker dies and breaks the pool. The files
    left are read here, that file again alone in a fresh worker: when it reads there the result is the
    serial one to the byte, and when it kills that reader too only it is reported so."""
    poison = max((p for p in DEMO.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
    monkeypatch.setattr(_DyingPool, "poison", poison)
    monkeypatch.setattr(_DyingPool, "survive_alone", survive_alone)
    monkeypatch.setattr(_DyingPool, "deaths", 0)
    monkeypatch.setattr(ingest_reading, "ProcessPoolExecutor", _DyingPool)
    calls: list = []
    result = ingest_paths(inputs, workers=2, progress=lambda *a: calls.append(a))
    assert ingest_reading.workers_exited(timeout=60)
    assert _DyingPool.deaths == (1 if survive_alone else 2)
    assert calls[-1] == (calls[0][1], calls[0][1], "")
    expected = serial[0]
    if survive_alone:
        assert result.report == expected.report
        for name in IngestResult.FRAMES:
            pd.testing.assert_frame_equal(getattr(result, name), getattr(expected, name), check_exact=True, obj=name)
        return
    stopped = [f for f in result.report["files"] if f["message"] == ingest_reading.READER_STOPPED]
    assert [f["path"] for f in stopped] == [f["path"] for f in expected.report["files"] if poison.name in f["path"]][:1]
    others = [f for f in result.report["files"] if poison.name not in f["path"]]
    assert others == [f for f in expected.report["files"] if poison.name not in f["path"]]


def _matchers_built() -> int:
    """In a worker: whether it has read a file (a reader builds its kecamatan matcher once)."""
    return len(ingest_reading._MATCHER)


def test_the_near_search_gets_a_fresh_worker_not_a_reader(inputs):
    """Once the files are read, the reading worker exits and the caller's pool is a fresh worker that has
    read no file: a reader keeps most of the memory it freed while parsing (hundreds of MB at scale 20)."""
    from analysis.ingest import cleaning
    from analysis.ingest.readers import iter_files

    found = iter_files(inputs)
    pools: list = []
    outcomes = ingest_reading.read_files(found, [path.name for path, _ in found], None, None, None, 2,
                                         cleaning.KecamatanMatcher(), pools)
    assert len(outcomes) == len(found) and len(pools) == 1
    try:
        assert pools[0].submit(_matchers_built).result(timeout=120) == 0
    finally:
        ingest_reading.close_pools(pools)
    assert ingest_reading.workers_exited(timeout=60)
