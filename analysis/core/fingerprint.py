"""A content fingerprint of a data folder, used as the cache key for ingested tables.

Modification times are not trusted: copying a folder from a flash drive or a shared drive resets them,
and an officer may overwrite a workbook with identical content. Hashing the bytes means the cache is
reused exactly when the data is the same and dropped as soon as any cell of any file changes.

A folder's hash is kept with the stat of its files (relative path, size, modification time in ns), in this
process and in the cache folder: while no file is added, removed, resized or saved again, the bytes are not
read again, also after a restart (a province's raw files took 0.3 s to hash on every start).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from analysis.core import settings
from analysis.core.files import atomic_write_text

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


def code_digest(files: Iterable[Path], libraries: Iterable[str] = (), extra: Iterable[str] = (), size: int = 16) -> str:
    """Hex digest (``size`` bytes) over source files (each file's name and bytes), the installed versions of
    ``libraries`` ("-" for one not installed) and ``extra`` text: the key of whatever that code computed, so
    that a change to any of them gives a new key."""
    digest = hashlib.blake2b(digest_size=size)
    for path in files:
        name = Path(path).name.encode("utf-8")
        content = Path(path).read_bytes()
        for part in (name, content):  # length-prefixed: no two different inputs give one byte stream
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
    for library in libraries:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"\0{library}={version}".encode())
    for text in extra:
        encoded = text.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
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
    """``data_fingerprint`` memoised on the files' stat (``stat_signature``), in this process (``KNOWN``) and
    in the cache folder (``STORED_FILE``, read when this process has not hashed the folder yet): listing
    the files is cheap, hashing every byte again (the dashboard and the ingest cache both ask, on every
    load and after every restart) is not. Any new, removed, resized or re-saved file (a new modification
    time) hashes the bytes again."""
    key = str(Path(path).resolve())
    signature = stat_signature(Path(path))
    known = KNOWN.get(key) or _stored().get(key)
    if known is not None and known[0] == signature:
        KNOWN[key] = known
        return known[1]
    digest = data_fingerprint(Path(path))
    KNOWN[key] = (signature, digest)
    _store(key, signature, digest)
    return digest


STORED_FILE = "fingerprints.json"  # in settings.get().cache_dir: {folder: [stat signature, content hash]}
MAX_STORED = 64  # folders kept, the most recently hashed


def _stored() -> dict[str, tuple[tuple, str]]:
    """The stored hashes (empty when the file is missing or cannot be read: never fatal, never trusted
    beyond its stat signatures)."""
    try:
        entries = json.loads((Path(settings.get().cache_dir) / STORED_FILE).read_text(encoding="utf-8"))
        return {key: (tuple(tuple(item) for item in signature), str(digest))
                for key, (signature, digest) in entries.items()}
    except Exception:  # noqa: BLE001 - a missing, damaged or foreign file: hash again
        return {}


def _store(key: str, signature: tuple, digest: str) -> None:
    entries = {k: v for k, v in _stored().items() if k != key}
    entries[key] = (signature, digest)  # last: the most recent
    kept = dict(list(entries.items())[-MAX_STORED:])
    try:
        atomic_write_text(Path(settings.get().cache_dir) / STORED_FILE,
                          json.dumps({k: [list(map(list, s)), d] for k, (s, d) in kept.items()}, ensure_ascii=False))
    except OSError:  # a cache folder that cannot be written: the process memo still serves
        pass
