"""``python -m analysis.report --data DIR --out deck.pptx|laporan.pdf [filters and plan parameters]``: the
meeting deck (.pptx) or the PDF laporan (.pdf, chosen by the suffix of --out) from an ingest output folder,
offline. Both carry the indicators against their targets: the file named by --target, else the office's
targets (analysis/office/targets.py), else the demo's example."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from analysis.core import formatting as fmt
from analysis.core import wilayah
from analysis.core.schemas import Producers
from analysis.core.settings import SettingsError
from analysis.insight import budget, metrics
from analysis.insight import filters as flt
from analysis.report import deck
from analysis.report.content import build_content


def read_tables(directory: Path) -> flt.Tables:
    from analysis.core.schemas import Participants, Sales, Trainings
    from analysis.ingest.outputs import read_tables as read_folder

    raw = read_folder(directory)
    return flt.Tables(raw[Producers.name], raw[Sales.name], raw[Trainings.name], raw[Participants.name])


TABLE_FILES = ("producers.parquet", "sales.parquet", "trainings.parquet", "participants.parquet")
SUFFIXES = (".pptx", ".pdf")


def tables_fingerprint(directory: Path) -> str:
    """A content fingerprint of the four tables of an ingest output folder (not of the folder: a report
    written into it must not change the key), for the store of impact estimates: the same data is
    estimated once, however many reports are made from it."""
    import hashlib

    from analysis.core.fingerprint import data_fingerprint

    digest = hashlib.blake2b(digest_size=16)
    for name in TABLE_FILES:
        path = directory / name
        digest.update(name.encode())
        digest.update(data_fingerprint(path).encode() if path.is_file() else b"-")
    return "laporan:" + digest.hexdigest()


def boundary_frame():
    from analysis import boundaries
    from analysis.core import settings

    imported = boundaries.load_boundaries(Path(settings.get().boundary_file))
    return imported if imported is not None else boundaries.shipped_kecamatan()


def main(argv: list[str] | None = None) -> int:
    from analysis import boundaries, impact
    from analysis.insight import targets as tgt
    from analysis.office import targets as office_targets

    parser = argparse.ArgumentParser(prog="python -m analysis.report",
                                     description="Buat bahan presentasi PowerPoint (.pptx) atau laporan PDF (.pdf) "
                                                 "dari data hasil impor.")
    parser.add_argument("--data", required=True, type=Path, help="folder berisi tabel hasil analysis.ingest")
    parser.add_argument("--out", required=True, type=Path,
                        help="berkas keluaran: .pptx (bahan rapat) atau .pdf (laporan A4)")
    parser.add_argument("--target", type=Path,
                        help="tabel target indikator (CSV); tanpa ini: target kantor, atau contoh data demo")
    for key, text in ((flt.Q_FROM, "bulan awal YYYY-MM"), (flt.Q_TO, "bulan akhir YYYY-MM"),
                      (flt.Q_KECAMATAN, "kecamatan, dipisah koma"), (flt.Q_KATEGORI, "kategori, dipisah koma"),
                      (flt.Q_SKALA, "skala usaha, dipisah koma")):
        parser.add_argument(f"--{key}", help=text)
    for key in budget.QUERY_KEYS:
        parser.add_argument(f"--{key}", help=f"parameter rencana anggaran, seperti di tautan halaman ({key}=...)")
    parser.add_argument("--boot", type=int, default=impact.DEFAULT_BOOT, help="ulangan bootstrap dampak pelatihan")
    wilayah.add_argument(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        wilayah.use_region(args.wilayah)
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not args.data.is_dir():
        print(f"Folder data tidak ditemukan: {args.data}", file=sys.stderr)
        return 2
    if args.out.suffix.lower() not in SUFFIXES:
        print(f"Berkas keluaran harus berakhiran .pptx atau .pdf, bukan '{args.out.name}'", file=sys.stderr)
        return 2
    if args.target is not None:
        if not args.target.is_file():
            print(f"Tabel target tidak ditemukan: {args.target}", file=sys.stderr)
            return 2
        parsed = tgt.parse(office_targets.read_csv(args.target))
        if not parsed.ok:
            print(str(tgt.TargetError(parsed.problems)), file=sys.stderr)
            return 2
        targets, targets_label = parsed.table, f"Target dari {args.target.name}"
    else:
        loaded = office_targets.load()
        for problem in loaded.problems:
            print(f"Perhatian: {problem}", file=sys.stderr)
        targets, targets_label = loaded.table, loaded.label
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
    def estimate() -> list:
        return impact.estimate_scope(tables, filters, n_boot=args.boot)

    scope = {"kecamatan": filters.kecamatan, "kategori": filters.kategori, "skala": filters.skala}
    try:
        results = impact.stored_estimate(tables_fingerprint(args.data), scope, args.boot, impact.DEFAULT_SEED,
                                         estimate)
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
                            tiles=None if shapes is not None else boundaries.schematic_tiles(), targets=targets,
                            targets_label=targets_label)
    if args.out.suffix.lower() == ".pdf":
        from analysis.report import pdf

        data = pdf.pdf_bytes(content)
        out = _write(args.out, data)
        what = f"{data.count(b'/Type /Page') - data.count(b'/Type /Pages')} halaman"
    else:
        out = _write(args.out, deck.deck_bytes(content))
        from pptx import Presentation

        what = f"{len(Presentation(str(out)).slides)} slide"
    print(f"Disimpan: {out} ({what}, {fmt.number(time.perf_counter() - began, 1)} detik)")
    return 0


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    sys.exit(main())
