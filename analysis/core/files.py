"""Small file helpers shared by the stores on disk (data versions, impact estimates): atomic writes and a lock
that processes share."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def atomic_write_text(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and rename it over ``path`` (atomic): a reader
    sees the old content or the new one, never half of it; the temporary file never stays behind."""
    atomic_write(path, lambda stream: stream.write(text.encode("utf-8")))


def atomic_write(path: Path, write: Callable[[BinaryIO], object], durable: bool = True) -> None:
    """``write(stream)`` into a temporary file in ``path``'s folder, renamed over ``path`` (atomic, as
    ``atomic_write_text``). ``durable``: the bytes reach the disk before the rename (fsync); a store
    that checks what it reads back may skip that."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def exclusive(path: Path, timeout_s: float | None = None, poll_s: float = 0.05) -> Iterator[bool]:
    """Hold an exclusive lock on the file ``path`` (made when missing) while the block runs, waiting as long
    as another process, or another thread's lock on it, holds it: at most ``timeout_s`` seconds (None: no
    limit). The system lets go of a lock when its holder ends, also when it is killed, so nobody waits for a
    holder that is gone. Gives whether the lock is held: where the file cannot be made or locked (a
    read-only folder), or the wait ran out, the block runs without it."""
    handle = None
    locked = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+b")  # held open for the lock's life, closed below
        locked = _lock(handle, timeout_s, poll_s)
    except OSError:
        pass
    try:
        yield locked
    finally:
        if handle is not None:
            if locked:
                try:
                    _unlock(handle)
                except OSError:
                    pass
            handle.close()


def _lock(handle: BinaryIO, timeout_s: float | None, poll_s: float) -> bool:
    """Whether the lock was had within ``timeout_s`` (tried every ``poll_s``; where there is no limit, flock
    waits by itself)."""
    if timeout_s is None and sys.platform != "win32":
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # (flock: also between two open files of one process)
        return True
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    while True:
        try:
            _try_lock(handle)
            return True
        except OSError:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(poll_s)


def _try_lock(handle: BinaryIO) -> None:
    """The lock now, or OSError while another holds it."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # (its blocking mode gives up after 10 s)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(handle: BinaryIO) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
