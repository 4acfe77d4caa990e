"""The boundary importer for a provinsi region (Provinsi Lampung, 18): a file of the provinsi's kecamatan
matches against all 229 of them; a kecamatan name found in two kabupaten/kota (Rajabasa, Labuhan Ratu,
Pagar Dewa, Bumi Agung) is resolved by the file's kabupaten/kota column or by its Kemendagri code, and a
file without either cannot tell them apart. The files are made here from the shipped polygons."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from analysis import boundaries as bd
from analysis.core import reference as ref
from analysis.core import wilayah

TWINS = {"Rajabasa (Lampung Selatan)": "18.01.16", "Rajabasa (Kota Bandar Lampung)": "18.71.10",
         "Labuhan Ratu (Lampung Timur)": "18.07.21", "Labuhan Ratu (Kota Bandar Lampung)": "18.71.14"}


@pytest.fixture
def provinsi(configure):
    configure(wilayah="18")


def _kecamatan(prefixes: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Shipped kecamatan polygons whose code starts with one of ``prefixes``, with RBI-like columns:
    WADMKC (kecamatan), WADMKK (kabupaten/kota), WADMPR (provinsi) and KDEPUM (Kemendagri code)."""
    frame = gpd.read_parquet(wilayah.WILAYAH_DIR / "batas_kecamatan.parquet")
    frame = frame[frame["kode"].str.startswith(prefixes)].reset_index(drop=True)
    names = wilayah.codes().set_index("kode")["nama"]
    return gpd.GeoDataFrame({
        "WADMKC": frame["kode"].map(names), "WADMKK": frame["kode"].str[:5].map(names),
        "WADMPR": frame["kode"].str[:2].map(names), "KDEPUM": frame["kode"],
    }, geometry=frame.geometry.to_numpy(), crs="EPSG:4326")


def _write(frame: gpd.GeoDataFrame, path: Path) -> Path:
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    return path


def test_provinsi_file_with_kabupaten_column_gives_every_kecamatan(provinsi, tmp_path):
    both = _kecamatan(("18.", "36.01."))  # Lampung and, across the strait, Kabupaten Pandeglang
    result = bd.import_boundaries(_write(both.drop(columns="KDEPUM"), tmp_path / "batas.geojson"))
    assert result.ok, result.errors
    assert sorted(result.frame["kecamatan"]) == sorted(ref.kecamatan_names()) and len(result.frame) == 229
    codes = result.frame.set_index("kecamatan")["kode_kemendagri"]
    assert {name: codes[name] for name in TWINS} == TWINS
    assert any("kabupaten/kota Provinsi Lampung di kolom WADMKK" in m for m in result.messages), result.messages
    assert not any("tidak cocok" in w for w in result.warnings), result.warnings  # twins resolved, Pandeglang left out


def test_provinsi_file_with_codes_only_gives_every_kecamatan(provinsi, tmp_path):
    coded = _kecamatan(("18.",))[["KDEPUM", "geometry"]]
    result = bd.import_boundaries(_write(coded, tmp_path / "batas.geojson"))
    assert result.ok, result.errors
    codes = result.frame.set_index("kecamatan")["kode_kemendagri"]
    assert len(codes) == 229 and {name: codes[name] for name in TWINS} == TWINS


def test_provinsi_file_with_names_only_is_refused_naming_the_twins(provinsi, tmp_path):
    names = _kecamatan(("18.",))[["WADMKC", "geometry"]]
    errors = " ".join(bd.import_boundaries(_write(names, tmp_path / "batas.geojson")).errors)
    assert "Rajabasa (Lampung Selatan)" in errors and "Rajabasa (Kota Bandar Lampung)" in errors
    assert "Berkas ditolak" in errors


def test_file_of_another_provinsi_is_refused(provinsi, tmp_path):
    banten = _kecamatan(("36.01.",)).drop(columns="KDEPUM")
    result = bd.import_boundaries(_write(banten, tmp_path / "batas.geojson"))
    assert not result.ok and result.frame is None
    assert "bukan Provinsi Lampung" in " ".join(result.errors)
