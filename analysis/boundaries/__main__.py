"""``python -m analysis.boundaries import FILE [--out PATH]``: exit 0 saved, 1 refused, 2 usage error."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.boundaries.importer import import_boundaries
from analysis.boundaries.stored import save_boundaries
from analysis.core import settings, wilayah


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.boundaries import FILE [--out PATH]``: 0 saved, 1 refused, 2 usage error."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.boundaries", description="Impor batas kecamatan wilayah kantor (--wilayah)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("import", help="impor berkas batas (GeoJSON, Shapefile .zip, GeoPackage)")
    command.add_argument("file", type=Path, help="berkas batas kecamatan")
    wilayah.add_argument(command)
    command.add_argument(
        "--out", type=Path, default=None, help=f"GeoJSON keluaran (bawaan: {settings.get().boundary_file})"
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        wilayah.use_region(args.wilayah)
    except settings.SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not args.file.is_file():
        print(f"Berkas tidak ditemukan: {args.file}", file=sys.stderr)
        return 2
    result = import_boundaries(args.file)
    for line in result.messages:
        print(line)
    for line in result.warnings:
        print(f"Perhatian: {line}")
    if not result.ok:
        for line in result.errors:
            print(f"DITOLAK: {line}", file=sys.stderr)
        return 1
    out = save_boundaries(result, args.out)
    print(f"Disimpan: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
