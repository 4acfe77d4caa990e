"""Boundary import: the real files in ../shared (skipped without it), files of other formats and wrong
contents built in tmp_path from them or from the schematic squares, the CLI, and the schematic tiles.

No boundary file is committed (licences unclear): everything derived is written to tmp_path."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from analysis import boundaries as bd
from analysis.boundaries import importer, stored
from analysis.boundaries.__main__ import main as boundaries_command
from analysis.core import paths, settings
from analysis.core import reference as ref

RBI = "data/boundaries/lampung_selatan_kecamatan_rbi.geojson"
RBI_SIMPLIFIED = "data/boundaries/lampung_selatan_kecamatan_rbi_simplified.geojson"
CAHYADSN = "data/boundaries/lampung_selatan_kecamatan_cahyadsn_wilayah_boundaries.geojson"
ISLAND_PARTS = {"Bakauheni": 8, "Ketapang": 9, "Rajabasa": 11, "Katibung": 4}  # SOURCES.md


@lru_cache(maxsize=8)
def _imported(path: str) -> bd.ImportResult:
    """One import per file for the whole module (the full RBI file takes about half a second)."""
    return bd.import_boundaries(path)


def _names() -> set[str]:
    return set(ref.kecamatan_names())


def _rings_clockwise(geom: shapely.Geometry) -> bool:
    polygons = getattr(geom, "geoms", [geom])
    return all(not p.exterior.is_ccw and all(r.is_ccw for r in p.interiors) for p in polygons)


def _metric_area(geoms: gpd.GeoSeries) -> float:
    return float(geoms.to_crs(importer.METRIC_CRS).area.sum())


def _schematic_frame() -> gpd.GeoDataFrame:
    """17 squares with canonical names near the real seats: a synthetic file that needs no ../shared."""
    return gpd.GeoDataFrame.from_features(bd.schematic_geojson()["features"], crs=stored.WGS84)


def _write(frame: gpd.GeoDataFrame, path: Path, **kwargs) -> Path:
    frame.to_file(path, engine="pyogrio", **kwargs)
    return path


def _errors(result: bd.ImportResult) -> str:
    assert not result.ok, result.messages
    assert result.frame is None
    assert result.errors
    return " ".join(result.errors)


# ---------------------------------------------------------------------------------------------- real files


@pytest.mark.parametrize("name", [RBI, RBI_SIMPLIFIED])
def test_rbi_files_give_the_17_kecamatan_with_codes(shared_dir: Path, name: str) -> None:
    result = _imported(str(shared_dir / name))
    assert result.ok, result.errors
    frame = result.frame
    assert list(frame.columns) == ["kecamatan", "kode_kemendagri", "kode_bps", "geometry"]
    assert set(frame["kecamatan"]) == _names() and frame["kecamatan"].is_unique
    table = ref.kecamatan().set_index("kecamatan")
    for row in frame.itertuples():
        assert row.kode_kemendagri == table.loc[row.kecamatan, "kode_kemendagri"]
        assert row.kode_bps == table.loc[row.kecamatan, "kode_bps"]
    assert list(frame["kode_kemendagri"]) == sorted(frame["kode_kemendagri"])
    assert frame.crs.equals(stored.WGS84)
    assert shapely.is_valid(frame.geometry.values).all()
    assert not frame.geometry.has_z.any()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    assert result.size_kb < importer.LIMIT_KB
    assert len(stored.dumps(bd.boundaries_geojson(frame)).encode()) < importer.LIMIT_KB * 1024


@pytest.mark.parametrize("name", [RBI, RBI_SIMPLIFIED])
def test_rbi_islands_are_dissolved_into_one_row(shared_dir: Path, name: str) -> None:
    result = _imported(str(shared_dir / name))
    frame = result.frame.set_index("kecamatan")
    for kecamatan in ISLAND_PARTS:
        assert frame.loc[kecamatan, "geometry"].geom_type == "MultiPolygon"
        assert len(frame.loc[kecamatan, "geometry"].geoms) > 1
    assert "4 kecamatan berpulau" in result.messages[0]
    assert "45 fitur" in result.messages[0] and "17 kecamatan" in result.messages[0]


@pytest.mark.parametrize("name", [RBI, RBI_SIMPLIFIED])
def test_rbi_rings_clockwise_area_kept_coverage_kept(shared_dir: Path, name: str) -> None:
    result = _imported(str(shared_dir / name))
    assert all(_rings_clockwise(g) for g in result.frame.geometry)
    original = gpd.read_file(shared_dir / name)
    before = _metric_area(original.geometry)
    after = _metric_area(result.frame.geometry)
    assert abs(after - before) / before < 0.10
    # Shared edges still shared: simplifying the coverage as a whole opened no gap and no overlap.
    assert shapely.coverage_is_valid(result.frame.geometry.values)


def test_rbi_full_file_is_simplified_into_the_target_size(shared_dir: Path) -> None:
    result = _imported(str(shared_dir / RBI))
    assert 50 <= result.size_kb <= importer.TARGET_KB
    assert result.tolerance_m == importer.TOLERANCES_M[0]
    # Recognisable: still thousands of vertices, not a few dozen.
    assert shapely.get_num_coordinates(result.frame.geometry.values).sum() > 3000


def test_cahyadsn_invalid_geometries_are_repaired_not_refused(shared_dir: Path) -> None:
    """Accepted: its 3 invalid multipolygons (nested island shells) have an unambiguous repair, and it
    is complete and coded; its gaps and overlaps are reported as a warning, since they only shift
    shared edges on a map, not which kecamatan is where."""
    result = _imported(str(shared_dir / CAHYADSN))
    assert result.ok, result.errors
    assert set(result.frame["kecamatan"]) == _names()
    assert shapely.is_valid(result.frame.geometry.values).all()
    assert "3 geometri tidak valid diperbaiki" in result.messages[0]
    assert "kode Kemendagri 18.01" in result.messages[0]
    assert any("tidak rapi" in w for w in result.warnings)
    original = gpd.read_file(shared_dir / CAHYADSN)
    assert (
        abs(_metric_area(result.frame.geometry) - _metric_area(original.geometry)) / _metric_area(original.geometry)
        < 0.10
    )
    assert all(_rings_clockwise(g) for g in result.frame.geometry)


def test_import_time_of_the_full_rbi_file(shared_dir: Path) -> None:
    import time

    start = time.perf_counter()
    result = bd.import_boundaries(shared_dir / RBI)
    elapsed = time.perf_counter() - start
    assert result.ok
    assert elapsed < 10, f"impor RBI {elapsed:.1f} s"


# ------------------------------------------------------------------------------------ other formats


def _zipped_shapefile(frame: gpd.GeoDataFrame, tmp_path: Path, drop_prj: bool = False) -> Path:
    folder = tmp_path / "shp" / "BATAS_KECAMATAN"
    folder.mkdir(parents=True)
    _write(frame, folder / "kecamatan.shp", driver="ESRI Shapefile")
    archive = tmp_path / "batas_kecamatan.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in sorted(folder.iterdir()):
            if drop_prj and part.suffix == ".prj":
                continue
            zf.write(part, f"BATAS_KECAMATAN/{part.name}")  # inside a subfolder, as downloads often are
    return archive


def test_zipped_shapefile_in_a_subfolder_imports_the_same_17(shared_dir: Path, tmp_path: Path) -> None:
    archive = _zipped_shapefile(gpd.read_file(shared_dir / RBI), tmp_path)
    reference = _imported(str(shared_dir / RBI)).frame
    for result in (bd.import_boundaries(archive), bd.import_boundaries(archive.read_bytes(), "batas.zip")):
        assert result.ok, result.errors
        assert list(result.frame["kecamatan"]) == list(reference["kecamatan"])
        assert (
            abs(_metric_area(result.frame.geometry) - _metric_area(reference.geometry))
            / _metric_area(reference.geometry)
            < 0.001
        )


def test_projected_shapefile_is_reprojected(shared_dir: Path, tmp_path: Path) -> None:
    archive = _zipped_shapefile(gpd.read_file(shared_dir / RBI_SIMPLIFIED).to_crs(importer.METRIC_CRS), tmp_path)
    result = bd.import_boundaries(archive)
    assert result.ok, result.errors
    assert any("Diproyeksikan ulang" in m and "32748" in m for m in result.messages)
    minx, miny, maxx, maxy = result.frame.total_bounds
    assert 105.0 < minx < maxx < 106.0 and -6.3 < miny < maxy < -5.1


def test_projected_shapefile_without_prj_is_refused(tmp_path: Path) -> None:
    archive = _zipped_shapefile(
        _schematic_frame()[["kecamatan", "geometry"]].to_crs(importer.METRIC_CRS), tmp_path, drop_prj=True
    )
    errors = _errors(bd.import_boundaries(archive))
    assert ".prj" in errors and "bukan derajat" in errors


def test_shapefile_without_prj_in_degrees_is_taken_as_wgs84(tmp_path: Path) -> None:
    archive = _zipped_shapefile(_schematic_frame()[["kecamatan", "geometry"]], tmp_path, drop_prj=True)
    result = bd.import_boundaries(archive)
    assert result.ok, result.errors
    assert any("dianggap WGS84" in w for w in result.warnings)


def test_geopackage_with_a_points_layer_uses_the_polygon_layer(shared_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "batas.gpkg"
    rbi = gpd.read_file(shared_dir / RBI_SIMPLIFIED)
    points = rbi.assign(geometry=rbi.representative_point())
    _write(points, path, layer="ibukota", driver="GPKG")
    _write(rbi, path, layer="kecamatan", driver="GPKG")
    result = bd.import_boundaries(path.read_bytes(), "batas.gpkg")
    assert result.ok, result.errors
    assert set(result.frame["kecamatan"]) == _names()
    assert "kecamatan" in result.messages[0]


def test_unreadable_and_incomplete_files_are_refused(tmp_path: Path) -> None:
    assert "tidak dapat dibaca" in _errors(bd.import_boundaries(b"NAMA;KECAMATAN\nNatar;1\n", "batas.geojson"))
    assert "kosong" in _errors(bd.import_boundaries(b"", "batas.geojson"))
    assert ".zip" in _errors(bd.import_boundaries(b"\x00" * 10, "batas.shp"))
    assert "tidak ditemukan" in _errors(bd.import_boundaries(tmp_path / "tidak_ada.geojson"))
    archive = tmp_path / "hanya_shp.zip"
    folder = tmp_path / "shp"
    folder.mkdir()
    _write(_schematic_frame()[["kecamatan", "geometry"]], folder / "k.shp", driver="ESRI Shapefile")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(folder / "k.shp", "k.shp")
    errors = _errors(bd.import_boundaries(archive))
    assert ".shx" in errors and ".dbf" in errors


# ------------------------------------------------------------------------------------- wrong contents

BANDAR_LAMPUNG = ["KEDATON", "SUKARAME", "KEMILING", "WAYHALIM", "TANJUNGKARANGPUSAT", "LANGKAPURA", "RAJABASA"]


def test_file_of_another_regency_is_refused_by_its_regency_column(shared_dir: Path, tmp_path: Path) -> None:
    frame = gpd.read_file(shared_dir / RBI_SIMPLIFIED)
    frame["WADMKK"] = "KOTA BANDAR LAMPUNG"
    frame["NAMOBJ"] = [BANDAR_LAMPUNG[i % len(BANDAR_LAMPUNG)] for i in range(len(frame))]
    errors = _errors(bd.import_boundaries(_write(frame, tmp_path / "bandar_lampung.geojson")))
    assert "bukan Kabupaten Lampung Selatan" in errors
    assert "KOTA BANDAR LAMPUNG" in errors and "WADMKK" in errors
    assert "KEDATON" in errors and "SUKARAME" in errors


def test_file_of_another_regency_without_regency_column_names_what_it_found(shared_dir: Path, tmp_path: Path) -> None:
    frame = gpd.read_file(shared_dir / RBI_SIMPLIFIED)[["NAMOBJ", "geometry"]]
    frame["NAMOBJ"] = [BANDAR_LAMPUNG[i % 6] for i in range(len(frame))]
    errors = _errors(bd.import_boundaries(_write(frame, tmp_path / "bandar_lampung.geojson")))
    assert "Kota Bandar Lampung" in errors and "'KEDATON'" in errors
    assert "Tidak satu pun" in errors
    assert "Natar" in errors  # the missing kecamatan are listed


def test_file_of_jawa_barat_is_refused(tmp_path: Path) -> None:
    squares = [shapely.box(107.6 + i * 0.05, -6.95, 107.64 + i * 0.05, -6.9) for i in range(3)]
    frame = gpd.GeoDataFrame(
        {"KABUPATEN": ["KOTA BANDUNG"] * 3, "KECAMATAN": ["COBLONG", "CIBEUNYING KIDUL", "SUKAJADI"]},
        geometry=squares,
        crs=stored.WGS84,
    )
    errors = _errors(bd.import_boundaries(_write(frame, tmp_path / "bandung.geojson")))
    assert "bukan Kabupaten Lampung Selatan" in errors and "KOTA BANDUNG" in errors and "COBLONG" in errors
    errors = _errors(
        bd.import_boundaries(_write(frame.drop(columns="KABUPATEN"), tmp_path / "bandung_tanpa_kab.geojson"))
    )
    assert "'COBLONG'" in errors and "di luar Lampung Selatan" in errors


def test_empty_feature_collection_is_refused() -> None:
    empty = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    assert "tidak berisi fitur" in _errors(bd.import_boundaries(empty, "kosong.geojson"))


def test_regency_column_decides_before_names(shared_dir: Path, tmp_path: Path) -> None:
    """A province-wide file: Bandar Lampung's RAJABASA (same name as ours) must not be merged into ours."""
    ours = gpd.read_file(shared_dir / RBI_SIMPLIFIED)
    theirs = ours.iloc[[0]].copy()
    theirs["WADMKK"] = "KOTA BANDAR LAMPUNG"
    theirs["NAMOBJ"] = "RAJABASA"
    theirs["geometry"] = [shapely.box(105.22, -5.39, 105.26, -5.35)]
    source = gpd.GeoDataFrame(pd.concat([ours, theirs], ignore_index=True), crs=ours.crs)
    result = bd.import_boundaries(_write(source, tmp_path / "provinsi.geojson"))
    assert result.ok, result.errors
    assert "46 fitur dibaca" in result.messages[0] and "45 fitur Lampung Selatan" in result.messages[0]
    assert result.frame.set_index("kecamatan").loc["Rajabasa", "geometry"].bounds[3] < -5.6


def test_kemendagri_codes_of_another_province_are_refused(tmp_path: Path) -> None:
    frame = _schematic_frame().rename(columns={"kode_kemendagri": "kode"})
    frame["kode"] = frame["kode"].str.replace("18.01", "32.73", regex=False)
    frame["kecamatan"] = [f"Kecamatan {i}" for i in range(len(frame))]
    errors = _errors(bd.import_boundaries(_write(frame, tmp_path / "kode.geojson")))
    assert "32.73" in errors and "18.01" in errors


def test_points_only_file_is_refused(tmp_path: Path) -> None:
    table = ref.kecamatan()
    frame = gpd.GeoDataFrame(
        {"kecamatan": table["kecamatan"]},
        geometry=gpd.points_from_xy(table["ibukota_lon"], table["ibukota_lat"]),
        crs=stored.WGS84,
    )
    errors = _errors(bd.import_boundaries(_write(frame, tmp_path / "titik.geojson")))
    assert "Point (17)" in errors and "poligon" in errors


def test_three_unknown_names_are_listed_with_the_missing_kecamatan(tmp_path: Path) -> None:
    frame = _schematic_frame()
    renamed = {"Sragi": "KEC. XYZ-01", "Palas": "Desa Entah", "Natar": "ZONA 9"}
    frame["kecamatan"] = frame["kecamatan"].replace(renamed)
    errors = _errors(bd.import_boundaries(_write(frame, tmp_path / "salah_nama.geojson")))
    assert "3 nama tidak cocok" in errors
    for unknown in renamed.values():
        assert f"'{unknown}'" in errors
    assert "(3 dari 17): Natar, Palas, Sragi" in errors


def test_missing_kecamatan_is_refused_even_when_the_rest_match(tmp_path: Path) -> None:
    frame = _schematic_frame()
    frame = frame[frame["kecamatan"] != "Way Panji"]
    errors = _errors(bd.import_boundaries(_write(frame, tmp_path / "kurang.geojson")))
    assert "(1 dari 17): Way Panji" in errors


def test_spelling_variants_and_bandar_lampung_namesake_without_regency_column(tmp_path: Path) -> None:
    """RBI-style names ("JATIAGUNG", "Raja Basa", "Kec. Natar") join; the Rajabasa of Kota Bandar
    Lampung, next to Natar, is not merged into Lampung Selatan's Rajabasa at the southern tip."""
    frame = _schematic_frame()
    spelled = {
        "Jati Agung": "JATIAGUNG",
        "Tanjung Bintang": "TANJUNGBINTANG",
        "Way Panji": "WAYPANJI",
        "Merbau Mataram": "MERBAUMATARAM",
        "Rajabasa": "Raja Basa",
        "Natar": "Kec. Natar",
    }
    frame["kecamatan"] = frame["kecamatan"].replace(spelled)
    namesake = gpd.GeoDataFrame(
        {"kecamatan": ["RAJABASA", "KEDATON"]},
        geometry=[shapely.box(105.22, -5.39, 105.26, -5.35), shapely.box(105.26, -5.41, 105.30, -5.37)],
        crs=stored.WGS84,
    )
    source = pd.concat([frame[["kecamatan", "geometry"]], namesake], ignore_index=True)
    result = bd.import_boundaries(_write(gpd.GeoDataFrame(source, crs=stored.WGS84), tmp_path / "ejaan.geojson"))
    assert result.ok, result.errors
    assert set(result.frame["kecamatan"]) == _names()
    rajabasa = result.frame.set_index("kecamatan").loc["Rajabasa", "geometry"]
    assert rajabasa.bounds[3] < -5.6  # only the southern one
    assert any("letaknya jauh" in w for w in result.warnings)
    assert any("'KEDATON'" in w for w in result.warnings)


def test_swapped_lat_lon_is_detected(tmp_path: Path) -> None:
    frame = _schematic_frame()
    frame = frame.set_geometry(shapely.transform(frame.geometry.values, lambda xy: xy[:, ::-1]))
    result = bd.import_boundaries(_write(frame, tmp_path / "tertukar.geojson"))
    assert result.ok, result.errors
    assert any("ditukar" in w for w in result.warnings)


# ----------------------------------------------------------------------------------- save / load / CLI


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    result = bd.import_boundaries(_write(_schematic_frame(), tmp_path / "skema.geojson"))
    out = bd.save_boundaries(result, tmp_path / "work" / "batas.geojson")
    loaded = bd.load_boundaries(out)
    assert list(loaded.columns) == ["kecamatan", "kode_kemendagri", "kode_bps", "geometry"]
    assert loaded["kecamatan"].tolist() == result.frame["kecamatan"].tolist()
    assert loaded["kode_bps"].tolist() == result.frame["kode_bps"].tolist()
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert [f["id"] for f in collection["features"]] == result.frame["kecamatan"].tolist()
    assert collection == bd.boundaries_geojson(loaded)


def test_load_returns_none_when_absent_and_raises_on_a_broken_file(tmp_path: Path) -> None:
    assert bd.load_boundaries(tmp_path / "tidak_ada.geojson") is None
    broken = tmp_path / "rusak.geojson"
    broken.write_text("{bukan json", encoding="utf-8")
    with pytest.raises(bd.BoundaryFileError):
        bd.load_boundaries(broken)
    foreign = _write(_schematic_frame().assign(kecamatan="Kedaton"), tmp_path / "asing.geojson")
    with pytest.raises(bd.BoundaryFileError, match="Kedaton"):
        bd.load_boundaries(foreign)


def test_save_refuses_a_refused_import() -> None:
    with pytest.raises(ValueError, match="ditolak"):
        bd.save_boundaries(bd.ImportResult(ok=False, errors=["x"]), Path("/nonexistent/never.geojson"))


def test_boundary_file_lives_in_the_git_ignored_work_folder() -> None:
    default = settings.Settings.from_environment({}).boundary_file  # what a server without UMKM_BATAS_FILE uses
    assert default.parent == paths.WORK_DIR
    ignored = subprocess.run(["git", "check-ignore", "-q", str(default)], cwd=paths.ROOT)
    assert ignored.returncode == 0


def test_no_shared_boundary_file_is_committed(shared_dir: Path) -> None:
    shared = {
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (shared_dir / "data" / "boundaries").iterdir()
        if p.is_file()
    }
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    copies = [
        name
        for name in tracked
        if name
        and (paths.ROOT / name).is_file()
        and hashlib.sha256((paths.ROOT / name).read_bytes()).hexdigest() in shared
    ]
    assert not copies


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(_schematic_frame(), tmp_path / "skema.geojson")
    out = tmp_path / "keluar" / "batas.geojson"
    assert boundaries_command(["import", str(good), "--out", str(out)]) == 0
    assert "17 kecamatan" in capsys.readouterr().out
    assert set(bd.load_boundaries(out)["kecamatan"]) == _names()

    table = ref.kecamatan()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(table["ibukota_lon"], table["ibukota_lat"]), crs=stored.WGS84)
    refused_out = tmp_path / "tidak.geojson"
    assert boundaries_command(["import", str(_write(points, tmp_path / "titik.geojson")), "--out", str(refused_out)]) == 1
    assert "DITOLAK" in capsys.readouterr().err
    assert not refused_out.exists()

    assert boundaries_command([]) == 2
    assert boundaries_command(["import"]) == 2
    assert boundaries_command(["hapus", str(good)]) == 2
    assert boundaries_command(["import", str(tmp_path / "tidak_ada.geojson")]) == 2
    assert "tidak ditemukan" in capsys.readouterr().err


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    good = _write(_schematic_frame(), tmp_path / "skema.geojson")
    out = tmp_path / "batas.geojson"
    done = subprocess.run(
        [sys.executable, "-m", "analysis.boundaries", "import", str(good), "--out", str(out)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert len(gpd.read_file(out)) == 17


# ------------------------------------------------------------------------------------------- schematic


def test_schematic_tiles_one_cell_each() -> None:
    tiles = bd.schematic_tiles()
    assert len(tiles) == 17
    assert set(tiles["kecamatan"]) == _names()
    assert not tiles.duplicated(["col", "row"]).any()
    assert (tiles[["col", "row"]] >= 0).all().all()
    assert list(tiles.columns) == ["kecamatan", "kode_kemendagri", "col", "row"]
    pd.testing.assert_frame_equal(tiles, bd.schematic_tiles())


def test_schematic_tiles_keep_north_above_south() -> None:
    tiles = bd.schematic_tiles().set_index("kecamatan")
    assert tiles.loc["Natar", "row"] == 0 and tiles.loc["Jati Agung", "row"] == 0
    bottom = tiles["row"].max()
    assert tiles.loc["Rajabasa", "row"] == bottom and tiles.loc["Bakauheni", "row"] == bottom
    assert tiles.loc["Natar", "col"] < tiles.loc["Ketapang", "col"]  # west stays west
    seats = ref.kecamatan().set_index("kecamatan")
    for a in tiles.index:
        for b in tiles.index:
            if seats.loc[a, "ibukota_lat"] > seats.loc[b, "ibukota_lat"] + 0.1:  # a clearly north of b
                assert tiles.loc[a, "row"] < tiles.loc[b, "row"], (a, b)


def test_schematic_geojson_squares() -> None:
    collection = bd.schematic_geojson()
    features = collection["features"]
    assert len(features) == 17
    assert [f["id"] for f in features] == bd.schematic_tiles()["kecamatan"].tolist()
    geoms = [shapely.geometry.shape(f["geometry"]) for f in features]
    assert all(g.is_valid and _rings_clockwise(g) for g in geoms)
    assert len({round(g.area, 10) for g in geoms}) == 1  # equal squares
    assert shapely.coverage_is_valid(geoms)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    assert 105.0 < minx < maxx < 106.2 and -6.2 < miny < maxy < -5.1


def test_nested_island_shell_is_merged_not_punched_out(tmp_path: Path) -> None:
    """An island part drawn inside another part of the same kecamatan (cahyadsn's "Nested shells")
    belongs to it: the repair must not turn it into a hole."""
    frame = _schematic_frame()
    natar = frame.index[frame["kecamatan"] == "Natar"][0]
    square = frame.geometry[natar]
    inner = shapely.box(*square.centroid.buffer(0.01).bounds)
    frame.loc[natar, "geometry"] = shapely.MultiPolygon([square, inner])
    assert not frame.geometry[natar].is_valid
    result = bd.import_boundaries(_write(frame, tmp_path / "bersarang.geojson"))
    assert result.ok, result.errors
    repaired = result.frame.set_index("kecamatan").loc["Natar", "geometry"]
    assert repaired.is_valid
    assert repaired.area == pytest.approx(square.area, rel=1e-3)
    assert "1 geometri tidak valid diperbaiki" in result.messages[0]


def test_uploaded_bytes_without_a_name_are_sniffed(tmp_path: Path) -> None:
    data = _write(_schematic_frame(), tmp_path / "x.json", driver="GeoJSON").read_bytes()
    result = bd.import_boundaries(data)
    assert result.ok, result.errors
    assert len(result.frame) == 17
