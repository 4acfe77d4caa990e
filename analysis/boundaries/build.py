"""Build-time conversion of the national area codes and boundary polygons into data/wilayah/.

    nice -n 19 python -m analysis.boundaries.build [SOURCE_DIR]     (default: ../shared/data/wilayah)

Reads the staged open data (cahyadsn/wilayah and cahyadsn/wilayah_boundaries, MIT; see its SOURCES.md)
and writes what the dashboard ships:

- ``kode_wilayah.parquet``: every provinsi, kabupaten/kota, kecamatan and desa/kelurahan (kode, nama);
- ``batas_kecamatan.parquet``: every kecamatan, cleaned per kabupaten/kota;
- ``batas_kabupaten.parquet``: every kabupaten/kota, cleaned per provinsi;
- ``batas_desa_18.01.parquet``: the desa/kelurahan of Kabupaten Lampung Selatan, cleaned together;
- the two licence texts.

Cleaning of one group (the kecamatan of a kabupaten, say), in ``clean_coverage``:
1. each polygon repaired (``make_valid``, "structure": nested island shells merged) and put on a
   1e-5° grid (about 1 m);
2. every boundary, and the outline of the parent area, noded together and cut into faces;
3. a face inside several polygons (an overlap) goes to the first of them by code; a face inside none
   but inside the parent outline, or enclosed by the polygons, and smaller than ``GAP_MAX_DEG2`` (a
   gap between neighbours) goes to the neighbour with which it shares the longest edge;
4. each polygon is the union of its faces, so neighbours share identical edges; the group is then
   simplified together (``coverage_simplify``), which keeps those edges shared, and outer rings are
   oriented clockwise. A group whose simplified coverage is not valid keeps the unsimplified faces.

Names come from the code list, never from the polygon files (which have a few typos). Kabupaten 96.01
(Sorong) is built from its kecamatan: its published kabupaten polygon is broken.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.core.paths import SHARED_DIR, WILAYAH_DIR

GRID_DEG = 1e-5
GAP_MAX_DEG2 = 2.5e-4  # about 3 km²: larger holes (lakes, enclaves) stay holes
SIMPLIFY_DEG = 2.5e-4  # about 28 m: below what the dashboard's zoom shows
BROKEN_KABUPATEN = {"96.01"}
WGS84 = "EPSG:4326"
ROW_GROUP = 128
LICENCES = ("LICENSE-cahyadsn-wilayah.txt", "LICENSE-cahyadsn-wilayah_boundaries.txt")


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, (shapely.Polygon, shapely.MultiPolygon)) and not p.is_empty]
    if not parts:
        return shapely.MultiPolygon()
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def _repaired(geoms: np.ndarray) -> np.ndarray:
    fixed = shapely.make_valid(geoms, method="structure", keep_collapsed=False)
    fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
    return np.array([_polygonal(g) for g in shapely.set_precision(fixed, GRID_DEG)], dtype=object)


def clean_coverage(geoms: np.ndarray, outline: shapely.Geometry | None = None,
                   simplify: float = SIMPLIFY_DEG) -> tuple[np.ndarray, dict[str, float]]:
    """Polygons in the same order as ``geoms`` that form a valid coverage (no overlap, shared edges),
    with small gaps closed; and figures of what changed (deg²)."""
    geoms = _repaired(np.asarray(geoms, dtype=object))
    lines = list(shapely.boundary(geoms))
    if outline is not None and not outline.is_empty:
        outline = _repaired(np.array([outline], dtype=object))[0]
        lines.append(outline.boundary)
    noded = shapely.union_all(lines, grid_size=GRID_DEG)
    faces = np.array(shapely.get_parts(shapely.polygonize(list(shapely.get_parts(noded)))), dtype=object)
    points = shapely.point_on_surface(faces)
    owner = np.full(len(faces), -1)
    tree = shapely.STRtree(geoms)
    point_index, geom_index = tree.query(points, predicate="within")
    for p, g in sorted(zip(point_index.tolist(), geom_index.tolist()), reverse=True):
        owner[p] = g  # the lowest geometry index wins (written last)
    area = shapely.area(faces)
    overlap = float(shapely.area(geoms).sum() - area[owner >= 0].sum())
    gap = (owner < 0) & (area < GAP_MAX_DEG2)
    filled = 0.0
    face_tree = shapely.STRtree(faces)
    for _ in range(4):  # a gap touching only other gaps is filled in a later pass
        todo = np.flatnonzero(gap & (owner < 0))
        if not len(todo):
            break
        for f in todo:
            best, best_length = -1, 0.0
            for n in face_tree.query(faces[f], predicate="touches"):
                if owner[n] < 0:
                    continue
                length = shapely.length(shapely.intersection(faces[f].boundary, faces[n].boundary))
                if length > best_length:
                    best, best_length = int(owner[n]), float(length)
            if best >= 0:
                owner[f] = best
                filled += float(area[f])
    result = np.empty(len(geoms), dtype=object)
    for g in range(len(geoms)):
        mine = faces[owner == g]
        result[g] = _polygonal(shapely.union_all(mine, grid_size=GRID_DEG)) if len(mine) else geoms[g]
    if simplify:
        try:
            simplified = shapely.coverage_simplify(result, simplify)
            simplified = np.array([_polygonal(g) for g in shapely.set_precision(simplified, GRID_DEG)], dtype=object)
            if shapely.is_valid(simplified).all() and not shapely.is_empty(simplified).any() \
                    and bool(shapely.coverage_is_valid(simplified)):
                result = simplified
        except shapely.errors.GEOSException:
            pass
    result = shapely.orient_polygons(result, exterior_cw=True)
    return result, {"overlap_deg2": overlap, "gap_filled_deg2": filled}


def _layer(path: Path, names: pd.Series, parent_column: str) -> gpd.GeoDataFrame:
    frame = gpd.read_parquet(path)
    frame = frame.rename(columns={parent_column: "kode_induk"})
    frame["nama"] = frame["kode"].map(names)
    return frame.sort_values("kode").reset_index(drop=True)


def _clean_groups(frame: gpd.GeoDataFrame, outlines: dict[str, shapely.Geometry]) -> tuple[gpd.GeoDataFrame, dict]:
    pieces, figures = [], {}
    for parent, group in frame.groupby("kode_induk", sort=True):
        cleaned, stats = clean_coverage(group.geometry.values, outlines.get(str(parent)))
        pieces.append(gpd.GeoDataFrame(group.drop(columns="geometry"), geometry=list(cleaned), crs=WGS84))
        figures[str(parent)] = stats
    out = pd.concat(pieces, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=WGS84), figures


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    columns = ["kode", "nama", "kode_induk", "centroid_lat", "centroid_lon", "geometry"]
    # Small row groups in code order: reading one region (a filter on kode_induk) skips the others' groups.
    frame[columns].sort_values("kode").to_parquet(path, compression="zstd", index=False, schema_version="1.0.0",
                                                  row_group_size=ROW_GROUP)


def build(source: Path, out: Path) -> dict[str, object]:
    """Write every shipped file of ``out`` from the staged ``source``; return the figures measured."""
    out.mkdir(parents=True, exist_ok=True)
    codes = pd.read_csv(source / "kode_wilayah.csv", dtype=str, keep_default_na=False)
    codes[["kode", "nama"]].to_parquet(out / "kode_wilayah.parquet", compression="zstd", index=False)
    names = codes.set_index("kode")["nama"]
    report: dict[str, object] = {}

    provinsi = gpd.read_parquet(source / "batas_provinsi.parquet").set_index("kode").geometry
    kabupaten = _layer(source / "batas_kabupaten.parquet", names, "kode_provinsi")
    kecamatan = _layer(source / "batas_kecamatan.parquet", names, "kode_kabupaten")
    desa = _layer(source / "batas_desa_18.01.parquet", names, "kode_kecamatan")

    started = time.perf_counter()
    kab_outlines = {k: g for k, g in zip(kabupaten["kode"], kabupaten.geometry) if k not in BROKEN_KABUPATEN}
    clean_kec, report["kecamatan"] = _clean_groups(kecamatan, kab_outlines)
    for code in BROKEN_KABUPATEN:  # its published polygon is broken: the union of its kecamatan instead
        mine = clean_kec.loc[clean_kec["kode_induk"] == code].geometry.values
        kabupaten.loc[kabupaten["kode"] == code, "geometry"] = shapely.union_all(mine, grid_size=GRID_DEG)
    clean_kab, report["kabupaten"] = _clean_groups(kabupaten, {str(k): g for k, g in provinsi.items()})
    desa["kode_kabupaten"] = desa["kode"].str[:5]
    clean_desa, stats = clean_coverage(desa.geometry.values, kab_outlines.get("18.01"))
    clean_desa = gpd.GeoDataFrame(desa.drop(columns="geometry"), geometry=list(clean_desa), crs=WGS84)
    report["desa"] = {"18.01": stats}
    report["seconds"] = round(time.perf_counter() - started, 1)

    _write(clean_kec, out / "batas_kecamatan.parquet")
    _write(clean_kab, out / "batas_kabupaten.parquet")
    _write(clean_desa, out / "batas_desa_18.01.parquet")
    for name in LICENCES:
        shutil.copyfile(source / "sumber" / name, out / name)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.boundaries.build", description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=SHARED_DIR / "data" / "wilayah")
    parser.add_argument("--out", type=Path, default=WILAYAH_DIR)
    args = parser.parse_args(argv)
    if not (args.source / "kode_wilayah.csv").is_file():
        print(f"Data sumber tidak ditemukan: {args.source}", file=sys.stderr)
        return 2
    report = build(args.source, args.out)
    print(f"Selesai dalam {report['seconds']} s -> {args.out}")
    for path in sorted(args.out.iterdir()):
        print(f"  {path.name}: {path.stat().st_size:,} B")
    return 0


if __name__ == "__main__":
    sys.exit(main())
