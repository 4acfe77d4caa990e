"""Time the ingest's two fuzzy name scorings on the scale-100 demo truth (issue 18), without an ingest.

    nice -n 5 python -m bench.fuzzy_prune [--truth DIR] [--queries 5000] [--runs 3] [--fuzzy-only]
                                          [--save FILE] [--compare FILE]

near_s: ``linking.near_duplicates(producers, 1)`` on the truth's producers (one scoring thread).
fuzzy_s: ``ProducerIndex(producers)._fuzzy_many`` for the first N training participants (their name as
written, typos included, with their business name), kecamatan by kecamatan (the index is built outside
the timing). Both print the slowest of the runs. ``--save`` stores both results (pickle) and
``--compare`` checks them against a stored file, so two versions of linking.py can be compared: run
it from each checkout (PYTHONPATH=that checkout).
"""
from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

import pandas as pd

from analysis.ingest import linking
from analysis.ingest.cleaning import name_key

TRUTH = Path("/work/main/data/work/bench/demo-scale100-seed20171031/truth")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--truth", type=Path, default=TRUTH)
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fuzzy-only", action="store_true", help="skip near_duplicates")
    parser.add_argument("--save", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    producers = pd.read_parquet(args.truth / "producers.parquet",
                                columns=["umkm_id", "nama_usaha", "nama_pemilik", "kecamatan"])
    producers = producers.astype(object).assign(nik=None, no_hp=None)
    participants = pd.read_parquet(args.truth / "participants.parquet").head(args.queries)
    kecamatan = participants["umkm_id"].map(producers.set_index("umkm_id")["kecamatan"]).astype(str)
    queries = (participants["nama_usaha"].map(name_key) + " " + participants["nama_peserta"].map(name_key)).str.strip()
    asked = pd.DataFrame({"query": queries, "kecamatan": kecamatan}).groupby("kecamatan")["query"].agg(list)
    print(f"{len(producers):,} producers, {len(queries):,} queries in {len(asked)} kecamatan")

    near_times, fuzzy_times = [], []
    index = linking.ProducerIndex(producers)
    for _ in range(args.runs):
        start = time.perf_counter()
        near = pd.DataFrame() if args.fuzzy_only else linking.near_duplicates(producers, 1)
        near_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        links = {kec: index._fuzzy_many(list(names), kec) for kec, names in asked.items()}
        fuzzy_times.append(time.perf_counter() - start)
        print(f"near_s {near_times[-1]:.2f}  fuzzy_s {fuzzy_times[-1]:.2f}", flush=True)
    print(f"worst of {args.runs}: near_s {max(near_times):.2f} ({len(near):,} pairs), fuzzy_s {max(fuzzy_times):.2f} "
          f"({sum(link.umkm_id is not None for found in links.values() for link in found):,} linked)")
    if args.save:
        args.save.write_bytes(pickle.dumps((near, links)))
    if args.compare:
        stored_near, stored_links = pickle.loads(args.compare.read_bytes())
        if not args.fuzzy_only:
            pd.testing.assert_frame_equal(near, stored_near)
        assert links == stored_links
        print("results equal to", args.compare)


if __name__ == "__main__":
    main()
