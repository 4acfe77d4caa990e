"""Estimates kept on disk per data version, scope, bootstrap and code, so a scope estimated once is read
back instead of computed again (also after a restart); a scope being computed, by another thread or another
process, is waited for."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pandas as pd

from analysis.core import settings
from analysis.core.files import atomic_write_text, exclusive
from analysis.core.fingerprint import code_digest
from analysis.impact.result import BULAN_RELATIF, CI_ATAS, CI_BAWAH, EFEK_PERSEN, N_OBS, ImpactResult

_STORE_FORMAT = 1  # bump when the layout of a stored entry changes


MAX_STORED = 256  # entries kept (a few kilobytes each); the oldest are removed first
LOCK_SUFFIX = ".lock"  # beside an entry: held by the process that computes it
# The longest a page waits for another process's estimate before computing it itself: the background runs at
# the lowest priority, and on a machine busy with other programs it may crawl (an idle province's whole area
# takes it 13-25 s).
WAIT_FOR_OTHERS_S = 60.0


_PER_BULAN = [BULAN_RELATIF, EFEK_PERSEN, CI_BAWAH, CI_ATAS, N_OBS]


def results_to_json(results: list[ImpactResult]) -> list[dict]:
    """Every field of the results as plain JSON values (floats round-trip exactly)."""
    return [{**r.as_dict(), "p_pratren": r.p_pratren, "cukup_data": r.cukup_data,
             "pratren_berbeda": r.pratren_berbeda,
             "per_bulan": None if r.per_bulan is None else r.per_bulan.to_dict("records")} for r in results]


def results_from_json(items: list[dict]) -> list[ImpactResult]:
    """The inverse of results_to_json: equal results, per_bulan with the same columns and dtypes."""
    return [ImpactResult(d["jenis"], d["efek_persen"], d["ci_bawah"], d["ci_atas"], int(d["n_peserta"]),
                         int(d["n_pembanding"]), list(d["peringatan"]), d["p_pratren"],
                         None if d["per_bulan"] is None else pd.DataFrame(d["per_bulan"], columns=_PER_BULAN),
                         bool(d["cukup_data"]), bool(d["pratren_berbeda"])) for d in items]


def _store_key(data_key: str, scope: dict, n_boot: int, seed: int) -> str:
    """The estimate depends on the data, the scope, the bootstrap and the code (the ingest with its
    reference tables, this module, the filters that cut the scope, numpy's random streams)."""
    from analysis.ingest.cache import code_version  # the ingest's code: a folder's tables depend on it

    package = Path(__file__).resolve().parent
    return code_digest([*sorted(package.glob("*.py")), package.parent / "insight" / "filters.py"], ("numpy", "pandas"),
                       extra=(code_version(), json.dumps({"format": _STORE_FORMAT, "data": data_key, "scope": scope,
                                                          "n_boot": n_boot, "seed": seed}, sort_keys=True, default=list)))


def stored_estimate(data_key: str, scope: dict, n_boot: int, seed: int, compute,
                    cache_dir: Path | None = None) -> list[ImpactResult]:
    """``compute()`` (an estimate.estimate_all on the scoped tables) through a store on disk, so a scope estimated
    once is read back in milliseconds after a restart. ``data_key`` must change with the data (a content
    fingerprint); ``settings.get().cache_dir`` is read at call time. An entry that cannot be read is removed and
    recomputed, never trusted and never fatal; a store that cannot be written is skipped. An entry that another
    thread or another process is computing is waited for and read, not computed beside it (another process's:
    for at most WAIT_FOR_OTHERS_S)."""
    root = Path(cache_dir if cache_dir is not None else settings.get().cache_dir) / "impact"
    path = root / f"{_store_key(data_key, scope, n_boot, seed)}.json"
    while True:
        try:
            return results_from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - a damaged entry (truncated, bad JSON) or no store: recompute it
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
        # The same entry being computed by another thread (another session of the dashboard asked for the
        # same scope): wait for it and read its result instead of computing it a second time.
        # When it could not store its result, the loop comes back here and this thread computes it.
        with COMPUTING_LOCK:
            running = COMPUTING.get(path)
            if running is None:
                mine = COMPUTING[path] = threading.Event()
                break
        running.wait()
    try:
        # Another process (the dashboard's background estimator, a second dashboard) that computes this entry
        # holds its lock: wait for it and read what it stored rather than compute it a second time beside it
        # (the memory twice, the processors shared). When it stored nothing (it failed, or was stopped for
        # newer data), or has not within WAIT_FOR_OTHERS_S, this one computes it.
        with exclusive(path.with_suffix(LOCK_SUFFIX), timeout_s=WAIT_FOR_OTHERS_S):
            try:
                return results_from_json(json.loads(path.read_text(encoding="utf-8")))
            except Exception:  # noqa: BLE001 - not stored (or damaged): computed below
                pass
            results = compute()
            try:
                atomic_write_text(path, json.dumps(results_to_json(results), ensure_ascii=False))
                entries = sorted(root.glob("*.json"), key=lambda p: p.stat().st_mtime)
                for old in entries[:max(0, len(entries) - MAX_STORED)]:
                    old.unlink(missing_ok=True)
                    old.with_suffix(LOCK_SUFFIX).unlink(missing_ok=True)
            except OSError:
                pass
    finally:
        with COMPUTING_LOCK:
            del COMPUTING[path]
        mine.set()
    return results


COMPUTING: dict[Path, threading.Event] = {}  # store entries being computed -> set when that ends


COMPUTING_LOCK = threading.Lock()
