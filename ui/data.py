"""The one module of cached data accessors that feeds every page.

Ingesting spreadsheets takes seconds, so the result is cached with ``st.cache_data`` keyed on a hash of
the data files' bytes (analysis.fingerprint): the cache survives reruns and page switches, and is
dropped as soon as any file changes. ``st.cache_data`` hands each caller an unpickled copy, so a page
that modifies a frame cannot corrupt what other pages see.

A failed ingest must not take the dashboard down: the error is shown in Indonesian and the page
renders what it can.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from analysis import config
from analysis import filters as flt
from analysis import formatting as fmt
from analysis import metrics
from analysis.config import DEMO_RAW_DIR, ROOT
from analysis.fingerprint import data_fingerprint
from analysis.maps import MapShapes
from ui import filters

if TYPE_CHECKING:
    from analysis.boundaries import ImportResult
    from analysis.impact import ImpactResult
    from analysis.ingest import IngestResult
    from analysis.store import Preview, Store


@dataclass(frozen=True)
class DataSource:
    label: str  # shown in the sidebar
    directory: Path
    version: str | None = None  # the office data's version (analysis/store.py); None: the bundled demo

    def fingerprint(self) -> str:
        """The cache key of this source's tables: a version never changes, so its id is enough."""
        return f"{VERSION_KEY}{self.version}" if self.version else data_fingerprint(self.directory)


def active_source() -> DataSource:
    """The data this session shows: the office's active version (analysis/store.py) unless the session
    chose the bundled demo in the sidebar, or the demo when no office data was ever applied. Pages never
    need to know where their tables came from."""
    from analysis.store import Store

    store = Store()
    version = store.active_id()
    if version is None or st.session_state.get(KEY_SOURCE) == SOURCE_DEMO:
        return DataSource(label=DEMO_LABEL, directory=DEMO_RAW_DIR)
    return DataSource(label=office_label(version), directory=store.version_dir(version), version=version)


@st.cache_data(show_spinner="Membaca dan membersihkan data ...", max_entries=4)
def _ingest(directory: str, fingerprint: str) -> IngestResult:
    """Cached ingest. ``fingerprint`` is unused in the body: it is the cache key that changes when the
    files do. Exceptions are not cached, so a fixed file is retried on the next rerun."""
    del fingerprint
    # Imported here, not at the top: a broken ingest module (or one of its imports) is then an ingest
    # failure that load_tables() reports, instead of an ImportError that takes down every page.
    from analysis.ingest import ingest_paths

    return ingest_paths([Path(directory)])


def _describe(error: Exception) -> str:
    text = str(error).strip()
    if isinstance(error, NotImplementedError) and not text:
        return "proses impor data belum tersedia di versi ini"
    return text or type(error).__name__


def load_tables(*, quiet: bool = False) -> IngestResult | None:
    """The ingest result of the active data, or None (after an st.error unless ``quiet``) when it could
    not be loaded."""
    source = active_source()
    try:
        return _tables_by_key(str(source.directory), source.fingerprint())
    except Exception as error:  # noqa: BLE001 - UI boundary: any failure becomes a message, not a crash
        if not quiet:
            st.error(f"Data belum dapat dimuat: {_describe(error)}", icon=":material/error:")
        return None


def source_caption() -> str:
    """Sidebar line naming the data source and the months it covers."""
    source = active_source()
    try:
        where = source.directory.relative_to(ROOT).as_posix()
    except ValueError:
        where = source.directory.as_posix()
    tables = load_tables(quiet=True)
    if tables is None:
        return f"Sumber: {source.label} ({where}) · data belum dapat dimuat"
    first, last = metrics.data_period(tables.sales)
    return f"Sumber: {source.label} ({where}) · Periode data: {fmt.period_label(first, last)}"


def filtered_tables() -> flt.Tables | None:
    """The active data restricted to the sidebar filters (None, after a message, when it could not be
    loaded). Every page gets its tables here, so every page follows the same filters."""
    tables = load_tables()
    if tables is None:
        return None
    return flt.apply(tables, filters.current())


def available_months() -> list:
    """Months of the active data's sales, for the period filter (empty when nothing is loaded)."""
    tables = load_tables(quiet=True)
    return [] if tables is None else metrics.months(tables.sales)


def ingest_totals() -> dict:
    """The ingest report's totals of the active data (rows read, kept, rejected, ...), unfiltered."""
    tables = load_tables(quiet=True)
    return {} if tables is None else tables.report.get("totals", {})


def data_until() -> Any:
    """The last month with sales in the active data (None when nothing is loaded): "Data sampai ..."."""
    tables = load_tables(quiet=True)
    return None if tables is None else metrics.data_period(tables.sales)[1]


# --------------------------------------------------------------------------------------------------
# Kecamatan boundaries for the maps


@st.cache_data(show_spinner=False, max_entries=4)
def _boundary_geojson(path: str, digest: str) -> dict | None:
    """Cached read of the stored boundaries. ``digest`` (a hash of the file's bytes) is the cache key
    that changes when a new file is imported; unused in the body."""
    del digest
    from analysis import boundaries  # lazy, like the ingest: a broken module must not take pages down

    frame = boundaries.load_boundaries(Path(path))
    return None if frame is None else boundaries.boundaries_geojson(frame)


@st.cache_data(show_spinner=False)
def _schematic_geojson() -> dict:
    from analysis import boundaries

    return boundaries.schematic_geojson()


@st.cache_data(show_spinner=False)
def _schematic_tiles() -> pd.DataFrame:
    from analysis import boundaries

    return boundaries.schematic_tiles()


def map_shapes() -> MapShapes:
    """The polygons for every map: the imported boundaries when there are any, else the schematic tiles
    (``maps.indicator_figure`` draws those as a labelled grid, not as a map).

    ``config.BOUNDARY_FILE`` is read at call time (not bound as a default) so tests can point it at a
    temporary file. A stored file that cannot be read is reported, not hidden, and the tiles are shown."""
    path = Path(config.BOUNDARY_FILE)
    problem = None
    if path.is_file():
        try:
            geojson = _boundary_geojson(str(path), hashlib.sha256(path.read_bytes()).hexdigest())
        except Exception as error:  # noqa: BLE001 - UI boundary: a broken file becomes a message
            geojson, problem = None, _describe(error)
        if geojson is not None:
            return MapShapes(geojson, official=True)
    return MapShapes(_schematic_geojson(), official=False, problem=problem, tiles=_schematic_tiles())


def import_boundary_upload(content: bytes, filename: str) -> ImportResult:
    """Import an uploaded boundary file; when accepted, store it where the maps look and drop the cached
    boundaries so the next run draws them. A refused file leaves the stored one (and the map) as it was."""
    from analysis import boundaries

    result = boundaries.import_boundaries(content, filename)
    if result.ok:
        boundaries.save_boundaries(result, Path(config.BOUNDARY_FILE))
        _boundary_geojson.clear()
    return result


# --------------------------------------------------------------------------------------------------
# Training impact (Dampak Pelatihan)


def impact_scope() -> flt.Filters:
    """The sidebar filters the impact estimate follows: kecamatan, kategori and skala, NOT the period.
    The estimate compares each participant's months before and after its training (up to 6 before, 12
    after), so cutting the months to a short period would drop the very comparison; a training held
    before the period would also lose its participants' follow-up."""
    return replace(filters.current(), start=None, end=None)


def impact_tables() -> flt.Tables | None:
    """The active data restricted to ``impact_scope()`` (None, after a message, when it could not be
    loaded): the tables the Dampak Pelatihan page describes, so its events and coverage match its estimates."""
    tables = load_tables()
    return None if tables is None else flt.apply(tables, impact_scope())


@st.cache_data(show_spinner="Menghitung dampak pelatihan ...", max_entries=16)
def _impact(directory: str, fingerprint: str, kecamatan: tuple[str, ...], kategori: tuple[str, ...],
            skala: tuple[str, ...], n_boot: int, seed: int) -> list[ImpactResult]:
    """Cached estimate (about 2 s for the demo data at 299 replicates). The data fingerprint and the three
    producer filters are the key, so changing the period filter or switching pages reuses it."""
    from analysis import impact

    scoped = flt.apply(_tables_by_key(directory, fingerprint), flt.Filters(kecamatan=kecamatan, kategori=kategori,
                                                                       skala=skala))
    return impact.estimate_all(scoped.producers, scoped.sales, scoped.trainings, scoped.participants,
                               seed=seed, n_boot=n_boot)


def impact_results(n_boot: int, seed: int) -> list[ImpactResult] | None:
    """Impact estimate per training type for the active data under ``impact_scope()`` (None, after a
    message, when the data could not be loaded or the estimate failed)."""
    if load_tables() is None:
        return None
    source, scope = active_source(), impact_scope()
    try:
        return _impact(str(source.directory), source.fingerprint(), scope.kecamatan, scope.kategori,
                       scope.skala, n_boot, seed)
    except Exception as error:  # noqa: BLE001 - UI boundary: a failed estimate becomes a message
        st.error(f"Dampak pelatihan belum dapat dihitung: {_describe(error)}", icon=":material/error:")
        return None


# --------------------------------------------------------------------------------------------------
# Data source (bundled demo or the office's own data) and Kelola Data (uploads, versions, rollback)

KEY_SOURCE = filters.KEY_SOURCE
SOURCE_DEMO, SOURCE_OFFICE = "demo", "kantor"
DEMO_LABEL = "Data demo bawaan"
VERSION_KEY = "versi:"  # prefix of a version's cache key, so it can never equal a folder's content hash


def office_label(version: str) -> str:
    """'Data kantor (28 Nov 2026 03.15 UTC)' from a version id '20261128T031500Z-ab12cd'."""
    stamp = version.split("-")[0]
    try:
        when = pd.Timestamp(stamp.rstrip("Z"))
        return f"Data kantor (versi {when.day} {fmt.month_label(when).split()[0][:3]} {when.year} {when:%H.%M} UTC)"
    except ValueError:
        return f"Data kantor (versi {version})"


def source_options() -> dict[str, str]:
    """{choice: label} for the sidebar's data-source select: the office data first when there is an
    applied version, then the demo."""
    from analysis.store import Store

    version = Store().active_id()
    options = {SOURCE_OFFICE: office_label(version)} if version else {}
    return {**options, SOURCE_DEMO: DEMO_LABEL}


@st.cache_data(show_spinner="Memuat versi data ...", max_entries=4)
def _version_tables(directory: str, version: str) -> IngestResult:
    """A version's tables read from its Parquet files (about 0.1 s; no new ingest). A version never
    changes after it is written, so its id is the whole cache key."""
    from analysis.store import Store

    del directory
    return Store().load(version)


def _tables_by_key(directory: str, fingerprint: str) -> IngestResult:
    """The tables behind a DataSource's (directory, fingerprint): a stored version, or the ingest of a
    folder of spreadsheets (the demo)."""
    if fingerprint.startswith(VERSION_KEY):
        return _version_tables(directory, fingerprint.removeprefix(VERSION_KEY))
    return _ingest(directory, fingerprint)


def store() -> Store:
    from analysis.store import Store

    return Store()


def masked(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as this session may see it: NIK and phone numbers masked unless the role is admin data.
    Every page and export that shows producers' records passes them through here."""
    from analysis import privacy
    from ui import auth

    return privacy.mask_frame(frame, show_personal=auth.show_personal())


def preview_uploads(files: list, mode: str) -> Preview:
    """Read uploaded files (st.file_uploader's UploadedFile objects) into a preview, with a progress bar
    while they are read. Nothing active changes here."""
    from analysis.store import Upload

    bar = st.progress(0.0, text="Membaca berkas ...")

    def progress(done: int, total: int, name: str) -> None:
        text = f"Membaca {name} ({done + 1} dari {total})" if name else "Menggabungkan dan menautkan data ..."
        bar.progress(min(done / max(total, 1), 1.0), text=text)

    try:
        return store().preview([Upload(f.name, f.getvalue()) for f in files], mode=mode, progress=progress)
    finally:
        bar.empty()


def reread_preview(preview: Preview) -> Preview:
    """The preview's files read again after a mapping correction (progress bar as for an upload)."""
    bar = st.progress(0.0, text="Membaca ulang ...")
    try:
        return store().reread(preview, progress=lambda done, total, name: bar.progress(
            min(done / max(total, 1), 1.0), text=f"Membaca ulang {name}" if name else "Menggabungkan data ..."))
    finally:
        bar.empty()


def apply_preview(preview: Preview, include_failed: bool) -> str:
    """Make the preview the active office data (one atomic step) and show it in this session."""
    from ui import auth

    version = store().apply(preview, user=auth.user_name(), include_failed=include_failed)
    st.session_state[KEY_SOURCE] = SOURCE_OFFICE
    return version


def rollback_to(version: str) -> None:
    from ui import auth

    store().rollback(version, user=auth.user_name())
    st.session_state[KEY_SOURCE] = SOURCE_OFFICE


def save_mapping(entry: dict, kind: str | None, columns: dict[str, str]) -> None:
    """Remember a correction for every sheet with this header row (this upload and later ones)."""
    from ui import auth

    previous = store().mappings().get(entry["signature"], {})
    merged = {**(previous.get("columns") or {}), **columns}
    store().save_mapping(entry["signature"], kind=kind, columns=merged, headers=entry.get("headers") or [],
                         user=auth.user_name())


def version_report(version: str) -> IngestResult:
    """A stored version's tables and report (cached like the active data: a version never changes)."""
    return _version_tables(str(store().version_dir(version)), version)


def version_rejected(version: str) -> bytes:
    """rejected.xlsx of a stored version, masked for this session like every export."""
    from analysis import review
    from ui import auth

    return review.rejected_workbook(version_report(version), show_personal=auth.show_personal())
