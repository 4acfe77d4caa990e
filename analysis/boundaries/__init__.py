"""Kecamatan boundaries: the approximate polygons shipped for every kabupaten/kota (data/wilayah, MIT,
cleaned at build time by ``analysis.boundaries.build``); import of a boundary file the user brings, which
takes precedence; and a schematic tile map for a region without polygons.

The official files (BIG RBI exports, BPS/OCHA COD-AB) carry their own licences, so none is committed.
The Dinas uploads the file it has; this module turns whatever it is (GeoJSON, zipped Shapefile, GeoPackage; any
CRS; with neighbouring regencies; one feature per island) into one small, valid, consistently oriented
polygon per kecamatan, keyed on the canonical names of ``analysis.core.reference`` so it joins the UMKM tables.

Decisions (see ``import_boundaries`` for the details):
- A file that lacks any of the region's kecamatan is refused, listing the missing ones: a choropleth with a
  hole reads as "no UMKM there", which misleads, and the shipped approximate polygons are there instead.
- Simplification is topology-preserving over the whole coverage (``shapely.coverage_simplify``) in
  metres (the region's UTM zone; 48S for Lampung), with the smallest tolerance of ``TOLERANCES_M`` that brings the GeoJSON under
  ``TARGET_KB``: 25 m for the BIG RBI file (about 185 KB, 9,000 vertices), which keeps coastlines and
  islands recognisable at the dashboard's zoom.
- Outer rings are clockwise (``orient_polygons(exterior_cw=True)``): plotly's geo choropleths need it
  (TECH-NOTES "Maps offline"); ``choropleth_map`` (MapLibre) draws either way, so one rule serves both.

    python -m analysis.boundaries import FILE [--out PATH] [--wilayah KODE]   (analysis/boundaries/__main__.py)
    nice -n 19 python -m analysis.boundaries.build                        (the shipped polygons, at build time)

Modules: importer (a user's file -> one polygon per kecamatan, or a refusal with its reason), stored
(the imported boundaries written and read as GeoJSON), shipped (the region's polygons from data/wilayah),
build (the build-time cleaning), schematic (the tile map used when there is no polygon).
"""
from __future__ import annotations

from analysis.boundaries.importer import ImportResult, import_boundaries
from analysis.boundaries.schematic import SCHEMATIC_CELL_DEG, schematic_geojson, schematic_tiles
from analysis.boundaries.shipped import shipped_desa, shipped_kabupaten, shipped_kecamatan
from analysis.boundaries.stored import (
    KECAMATAN,
    KODE_BPS,
    KODE_KEMENDAGRI,
    OUTPUT_COLUMNS,
    BoundaryFileError,
    boundaries_geojson,
    feature_collection,
    load_boundaries,
    save_boundaries,
)

__all__ = [
    "KECAMATAN", "KODE_BPS", "KODE_KEMENDAGRI", "OUTPUT_COLUMNS", "SCHEMATIC_CELL_DEG", "BoundaryFileError",
    "ImportResult", "boundaries_geojson", "feature_collection", "import_boundaries", "load_boundaries", "save_boundaries",
    "schematic_geojson", "schematic_tiles", "shipped_desa", "shipped_kabupaten", "shipped_kecamatan",
]
