"""``python -m analysis.report --data DIR --out deck.pptx [filters and plan parameters]``: the meeting deck
from an ingest output folder, offline."""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from analysis.core import formatting as fmt
from analysis.core.schemas import Producers
from analysis.insight import budget, metrics
from analysis.insight import filters as flt
from analysis.report import deck
from analysis.report.content import build_content


def read_tables(directory: Path) -> flt.Tables:
    from analysis.core.schemas import Participants, Sales, Trainings
    from analysis.ingest.outputs import read_tables as read_folder

    raw = read_folder(directory)
    return flt.Tables(raw[Producers.name], raw[Sales.name], raw[Trainings.name], raw[Participants.name])


def boundary_frame():
    from analysis import boundaries
    from analysis.core import settings

    return boundaries.load_boundaries(Path(settings.get().boundary_file))


def main(argv: list[str] | None = None) -> int:
    from analysis import boundaries, impact

    parser = argparse.ArgumentParser(prog="python -m analysis.report",
                                     description="Buat bahan presentasi PowerPoint (.pptx) dari data hasil impor.")
    parser.add_argument("--data", required=True, type=Path, help="folder berisi tabel hasil analysis.ingest")
    parser.add_argument("--out", required=True, type=Path, help="berkas .pptx keluaran")
    for key, text in ((flt.Q_FROM, "bulan awal YYYY-MM"), (flt.Q_TO, "bulan akhir YYYY-MM"),
                      (flt.Q_KECAMATAN, "kecamatan, dipisah koma"), (flt.Q_KATEGORI, "kategori, dipisah koma"),
                      (flt.Q_SKALA, "skala usaha, dipisah koma")):
        parser.add_argument(f"--{key}", help=text)
    for key in budget.QUERY_KEYS:
        parser.add_argument(f"--{key}", help=f"parameter rencana anggaran, seperti di tautan halaman ({key}=...)")
    parser.add_argument("--boot", type=int, default=impact.DEFAULT_BOOT, help="ulangan bootstrap dampak pelatihan")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    if not args.data.is_dir():
        print(f"Folder data tidak ditemukan: {args.data}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    try:
        tables = read_tables(args.data)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    query = {k: v for k, v in vars(args).items() if v is not None}
    filters, notes = flt.from_query({k: query[k] for k in (flt.Q_FROM, flt.Q_TO, flt.Q_KECAMATAN, flt.Q_KATEGORI,
                                                          flt.Q_SKALA) if k in query}, metrics.months(tables.sales))
    params, more = budget.from_query({k: query[k] for k in budget.QUERY_KEYS if k in query},
                                     budget.default_costs(tables.trainings, tables.participants))
    for note in notes + more:
        print(f"Perhatian: {note}", file=sys.stderr)
    scoped = flt.apply(tables, replace(filters, start=None, end=None))
    try:
        results = impact.estimate_all(scoped.producers, scoped.sales, scoped.trainings, scoped.participants,
                                      n_boot=args.boot)
        shapes = boundary_frame()
    except (ValueError, boundaries.BoundaryFileError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    totals = {}
    report = args.data / "report.json"
    if report.is_file():
        import json

        totals = json.loads(report.read_text(encoding="utf-8")).get("totals", {})
    content = build_content(tables, filters, results, params, ingest_totals=totals, boundaries=shapes,
                            tiles=None if shapes is not None else boundaries.schematic_tiles())
    out = deck.write_deck(content, args.out)
    from pptx import Presentation

    n_slides = len(Presentation(str(out)).slides)
    print(f"Disimpan: {out} ({n_slides} slide, {fmt.number(time.perf_counter() - began, 1)} detik)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
