"""The one module of cached data accessors that feeds every page.

Ingesting spreadsheets takes seconds (a province: tens of seconds), so the result is cached twice, both
keyed on a hash of the data files' bytes (analysis.core.fingerprint): on disk by analysis/ingest/cache.py (a
restarted dashboard reads the stored tables instead of cleaning again) and in memory with
``st.cache_resource`` (reruns and page switches reuse the same tables). The sales are not held: the
shared result carries a zero-row stand-in (analysis.engine.without_rows), and the pages' sales figures
come from the version's ``sales.parquet`` through ``coded_sales()`` (integer arrays read from it, and the
DuckDB engine over it); an accessor that needs rows reads only those. Every caller gets shallow copies of
the shared frames, which pandas' copy-on-write turns into private frames the moment anything writes to
them, so a page cannot corrupt what other pages see. The folder's hash is memoised on the files' sizes and
modification times, so a rerun does not read every byte again.

A failed ingest must not take the dashboard down: the error is shown in Indonesian and the page
renders what it can. Once data is loaded, every kecamatan's training impact is estimated ahead in a
process of its own (analysis/impact/background.py) unless the background_impact setting is off.
"""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from analysis.core import fingerprint as fingerprint_memo
from analysis.core import formatting as fmt
from analysis.core import settings
from analysis.core.paths import DEMO_RAW_DIR, ROOT
from analysis.core.schemas import Sales
from analysis.engine import without_rows
from analysis.insight import filters as flt
from analysis.insight import metrics
from analysis.insight.coded import covers, mask_or_all, on_disk
from analysis.output.maps import MapShapes
from ui import filters

if TYPE_CHECKING:
    from analysis.boundaries import ImportResult
    from analysis.impact import ImpactResult
    from analysis.ingest import IngestResult
    from analysis.insight.coded import CodedSales
    from analysis.office.store import Preview, Store


@dataclass(frozen=True)
class DataSource:
    label: str  # shown in the sidebar
    directory: Path
    version: str | None = None  # the office data's version (analysis/office/store.py); None: the bundled demo

    def fingerprint(self) -> str:
        """The cache key of this source's tables: a version never changes, so its id is enough."""
        return f"{VERSION_KEY}{self.version}" if self.version else source_fingerprint(self.directory)


def active_source() -> DataSource:
    """The data this session shows: the office's active version (analysis/office/store.py) unless the session
    chose the bundled demo in the sidebar, or the demo when no office data was ever applied. Pages never
    need to know where their tables came from."""
    from analysis.office.store import Store

    if settings.get().data_dir is not None:  # a folder named by UMKM_DATA_DIR (the benchmark's data)
        return DataSource(label="Data dari UMKM_DATA_DIR", directory=Path(settings.get().data_dir))
    store = Store()
    version = store.active_id()
    chosen = st.session_state.get(KEY_SOURCE)
    older = _older_version(chosen)
    if older is not None and older != version and store.has_version(older):  # an earlier version, on purpose
        return DataSource(label=office_label(older) + ", bukan versi aktif", directory=store.version_dir(older),
                          version=older)
    if version is None or chosen == SOURCE_DEMO:
        return DataSource(label=DEMO_LABEL, directory=DEMO_RAW_DIR)
    return DataSource(label=office_label(version), directory=store.version_dir(version), version=version)


def _older_version(choice: object) -> str | None:
    """The version id of a source choice "versi:<id>" (a plan link's data), else None."""
    return choice.removeprefix(VERSION_KEY) if isinstance(choice, str) and choice.startswith(VERSION_KEY) else None


def data_tag() -> str:
    """A short name of the data shown, for a link to remember what it was made with: an office version's id,
    or "demo-" / "folder-" and the first characters of the files' hash."""
    source = active_source()
    if source.version:
        return source.version
    prefix = "folder" if settings.get().data_dir is not None else "demo"
    return f"{prefix}-{source.fingerprint()[:10]}"


def source_for_tag(tag: str) -> str | None:
    """The sidebar source choice that shows the data a link was made with, or None when that data is no
    longer on this computer (a removed version, a demo or folder whose files changed)."""
    from analysis.office.store import Store

    if tag.startswith(("demo-", "folder-")):
        if settings.get().data_dir is None and tag == f"demo-{source_fingerprint(DEMO_RAW_DIR)[:10]}":
            return SOURCE_DEMO
        return None
    store = Store()
    if not store.has_version(tag):
        return None
    return SOURCE_OFFICE if tag == store.active_id() else f"{VERSION_KEY}{tag}"


def describe_tag(tag: str) -> str:
    """A data tag as a person reads it."""
    if tag.startswith("demo-"):
        return DEMO_LABEL.lower()
    if tag.startswith("folder-"):
        return "data dari UMKM_DATA_DIR"
    return office_label(tag)


def choose_source(choice: str) -> None:
    """Show ``choice`` (a source_options key) in this session."""
    st.session_state[KEY_SOURCE] = choice


# One entry: a province's data version takes a large share of an office PC's memory; a previous one is
# reloaded from the on-disk cache when needed again.
@st.cache_resource(show_spinner="Membaca dan membersihkan data ...", max_entries=1)
def _ingest(directory: str, fingerprint: str) -> IngestResult:
    """Cached ingest, one shared object per data version: callers get it through ``_shielded``.
    ``fingerprint`` is unused in the body: it is the cache key that changes when the files do.
    Exceptions are not cached, so a fixed file is retried on the next rerun."""
    del fingerprint
    # Imported here, not at the top: a broken ingest module (or one of its imports) is then an ingest
    # failure that load_tables() reports, instead of an ImportError that takes down every page.
    from analysis.ingest.cache import cached_ingest

    return cached_ingest([Path(directory)], with_sales=False)


def _shielded(result: IngestResult) -> IngestResult:
    """The shared result with every frame as a shallow copy and the report as a deep copy: O(columns),
    not O(rows). Under copy-on-write a write into such a frame copies the touched data first, so the
    cached original never changes (tests/test_data_cache.py runs every page and checks)."""
    frames = {name: getattr(result, name).copy(deep=False) for name in result.FRAMES}
    return replace(result, report=copy.deepcopy(result.report), **frames)


_FINGERPRINTS = fingerprint_memo.KNOWN  # path -> (stat signature, content hash): cleared to act as a restart


def source_fingerprint(directory: Path) -> str:
    """The data folder's content fingerprint, memoised on the files' stat (``known_fingerprint``, shared
    with the ingest cache's key, so a load hashes the files once)."""
    return fingerprint_memo.known_fingerprint(Path(directory))


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
        return _shielded(_shared(str(source.directory), source.fingerprint()))
    except Exception as error:  # noqa: BLE001 - UI boundary: any failure becomes a message, not a crash
        if not quiet:
            st.error(f"Data belum dapat dimuat: {_describe(error)}", icon=":material/error:")
        return None


@st.cache_resource(show_spinner=False, max_entries=1)
def _periods(directory: str, fingerprint: str) -> tuple[tuple, tuple]:
    """Months of the sales and the data period, once per data version: the sidebar, the caption and
    the pages ask for them on every run, and each answer scans every sales row."""
    sales = _shared(directory, fingerprint).sales
    if covers(_coded_or_none(directory, fingerprint), sales):
        months = _coded(directory, fingerprint).months()
        return tuple(months), (months[0], months[-1]) if months else (None, None)
    return tuple(metrics.months(sales)), tuple(metrics.data_period(sales))


@st.cache_resource(show_spinner=False, max_entries=1)
def _coded(directory: str, fingerprint: str) -> CodedSales:
    """The sales as small arrays (analysis/insight/coded.py), once per data version: each array is built on the
    first page that needs it and then serves every rerun and session, so a filter change on Tren
    Kategori, Ringkasan or Peta becomes masks over them instead of copies of a million rows."""
    from analysis.insight.coded import CodedSales

    shared = _shared(directory, fingerprint)
    return CodedSales(shared.sales, shared.producers, shared.folder)  # the version's sales file when it has one


def coded_sales() -> CodedSales | None:
    """The active data's sales as ``analysis.insight.coded.CodedSales`` (None when the data could not be loaded);
    pass it with the tables of ``load_tables()`` to the analysis functions that take ``coded=``."""
    source = active_source()
    return _coded_or_none(str(source.directory), source.fingerprint())


def _coded_or_none(directory: str, fingerprint: str) -> CodedSales | None:
    try:
        return _coded(directory, fingerprint)
    except Exception:  # noqa: BLE001 - only a shortcut: the analysis then works from the tables
        return None


def _apply(tables: flt.Tables, chosen: flt.Filters, coded: CodedSales | None,
           sales_columns: list[str] | None = None) -> flt.Tables:
    """``flt.apply``, with the sales rows found (or read from the version's sales file, when the tables
    hold their sales on disk) by ``coded`` when it holds these tables' sales, and then only
    ``sales_columns`` of the sales when given."""
    if not covers(coded, tables.sales):
        return flt.apply(tables, chosen)
    return coded.apply(tables, chosen, None if sales_columns is None else list(sales_columns))


def _months() -> tuple:
    source = active_source()
    return _periods(str(source.directory), source.fingerprint())[0]


def _data_period() -> tuple:
    source = active_source()
    return _periods(str(source.directory), source.fingerprint())[1]


def source_caption() -> str:
    """Sidebar line naming the data source and the months it covers."""
    source = active_source()
    try:
        where = source.directory.relative_to(ROOT).as_posix()
    except ValueError:
        where = source.directory.as_posix()
    if not _ready(quiet=True):
        return f"Sumber: {source.label} ({where}) · data belum dapat dimuat"
    first, last = _data_period()
    return f"Sumber: {source.label} ({where}) · Periode data: {fmt.period_label(first, last)}"


def filtered_tables(sales_columns: list[str] | None = None) -> flt.Tables | None:
    """The active data restricted to the sidebar filters (None, after a message, when it could not be
    loaded). Every page gets its tables here, so every page follows the same filters.

    The sales rows are found through ``coded_sales()`` and read from the version's sales file;
    ``sales_columns``: only these columns of them (a page that sums two columns need not read all ten of
    a million rows)."""
    tables = load_tables()
    if tables is None:
        return None
    return _apply(tables, filters.current(), coded_sales(), sales_columns)


def category_summary() -> pd.DataFrame | None:
    """Registered UMKM and sales per kategori under the sidebar filters (analysis.insight.profile), None,
    after a message, when the data could not be loaded."""
    from analysis.insight import profile

    tables, coded, chosen = load_tables(), coded_sales(), filters.current()
    if tables is None:
        return None
    if not covers(coded, tables.sales):
        selected = flt.apply(tables, chosen)
        return profile.category_summary(selected.producers, selected.sales)
    producers = flt.take_rows(tables.producers, flt.select_producers(tables.producers, chosen))
    return profile.category_summary(producers, None, coded=coded, rows=coded.rows(tables.producers, chosen))


def available_months() -> list:
    """Months of the active data's sales, for the period filter (empty when nothing is loaded)."""
    return list(_months()) if _ready(quiet=True) else []


def ingest_totals() -> dict:
    """The ingest report's totals of the active data (rows read, kept, rejected, ...), unfiltered."""
    if not _ready(quiet=True):
        return {}
    source = active_source()
    return copy.deepcopy(_shared(str(source.directory), source.fingerprint()).report.get("totals", {}))


def data_until() -> Any:
    """The last month with sales in the active data (None when nothing is loaded): "Data sampai ..."."""
    return _data_period()[1] if _ready(quiet=True) else None


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


@st.cache_data(show_spinner=False, max_entries=4)
def _shipped_geojson(wilayah: str) -> dict | None:
    """The region's shipped (approximate) kecamatan polygons as GeoJSON, or None when none ship."""
    from analysis import boundaries

    frame = boundaries.shipped_kecamatan(wilayah)
    return None if frame is None else boundaries.boundaries_geojson(frame)


@st.cache_data(show_spinner=False, max_entries=8)
def desa_geojson(kode_kecamatan: str) -> dict | None:
    """The shipped desa/kelurahan polygons of one kecamatan as GeoJSON (feature id = desa name), or None
    when none ship for it (only Lampung Selatan's do)."""
    from analysis import boundaries

    frame = boundaries.shipped_desa(kode_kecamatan)
    if frame is None:
        return None
    properties = [{"desa": n, "kode_desa": k} for n, k in zip(frame["desa"], frame["kode_desa"])]
    return boundaries.feature_collection(frame.geometry.values, [str(n) for n in frame["desa"]], properties)


@st.cache_data(show_spinner=False, max_entries=4)
def kabupaten_geojson(wilayah: str) -> dict | None:
    """The kabupaten/kota polygons of a provinsi region as GeoJSON (feature id = name), or None."""
    from analysis import boundaries

    frame = boundaries.shipped_kabupaten(wilayah)
    if frame is None:
        return None
    return boundaries.feature_collection(frame.geometry.values, [str(n) for n in frame["nama"]],
                                        [{"kode": k, "nama": n} for k, n in zip(frame["kode"], frame["nama"])])


def map_shapes() -> MapShapes:
    """The polygons for every map: the imported boundaries when there are any, else the approximate ones
    shipped for the region, else the schematic tiles (``maps.indicator_figure`` draws those as a labelled
    grid, not as a map).

    ``settings.get().boundary_file`` is read at call time (not bound as a default) so tests can point it at a
    temporary file. A stored file that cannot be read is reported, not hidden, and the shipped polygons are shown."""
    path = Path(settings.get().boundary_file)
    problem = None
    if path.is_file():
        try:
            geojson = _boundary_geojson(str(path), hashlib.sha256(path.read_bytes()).hexdigest())
        except Exception as error:  # noqa: BLE001 - UI boundary: a broken file becomes a message
            geojson, problem = None, _describe(error)
        if geojson is not None:
            return MapShapes(geojson, official=True)
    try:
        shipped = _shipped_geojson(settings.get().wilayah)
    except Exception as error:  # noqa: BLE001 - UI boundary: the tiles are shown and the reason said
        shipped, problem = None, problem or _describe(error)
    if shipped is not None:
        return MapShapes(shipped, official=True, problem=problem, approximate=True)
    return MapShapes(_schematic_geojson(), official=False, problem=problem, tiles=_schematic_tiles())


def import_boundary_upload(content: bytes, filename: str) -> ImportResult:
    """Import an uploaded boundary file; when accepted, store it where the maps look and drop the cached
    boundaries so the next run draws them. A refused file leaves the stored one (and the map) as it was."""
    from analysis import boundaries

    result = boundaries.import_boundaries(content, filename)
    if result.ok:
        boundaries.save_boundaries(result, Path(settings.get().boundary_file))
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
    if not _ready():
        return None
    source, scope = active_source(), impact_scope()
    scoped = _impact_scoped(str(source.directory), source.fingerprint(), scope.kecamatan, scope.kategori, scope.skala)
    # Shallow copies: under copy-on-write a change to them never reaches the cached frames.
    return flt.Tables(scoped.producers.copy(deep=False), scoped.sales.copy(deep=False),
                      scoped.trainings.copy(deep=False), scoped.participants.copy(deep=False))


@st.cache_resource(show_spinner=False, max_entries=4)
def _impact_scoped(directory: str, fingerprint: str, kecamatan: tuple[str, ...], kategori: tuple[str, ...],
                   skala: tuple[str, ...]) -> flt.Tables:
    """The tables under the impact scope, once per data version and scope (what Dampak Pelatihan describes
    beside its estimate). When the version's sales stay on disk, so do the scope's: the sales are a stand-in."""
    scope = flt.Filters(kecamatan=kecamatan, kategori=kategori, skala=skala)
    tables, coded = _shielded(_shared(directory, fingerprint)), _coded_or_none(directory, fingerprint)
    if on_disk(coded, tables.sales):
        kept = flt.apply(flt.Tables(tables.producers, tables.sales.iloc[:0], tables.trainings, tables.participants), scope)
        rows = mask_or_all(coded, coded.rows(tables.producers, scope))
        return flt.Tables(kept.producers, without_rows(tables.sales, int(rows.sum())), kept.trainings, kept.participants)
    return _apply(tables, scope, coded, [Sales.umkm_id, Sales.bulan, Sales.nilai_rp])  # what the estimate reads


@st.cache_data(show_spinner="Menghitung dampak pelatihan ...", max_entries=16)
def _impact(directory: str, fingerprint: str, kecamatan: tuple[str, ...], kategori: tuple[str, ...],
            skala: tuple[str, ...], n_boot: int, seed: int) -> list[ImpactResult]:
    """Cached estimate. The data fingerprint and the three producer filters are the key, so changing the
    period filter or switching pages reuses it; on disk too (analysis.impact.stored_estimate), so a scope
    estimated once is instant after a restart."""
    from analysis import impact

    def compute() -> list[ImpactResult]:
        tables, coded = _shielded(_shared(directory, fingerprint)), _coded_or_none(directory, fingerprint)
        return impact.estimate_scope(tables, flt.Filters(kecamatan=kecamatan, kategori=kategori, skala=skala),
                                     coded=coded if on_disk(coded, tables.sales) else None, seed=seed, n_boot=n_boot)

    scope = {"kecamatan": kecamatan, "kategori": kategori, "skala": skala}
    return impact.stored_estimate(fingerprint, scope, n_boot, seed, compute)


def impact_results(n_boot: int, seed: int) -> list[ImpactResult] | None:
    """Impact estimate per training type for the active data under ``impact_scope()`` (None, after a
    message, when the data could not be loaded or the estimate failed)."""
    if not _ready():
        return None
    source, scope = active_source(), impact_scope()
    try:
        return _impact(str(source.directory), source.fingerprint(), scope.kecamatan, scope.kategori,
                       scope.skala, n_boot, seed)
    except Exception as error:  # noqa: BLE001 - UI boundary: a failed estimate becomes a message
        st.error(f"Dampak pelatihan belum dapat dihitung: {_describe(error)}", icon=":material/error:")
        return None


# --------------------------------------------------------------------------------------------------
# Prioritas Anggaran, presentation mode and the PowerPoint deck


# Every rerun of these pages (a filter or a weight moved) asks for the same pieces again: each is cached
# per data version and filter state, the pieces that do not follow the period (the producers' reach, the
# candidates) per producer filters and data end, so a period change recomputes only what the period changes,
# and a weight change only the allocation. Shared objects: callers get shallow copies (see _shielded).


def _state_key(chosen: flt.Filters) -> str:
    """The cache key of a filter state: the dataclass's repr names every field's value."""
    return repr(chosen)


def _reach_key(chosen: flt.Filters) -> str:
    """budget.reach follows the producer filters and the end of the period only."""
    return repr((chosen.kecamatan, chosen.kategori, chosen.skala, chosen.end))


def _ready(*, quiet: bool = False) -> bool:
    """Whether ``load_tables()`` would return tables (with its message when not, unless ``quiet``), without
    the shielded copy: the accessors below read the shared tables inside their cached functions only."""
    source = active_source()
    try:
        _shared(str(source.directory), source.fingerprint())
        return True
    except Exception as error:  # noqa: BLE001 - UI boundary, as in load_tables
        if not quiet:
            st.error(f"Data belum dapat dimuat: {_describe(error)}", icon=":material/error:")
        return False


@st.cache_data(show_spinner=False, max_entries=4)
def _default_costs(directory: str, fingerprint: str) -> dict[str, float]:
    from analysis.insight import budget

    tables = _shared(directory, fingerprint)
    return budget.default_costs(tables.trainings, tables.participants)


def budget_default_costs() -> dict[str, float]:
    """Cost per participant per training type from past events of the active data (empty when not loaded)."""
    if not _ready(quiet=True):
        return {}
    source = active_source()
    return _default_costs(str(source.directory), source.fingerprint())


@st.cache_resource(show_spinner=False, max_entries=8)
def _per_kecamatan(directory: str, fingerprint: str, key: str, _chosen: flt.Filters) -> pd.DataFrame:
    """indicators.compute(by_kecamatan=True) for one filter state (``key`` names ``_chosen``)."""
    from analysis.insight import indicators as ind

    return ind.compute(_shielded(_shared(directory, fingerprint)), _chosen, by_kecamatan=True,
                       coded=_coded(directory, fingerprint))


@st.cache_resource(show_spinner=False, max_entries=8)
def _criteria(directory: str, fingerprint: str, key: str, _chosen: flt.Filters) -> pd.DataFrame:
    from analysis.insight import budget

    per = _per_kecamatan(directory, fingerprint, key, _chosen).copy(deep=False)
    producers = _reach(directory, fingerprint, _reach_key(_chosen), _chosen).producers.copy(deep=False)
    return budget.criteria(None, _chosen, per_kecamatan=per, producers=producers)


@st.cache_resource(show_spinner=False, max_entries=4)
def _reach(directory: str, fingerprint: str, key: str, _chosen: flt.Filters) -> Any:
    """budget.reach for the producer filters and data end named by ``key``."""
    from analysis.insight import budget

    return budget.reach(_shielded(_shared(directory, fingerprint)), _chosen, coded=_coded_or_none(directory, fingerprint))


@st.cache_resource(show_spinner=False, max_entries=4)
def _capacity(directory: str, fingerprint: str, key: str, _chosen: flt.Filters) -> pd.DataFrame:
    """budget.capacity for the producer filters and data end named by ``key``."""
    from analysis.insight import budget

    return budget.capacity(None, _chosen, reached=_reach(directory, fingerprint, key, _chosen))


def _reach_of(source: DataSource, chosen: flt.Filters) -> Any:
    from analysis.insight import budget

    reached = _reach(str(source.directory), source.fingerprint(), _reach_key(chosen), chosen)
    return budget.Reach(reached.producers.copy(deep=False), reached.ids.copy(deep=False),
                        reached.active.copy(deep=False), reached.sales_per_year.copy(deep=False),
                        {jenis: flags.copy(deep=False) for jenis, flags in reached.untrained.items()})


@st.cache_resource(show_spinner=False, max_entries=16)
def _plan(directory: str, fingerprint: str, key: str, params_key: str, _chosen: flt.Filters, _params: Any,
          _results: list[ImpactResult]) -> Any:
    """The plan for one filter state and one set of parameters (``params_key`` names ``_params``); the
    impact estimate follows from the filters (its scope) and the data."""
    from analysis.insight import budget

    values = _criteria(directory, fingerprint, key, _chosen).copy(deep=False)
    room = _capacity(directory, fingerprint, _reach_key(_chosen), _chosen).copy(deep=False)
    return budget.make_plan(_shielded(_shared(directory, fingerprint)), _chosen, _params, _results, values=values,
                            room=room)


def plan_impact() -> list[ImpactResult] | None:
    """The impact estimates the budget plan uses: the Dampak Pelatihan page's (same scope, same cache)."""
    from analysis import impact

    return impact_results(impact.DEFAULT_BOOT, impact.DEFAULT_SEED)


def budget_plan(params) -> Any:
    """The budget plan (analysis.insight.budget.Plan) for the sidebar filters and ``params``; None, after a message,
    when the data or the impact estimate could not be loaded. Cached per data, filters and parameters."""
    results = plan_impact()  # None after a message when the data or the estimate failed
    if results is None:
        return None
    source, chosen = active_source(), filters.current()
    plan = _plan(str(source.directory), source.fingerprint(), _state_key(chosen), repr(params), chosen, params,
                 results)
    return replace(plan, ranking=plan.ranking.copy(deep=False), seats=plan.seats.copy(deep=False),
                   room=plan.room.copy(deep=False), sales=plan.sales.copy(deep=False))


@st.cache_resource(show_spinner=False, max_entries=4)
def _candidate_pool(directory: str, fingerprint: str, key: str, show_personal: bool,
                    _chosen: flt.Filters) -> pd.DataFrame:
    """budget.candidate_pool for the reach named by ``key``: the plan's ranking and seats only pick from it."""
    from analysis.insight import budget

    return budget.candidate_pool(_reach(directory, fingerprint, key, _chosen), show_personal=show_personal)


def budget_candidates(plan, *, show_personal: bool, display: bool = False) -> pd.DataFrame:
    """budget.invitations for the sidebar filters and ``plan`` (its seats, ranking), or with ``display`` its
    page text (budget.candidates_display); the pool is cached per producer filters and data end."""
    from analysis.insight import budget

    source, chosen = active_source(), filters.current()
    pool = _candidate_pool(str(source.directory), source.fingerprint(), _reach_key(chosen), show_personal, chosen)
    table = budget.invitations(pool.copy(deep=False), plan)
    return budget.candidates_display(table) if display else table


def deck_per_kecamatan() -> pd.DataFrame | None:
    """The indicators per kecamatan under the sidebar filters (the map of the deck and presentation)."""
    if not _ready():
        return None
    source, chosen = active_source(), filters.current()
    return _per_kecamatan(str(source.directory), source.fingerprint(), _state_key(chosen), chosen).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=8)
def _deck_indicators(directory: str, fingerprint: str, key: str, _chosen: flt.Filters) -> pd.DataFrame:
    from analysis import report

    return report.indicator_rows(_shielded(_shared(directory, fingerprint)), _chosen,
                                 list(_periods(directory, fingerprint)[0]), coded=_coded(directory, fingerprint))


def deck_indicators() -> pd.DataFrame | None:
    """The summary slide's table (report.indicator_rows) under the sidebar filters."""
    if not _ready():
        return None
    source, chosen = active_source(), filters.current()
    return _deck_indicators(str(source.directory), source.fingerprint(), _state_key(chosen), chosen).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=8)
def _deck_trend(directory: str, fingerprint: str, key: str, _chosen: flt.Filters) -> pd.DataFrame:
    from analysis import report

    return report.trend_data(_shielded(_shared(directory, fingerprint)), _chosen, _coded_or_none(directory, fingerprint))


def deck_trend() -> pd.DataFrame | None:
    """The trend slide's data (report.trend_data) under the sidebar filters."""
    if not _ready():
        return None
    source, chosen = active_source(), filters.current()
    return _deck_trend(str(source.directory), source.fingerprint(), _state_key(chosen), chosen).copy(deep=False)


def deck_notes(plan) -> list[str] | None:
    """The notes slide's lines for the sidebar filters and ``plan``."""
    from analysis import report
    from analysis.insight import trends

    trend = deck_trend()
    if trend is None:
        return None
    first, last = _data_period()
    frame, _ = _deck_shapes()
    return report.data_notes(filters.current(), last, first, ingest_totals(), frame is not None, plan,
                             trends.incomplete_note(trend),
                             approximate_map=frame is not None and bool(frame.attrs.get(report.APPROXIMATE_ATTR)))


def _deck_shapes() -> tuple[Any, pd.DataFrame | None]:
    """Imported boundaries (else the region's shipped ones) as a GeoDataFrame for the map picture, else None
    and the schematic tiles."""
    from analysis import boundaries

    try:
        frame = boundaries.load_boundaries(Path(settings.get().boundary_file))
    except Exception:  # noqa: BLE001 - a broken stored file: the picture falls back to the shipped polygons
        frame = None
    if frame is None:
        try:
            frame = boundaries.shipped_kecamatan(settings.get().wilayah)
        except Exception:  # noqa: BLE001 - no shipped polygons: the labelled tiles
            frame = None
    return frame, None if frame is not None else _schematic_tiles()


def _content_builder(params) -> Any:
    """A function that gathers the deck's and the PDF's content (report.build_content) for the current
    filters, ``params`` and targets when it is called. It captures plain values only; the content is
    cached per data version, filters, parameters and targets, so the PowerPoint and the PDF built from the
    same state (and every session asking for it) share one computation."""
    source = active_source()
    chosen, scope, totals, loaded = filters.current(), impact_scope(), ingest_totals(), targets()
    boundary = Path(settings.get().boundary_file)
    boundary_key = f"{boundary}:{boundary.stat().st_mtime_ns}" if boundary.is_file() else ""
    targets_key = loaded.label + "\n" + repr(loaded.table.to_dict("list"))

    def build() -> Any:
        return _deck_content(str(source.directory), source.fingerprint(), _state_key(chosen), repr(params),
                             targets_key, boundary_key, repr(scope), chosen, params, loaded, totals)

    return build


@st.cache_resource(show_spinner=False, max_entries=4)
def _deck_content(directory: str, fingerprint: str, key: str, params_key: str, targets_key: str, boundary_key: str,
                  scope_key: str, _chosen: flt.Filters, _params: Any, _loaded: Any, _totals: dict) -> Any:
    """report.build_content for one state (the keys name the underscored arguments). The writers only read
    it, so one shared object serves every download of that state."""
    from analysis import impact, report

    scope = replace(_chosen, start=None, end=None)
    results = _impact(directory, fingerprint, scope.kecamatan, scope.kategori, scope.skala, impact.DEFAULT_BOOT,
                      impact.DEFAULT_SEED)
    frame, tiles = _deck_shapes()
    realised = _realisation(directory, fingerprint, key, _totals.get("kriteria_skala"), _chosen)
    return report.build_content(_shielded(_shared(directory, fingerprint)), _chosen, results, _params,
                                ingest_totals=_totals, boundaries=frame, tiles=tiles, targets=_loaded.table,
                                targets_label=_loaded.label, realised=realised.copy(deep=False),
                                coded=_coded(directory, fingerprint))


def deck_builder(params) -> Any:
    """A function that builds the .pptx for the current filters and ``params`` when it is called: the
    download button calls it on click (in another thread), so no page pays for the deck on every rerun.
    The impact estimate comes from the same cache as the pages."""
    from analysis import report

    content = _content_builder(params)
    return lambda: report.deck_bytes(content())


def pdf_builder(params) -> Any:
    """The same for the PDF laporan (report.pdf_bytes): built on click from the same content as the deck."""
    from analysis import report

    content = _content_builder(params)
    return lambda: report.pdf_bytes(content())


# --------------------------------------------------------------------------------------------------
# Target & Realisasi


def data_kriteria() -> str | None:
    """The size criterion the active data was ingested with (UU 20/2008 or PP 7/2021), None when unknown."""
    return ingest_totals().get("kriteria_skala")


@st.cache_resource(show_spinner="Menghitung realisasi per tahun ...", max_entries=8)
def _realisation(directory: str, fingerprint: str, key: str, kriteria: str | None, _chosen: flt.Filters) -> pd.DataFrame:
    """yearly.realisation for one filter state (``key`` names ``_chosen``)."""
    from analysis.insight import yearly

    return yearly.realisation(_shielded(_shared(directory, fingerprint)), _chosen, kriteria=kriteria,
                              coded=_coded(directory, fingerprint))


def realisation() -> pd.DataFrame | None:
    """Realisasi of every indicator per year under the sidebar filters (None, after a message, when the data
    could not be loaded)."""
    if not _ready():
        return None
    source, chosen = active_source(), filters.current()
    return _realisation(str(source.directory), source.fingerprint(), _state_key(chosen), data_kriteria(),
                        chosen).copy(deep=False)


def targets() -> Any:
    """The targets in force (analysis.office.targets.Loaded): the office's file, else the demo's example.
    Read on every call: a small file, and a saved change must show at once."""
    from analysis.office import targets as office_targets

    return office_targets.load()


def save_targets(frame: pd.DataFrame) -> pd.DataFrame:
    """Save the editor's table as the office's targets. Only roles that may edit targets reach this;
    ``analysis.insight.targets.TargetError`` names every problem and leaves the saved table as it was."""
    from analysis.office import targets as office_targets
    from ui import auth

    if not auth.permissions().edit_targets:
        raise PermissionError("Hanya perencana dan admin data yang dapat mengubah target.")
    return office_targets.save(frame)


def budget_workbook(plan, link: str, *, show_personal: bool = False, records: bool = True) -> Any:
    """A function that writes the plan's Excel file when the download button is clicked (about 0.25 s
    that a rerun of the page would otherwise pay every time a weight moves). Without ``records`` (the
    public view) the list of candidate producers is left out."""
    from analysis.core import excel
    from analysis.insight import budget

    source, chosen, until = active_source(), filters.current(), data_until()
    reached = _reach_of(source, chosen) if _ready(quiet=True) else None

    def build() -> bytes:
        tables = None if reached is None else _shielded(_shared(str(source.directory), source.fingerprint()))
        sheets = budget.export_sheets(plan, tables, chosen, until, link, show_personal=show_personal,
                                      reached=reached)
        if not records:
            sheets = {name: frame for name, frame in sheets.items() if name != budget.SHEET_CANDIDATES}
        return excel.workbook_bytes(sheets, budget.EXPORT_FORMATS)

    return build


# --------------------------------------------------------------------------------------------------
# Direktori UMKM and the producer profile


@st.cache_resource(show_spinner="Menyiapkan direktori UMKM ...", max_entries=1)
def _directory_index(directory: str, fingerprint: str) -> Any:
    """The directory's index of one data version (analysis.insight.directory.DirectoryIndex): the folded
    search text, coded legality and training columns, built once and shared by every session and query."""
    from analysis.insight import directory as dirx

    shared = _shared(directory, fingerprint)
    return dirx.DirectoryIndex(shared.producers, shared.sales, shared.trainings, shared.participants,
                               coded=_coded(directory, fingerprint), sources=shared.producer_sources,
                               near_duplicates=shared.near_duplicates).prepare()


def directory_index() -> Any:
    """The active data's directory index (None, after a message, when the data could not be loaded)."""
    if not _ready():
        return None
    source = active_source()
    return _directory_index(str(source.directory), source.fingerprint())


@st.cache_resource(show_spinner=False, max_entries=16)
def _directory_selection(directory: str, fingerprint: str, key: str, _query: Any, _chosen: flt.Filters) -> Any:
    """directory.select for one query and filter state (``key`` names both): filtered and sorted once, so
    paging through the result and rerunning the page reuse it."""
    from analysis.insight import directory as dirx

    return dirx.select(_directory_index(directory, fingerprint), _query, _chosen)


def directory_selection(query) -> Any:
    """The producers matching ``query`` (analysis.insight.directory.Query) under the sidebar filters, sorted
    (a directory.Selection; None when the data could not be loaded)."""
    if not _ready():
        return None
    source, chosen = active_source(), filters.current()
    return _directory_selection(str(source.directory), source.fingerprint(), repr((query, chosen)), query, chosen)


def directory_rows(selection, page: int) -> pd.DataFrame:
    """The rows of page ``page`` of ``selection`` as this session may see them (NIK and phone masked
    unless admin data), unformatted (directory.display_table formats them)."""
    from analysis.insight import directory as dirx

    index = directory_index()
    return masked(dirx.rows(index, selection, selection.page(page)))


def directory_workbook(selection, link: str) -> Any:
    """A function that writes the Excel of the whole result when the download button is clicked (at province
    size tens of thousands of rows: only on a click), masked for this session's role."""
    from analysis.core import excel
    from analysis.insight import directory as dirx
    from ui import auth

    index, until, show_personal = directory_index(), data_until(), auth.show_personal()

    def build() -> bytes:
        return excel.workbook_bytes(dirx.export_sheets(index, selection, until, link, show_personal=show_personal),
                                    dirx.EXPORT_FORMATS)

    return build


@st.cache_resource(show_spinner=False, max_entries=32)
def _producer_profile(directory: str, fingerprint: str, umkm_id: str, key: str, show_personal: bool,
                      _chosen: flt.Filters) -> Any:
    from analysis.insight import producer

    return producer.profile(_directory_index(directory, fingerprint), umkm_id, _chosen, show_personal=show_personal)


def producer_profile(umkm_id: str) -> Any:
    """The profile of one producer (analysis.insight.producer.ProducerProfile) under the sidebar period, with
    NIK and phone as this session may see them; None when the data has no such producer or is not loaded."""
    from ui import auth

    if not _ready():
        return None
    source, chosen = active_source(), filters.current()
    key = repr((chosen.start, chosen.end))
    return _producer_profile(str(source.directory), source.fingerprint(), str(umkm_id), key, auth.show_personal(),
                             replace(chosen, kecamatan=(), kategori=(), skala=()))


# --------------------------------------------------------------------------------------------------
# Data source (bundled demo or the office's own data) and Kelola Data (uploads, versions, rollback)

KEY_SOURCE = filters.KEY_SOURCE
SOURCE_DEMO, SOURCE_OFFICE = "demo", "kantor"
DEMO_LABEL = "Data demo bawaan"
VERSION_KEY = "versi:"  # prefix of a version's cache key, so it can never equal a folder's content hash


def office_label(version: str) -> str:
    """'Data kantor (versi 28 Nov 2026 10.15 WIB)' from a version id '20261128T031500Z-ab12cd'."""
    from analysis.office import review

    label = review.version_label(version)
    return f"Data kantor (versi {label})" if label != version else f"Data kantor (versi {version})"


def source_options() -> dict[str, str]:
    """{choice: label} for the sidebar's data-source select: the office data first when there is an
    applied version, then the demo."""
    from analysis.office.store import Store

    store = Store()
    version = store.active_id()
    options = {SOURCE_OFFICE: office_label(version)} if version else {}
    older = _older_version(st.session_state.get(KEY_SOURCE))
    if older is not None and older != version and store.has_version(older):
        options[f"{VERSION_KEY}{older}"] = office_label(older) + ", bukan versi aktif"
    return {**options, SOURCE_DEMO: DEMO_LABEL}


@st.cache_resource(show_spinner="Memuat versi data ...", max_entries=2)  # the active one and one opened by a link
def _version_tables(directory: str, version: str) -> IngestResult:
    """A version's tables read from its Parquet files (about 0.15 s; no new ingest), one shared object
    like ``_ingest`` (callers get it through ``_shielded``). A version never changes after it is
    written, so its id is the whole cache key."""
    from analysis.office.store import Store

    del directory
    return Store().load(version, with_sales=False)


def _shared(directory: str, fingerprint: str) -> IngestResult:
    """The shared (cached, never to be modified) tables behind a DataSource's (directory, fingerprint):
    a stored version, or the ingest of a folder of spreadsheets (the demo)."""
    if fingerprint.startswith(VERSION_KEY):
        result = _version_tables(directory, fingerprint.removeprefix(VERSION_KEY))
    else:
        result = _ingest(directory, fingerprint)
    if settings.get().background_impact:
        from analysis.impact import background

        background.start(fingerprint, result, settings.get().cache_dir)
    return result


def store() -> Store:
    from analysis.office.store import Store

    return Store()


def masked(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as this session may see it: NIK and phone numbers masked unless the role is admin data.
    Every page and export that shows producers' records passes them through here."""
    from analysis.core import privacy
    from ui import auth

    return privacy.mask_frame(frame, show_personal=auth.show_personal())


def _progress_bar(first_text: str, reading: str, joining: str) -> tuple[Any, Any]:
    """A progress bar and the ``progress(done, total, name)`` callback an ingest reports to."""
    bar = st.progress(0.0, text=first_text)

    def progress(done: int, total: int, name: str) -> None:
        text = f"{reading} {name} ({done + 1} dari {total})" if name else joining
        bar.progress(min(done / max(total, 1), 1.0), text=text)

    return bar, progress


def preview_uploads(files: list, mode: str) -> Preview:
    """Read uploaded files (st.file_uploader's UploadedFile objects) into a preview, with a progress bar
    while they are read. Nothing active changes here."""
    from analysis.office.store import Upload

    bar, progress = _progress_bar("Membaca berkas ...", "Membaca", "Menggabungkan dan menautkan data ...")
    try:
        return store().preview([Upload(f.name, f.getvalue()) for f in files], mode=mode, progress=progress)
    finally:
        bar.empty()


def reread_preview(preview: Preview) -> Preview:
    """The preview's files read again after a mapping correction, with the same progress bar."""
    bar, progress = _progress_bar("Membaca ulang ...", "Membaca ulang", "Menggabungkan dan menautkan data ...")
    try:
        return store().reread(preview, progress=progress)
    finally:
        bar.empty()


def active_summary() -> Any:
    """What the data shown now holds (review.DataSummary), for the preview's before/after comparison."""
    from analysis.office import review

    source = active_source()
    tables = load_tables(quiet=True)
    return review.DataSummary.of(source.label, tables, None if tables is None else available_months())


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
    """A stored version's tables and report (the active one from the cache; another read from disk)."""
    from analysis.office.store import Store

    if version == Store().active_id():
        return _shielded(_version_tables(str(store().version_dir(version)), version))
    return Store().load(version, with_sales=False)


def version_rejected(version: str) -> bytes:
    """rejected.xlsx of a stored version, masked for this session like every export."""
    from analysis.office import review
    from ui import auth

    return review.rejected_workbook(version_report(version), show_personal=auth.show_personal())
