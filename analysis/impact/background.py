"""The whole area and every kecamatan estimated ahead into the store, in a process of its own at the
lowest priority, so that opening Dampak Pelatihan or picking a kecamatan there reads a stored estimate."""
from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.engine import has_engine_columns
from analysis.impact import estimate, store
from analysis.impact.result import ImpactResult

if TYPE_CHECKING:
    from analysis.ingest import IngestResult


def precompute(data_key: str, scopes: list[tuple[dict, Callable[[], list[ImpactResult]]]], n_boot: int,
               seed: int, *, cache_dir: Path | None = None) -> int:
    """``store.stored_estimate`` of each (scope, compute) in order: the number of scopes that were computed and
    stored (the others were in the store already, or failed). A scope whose estimate fails is left out:
    the page that asks for it computes it again and shows its error there."""
    computed = 0
    for scope, compute in scopes:
        ran = []

        def counted(compute=compute, ran=ran):
            result = compute()
            ran.append(True)
            return result

        try:
            store.stored_estimate(data_key, scope, n_boot, seed, counted, cache_dir=cache_dir)
        except Exception:  # noqa: BLE001 - see above: never this function's to report
            continue
        computed += len(ran)
    return computed


def estimate_kecamatan(data_key: str, tables: dict[str, pd.DataFrame], kecamatan: list[str], n_boot: int,
                       seed: int, cache_dir: Path) -> int:
    """The estimate of the whole area, then of each kecamatan alone, into the store (``precompute``), at
    the lowest priority of the system: the dashboard runs this in a process of its own once data is
    loaded (ui/data.py), so that opening Dampak Pelatihan, or picking a kecamatan there, reads a stored
    estimate (a page that asks while one is computed waits for it rather than start it again).
    ``tables``: producers (umkm_id, kecamatan, kategori), sales (umkm_id, bulan, nilai_rp; or the folder of
    the version's sales file, read once as ``CodedSales`` whose rows each scope takes), trainings and
    participants: all the estimate reads. The scopes are the page's: the same tables (filters.apply) and
    the same numbers."""
    from analysis.core.memory import give_back_memory
    from analysis.insight import filters as flt

    lower_priority()
    on_disk = isinstance(tables["sales"], (str, Path))  # the version's sales file
    everything = flt.Tables(tables["producers"], Sales.empty() if on_disk else tables["sales"], tables["trainings"],
                            tables["participants"])
    give_back_memory()  # the tables' pickled bytes, read from the dashboard

    coded_sales: list = []  # the version's sales as arrays, read once for every scope (on disk)

    def coded():
        from analysis.insight.coded import CodedSales

        if not coded_sales:
            coded_sales.append(CodedSales.stored(Path(tables["sales"]), everything.producers))
        return coded_sales[0]

    def scope(chosen: flt.Filters) -> Callable[[], list[ImpactResult]]:
        def compute() -> list[ImpactResult]:
            # One thread: a second held 150 MB more at scale 20 (the numbers are the same for any).
            try:
                return estimate.estimate_scope(everything, chosen, coded=coded() if on_disk else None, seed=seed,
                                               n_boot=n_boot, workers=1)
            finally:
                give_back_memory()

        return compute

    scopes = [({"kecamatan": (), "kategori": (), "skala": ()}, scope(flt.Filters())),
              *(({"kecamatan": (name,), "kategori": (), "skala": ()}, scope(flt.Filters(kecamatan=(name,))))
                for name in kecamatan)]
    return precompute(data_key, scopes, n_boot, seed, cache_dir=cache_dir)


def lower_priority() -> None:
    """Make this process give way to every other one for the processors (nice 19). Where processes
    have no nice value (Windows), nothing happens."""
    try:
        os.nice(19 - os.nice(0))
    except (AttributeError, OSError):
        pass


def lower_thread_priority() -> bool:
    """Give the calling thread the lowest priority (nice 19) where a nice value belongs to a thread
    (Linux), so that a process it starts is at nice 19 from its first instruction: the background
    estimate's interpreter then starts, imports pandas and unpickles its tables without competing with
    the page that is opening. Whether it did; elsewhere (where nice would lower the whole dashboard)
    nothing happens and the process lowers itself once started (``lower_priority``)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):
        return False
    return True


_LOCK = threading.Lock()
_STATE: dict[str, Any] = {"key": None, "starter": None, "process": None}


def start(data_key: str, result: IngestResult, cache_dir: Path) -> None:
    """Once per data version (``data_key``), a process of its own at the lowest priority estimates the
    training impact of each kecamatan alone (most producers first) into the store on disk
    (``estimate_kecamatan``), with the page's bootstrap and seed. A process, not a thread: a thread's
    Python parts would compete with the pages for the interpreter lock, which no priority helps
    against. It is given only the columns the estimate reads, and is stopped when newer data is loaded.
    The whole area comes first: a person who opens Dampak Pelatihan after a look at
    another page finds it stored, and one who opens it at once waits for an estimate already under way."""
    if _STATE["key"] == data_key:
        return  # started for this data already (every page run asks; the lock is for a change of data)
    with _LOCK:
        if _STATE["key"] == data_key:
            return
        old = _STATE["process"]
        _STATE.update(key=data_key, process=None)
        # Started from a thread: pickling the tables for the new process must not hold up the caller.
        _STATE["starter"] = threading.Thread(target=_start_process, args=(data_key, result, cache_dir),
                                             name="dampak-latar-mulai", daemon=True)
        _STATE["starter"].start()
    if old is not None and old.is_alive():
        old.terminate()  # its data was replaced


def _start_process(data_key: str, result: IngestResult, cache_dir: Path) -> None:
    from analysis.ingest import worker_context

    try:
        # This thread only prepares and starts the process: at nice 19 (on Linux, where that is the
        # thread's own), and so is the process from its start on.
        lower_thread_priority()
        producers = result.producers
        kecamatan = producers[Producers.kecamatan].dropna().astype(str).value_counts(sort=True).index
        tables = {
            "producers": producers[[Producers.umkm_id, Producers.kecamatan, Producers.kategori]],
            "sales": str(result.folder) if has_engine_columns(result.folder)
            else result.sales[[Sales.umkm_id, Sales.bulan, Sales.nilai_rp]],
            "trainings": result.trainings[Trainings.names()],
            "participants": result.participants[Participants.names()],
        }
        del result, producers
        process = worker_context().Process(
            target=estimate_kecamatan, name="dampak-latar", daemon=True,
            args=(data_key, tables, [str(k) for k in kecamatan], estimate.DEFAULT_BOOT, estimate.DEFAULT_SEED, cache_dir))
        with _LOCK:
            if _STATE["key"] != data_key:
                return  # newer data came while the tables were being prepared
        process.start()  # (pickles the tables to it: not under the lock, which every page run would wait for)
        with _LOCK:
            if _STATE["key"] == data_key:
                _STATE["process"] = process
                return
        process.terminate()  # newer data came while it was starting
    except Exception:  # noqa: BLE001 - only a head start: the page computes (and reports) what is missing
        return


def done(timeout: float | None = None) -> bool:
    """Wait until the estimates started for the data loaded last have ended (tests, benchmark): whether
    they have (or none were started)."""
    starter = _STATE["starter"]
    if starter is not None:
        starter.join(timeout)
        if starter.is_alive():
            return False  # still starting the process (its start is not to be joined yet)
    process = _STATE["process"]
    if process is None:
        return True
    process.join(timeout)
    return not process.is_alive()
