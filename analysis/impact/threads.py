"""One BLAS thread per estimating thread: the estimate runs its own threads (estimate.WORKERS), and
OpenBLAS's threads on top of them would fight for the same cores."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

WORKERS = max(1, min(2, os.cpu_count() or 1))


_BLAS_LOCK = threading.Lock()


_BLAS_STATE = {"users": 0, "before": None}


def _openblas_controls():
    """(get, set) of the thread count of the OpenBLAS bundled with numpy's wheels, or None (another
    BLAS, another platform). The calls threadpoolctl would make, without the dependency."""
    import ctypes

    base = Path(np.__file__).resolve().parent
    for path in sorted([*base.parent.glob("numpy.libs/*openblas*"), *base.glob(".dylibs/*openblas*")]):
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""),
                               ("openblas", "64_"), ("openblas", "")):
            get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and put is not None:
                get.restype, put.argtypes = ctypes.c_int, [ctypes.c_int]
                return get, put
    return None


_OPENBLAS = None


@contextmanager
def one_blas_thread():
    """Single-threaded BLAS inside the block (process-wide, restored when the last user leaves)."""
    global _OPENBLAS
    with _BLAS_LOCK:
        if _OPENBLAS is None:
            try:
                _OPENBLAS = _openblas_controls() or False
            except Exception:  # noqa: BLE001 - only a speed-up: without it the estimate is the same
                _OPENBLAS = False
        if _OPENBLAS and _BLAS_STATE["users"] == 0:
            _BLAS_STATE["before"] = _OPENBLAS[0]()
            _OPENBLAS[1](1)
        _BLAS_STATE["users"] += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _BLAS_STATE["users"] -= 1
            if _OPENBLAS and _BLAS_STATE["users"] == 0 and _BLAS_STATE["before"]:
                _OPENBLAS[1](_BLAS_STATE["before"])
