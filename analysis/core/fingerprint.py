"""A content fingerprint of a data folder, used as the cache key for ingested tables.

Modification times are not trusted: copying a folder from a flash drive or a shared drive resets them,
and an officer may overwrite a workbook with identical content. Hashing the bytes means the cache is
reused exactly when the data is the same and dropped as soon as any cell of any file changes.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

_CHUNK = 1 << 20  # 1 MiB: bounded memory even for large workbooks


def data_fingerprint(directory: Path) -> str:
    """Hex digest over every file under ``directory`` (recursively): relative path and bytes.

    The relative path is part of the digest so that renaming or moving a file (which can change how
    it is read, e.g. a kecamatan taken from a folder or file name) also gives a new fingerprint.
    Files are visited in sorted order, so the result does not depend on the file system's listing
    order. A single file may be passed instead of a folder.
    """
    directory = Path(directory)
    if not directory.exists():
        raise FileNotFoundError(f"Folder data tidak ditemukan: {directory}")
    digest = hashlib.blake2b(digest_size=16)
    if directory.is_file():
        files = [directory]
        base = directory.parent
    else:
        files = sorted((p for p in directory.rglob("*") if p.is_file()), key=lambda p: p.as_posix())
        base = directory
    for path in files:
        name = path.relative_to(base).as_posix().encode("utf-8")
        # Length-prefix the name and the size so that no two different folders can produce the same
        # byte stream (e.g. "a" + "bc" versus "ab" + "c").
        digest.update(len(name).to_bytes(8, "big"))
        digest.update(name)
        digest.update(path.stat().st_size.to_bytes(8, "big"))
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


KNOWN: dict[str, tuple[tuple, str]] = {}  # path -> (stat signature, content hash), for this process


def stat_signature(path: Path) -> tuple:
    """Relative path, size and modification time (ns) of every file under ``path`` (or of the file)."""
    path = Path(path)
    if path.is_file():
        info = path.stat()
        return ((path.name, info.st_size, info.st_mtime_ns),)
    signature = []
    for found in sorted(p for p in path.rglob("*") if p.is_file()):
        info = found.stat()
        signature.append((found.relative_to(path).as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(signature)


def known_fingerprint(path: Path) -> str:
    """``data_fingerprint`` memoised in this process on the files' stat: listing the files is cheap,
    hashing every byte again (the dashboard and the ingest cache both ask, on every load) is not. Any
    new, removed, resized or re-saved file (a new modification time) hashes the bytes again; a new
    process always does."""
    key = str(Path(path).resolve())
    signature = stat_signature(Path(path))
    known = KNOWN.get(key)
    if known is not None and known[0] == signature:
        return known[1]
    digest = data_fingerprint(Path(path))
    KNOWN[key] = (signature, digest)
    return digest
