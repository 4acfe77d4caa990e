"""Start time and memory of the region's reference and boundary data, in a fresh process per region:

    python -m bench.wilayah [--wilayah 18.01 18 64.71]

For each region, in a new interpreter (the libraries and the project's modules imported first and not
counted, and Arrow's memory pool started: only the data is measured): the
region and its kecamatan from the national code list, the kecamatan matcher of the ingest, the shipped
kecamatan polygons turned into the map's GeoJSON (what the first map draws), and for a provinsi its
kabupaten/kota polygons too. Prints seconds, the growth of the process's peak resident memory (ru_maxrss)
and the GeoJSON's size.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

_CHILD = r"""
import json, resource, sys, time
import geopandas, pandas, pyarrow.parquet, shapely  # noqa: F401  imported by every page anyway: not counted
import analysis.boundaries, analysis.ingest.cleaning  # noqa: F401  the code, not the data: not counted
import io, pyarrow as pa
_buffer = io.BytesIO(); pyarrow.parquet.write_table(pa.table({"x": ["a"] * 1000}), _buffer)
pyarrow.parquet.read_table(io.BytesIO(_buffer.getvalue()))  # Arrow's memory pool starts (the app's ingest cache starts it anyway)
from analysis.core import settings, wilayah
from dataclasses import replace
settings.use(replace(settings.get(), wilayah=sys.argv[1]))
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = peak()
t0 = time.perf_counter()
from analysis.core import reference as ref
region = wilayah.region()
n_kec = len(ref.kecamatan())
t1 = time.perf_counter()
from analysis.ingest.cleaning import KecamatanMatcher
KecamatanMatcher()
t2 = time.perf_counter()
from analysis import boundaries
frame = boundaries.shipped_kecamatan()
geojson = boundaries.boundaries_geojson(frame)
size = len(boundaries.stored.dumps(geojson).encode())
t3 = time.perf_counter()
kab = boundaries.shipped_kabupaten()
kab_size = 0
if kab is not None:
    kab_size = len(boundaries.stored.dumps(boundaries.feature_collection(kab.geometry.values, list(kab["nama"]), [{}] * len(kab))).encode())
t4 = time.perf_counter()
print(json.dumps({"wilayah": region.nama, "kecamatan": n_kec, "reference_s": t1 - t0, "matcher_s": t2 - t1,
                  "kecamatan_map_s": t3 - t2, "kabupaten_map_s": t4 - t3, "total_s": t4 - t0,
                  "peak_growth_mb": peak() - base, "kecamatan_geojson_kb": size / 1024, "kabupaten_geojson_kb": kab_size / 1024}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wilayah")
    parser.add_argument("--wilayah", nargs="+", default=["18.01", "18", "64.71"])
    args = parser.parse_args(argv)
    for code in args.wilayah:
        out = subprocess.run([sys.executable, "-c", _CHILD, code], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout)
        print(f"{row['wilayah']} ({row['kecamatan']} kecamatan): {row['total_s']:.2f} s "
              f"(kode wilayah {row['reference_s']:.2f} s, pencocok kecamatan {row['matcher_s']:.2f} s, "
              f"peta kecamatan {row['kecamatan_map_s']:.2f} s, peta kabupaten {row['kabupaten_map_s']:.2f} s), "
              f"memori puncak +{row['peak_growth_mb']:.0f} MB, GeoJSON kecamatan {row['kecamatan_geojson_kb']:.0f} KB"
              + (f", kabupaten {row['kabupaten_geojson_kb']:.0f} KB" if row["kabupaten_geojson_kb"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
