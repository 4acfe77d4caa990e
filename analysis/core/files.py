"""Small file helpers shared by the stores on disk (data versions, impact estimates)."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
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
