"""The honest fallback map: one equal tile per kecamatan, laid out roughly where its seat lies."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import shapely

from analysis.boundaries.stored import KECAMATAN, KODE_KEMENDAGRI, feature_collection
from analysis.core import paths
from analysis.core import reference as ref

SCHEMATIC_CELL_DEG = 0.08  # grid step: at 0.08° the 17 seats need the fewest and smallest moves


_TILE_HALF = 0.45  # half a tile's side, in cells: a thin white gap between tiles


def schematic_tiles(directory: Path = paths.REFERENCE_DIR) -> pd.DataFrame:
    """One grid cell per kecamatan, placed where its seat (ibukota) lies.

    Seats are snapped to a 0.08° grid; the kecamatan closest to its cell centre claims it first and the
    others take the nearest free cell (ties: upper row, then left column), so the layout is
    deterministic and keeps north above south. Row 0 is the northern edge."""
    table = ref.kecamatan(directory)
    x0, y0 = table["ibukota_lon"].min(), table["ibukota_lat"].max()
    wanted = {
        str(row.kecamatan): ((row.ibukota_lon - x0) / SCHEMATIC_CELL_DEG, (y0 - row.ibukota_lat) / SCHEMATIC_CELL_DEG)
        for row in table.itertuples(index=False)
    }
    order = sorted(wanted, key=lambda k: (math.dist(wanted[k], (round(wanted[k][0]), round(wanted[k][1]))), k))
    taken: dict[str, tuple[int, int]] = {}
    for name in order:
        x, y = wanted[name]
        cells = [(c, r) for c in range(0, math.ceil(x) + 3) for r in range(0, math.ceil(y) + 3)]
        free = [cell for cell in cells if cell not in taken.values()]
        taken[name] = min(free, key=lambda cell: (math.dist(cell, (x, y)), cell[1], cell[0]))
    codes = table.set_index(KECAMATAN)[KODE_KEMENDAGRI]
    rows = [{KECAMATAN: n, KODE_KEMENDAGRI: str(codes[n]), "col": c, "row": r} for n, (c, r) in taken.items()]
    return pd.DataFrame(rows).sort_values(KODE_KEMENDAGRI).reset_index(drop=True)


def schematic_geojson(directory: Path = paths.REFERENCE_DIR) -> dict[str, Any]:
    """Square tiles as a FeatureCollection near Lampung Selatan's real position, for
    ``choropleth_map(map_style="white-bg")``; feature id = kecamatan, outer rings clockwise like the
    imported boundaries. Not a boundary: the page labels it "Peta skematis (bukan batas wilayah resmi)"."""
    table = ref.kecamatan(directory)
    x0, y0 = float(table["ibukota_lon"].min()), float(table["ibukota_lat"].max())
    tiles = schematic_tiles(directory)
    half = _TILE_HALF * SCHEMATIC_CELL_DEG
    geoms, ids, props = [], [], []
    for tile in tiles.itertuples(index=False):
        cx, cy = x0 + tile.col * SCHEMATIC_CELL_DEG, y0 - tile.row * SCHEMATIC_CELL_DEG
        ring = [
            (cx - half, cy + half),
            (cx + half, cy + half),
            (cx + half, cy - half),
            (cx - half, cy - half),
            (cx - half, cy + half),
        ]
        geoms.append(shapely.Polygon(ring))
        ids.append(tile.kecamatan)
        props.append({KECAMATAN: tile.kecamatan, KODE_KEMENDAGRI: tile.kode_kemendagri})
    return feature_collection(geoms, ids, props)
