"""``python -m analysis.demo [--scale N] [--seed S] --out DIR``: write the demo data and its truth."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from analysis.core.paths import DEMO_DIR
from analysis.demo.build import generate
from analysis.demo.specs import DEFAULT_SEED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.demo",
                                     description="Tulis data demo (spreadsheet berantakan) dan kebenarannya.")
    parser.add_argument("--scale", type=int, default=1, help="multiplies producers, sales and participants")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True, help=f"output folder (the embedded demo: {DEMO_DIR})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    s = generate(args.out, args.scale, args.seed)
    print(f"{args.out}: {s.producers} pelaku usaha, {s.sales_rows} baris penjualan, {s.trainings} pelatihan, "
          f"{s.participants} peserta, raw {s.raw_bytes / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
