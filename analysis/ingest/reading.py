"""Every file read and its sheets parsed, by this process and, for large inputs, a worker process.

Each reader takes the largest file left. A worker that dies (out of memory, an engine that aborts)
takes its files with it: each is read again alone, and a file that stops its reader again is
reported so. Workers are spawned without running the parent's main script (under Streamlit that is
app.py). The result is the same for any number of readers.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

from analysis.core import settings
from analysis.core.memory import give_back_memory
from analysis.ingest import cleaning, merge, rows
from analysis.ingest import columns as cols
from analysis.ingest import layout as lay
from analysis.ingest.readers import ReadError, read_file
from analysis.ingest.sheet import STATUS_ERROR, Sheet, SheetReport

# Inputs smaller than this in all are read in this process: starting workers would cost more than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024


READER_STOPPED = ("Pembacaan berkas ini menghentikan proses pembaca (kehabisan memori atau isi berkas yang "
                  "tidak wajar); berkas dilewati.")


_FileOutcome = tuple[list[SheetReport], list[tuple[Sheet, object]]]


def _read_one(path: Path, display: str, kind: str | None, overrides: dict[str, dict] | None,
              matcher: cleaning.KecamatanMatcher | None = None) -> _FileOutcome:
    """One file read and each of its sheets parsed: the file's reports, and per sheet its Sheet (grid
    let go) with what it gave (a producer frame, a merge.SalesPart, a training's (event, people), or None)."""
    try:
        raw_sheets = read_file(path)
    except (ReadError, OSError) as exc:
        message = str(exc) if isinstance(exc, ReadError) else f"Berkas tidak dapat dibuka: {exc}"
        return [SheetReport(path=display, sheet=None, kind=lay.KIND_UNKNOWN, status=STATUS_ERROR, message=message)], []
    matcher = matcher or _matcher()
    reports, parsed = [], []
    for raw in raw_sheets:
        layout = lay.detect(raw, forced_kind=kind, overrides=overrides)
        report = SheetReport(path=display, sheet=raw.sheet, kind=layout.kind, message=layout.message,
                             header_row=(layout.header_rows[-1] + 1) if layout.header_rows else None,
                             columns={h: f for f, c in layout.columns.items() for h in [layout.headers[c]]},
                             signature=layout.signature, headers=list(layout.headers), notes=list(layout.notes))
        if layout.month_columns:
            report.columns.update({layout.headers[c]: "bulan" for c in layout.month_columns})
        reports.append(report)
        sheet = Sheet(raw, layout, report, display)
        rows.excel_errors(sheet)
        rows.above_header(sheet)
        outcome: object = None
        if layout.kind == lay.KIND_PRODUCERS:
            outcome = rows.producer_rows(sheet, matcher)
        elif layout.kind == lay.KIND_SALES:
            outcome = merge.sales_part(rows.sales_rows(sheet, matcher))
        elif layout.kind == lay.KIND_TRAINING:
            outcome = rows.training_rows(sheet)
        else:
            rows.unknown_sheet(sheet)
        parsed.append((sheet, outcome))
        # Each sheet is parsed as soon as it is read and its grid of Python cells let go: the grids of many
        # sheets held together take more memory than the clean tables (rows that need their original
        # values, the rejected ones, have them copied into the report already).
        raw.rows = []
        sheet.grid = cols.grid([])
        sheet.codes = {}  # the columns' codes too: they would travel back from a worker for nothing
    if multiprocessing.parent_process() is not None:
        # A worker waiting for its next file, or for the end of the ingest, gives its freed memory back.
        give_back_memory()
    return reports, parsed


_MATCHER: list[cleaning.KecamatanMatcher] = []


def _matcher() -> cleaning.KecamatanMatcher:
    """A worker process's kecamatan matcher, built once for all the files it reads."""
    if not _MATCHER:
        _MATCHER.append(cleaning.KecamatanMatcher())
    return _MATCHER[0]


def _worker_count(workers: int | None, found: list[tuple[Path, str | None]]) -> int:
    """Readers, this process included (the others are worker processes): ``workers`` when given, else
    UMKM_INGEST_WORKERS, else up to 2 (the machine's cores) once the input is large enough to repay
    starting a worker."""
    todo = [path for path, skip in found if skip is None]
    if workers is None:
        workers = settings.get().ingest_workers
        if workers is None:
            workers = min(2, os.cpu_count() or 1)
            if sum(_size(path) for path in todo) < PARALLEL_MIN_BYTES:
                workers = 1
    return max(1, min(workers, len(todo)))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_files(found: list[tuple[Path, str | None]], displays: list[str], kind: str | None,
                overrides: dict[str, dict] | None, progress: Callable[[int, int, str], None] | None,
                workers: int | None, matcher: cleaning.KecamatanMatcher, pools: list) -> list[_FileOutcome]:
    """Every file's outcome, in the order of ``found`` whatever order they finish in. When files were
    read in a worker, ``pools`` gets a fresh one-worker pool, starting: the caller has one more task for
    it and shuts it down (``fresh_worker``)."""
    total = len(found)
    skipped = {number: ([SheetReport(path=displays[number], sheet=None, kind=lay.KIND_UNKNOWN, message=skip)], [])
               for number, (_, skip) in enumerate(found) if skip}
    count = _worker_count(workers, found)
    if count <= 1:
        outcomes = []
        for number, (path, _) in enumerate(found):
            if progress is not None:
                progress(number, total, displays[number])
            outcomes.append(skipped[number] if number in skipped else _read_one(path, displays[number], kind, overrides, matcher))
        return outcomes
    done: dict[int, _FileOutcome] = dict(skipped)
    # Largest first, so that no big file starts last while the other reader has nothing left to do.
    todo = sorted((n for n in range(total) if n not in done), key=lambda n: (-_size(found[n][0]), n))
    queue = deque(todo)

    def tell() -> None:  # (files done, files in all, a file still being read); pipeline.ingest_paths says the end
        waiting = [n for n in range(total) if n not in done]
        if progress is not None and waiting:
            progress(len(done), total, displays[waiting[0]])

    tell()
    # This process is one of the readers: it starts at once, while a worker needs half a second to start
    # (a fresh interpreter importing pandas), and what it reads need not travel back. Every reader takes
    # the largest file left when it is free; each worker has one more waiting in the pool.
    # Workers run with this process's settings (the region above all), not only the environment's.
    pool = ProcessPoolExecutor(max_workers=count - 1, mp_context=worker_context(), initializer=settings.use,
                               initargs=(settings.get(),))
    changed = threading.Condition()
    state = {"in_pool": 0, "read_apart": 0}
    broken: list[int] = []
    failures: list[BaseException] = []

    def hand_out() -> None:
        while True:
            with changed:
                if not queue or state["in_pool"] >= 2 * (count - 1) or failures:
                    return
                number = queue.popleft()
                state["in_pool"] += 1
            try:
                future = pool.submit(_read_one, found[number][0], displays[number], kind, overrides)
            except (BrokenProcessPool, RuntimeError):  # a worker died and broke the pool: read here
                with changed:
                    queue.appendleft(number)
                    state["in_pool"] -= 1
                    changed.notify_all()
                return
            future.add_done_callback(partial(finished, number))

    def finished(number: int, future: Future) -> None:  # on the pool's thread
        with changed:
            state["in_pool"] -= 1
            try:
                done[number] = future.result()
                state["read_apart"] += 1
            except BrokenProcessPool:
                broken.append(number)
            except BaseException as error:  # noqa: BLE001 - raised again by the reading loop below
                failures.append(error)
            changed.notify_all()
        hand_out()

    try:
        hand_out()
        while True:
            with changed:
                if not failures and not queue and state["in_pool"]:
                    changed.wait()
                if failures:
                    raise failures[0]
                number = queue.popleft() if queue else None
                if number is None and not state["in_pool"]:
                    break
            if number is not None:
                outcome = _read_one(found[number][0], displays[number], kind, overrides, matcher)
                with changed:
                    done[number] = outcome
            tell()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    close_pools([pool])
    pools.append(fresh_worker())
    # A worker that died (out of memory, or an engine that aborts) takes every file in flight with it:
    # each of those is read again alone, and only a file that stops its reader again is reported so.
    # When no worker can start at all (a script without the `if __name__ == "__main__":` guard that
    # spawned processes need), the files are read here instead.
    in_process = not state["read_apart"] and not _workers_start()
    for number in sorted(broken):
        if in_process:
            done[number] = _read_one(found[number][0], displays[number], kind, overrides, matcher)
        else:
            try:
                with ProcessPoolExecutor(max_workers=1, mp_context=worker_context(), initializer=settings.use,
                                         initargs=(settings.get(),)) as pool:
                    done[number] = pool.submit(_read_one, found[number][0], displays[number], kind, overrides).result()
            except BrokenProcessPool:
                done[number] = ([SheetReport(path=displays[number], sheet=None, kind=lay.KIND_UNKNOWN,
                                             status=STATUS_ERROR, message=READER_STOPPED)], [])
        tell()
    return [done[n] for n in range(total)]


def fresh_worker() -> ProcessPoolExecutor:
    """A pool of one worker process, started now: the reading worker exits once the files are read, and
    the caller's next task (the near-duplicate search) runs here instead. A reader that has parsed many
    sheets keeps most of the memory it freed (Python's object arenas, half empty): at scale 20 it held
    346 MB through the linking, a fresh worker about a third of that. It imports what the task needs
    while this process merges the producers. A pool that cannot start refuses the task, which then runs
    elsewhere."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=worker_context(), initializer=settings.use,
                               initargs=(settings.get(),))
    try:
        pool.submit(_ready)
    except (BrokenProcessPool, RuntimeError):
        pass
    return pool


def _ready() -> int:
    """Nothing: unpickling it in a worker imports this module and the linking's (merge, linking)."""
    return os.getpid()


def _workers_start() -> bool:
    """Whether a worker process can start and run anything at all."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=worker_context()) as pool:
            return pool.submit(os.getpid).result() > 0
    except BrokenProcessPool:
        return False


def worker_context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes (spawn) that do not run the main script: a fork of a Streamlit server,
    which runs threads, is unsafe. The ingest's readers end shortly after the ingest (see
    workers_exited); the dashboard's background impact estimates (ui/data.py) start the same way."""
    return _WORKER_CONTEXT


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    """A spawned process that does not run the parent's main script first. Spawn normally re-runs it
    (as __mp_main__) so that functions defined there can be unpickled; the workers only need this
    module, and under Streamlit the "main script" is the dashboard's app.py, which must not run in a
    worker (nor may a script without the `if __name__ == "__main__":` guard start the ingest again)."""

    @staticmethod
    def _Popen(process_obj):
        from multiprocessing import spawn

        with _SPAWN_LOCK:
            original = spawn.get_preparation_data

            def without_main(name):
                data = original(name)
                data.pop("init_main_from_path", None)
                data.pop("init_main_from_name", None)
                return data

            spawn.get_preparation_data = without_main  # read at call time by the spawn Popen
            try:
                return multiprocessing.context.SpawnProcess._Popen(process_obj)
            finally:
                spawn.get_preparation_data = original


class _WorkerContext(multiprocessing.context.SpawnContext):
    Process = _WorkerProcess


_SPAWN_LOCK = threading.Lock()


_WORKER_CONTEXT = _WorkerContext()


_CLOSING: list[threading.Thread] = []  # threads shutting down the worker pools of past ingests


def close_pools(pools: list[ProcessPoolExecutor]) -> None:
    """Shut the pools down on threads of their own: the ingest does not wait for its workers to exit
    (see workers_exited)."""
    _CLOSING[:] = [closing for closing in _CLOSING if closing.is_alive()]  # a server ingests many times
    for pool in pools:
        closing = threading.Thread(target=pool.shutdown, name="ingest-workers-exit", daemon=True)
        closing.start()
        _CLOSING.append(closing)


def workers_exited(timeout: float | None = None) -> bool:
    """Wait until the worker processes of every past ingest have ended and been reaped (so their peak
    memory is in RUSAGE_CHILDREN); whether they all have. For the benchmark and tests: an ingest returns
    while its workers are still exiting."""
    for closing in list(_CLOSING):
        closing.join(timeout)
        if not closing.is_alive():
            _CLOSING.remove(closing)
    return not _CLOSING
