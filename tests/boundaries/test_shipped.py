"""The boundary polygons shipped in data/wilayah: cleaned once at build time (analysis/boundaries/build.py)
into valid coverages for every kabupaten/kota, and read for the region by analysis/boundaries/shipped.py."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from analysis.boundaries import build, shipped
from analysis.core import wilayah
from analysis.core.paths import WILAYAH_DIR


@pytest.fixture(scope="module")
def kecamatan() -> gpd.GeoDataFrame:
    return gpd.read_parquet(WILAYAH_DIR / "batas_kecamatan.parquet")


def test_every_kecamatan_of_the_code_list_has_one_valid_polygon(kecamatan):
    codes = wilayah.codes()
    expected = set(codes.loc[codes["kode"].str.len() == 8, "kode"])
    assert set(kecamatan["kode"]) == expected and kecamatan["kode"].is_unique
    assert kecamatan.is_valid.all() and not kecamatan.is_empty.any()
    assert kecamatan.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    names = dict(zip(codes["kode"], codes["nama"]))
    assert (kecamatan["nama"] == kecamatan["kode"].map(names)).all()  # names from the code list, not the polygons


def test_kecamatan_of_every_kabupaten_form_a_valid_coverage(kecamatan):
    bad = [code for code, group in kecamatan.groupby("kode_induk")
           if not shapely.coverage_is_valid(group.geometry.values)]
    assert bad == []
    assert len(kecamatan["kode_induk"].unique()) == 514


def test_kabupaten_of_every_provinsi_form_a_valid_coverage():
    kabupaten = gpd.read_parquet(WILAYAH_DIR / "batas_kabupaten.parquet")
    assert len(kabupaten) == 514 and kabupaten.is_valid.all()
    bad = [code for code, group in kabupaten.groupby("kode_induk") if not shapely.coverage_is_valid(group.geometry.values)]
    assert bad == []


def test_outer_rings_are_clockwise(kecamatan):
    sample = kecamatan[kecamatan["kode_induk"].isin(["18.01", "64.71", "31.71"])]
    for geom in sample.geometry:
        for part in shapely.get_parts(geom):
            assert not part.exterior.is_ccw


def test_lampung_selatan_has_no_overlap_and_few_gaps(kecamatan):
    mine = kecamatan[kecamatan["kode_induk"] == "18.01"].to_crs("EPSG:32748")
    union = shapely.union_all(mine.geometry.values)
    overlap_km2 = (mine.area.sum() - union.area) / 1e6
    holes_km2 = sum(shapely.Polygon(r).area for p in shapely.get_parts(union) for r in p.interiors) / 1e6
    assert abs(overlap_km2) < 0.01  # published: 18.7 km² of overlap
    assert holes_km2 < 1.0  # published: 10.7 km² of sliver gaps between neighbours
    assert 2150 < union.area / 1e6 < 2300  # BIG: 2,227 km²


def test_shipped_desa_of_lampung_selatan():
    desa = gpd.read_parquet(WILAYAH_DIR / "batas_desa_18.01.parquet")
    assert len(desa) == 260 and desa.is_valid.all()
    assert shapely.coverage_is_valid(desa.geometry.values)
    candipuro = shipped.shipped_desa("18.01.17")
    assert len(candipuro) == 14 and "Karya Mulya Sari" in set(candipuro["desa"])
    assert shipped.shipped_desa("64.71.01") is None


def test_clean_coverage_closes_overlaps_and_gaps():
    left = shapely.box(0, 0, 1.0005, 1)  # overlaps its neighbour by 0.001
    right = shapely.box(0.9995, 0, 2, 1)
    below = shapely.Polygon([(0, 0), (2, 0), (2, -1), (0, -1)]).buffer(0).difference(shapely.box(0.5, -0.0002, 1.2, 0))
    outline = shapely.box(0, -1, 2, 1)  # the sliver under left/right is a gap inside the parent
    cleaned, stats = build.clean_coverage(np.array([left, right, below], dtype=object), outline, simplify=0)
    assert shapely.is_valid(cleaned).all() and shapely.coverage_is_valid(cleaned)
    union = shapely.union_all(cleaned)
    assert abs(sum(g.area for g in cleaned) - union.area) < 1e-9  # no overlap left
    assert abs(union.area - 4.0) < 1e-6  # the gap is filled
    assert stats["overlap_deg2"] > 0 and stats["gap_filled_deg2"] > 0


def test_region_reads_its_own_kecamatan(configure):
    frame = shipped.shipped_kecamatan()
    assert len(frame) == 17 and list(frame.columns) == ["kecamatan", "kode_kemendagri", "kode_bps", "geometry"]
    assert "Rajabasa" in set(frame["kecamatan"]) and frame.attrs[shipped.APPROXIMATE_ATTR]
    configure(wilayah="64.71")
    balikpapan = shipped.shipped_kecamatan()
    assert sorted(balikpapan["kecamatan"])[0] == "Balikpapan Barat" and len(balikpapan) == 6
    assert shipped.shipped_kabupaten() is None
    assert len(shipped.shipped_kabupaten("18")) == 15
