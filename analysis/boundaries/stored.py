"""The imported boundaries stored as GeoJSON in data/work (user data, never committed) and read back for
the map."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import shapely

from analysis.core import reference as ref
from analysis.core import settings

if TYPE_CHECKING:
    from analysis.boundaries.importer import ImportResult

KECAMATAN = "kecamatan"


KODE_KEMENDAGRI = "kode_kemendagri"


KODE_BPS = "kode_bps"


OUTPUT_COLUMNS = (KECAMATAN, KODE_KEMENDAGRI, KODE_BPS)


WGS84 = "EPSG:4326"


COORD_DECIMALS = 5  # about 1 m on the ground: finer than any boundary's accuracy


class BoundaryFileError(ValueError):
    """The stored boundary file exists but is not one this module wrote (or it was damaged)."""


def boundaries_geojson(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """FeatureCollection for plotly: feature id = canonical kecamatan name (``featureidkey="id"``),
    coordinates rounded to 5 decimals."""
    properties = [
        {c: (None if pd.isna(row[c]) else str(row[c])) for c in OUTPUT_COLUMNS if c in frame}
        for _, row in frame.iterrows()
    ]
    return feature_collection(frame.geometry.values, [str(n) for n in frame[KECAMATAN]], properties)


def feature_collection(geoms: Any, ids: list[str], properties: list[dict[str, Any]]) -> dict[str, Any]:
    features = [
        {"type": "Feature", "id": fid, "properties": props, "geometry": _rounded(shapely.geometry.mapping(geom))}
        for geom, fid, props in zip(geoms, ids, properties)
    ]
    return {"type": "FeatureCollection", "features": features}


def _rounded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return round(value, COORD_DECIMALS)
    return value


def dumps(collection: dict[str, Any]) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


def short_error(exc: Exception, scratch_path: str | None = None, shown: str | None = None) -> str:
    """GDAL's first sentence, without the scratch folder the upload was written to."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if scratch_path and shown:
        text = text.replace(scratch_path, shown)
    return text.split("; ")[0].rstrip(".")[:200]


def save_boundaries(result: ImportResult, path: Path | None = None) -> Path:
    """Write the imported boundaries where the app looks for them (data/work: user data, not committed).

    Written to a temporary file and renamed, so the app never reads half a file."""
    if not result.ok or result.frame is None:
        raise ValueError("Batas wilayah tidak disimpan: impor ditolak. " + " ".join(result.errors))
    path = Path(path if path is not None else settings.get().boundary_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(dumps(boundaries_geojson(result.frame)), encoding="utf-8")
    scratch.replace(path)
    return path


def load_boundaries(path: Path | None = None) -> gpd.GeoDataFrame | None:
    """The stored boundaries, or None when none was imported (the map then shows the schematic tiles).

    A file that is there but unusable raises BoundaryFileError instead of returning None: silently
    falling back would hide a broken import from the person who made it."""
    path = Path(path if path is not None else settings.get().boundary_file)
    if not path.is_file():
        return None
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # noqa: BLE001 - any read failure: the stored file is damaged
        raise BoundaryFileError(
            f"Berkas batas wilayah {path.name} rusak ({short_error(exc)}); impor ulang berkas batas."
        ) from None
    missing_columns = [c for c in OUTPUT_COLUMNS if c not in frame]
    unknown = sorted(set(frame.get(KECAMATAN, pd.Series(dtype=str))) - set(ref.kecamatan_names()))
    if missing_columns or unknown:
        raise BoundaryFileError(
            f"Berkas batas wilayah {path.name} tidak dikenali (kolom kurang: {missing_columns}, nama asing: {unknown}); "
            "impor ulang berkas batas."
        )
    frame = frame[[*OUTPUT_COLUMNS, frame.geometry.name]].astype({KODE_KEMENDAGRI: str, KODE_BPS: str})
    return gpd.GeoDataFrame(frame.sort_values(KODE_KEMENDAGRI).reset_index(drop=True), crs=WGS84)
