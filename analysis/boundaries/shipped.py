"""The boundary polygons shipped in data/wilayah (cleaned at build time by ``analysis.boundaries.build``),
read for the region: its kecamatan, the kabupaten/kota of a provinsi, the desa where they ship.

They are an approximation by their publisher (cahyadsn/wilayah_boundaries, MIT), not official
boundaries: the map says "batas perkiraan" with the source. A file the user imported takes precedence.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from analysis.boundaries.stored import KECAMATAN, KODE_BPS, KODE_KEMENDAGRI, OUTPUT_COLUMNS, WGS84
from analysis.core import reference as ref
from analysis.core import wilayah
from analysis.core.paths import WILAYAH_DIR

KECAMATAN_FILE = "batas_kecamatan.parquet"
KABUPATEN_FILE = "batas_kabupaten.parquet"
DESA_PATTERN = "batas_desa_*.parquet"
APPROXIMATE_ATTR = "perkiraan"  # analysis.report.content.APPROXIMATE_ATTR


def _read(path: Path, parents: list[str]) -> gpd.GeoDataFrame:
    return gpd.read_parquet(path, filters=[("kode_induk", "in", parents)])


def shipped_kecamatan(code: str | None = None, directory: Path = WILAYAH_DIR) -> gpd.GeoDataFrame | None:
    """The region's kecamatan polygons as ``stored.load_boundaries`` gives imported ones (kecamatan,
    kode_kemendagri, kode_bps, geometry; by code), or None when none ship for it."""
    region = wilayah.region(code)
    frame = _kecamatan_frame(region.kode, directory)
    if frame is None:
        return None
    frame = frame.copy()
    frame.attrs[APPROXIMATE_ATTR] = True  # the report says "batas perkiraan"
    return frame


@lru_cache(maxsize=4)
def _kecamatan_frame(code: str, directory: Path) -> gpd.GeoDataFrame | None:
    path = directory / KECAMATAN_FILE
    if not path.is_file():
        return None
    table = ref.kecamatan(wilayah=code)
    parents = sorted(set(table["kode_kabupaten"]))
    frame = _read(path, parents)
    names = table.set_index("kode_kemendagri")
    frame = frame[frame["kode"].isin(names.index)]
    if frame.empty or len(frame) != len(table):
        return None
    out = gpd.GeoDataFrame({
        KECAMATAN: frame["kode"].map(names["kecamatan"]).to_numpy(),
        KODE_KEMENDAGRI: frame["kode"].to_numpy(),
        KODE_BPS: frame["kode"].map(names["kode_bps"]).fillna("").to_numpy(),
    }, geometry=frame.geometry.to_numpy(), crs=WGS84)
    return out[[*OUTPUT_COLUMNS, "geometry"]].sort_values(KODE_KEMENDAGRI).reset_index(drop=True)


def shipped_kabupaten(code: str | None = None, directory: Path = WILAYAH_DIR) -> gpd.GeoDataFrame | None:
    """The kabupaten/kota of a provinsi region (kode, nama, geometry); None for a kabupaten/kota region."""
    region = wilayah.region(code)
    path = directory / KABUPATEN_FILE
    if not region.is_provinsi or not path.is_file():
        return None
    frame = _read(path, [region.kode])
    return frame[["kode", "nama", "geometry"]].sort_values("kode").reset_index(drop=True)


def desa_files(directory: Path = WILAYAH_DIR) -> dict[str, Path]:
    """Kabupaten code -> the file of its desa polygons (only Lampung Selatan ships one)."""
    return {p.stem.removeprefix("batas_desa_"): p for p in sorted(directory.glob(DESA_PATTERN))}


def shipped_desa(kode_kecamatan: str, directory: Path = WILAYAH_DIR) -> gpd.GeoDataFrame | None:
    """The desa/kelurahan polygons of one kecamatan (kode_desa, desa, geometry), or None when none ship."""
    path = desa_files(directory).get(kode_kecamatan[:5])
    if path is None:
        return None
    frame = _read(path, [kode_kecamatan])
    if frame.empty:
        return None
    return gpd.GeoDataFrame({"kode_desa": frame["kode"].to_numpy(), "desa": frame["nama"].to_numpy()},
                            geometry=frame.geometry.to_numpy(), crs=WGS84).sort_values("kode_desa").reset_index(drop=True)


def has_desa_polygons(kode_kabupaten: str, directory: Path = WILAYAH_DIR) -> bool:
    return kode_kabupaten in desa_files(directory)


__all__ = ["shipped_desa", "shipped_kabupaten", "shipped_kecamatan", "desa_files", "has_desa_polygons"]


def kecamatan_at(lon: np.ndarray, lat: np.ndarray, code: str | None = None) -> np.ndarray:
    """The region's kecamatan (canonical name) holding each point given in degrees, None for a point
    outside every polygon or where no polygons ship for the region."""
    found = np.full(len(lon), None, dtype=object)
    frame = shipped_kecamatan(code)
    if frame is None or len(lon) == 0:
        return found
    points = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    at, polygon = shapely.STRtree(frame.geometry.to_numpy()).query(points, predicate="within")
    found[at] = frame[KECAMATAN].to_numpy(dtype=object)[polygon]
    return found
