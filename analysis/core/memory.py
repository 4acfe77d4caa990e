"""Handing freed memory back to the operating system."""
from __future__ import annotations

import ctypes


def give_back_memory() -> None:
    """Return the heap memory this process freed to the system (glibc keeps it for reuse otherwise, so a
    process that once held a large table goes on showing that size). A few milliseconds; nothing happens
    where the C library is not glibc."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
