"""A content cache of ingest results, so unchanged spreadsheets are not cleaned twice.

A province's registry and years of monthly sales take tens of seconds to read and clean; the same files
are ingested again whenever the dashboard restarts or the admin re-runs the command. The result depends
only on the files' bytes (and relative paths), the ingest options, the code that ingests and the
reference tables, so those are hashed into one key and the result is stored under
``<cache_dir setting> / "ingest" / <key>`` as Arrow IPC files (tables, lz4: written and read several
times faster than Parquet) and JSON (report); the sales as Parquet with the query engine's columns
(analysis/engine), which the engine reads where they lie. Any change to any of them gives a new key; an entry
that cannot be read (a truncated file, a crash while writing) is removed and rebuilt, never trusted
and never fatal.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd

from analysis.core import paths, settings
from analysis.core.fingerprint import code_digest, data_fingerprint, known_fingerprint
from analysis.core.memory import give_back_memory
from analysis.core.schemas import Sales
from analysis.engine import SALES_FILE, read_sales, row_count, stand_in, without_rows, write_sales
from analysis.ingest import IngestResult, ingest_paths

# Source whose code decides the ingest result: every module of analysis/ingest/ and these core modules.
# A change to any of them invalidates every entry.
_CORE_FILES = ("reference.py", "schemas.py", "fingerprint.py", "settings.py", "wilayah.py", "places.py")
_LIBRARIES = ("pandas", "pyarrow", "python-calamine", "rapidfuzz", "numpy")
_MANIFEST = "manifest.json"
_FORMAT = 2  # bump when the layout of an entry changes
MAX_ENTRIES = 6  # a scale-20 entry is ~40 MB; older entries are removed first


def code_version() -> str:
    """Hash of the ingest's own source, the reference tables and the national code list it reads and the
    library versions."""
    return code_digest(code_files(), _LIBRARIES,
                       extra=(f"format {_FORMAT}", data_fingerprint(paths.REFERENCE_DIR),
                              data_fingerprint(paths.WILAYAH_DIR / "kode_wilayah.parquet")))


def code_files() -> list[Path]:
    """The source files hashed into ``code_version``: the ingest package, the core modules it reads and the
    engine package, which writes the entry's engine file."""
    ingest_dir = Path(__file__).resolve().parent
    core_dir = ingest_dir.parent / "core"
    engine_dir = ingest_dir.parent / "engine"
    return (sorted(ingest_dir.glob("*.py")) + [core_dir / name for name in _CORE_FILES if (core_dir / name).exists()]
            + sorted(engine_dir.glob("*.py")))


def cache_key(paths: list[Path], kind: str | None = None, kriteria: str | None = None) -> str:
    """One key for (code, options, the region and its code list, every input's relative paths and bytes)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(code_version().encode())
    options = {"kind": kind, "kriteria": kriteria, "wilayah": settings.get().wilayah}
    digest.update(json.dumps(options, sort_keys=True).encode())
    for path in map(Path, paths):
        # The kind of root matters: a file's rows are reported under its name, a folder's under relative paths.
        digest.update(b"d" if path.is_dir() else b"f")
        digest.update(known_fingerprint(path).encode())  # hashed once per process while unchanged
    return digest.hexdigest()


def cached_ingest(paths: list[Path], kind: str | None = None, kriteria: str | None = None,
                  cache_dir: Path | None = None, *, with_sales: bool = True) -> IngestResult:
    """``ingest_paths`` through the content cache (the cache_dir setting read at call time, so tests can
    point it elsewhere). The result equals a cold ingest's: same frames, dtypes and report. Without
    ``with_sales`` its sales are a stand-in (``analysis.engine.without_rows``) whenever the entry
    holds them: the caller reads them from the entry's sales file (``result.folder``)."""
    root = Path(cache_dir if cache_dir is not None else settings.get().cache_dir) / "ingest"
    key = cache_key(paths, kind, kriteria)
    entry = root / key
    if entry.is_dir():
        try:
            return _load(entry, with_sales)
        except Exception:  # noqa: BLE001 - any damage (truncated file, bad JSON) means: rebuild the entry
            shutil.rmtree(entry, ignore_errors=True)
    try:  # the entry is written in a staging folder, then renamed: a reader never sees half an entry
        root.mkdir(parents=True, exist_ok=True)
        staging: Path | None = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
    except OSError:
        staging = None  # a read-only cache folder costs speed, not the result
    # The sales go straight into the entry's engine file as they are linked (no frame of them is made).
    try:
        result = ingest_paths(list(map(Path, paths)), kind=kind, kriteria=kriteria, sales_folder=staging)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        if staging is None:
            raise OSError("no cache folder")
        _store(result, staging, root, key)
        result = replace(result, folder=entry)
        if with_sales and row_count(result.sales) != len(result.sales):
            result = replace(result, sales=read_sales(entry))
        elif not with_sales:
            result = replace(result, sales=without_rows(result.sales, row_count(result.sales)))
    except OSError:  # a full disk or a read-only cache folder costs speed, not the result
        if staging is not None and row_count(result.sales) != len(result.sales):
            result = replace(result, sales=read_sales(staging))  # the rows are in the staging folder only
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        result = replace(result, folder=None)
    # The ingest's intermediate frames (the files' rows before they were joined, linked and typed) are
    # freed by now, but the C library would keep their memory for this process, as long as it runs.
    give_back_memory()
    return result


def _store(result: IngestResult, staging: Path, root: Path, key: str) -> None:
    """Write the entry in ``staging`` (the sales file may be there already), then rename it to its key."""
    try:
        rows = {}
        for name in IngestResult.FRAMES:
            frame = getattr(result, name)
            if name == Sales.name and result.folder != staging:  # Parquet with the engine's columns (analysis/engine)
                write_sales(frame, result.producers, staging)
            elif name != Sales.name:
                frame.to_feather(staging / f"{name}.arrow")
            rows[name] = row_count(frame)
        (staging / "report.json").write_text(json.dumps(result.report, ensure_ascii=False), encoding="utf-8")
        (staging / _MANIFEST).write_text(json.dumps({"key": key, "rows": rows}), encoding="utf-8")
        os.replace(staging, root / key)
    except OSError:
        if not (root / key).is_dir():
            raise
        shutil.rmtree(staging, ignore_errors=True)
        return  # another process stored the same entry first
    _evict(root)


def _load(entry: Path, with_sales: bool = True) -> IngestResult:
    manifest = json.loads((entry / _MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("key") != entry.name:
        raise ValueError("manifest of another entry")
    frames = {}
    for name in IngestResult.FRAMES:
        if name == Sales.name and not with_sales:  # the file's footer must say what the manifest does (below)
            frame = stand_in(entry)
            if frame is None:
                raise ValueError(f"{SALES_FILE}: without the engine's columns")
        elif name == Sales.name:
            frame = read_sales(entry)
        else:
            frame = pd.read_feather(entry / f"{name}.arrow")
        if row_count(frame) != manifest["rows"][name]:
            raise ValueError(f"{name}: {len(frame)} rows, manifest says {manifest['rows'][name]}")
        frames[name] = frame
    report = json.loads((entry / "report.json").read_text(encoding="utf-8"))
    os.utime(entry)  # most recently used: kept longest by _evict
    return IngestResult(report=report, folder=entry, **frames)


def _evict(root: Path) -> None:
    entries = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[MAX_ENTRIES:]:
        shutil.rmtree(stale, ignore_errors=True)
