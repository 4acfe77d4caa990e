"""Kelola Data timings through the functions the page calls (analysis.office.store.Store):

    python -m bench.kelola_data [--files DIR]

upload + preview (read and ingest), apply (blobs, version folder, pointer), load of the active version
(what every page reads), rollback, and the raw-upload store after applying the same files twice (the
blob count must not grow). Writes into a temporary folder only.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from analysis.core.paths import DEMO_RAW_DIR
from analysis.office.store import MODE_REPLACE, Store, Upload


def _timed(action):
    start = time.perf_counter()
    value = action()
    return value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kelola_data")
    parser.add_argument("--files", type=Path, default=DEMO_RAW_DIR, help="folder of spreadsheets (default: the demo)")
    args = parser.parse_args(argv)
    paths = sorted(p for p in args.files.rglob("*") if p.is_file())
    uploads = [Upload(p.name, p.read_bytes()) for p in paths]
    megabytes = sum(len(u.content) for u in uploads) / 1e6
    with tempfile.TemporaryDirectory() as root:
        store = Store(Path(root))
        preview, t_preview = _timed(lambda: store.preview(uploads, mode=MODE_REPLACE))
        first, t_apply = _timed(lambda: store.apply(preview, user="bench"))
        _, t_load = _timed(lambda: store.load(first))
        blobs = store.blob_count()
        second = store.apply(store.preview(uploads, mode=MODE_REPLACE), user="bench")
        _, t_rollback = _timed(lambda: store.rollback(first, user="bench"))
        totals = preview.result.report["totals"]
        print(f"{len(uploads)} berkas, {megabytes:.1f} MB, {totals['rows_read']} baris dibaca "
              f"({totals['rows_kept']} dipakai, {totals['rows_merged']} digabung, {totals['rows_rejected']} ditolak, "
              f"{totals['rows_skipped']} dilewati; seimbang: {totals['balanced']})")
        print(f"unggah + pratinjau  {t_preview:6.2f} s")
        print(f"terapkan            {t_apply:6.2f} s")
        print(f"muat versi aktif    {t_load:6.2f} s")
        print(f"kembalikan versi    {t_rollback:6.3f} s  (aktif: {store.active_id() == first}, versi lain: {second != first})")
        print(f"berkas mentah       {blobs} setelah penerapan pertama, {store.blob_count()} setelah kedua")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
