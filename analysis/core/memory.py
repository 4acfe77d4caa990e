"""Handing freed memory back to the operating system."""
from __future__ import annotations

import ctypes


def give_back_memory() -> None:
    """Return the heap memory this process freed to the system: glibc's (kept for reuse otherwise, so a
    process that once held a large table goes on showing that size) and Arrow's own pool (mimalloc or
    jemalloc, which keeps what Parquet reads decoded). A few milliseconds; glibc's part is skipped where
    the C library is not glibc."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):  # an Arrow without release_unused: its pool keeps the memory
        pass
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
