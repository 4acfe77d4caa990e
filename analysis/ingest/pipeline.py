"""``ingest_paths``: files in, the four clean tables and the report out (the stages in order)."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from analysis.core import places
from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.engine import SALES_FILE, without_rows, write_sales
from analysis.ingest import cleaning, merge, reading
from analysis.ingest import layout as lay
from analysis.ingest.linking import (
    ProducerIndex,
)
from analysis.ingest.readers import iter_files
from analysis.ingest.sheet import NO_DATA_ROWS, IngestResult, Sheet, SheetReport


def display_path(path: Path, roots: list[Path]) -> str:
    for root in roots:
        root = Path(root)
        base = root if root.is_dir() else root.parent
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def ingest_paths(paths: list[Path], kind: str | None = None, kriteria: str | None = None,
                 overrides: dict[str, dict] | None = None,
                 progress: Callable[[int, int, str], None] | None = None,
                 workers: int | None = None, sales_folder: Path | None = None) -> IngestResult:
    """Read every file under `paths` and build the four canonical tables and the report. ``overrides``
    are a person's column-mapping corrections per header signature (see layout.detect); ``progress`` is
    told (files done, files in all, name of a file being read) as the files are read and once more when
    all are read. ``workers``: readers that read and parse files side by side, this process and worker
    processes (default ``UMKM_INGEST_WORKERS`` or up to 2, and this process alone for small inputs); the
    result is the same for any number. ``sales_folder``: the sales are written there as the engine's file
    (``analysis.engine.write_sales``), a row group at a time, and the result holds a stand-in for them
    (``analysis.engine.without_rows``) with ``folder`` set: a province's sales never exist as a frame of
    text (a full disk there: the sales are kept as a frame instead)."""
    matcher = cleaning.KecamatanMatcher()
    roots = [Path(p) for p in paths]
    reports: list[SheetReport] = []
    sheets: list[Sheet] = []
    producer_frames, sales_frames, events, people_frames = [], [], [], []
    found = iter_files(roots)
    displays = [display_path(path, roots) for path, _ in found]
    pools: list[ProcessPoolExecutor] = []
    for sheet_reports, parsed in reading.read_files(found, displays, kind, overrides, progress, workers, matcher, pools):
        reports.extend(sheet_reports)
        for sheet, outcome in parsed:
            # Frames name their sheet by its position in ``sheets`` (an id() would not survive the trip
            # back from a worker process).
            position = len(sheets)
            sheets.append(sheet)
            if sheet.layout.kind == lay.KIND_PRODUCERS:
                outcome["_sheet"] = position
                producer_frames.append(outcome)
            elif sheet.layout.kind == lay.KIND_SALES:
                sales_frames.append(outcome)
            elif sheet.layout.kind == lay.KIND_TRAINING:
                event, people = outcome
                people["_sheet"] = position
                events.append(event)
                people_frames.append(people)
    if progress is not None:
        progress(len(found), len(found), "")
    by_id = dict(enumerate(sheets))

    try:
        producers, sources = merge.merged_producers(producer_frames, by_id)
        producers = places.with_desa(producers, matcher.wilayah)
    except BaseException:
        for pool in pools:
            pool.shutdown(wait=False)
        raise
    # The near-duplicate list is for a person to review and feeds nothing below: it is searched, one task
    # per kecamatan, while the sales and participants are linked, in a fresh worker process when files were read in one
    # (on a thread here, the search's Python parts and the linking's waited for each other's interpreter
    # lock: 0.9 s at province size), else on a thread (its fuzzy scoring runs outside the lock); the
    # tasks not started by the time the linking is done are scored here (merge.near_result).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-near") as side:
        near_search = merge.search_near(producers, pools, side)
        # The worker exits once the search is done, while the ingest goes on.
        reading.close_pools(pools)
        index = ProducerIndex(producers)  # one lookup for the sales and the participants
        sales = merge.linked_sales(sales_frames, producers, index)
        sales_frames.clear()  # the sheets' parts are in ``sales`` now: a province's parts are hundreds of MB
        if kriteria is None:
            kriteria = ref.default_criterion(merge.data_year(sales, events))
        producers = producers.assign(skala=cleaning.skala_from(producers["omzet_tahunan_rp"], producers["aset_rp"], kriteria))
        trainings, participants = merge.linked_trainings(events, people_frames, producers, index, matcher, by_id)
        del index, people_frames  # linked: the lookup and the lists are not needed below
        # Everything that does not need the near duplicates is done before waiting for them.
        for sheet in sheets:
            if sheet.layout.kind in lay.KINDS and sheet.report.rows_read == 0 and not sheet.report.message:
                sheet.report.message = NO_DATA_ROWS
            sheet.report.fixes = dict(sorted(sheet.fixes.items()))
            sheet.report.reasons = dict(sorted(sheet.reasons.items()))
            if sheet.layout.kind in lay.KINDS and sheet.report.rows_read:
                summary = merge.sheet_message(sheet.report, sheet.report.reasons)
                sheet.report.message = f"{sheet.report.message} {summary}".strip()
        rejected = pd.DataFrame([o for s in sheets for o in s.outcomes],
                                columns=["berkas", "lembar", "baris", "status", "alasan", "nilai_asli"])
        problems = pd.DataFrame([p for s in sheets for p in s.problems],
                                columns=["berkas", "lembar", "baris", "kolom", "nilai", "masalah"])
        tables = {
            # kode_desa (the recognised desa's Kemendagri code) travels after the contract's columns.
            "producers": Producers.validate(Producers.conform(producers[[*Producers.names(), places.KODE_DESA]])),
            "trainings": Trainings.validate(Trainings.conform(trainings[Trainings.names()])),
            "participants": Participants.validate(Participants.conform(participants[Participants.names()])),
        }
        tables["sales"], folder = _contract_sales(sales, tables["producers"], sales_folder)
        near = merge.near_result(near_search, producers)

    report = merge.build_report(reports, producers, sales, trainings, participants, kriteria, near)
    return IngestResult(
        **tables,
        rejected=rejected,
        report=report,
        cell_problems=problems,
        near_duplicates=near,
        producer_sources=sources,
        folder=folder,
    )


def _contract_sales(sales: pd.DataFrame, producers: pd.DataFrame, folder: Path | None) -> tuple[pd.DataFrame, Path | None]:
    """The linked sales as the contract's table, or written to ``folder`` (with a stand-in for them)."""
    if folder is not None:
        try:
            write_sales(sales, producers, folder)
            return without_rows(Sales.empty(), len(sales)), Path(folder)
        except OSError:
            (Path(folder) / SALES_FILE).unlink(missing_ok=True)
    return Sales.validate(Sales.conform(sales[Sales.names()])), None
