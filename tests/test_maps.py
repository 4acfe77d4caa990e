"""Offline choropleths: MapLibre with the white-bg style (no tile server, no CDN topojson), fitted to the
polygons, grey for kecamatan without data, Indonesian hover. AppTest cannot look into plotly figures, so
they are checked here."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis import boundaries, maps
from analysis import indicators as ind
from analysis import reference as ref


@pytest.fixture(scope="module")
def tiles() -> dict:
    return boundaries.schematic_geojson()


def _frame(values: list[float | None], counts: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"kecamatan": list(ref.kecamatan_names()), "nilai": values, ind.N_UMKM: counts})


def test_choropleth_is_offline_white_bg_with_all_17(tiles):
    frame = _frame([float(i) for i in range(17)], [5] * 17)
    figure = maps.choropleth(frame, "nilai", tiles, "Nilai", count_column=ind.N_UMKM)
    assert {trace.type for trace in figure.data} == {"choroplethmap"}
    assert figure.layout.map.style == "white-bg"
    spec = figure.to_json()
    assert "open-street-map" not in spec and "carto" not in spec and "mapbox://" not in spec
    assert sorted(maps.locations(figure)) == sorted(ref.kecamatan_names())
    assert all(trace.featureidkey == "id" for trace in figure.data)
    assert figure.layout.separators == ",."


def test_kecamatan_without_umkm_is_grey_with_tidak_ada_data(tiles):
    counts = [0, 0] + [3] * 15
    values = [None, 0.0] + [0.5] * 15  # the second has a value but no UMKM behind it
    figure = maps.choropleth(_frame(values, counts), "nilai", tiles, "Nilai", count_column=ind.N_UMKM)
    grey, coloured = figure.data
    assert list(grey.locations) == list(ref.kecamatan_names()[:2])
    assert maps.NO_DATA_TEXT in grey.hovertemplate and grey.showscale is False
    assert len(coloured.locations) == 15


def test_hover_and_colour_bar_use_the_formatter(tiles):
    frame = _frame([0.1 + i / 100 for i in range(17)], list(range(1, 18)))
    figure = maps.indicator_map(frame.rename(columns={"nilai": "porsi_nib"}), "porsi_nib", tiles)
    trace = figure.data[-1]
    assert trace.customdata[0] == ("10,0%", "1") or list(trace.customdata[0]) == ["10,0%", "1"]
    assert "Memiliki NIB: %{customdata[0]}" in trace.hovertemplate and "Jumlah UMKM" in trace.hovertemplate
    assert trace.colorbar.ticktext[0] == "10,0%" and trace.colorbar.ticktext[-1] == "26,0%"


def test_view_is_fitted_to_the_polygons(tiles):
    west, south, east, north = maps.bounds(tiles)
    centre, zoom = maps.fit_view(tiles, 700, 480)
    assert west < centre["lon"] < east and south < centre["lat"] < north
    assert 7 < zoom < 11  # a kabupaten, not the world (0) nor a street (15)
    figure = maps.choropleth(_frame([1.0] * 17, [1] * 17), "nilai", tiles, "Nilai", width_hint=700, height=480)
    centre, zoom = maps.fit_view(tiles, 700 - maps.COLOURBAR_PX, 480)  # the colour bar takes its share
    assert figure.layout.map.center.lon == pytest.approx(centre["lon"])
    assert figure.layout.map.zoom == pytest.approx(zoom)


def test_smaller_map_zooms_out():
    square = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "geometry": {
        "type": "Polygon", "coordinates": [[[105.0, -5.0], [105.0, -6.0], [106.0, -6.0], [106.0, -5.0], [105.0, -5.0]]]}}]}
    assert maps.fit_view(square, 350, 240)[1] == pytest.approx(maps.fit_view(square, 700, 480)[1] - 1, abs=0.01)


def test_missing_column_is_named(tiles):
    with pytest.raises(ValueError, match="'nilai'"):
        maps.choropleth(pd.DataFrame({"kecamatan": []}), "nilai", tiles, "Nilai")


def test_real_boundaries_draw_17_kecamatan(shared_dir, tmp_path):
    source = shared_dir / "data" / "boundaries" / "lampung_selatan_kecamatan_rbi_simplified.geojson"
    if not source.is_file():
        pytest.skip(f"{source} tidak ada")
    result = boundaries.import_boundaries(source)
    assert result.ok, result.errors
    geojson = boundaries.boundaries_geojson(result.frame)
    figure = maps.choropleth(_frame([1.0] * 17, [1] * 17), "nilai", geojson, "Nilai")
    assert sorted(maps.locations(figure)) == sorted(ref.kecamatan_names())
    assert len(json.dumps(geojson)) < 600_000
