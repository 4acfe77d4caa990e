"""``python -m analysis.ingest --out DIR PATH [PATH ...] [--kind K] [--kriteria K] [--no-cache]``.

Exit status 0 when every file was read, 1 when some file could not be read (the others are still
ingested and written, and report.json says why), 2 for a usage error."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.core import reference as ref
from analysis.core import wilayah
from analysis.core.settings import SettingsError
from analysis.ingest import layout as lay
from analysis.ingest import outputs, pipeline
from analysis.ingest.cache import cached_ingest
from analysis.ingest.sheet import STATUS_ERROR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.ingest", description="Muat spreadsheet UMKM menjadi tabel bersih.")
    parser.add_argument("--out", required=True, type=Path, help="folder keluaran")
    parser.add_argument("--kind", choices=lay.KINDS, help="paksa jenis lembar (producers, sales, training)")
    parser.add_argument("--kriteria", choices=sorted(ref.size_criteria()), help="kriteria skala usaha")
    parser.add_argument("--no-cache", action="store_true",
                        help="baca ulang semua berkas walaupun isinya sama dengan impor sebelumnya")
    parser.add_argument("paths", nargs="+", type=Path, help="berkas atau folder")
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
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"Berkas/folder tidak ditemukan: {', '.join(missing)}", file=sys.stderr)
        return 2
    # The sales are written as they are linked (into the output folder, or the cache entry and copied
    # from there), never held as a frame.
    if args.no_cache:
        args.out.mkdir(parents=True, exist_ok=True)
        result = pipeline.ingest_paths(args.paths, kind=args.kind, kriteria=args.kriteria, sales_folder=args.out)
    else:
        result = cached_ingest(args.paths, kind=args.kind, kriteria=args.kriteria, with_sales=False)
    outputs.write_outputs(result, args.out)
    totals = result.report["totals"]
    print(
        f"{totals['files']} berkas, {totals['rows_read']} baris dibaca: {totals['rows_kept']} dipakai "
        f"({totals['rows_fixed']} diperbaiki), {totals['rows_merged']} digabung, {totals['rows_rejected']} ditolak, "
        f"{totals['rows_skipped']} dilewati -> {args.out}"
    )
    for entry in result.report["files"]:
        if entry["status"] == STATUS_ERROR:
            print(f"GAGAL {entry['path']}: {entry['message']}", file=sys.stderr)
    return 1 if totals["files_error"] else 0


if __name__ == "__main__":
    sys.exit(main())
