"""The office's own data: uploads kept unchanged, versions that can be applied and rolled back.

A data admin uploads spreadsheets; nothing changes until they have seen the preview (what each file and
sheet was read as, and what happened to every row) and pressed *Terapkan*. Then:

- every uploaded file is stored unchanged as ``uploads/<sha256><ext>``: the same content is never stored
  twice, whatever its name;
- a new version folder ``versions/<id>/`` gets the manifest (which files, under which names, which mapping
  corrections, who and when), the ingest report, rejected.xlsx and the clean tables as Parquet, built
  under a temporary name and renamed into place complete;
- the ``active`` pointer file is rewritten through a temporary file and ``os.replace``, one atomic step:
  a reader sees the old version or the new one, never half of each. Until that step the old version is
  active and untouched, so a failure anywhere before it changes nothing.

Rolling back rewrites only the pointer. Loading the active version reads its Parquet tables (no new
ingest). Everything lives under one folder (the store_dir setting, UMKM_STORE_DIR, by default; tests pass a temporary one).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from analysis.core import settings
from analysis.core.files import atomic_write_text
from analysis.core.schemas import ProducerSources, Sales
from analysis.engine import read_sales, row_count, stand_in
from analysis.ingest import STATUS_ERROR, IngestResult, ingest_paths, readers, write_outputs

MODE_ADD = "tambah"  # the new files are added to the active version's files (same name: replaced)
MODE_REPLACE = "ganti"  # the new files alone make the new version
MODES = (MODE_ADD, MODE_REPLACE)
ORIGIN_UPLOAD, ORIGIN_ACTIVE = "unggahan", "versi aktif"
MAX_FILES = 200  # per upload: more is a folder dragged by mistake, not a month's spreadsheets

MANIFEST = "manifest.json"
REPORT = "report.json"
# Written beside the four canonical tables and the producers' source rows that write_outputs() stores.
_EXTRA_TABLES = tuple(name for name in IngestResult.FRAMES
                      if name not in ("producers", "sales", "trainings", "participants", ProducerSources.name))
_STAGING_MAX_AGE = 24 * 3600  # s: previews nobody applied are cleaned up after a day


class ApplyRefused(Exception):
    """The preview cannot become the active data; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Upload:
    """One file as the admin offered it: its name on their computer and its bytes."""

    name: str
    content: bytes


@dataclass
class FileEntry:
    name: str  # the name the ingest sees (and the report shows)
    sha256: str
    size: int
    origin: str  # "unggahan" (new) or "versi aktif" (carried over from the active version)
    note: str = ""  # why a new file was left out (duplicate content, too large, ...), else ""

    @property
    def used(self) -> bool:
        return not self.note


@dataclass
class Preview:
    """What applying would make active: the files, the ingest result and the notes for the admin."""

    id: str
    mode: str
    base_version: str | None  # the version active when the preview was made (MODE_ADD builds on it)
    files: list[FileEntry]
    result: IngestResult | None
    staging: Path
    overrides: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # warnings worth reading before applying

    @property
    def failed_files(self) -> list[dict]:
        """Report entries of files that could not be read at all."""
        if self.result is None:
            return []
        return [e for e in self.result.report["files"] if e["status"] == STATUS_ERROR]

    @property
    def rows_kept(self) -> int:
        return 0 if self.result is None else int(self.result.report["totals"]["rows_kept"])

    def refusal(self, *, include_failed: bool = False) -> str | None:
        """Why this preview may not be applied, or None. Unreadable files block unless the admin chose
        to apply without them; a preview that loads no row at all always blocks."""
        if self.result is None:
            return "Tidak ada berkas yang dapat dibaca; data aktif tidak diubah."
        tables = self.result.tables
        if not any(row_count(tables[name]) for name in ("producers", "sales", "trainings")):
            return ("Tidak ada baris data yang dapat dipakai dari berkas ini (lihat laporan di atas); "
                    "data aktif tidak diubah.")
        new = {f.name for f in self.files if f.origin == ORIGIN_UPLOAD and f.used}
        if not any(e["rows_kept"] + e["rows_merged"] for e in self.result.report["files"] if e["path"] in new):
            return ("Berkas yang diunggah tidak berisi satu pun baris data yang dapat dipakai (lihat laporan di atas); "
                    "data aktif tidak diubah.")
        if self.failed_files and not include_failed:
            names = ", ".join(sorted({e["path"] for e in self.failed_files}))
            return (f"{len({e['path'] for e in self.failed_files})} berkas gagal dibaca ({names}). Perbaiki lalu "
                    "unggah lagi, atau pilih untuk menerapkan tanpa berkas tersebut.")
        return None


def _ingest(folder: Path, overrides: dict, progress: Callable[[int, int, str], None] | None) -> IngestResult:
    """A preview's files ingested, the sales written beside them (``tabel/``, the engine's file) rather
    than held in the session: a province's upload holds millions of rows."""
    tables = folder.parent / "tabel"
    tables.mkdir(exist_ok=True)
    return ingest_paths([folder], overrides=overrides, progress=progress, sales_folder=tables)


@dataclass(frozen=True)
class VersionInfo:
    id: str
    created: str  # ISO time, UTC
    user: str
    mode: str
    files: int
    totals: dict
    active: bool


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


def safe_name(name: str) -> str:
    """The file name without any folder part or characters a file system refuses ("../x" -> "x")."""
    base = re.split(r"[\\/]", name)[-1].strip().lstrip(".")
    base = _UNSAFE.sub("_", base)
    return base[:150] or "berkas"


class Store:
    """The upload store under ``root``: uploads/, versions/, staging/, the active pointer and the
    remembered mapping corrections."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root if root is not None else settings.get().store_dir)
        self.uploads = self.root / "uploads"
        self.versions_dir = self.root / "versions"
        self.staging_dir = self.root / "staging"
        self.pointer = self.root / "active"
        self.mappings_file = self.root / "mappings.json"
        self.log_file = self.root / "log.jsonl"

    # ------------------------------------------------------------------ versions

    def active_id(self) -> str | None:
        """The active version, or None when none was ever applied (or its folder is gone)."""
        try:
            version = self.pointer.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return version if version and (self.versions_dir / version / MANIFEST).is_file() else None

    def version_dir(self, version: str) -> Path:
        return self.versions_dir / version

    def has_version(self, version: str) -> bool:
        """Whether ``version`` is a complete applied version of this store (never a path outside it)."""
        return bool(re.fullmatch(r"[0-9A-Za-z_-]+", version)) and (self.versions_dir / version / MANIFEST).is_file()

    def manifest(self, version: str) -> dict:
        return json.loads((self.version_dir(version) / MANIFEST).read_text(encoding="utf-8"))

    def versions(self) -> list[VersionInfo]:
        """Every complete version, newest first."""
        if not self.versions_dir.is_dir():
            return []
        active = self.active_id()
        found = []
        for folder in self.versions_dir.iterdir():
            if folder.name.startswith(".") or not (folder / MANIFEST).is_file():
                continue
            try:
                manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found.append((manifest.get("created_ns", 0), VersionInfo(
                id=folder.name, created=manifest.get("created", ""), user=manifest.get("user", ""),
                mode=manifest.get("mode", ""), files=len([f for f in manifest.get("files", []) if f.get("stored")]),
                totals=manifest.get("totals", {}), active=folder.name == active,
            )))
        return [info for _, info in sorted(found, key=lambda item: (item[0], item[1].id), reverse=True)]

    def load(self, version: str, *, with_sales: bool = True) -> IngestResult:
        """The tables, report and review lists of a version, read from its Parquet files; without
        ``with_sales`` the sales are a stand-in (``analysis.engine.without_rows``) when the
        version's sales file has the engine's columns, and are read from it (``result.folder``)."""
        folder = self.version_dir(version)
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in IngestResult.FRAMES
                  if name not in (ProducerSources.name, Sales.name)}
        on_disk = None if with_sales else stand_in(folder)
        frames[Sales.name] = read_sales(folder) if on_disk is None else on_disk
        frames[ProducerSources.name] = _producer_sources(folder, frames["producers"])
        report = json.loads((folder / REPORT).read_text(encoding="utf-8"))
        return IngestResult(report=report, folder=folder, **frames)

    def rejected_workbook(self, version: str) -> Path:
        return self.version_dir(version) / "rejected.xlsx"

    # ------------------------------------------------------------------ preview

    def preview(self, uploads: list[Upload], *, mode: str = MODE_ADD,
                progress: Callable[[int, int, str], None] | None = None) -> Preview:
        """Read the uploads (with the active version's files in MODE_ADD) into a preview. Nothing
        outside staging/ is written, so the active data cannot change here whatever the files hold."""
        if mode not in MODES:
            raise ValueError(f"mode {mode!r} bukan salah satu dari {MODES}")
        self._clean_staging()
        preview_id = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"
        staging = self.staging_dir / preview_id
        folder = staging / "berkas"
        folder.mkdir(parents=True)
        base = self.active_id()
        files: list[FileEntry] = []
        notes: list[str] = []
        by_name: dict[str, FileEntry] = {}
        if mode == MODE_ADD and base is not None:
            for item in self.manifest(base).get("files", []):
                blob = self.uploads / item["blob"] if item.get("stored") else None
                if blob is None or not blob.is_file():
                    continue
                entry = FileEntry(item["name"], item["sha256"], item["size"], ORIGIN_ACTIVE)
                shutil.copyfile(blob, folder / entry.name)
                by_name[entry.name] = entry
        if len(uploads) > MAX_FILES:
            notes.append(f"Hanya {MAX_FILES} berkas pertama yang dibaca dari {len(uploads)} yang diunggah.")
        seen_hashes = {e.sha256 for e in by_name.values()}
        new: list[FileEntry] = []
        for upload in uploads[:MAX_FILES]:
            digest = hashlib.sha256(upload.content).hexdigest()
            entry = FileEntry(safe_name(upload.name), digest, len(upload.content), ORIGIN_UPLOAD)
            if len(upload.content) > readers.MAX_FILE_BYTES:
                entry.note = (f"Terlalu besar ({readers._mb(entry.size)}; batas {readers._mb(readers.MAX_FILE_BYTES)}); "
                              "tidak dibaca.")
            elif digest in seen_hashes:
                entry.note = "Isi sama persis dengan berkas lain yang sudah ada; tidak dibaca dua kali."
            else:
                seen_hashes.add(digest)
                if entry.name in by_name:
                    replaced = by_name.pop(entry.name)
                    if replaced.origin == ORIGIN_ACTIVE:
                        notes.append(f"'{entry.name}' menggantikan berkas bernama sama di data aktif.")
                    else:
                        entry.name = _unique(entry.name, {*by_name, replaced.name})
                        by_name[replaced.name] = replaced
                (folder / entry.name).write_bytes(upload.content)
                by_name[entry.name] = entry
            new.append(entry)
        files = sorted(by_name.values(), key=lambda e: (e.origin != ORIGIN_UPLOAD, e.name)) + [e for e in new if not e.used]
        overrides = self.mappings()
        result = _ingest(folder, overrides, progress) if by_name else None
        if result is not None:
            totals = result.report["totals"]
            if not totals.get("balanced", True):
                notes.append("Perhitungan baris tidak seimbang pada salah satu lembar; periksa laporan.")
            if mode == MODE_REPLACE and result.producers.empty and row_count(result.sales):
                notes.append("Tidak ada data pelaku UMKM di unggahan ini: penjualan tidak dapat ditautkan ke "
                             "UMKM. Pilih 'Tambahkan ke data aktif' bila registri sudah ada di data aktif.")
        return Preview(preview_id, mode, base, files, result, staging, overrides, notes)

    def reread(self, preview: Preview, progress: Callable[[int, int, str], None] | None = None) -> Preview:
        """The same files read again with the mapping corrections as they are now (after a person
        corrected a column), without uploading them again."""
        folder = preview.staging / "berkas"
        if not folder.is_dir():
            raise ApplyRefused("Pratinjau ini sudah kedaluwarsa atau sudah diterapkan; unggah lagi.")
        overrides = self.mappings()
        result = _ingest(folder, overrides, progress) if any(folder.iterdir()) else None
        return replace(preview, result=result, overrides=overrides)

    def discard(self, preview: Preview) -> None:
        shutil.rmtree(preview.staging, ignore_errors=True)

    def _clean_staging(self) -> None:
        if not self.staging_dir.is_dir():
            return
        limit = time.time() - _STAGING_MAX_AGE
        for folder in self.staging_dir.iterdir():
            try:
                if folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue

    # ------------------------------------------------------------------ apply and roll back

    def apply(self, preview: Preview, *, user: str, include_failed: bool = False) -> str:
        """Make the preview the active data in one atomic step; returns the new version's id. Raises
        ApplyRefused (nothing changed) when it may not be applied."""
        problem = preview.refusal(include_failed=include_failed)
        if problem:
            raise ApplyRefused(problem)
        if preview.mode == MODE_ADD and self.active_id() != preview.base_version:
            raise ApplyRefused("Data aktif sudah berubah sejak pratinjau dibuat; buat pratinjau ulang.")
        folder = preview.staging / "berkas"
        if not folder.is_dir():
            raise ApplyRefused("Pratinjau ini sudah kedaluwarsa atau sudah diterapkan; unggah lagi.")
        failed = {e["path"] for e in preview.failed_files}
        version = f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{uuid.uuid4().hex[:6]}"
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        self.uploads.mkdir(parents=True, exist_ok=True)
        building = self.versions_dir / f".{version}.tmp"
        try:
            files = []
            for entry in preview.files:
                item = {"name": entry.name, "sha256": entry.sha256, "size": entry.size, "origin": entry.origin,
                        "note": entry.note, "stored": False}
                if entry.used and entry.name not in failed:
                    item["blob"] = self._store_blob(folder / entry.name, entry.sha256)
                    item["stored"] = True
                elif entry.name in failed:
                    item["note"] = "gagal dibaca; tidak termasuk versi ini"
                files.append(item)
            write_outputs(preview.result, building)
            for name in _EXTRA_TABLES:
                frame = getattr(preview.result, name)
                _text_columns(frame).to_parquet(building / f"{name}.parquet", index=False)
            manifest = {
                "id": version, "created": _now(), "created_ns": time.time_ns(), "user": user, "mode": preview.mode,
                "base_version": preview.base_version, "files": files, "mappings": preview.overrides,
                "totals": preview.result.report["totals"],
            }
            (building / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str),
                                             encoding="utf-8")
            os.replace(building, self.version_dir(version))
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        self._point_to(version, user=user, action="terapkan")
        self.discard(preview)
        return version

    def rollback(self, version: str, *, user: str) -> None:
        """Make an earlier version active again (only the pointer changes)."""
        if not (self.version_dir(version) / MANIFEST).is_file():
            raise ApplyRefused(f"Versi {version} tidak ditemukan.")
        try:
            self.load(version)
        except Exception as error:
            raise ApplyRefused(f"Versi {version} rusak dan tidak dapat diaktifkan: {error}") from error
        self._point_to(version, user=user, action="kembalikan")

    def _point_to(self, version: str, *, user: str, action: str) -> None:
        previous = self.active_id()
        atomic_write_text(self.pointer, version + "\n")
        with self.log_file.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"waktu": _now(), "pengguna": user, "aksi": action, "versi": version,
                                  "sebelumnya": previous}, ensure_ascii=False) + "\n")

    def _store_blob(self, source: Path, digest: str) -> str:
        """Copy an upload to uploads/<sha256><ext> unless that content is already stored."""
        name = f"{digest}{source.suffix.lower()}"
        target = self.uploads / name
        if not target.is_file():
            handle, temporary = tempfile.mkstemp(dir=self.uploads, prefix=".blob.", suffix=".tmp")
            os.close(handle)
            try:
                shutil.copyfile(source, temporary)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return name

    def blob_count(self) -> int:
        return sum(1 for p in self.uploads.iterdir() if not p.name.startswith(".")) if self.uploads.is_dir() else 0

    # ------------------------------------------------------------------ mapping corrections

    def mappings(self) -> dict[str, dict]:
        try:
            return json.loads(self.mappings_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_mapping(self, signature: str, *, kind: str | None, columns: dict[str, str], headers: list[str],
                     user: str) -> None:
        """Remember a person's correction for every sheet whose header row has this signature."""
        mappings = self.mappings()
        mappings[signature] = {"kind": kind, "columns": columns, "headers": headers, "user": user, "updated": _now()}
        atomic_write_text(self.mappings_file, json.dumps(mappings, ensure_ascii=False, indent=2))

    def forget_mapping(self, signature: str) -> None:
        mappings = self.mappings()
        if mappings.pop(signature, None) is not None:
            atomic_write_text(self.mappings_file, json.dumps(mappings, ensure_ascii=False, indent=2))


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    stem, suffix = (stem, f".{suffix}") if dot else (name, "")
    number = 2
    while f"{stem} ({number}){suffix}" in taken:
        number += 1
    return f"{stem} ({number}){suffix}"


def _producer_sources(folder: Path, producers: pd.DataFrame) -> pd.DataFrame:
    """The version's producer_sources.parquet; a version applied before that file existed has only each
    producer's first row (its own sumber_* columns), listed as the row kept, without the merged ones."""
    path = folder / f"{ProducerSources.name}.parquet"
    if path.is_file():
        return pd.read_parquet(path)
    first = producers[[c for c in ProducerSources.names() if c in producers.columns]]
    return ProducerSources.conform(first.assign(urutan=0, peran="utama"))


def _text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Review lists hold mixed cell values (numbers and text in one column): store them as text so
    Parquet accepts them."""
    return frame.assign(**{c: frame[c].map(lambda v: None if v is None or v != v else str(v))
                           for c in frame.columns if frame[c].dtype == object})
