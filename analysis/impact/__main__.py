"""``python -m analysis.impact --data DIR [--json] [--boot N] [--seed N]``: the estimate per training
type from an ingest output folder, as a table or JSON."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from analysis.core import formatting as fmt
from analysis.core import wilayah
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.core.settings import SettingsError
from analysis.impact import estimate
from analysis.impact.estimate import DEFAULT_BOOT, DEFAULT_SEED
from analysis.impact.result import ImpactResult, verdict
from analysis.ingest.outputs import read_tables


def _cell(value: float | None) -> str:
    return "-" if value is None else fmt.number(value, 1)


def _table(results: list[ImpactResult]) -> str:
    header = f"{'Jenis pelatihan':<17} {'Efek %':>7} {'CI 95%':>17} {'Peserta':>8} {'Pembanding':>11}"
    lines = [header, "-" * len(header)]
    for r in results:
        band = f"{_cell(r.ci_bawah)} s.d. {_cell(r.ci_atas)}"
        lines.append(f"{r.jenis:<17} {_cell(r.efek_persen):>7} {band:>17} {r.n_peserta:>8} {r.n_pembanding:>11}")
    lines.append("")
    for r in results:
        lines.append(f"{r.jenis}: {verdict(r)}")
        lines.extend(f"  Peringatan: {w}" for w in r.peringatan)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.impact",
                                     description="Perkirakan dampak tiap jenis pelatihan pada penjualan peserta.")
    parser.add_argument("--data", required=True, type=Path, help="folder berisi tabel hasil analysis.ingest")
    parser.add_argument("--json", action="store_true", help="cetak daftar JSON, satu objek per jenis pelatihan")
    parser.add_argument("--boot", type=int, default=DEFAULT_BOOT, help="jumlah ulangan bootstrap")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="benih acak bootstrap")
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
    try:
        tables = read_tables(args.data)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    began = time.perf_counter()
    try:
        results = estimate.estimate_all(tables[Producers.name], tables[Sales.name], tables[Trainings.name],
                               tables[Participants.name], seed=args.seed, n_boot=args.boot)
    except ValueError as exc:  # a missing column or a bad --boot: the user's input, not a crash
        print(str(exc), file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - began
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        print(_table(results))
    print(f"Selesai dalam {fmt.number(elapsed, 1)} detik ({args.boot} ulangan bootstrap).", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
