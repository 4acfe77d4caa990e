"""Offline choropleths: MapLibre with the white-bg style (no tile server, no CDN topojson), fitted to the
polygons, grey for kecamatan without data, Indonesian hover; and the schematic tiles as a cartesian figure
with the names written on them. AppTest cannot look into plotly figures, so they are checked here."""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import boundaries
from analysis.core import reference as ref
from analysis.insight import indicators as ind
from analysis.output import maps


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


# --------------------------------------------------------------------------------------------------
# Schematic tiles: a cartesian figure with the names on the tiles


def _tile_name(text: str) -> str:
    """The name written on a tile: "Tanjung<br>Bintang<br><b>170</b>" -> "Tanjung Bintang"."""
    return text.split("<b>")[0].replace("<br>", " ").strip()


@pytest.fixture(scope="module")
def grid() -> pd.DataFrame:
    return boundaries.schematic_tiles()


def _schematic(grid: pd.DataFrame, values: list[float | None], counts: list[int], **kwargs) -> go.Figure:
    frame = _frame(values, counts).rename(columns={"nilai": "porsi_nib"})
    return maps.indicator_schematic_map(frame, "porsi_nib", grid, **kwargs)


def test_schematic_map_names_all_17_tiles_without_map_traces(grid):
    figure = _schematic(grid, [0.1 + i / 100 for i in range(17)], [2] * 17)
    assert {trace.type for trace in figure.data} == {"scatter"}
    spec = figure.to_json()
    assert '"map"' not in spec and "mapbox" not in spec and "choropleth" not in spec
    assert sorted(maps.locations(figure)) == sorted(ref.kecamatan_names())
    texts = [a.text for a in figure.layout.annotations]
    assert len(texts) == 17 and len(figure.layout.shapes) == 17
    assert sorted(_tile_name(t) for t in texts) == sorted(ref.kecamatan_names())
    assert "Tanjung<br>Bintang<br>" in " ".join(texts)  # long names on two lines
    assert figure.layout.yaxis.scaleanchor == "x" and figure.layout.xaxis.visible is False
    assert figure.layout.separators == ",."


def test_schematic_tiles_sit_on_their_grid_cells(grid):
    figure = _schematic(grid, [1.0] * 17, [1] * 17)
    cells = {row.kecamatan: (row.col, -row.row) for row in grid.itertuples()}
    for annotation in figure.layout.annotations:
        assert (annotation.x, annotation.y) == cells[_tile_name(annotation.text)]


def test_schematic_value_text_and_colour_bar_use_the_formatter(grid):
    figure = _schematic(grid, [0.1 + i / 100 for i in range(17)], list(range(1, 18)))
    first = ref.kecamatan_names()[0]
    label = next(a.text for a in figure.layout.annotations if _tile_name(a.text) == first)
    assert label.endswith("<b>10,0%</b>")
    trace = figure.data[-1]
    assert list(trace.customdata[0]) == [first, "10,0%", "1"]
    assert "Memiliki NIB: %{customdata[1]}" in trace.hovertemplate and "Jumlah UMKM" in trace.hovertemplate
    assert trace.marker.colorbar.ticktext[0] == "10,0%" and trace.marker.colorbar.ticktext[-1] == "26,0%"
    assert list(trace.marker.colorscale[0]) == list(map(list, maps.COLOURSCALE))[0]


def test_schematic_kecamatan_without_umkm_is_a_grey_tile(grid):
    names = ref.kecamatan_names()
    figure = _schematic(grid, [None, 0.2] + [0.5] * 15, [0, 0] + [3] * 15)
    grey, coloured = figure.data
    assert maps.locations(go.Figure(data=[grey])) == list(names[:2])
    assert maps.NO_DATA_TEXT in grey.hovertemplate and len(coloured.customdata) == 15
    fills = {_tile_name(a.text): s.fillcolor for a, s in zip(figure.layout.annotations, figure.layout.shapes)}
    assert fills[names[0]] == fills[names[1]] == maps.NO_DATA_COLOUR
    texts = {_tile_name(a.text): a.text for a in figure.layout.annotations}
    assert texts[names[0]].endswith("<b>–</b>")  # the dashboard's "no data" dash, not a zero
    assert all(fill != maps.NO_DATA_COLOUR for name, fill in fills.items() if name not in names[:2])


def test_schematic_text_is_dark_on_light_tiles_and_white_on_dark_ones(grid):
    figure = _schematic(grid, [float(i) for i in range(17)], [1] * 17)
    colours = {_tile_name(a.text): a.font.color for a in figure.layout.annotations}
    names = ref.kecamatan_names()
    assert colours[names[0]] == maps.DARK_TEXT  # the lowest value: the lightest teal
    assert colours[names[-1]] == maps.LIGHT_TEXT  # the highest: the darkest


def test_schematic_needs_a_tile_for_every_kecamatan(grid):
    with pytest.raises(ValueError, match="Natar"):
        _schematic(grid[grid.kecamatan != "Natar"], [1.0] * 17, [1] * 17)


def test_indicator_figure_picks_the_drawing_from_the_shapes(tiles, grid):
    frame = _frame([1.0] * 17, [1] * 17).rename(columns={"nilai": "jumlah_umkm"})
    schematic = maps.indicator_figure(frame, "jumlah_umkm", maps.MapShapes(tiles, official=False, tiles=grid))
    official = maps.indicator_figure(frame, "jumlah_umkm", maps.MapShapes(tiles, official=True))
    assert {t.type for t in schematic.data} == {"scatter"} and {t.type for t in official.data} == {"choroplethmap"}
    # The indicator is the UMKM count itself: the hover does not repeat it.
    assert official.data[-1].hovertemplate.count("Jumlah UMKM") == 1
    assert schematic.data[-1].hovertemplate.count("Jumlah UMKM") == 1


@pytest.mark.parametrize("points, expected", [
    ([{"curve_number": 0, "point_index": 3, "location": "Kalianda", "customdata": ["230", "230"]}], "Kalianda"),
    ([{"curve_number": 1, "point_index": 3, "x": 5, "y": -5, "customdata": ["Kalianda", "230", "230"]}], "Kalianda"),
    ([{"point_index": 0, "text": "Natar"}], "Natar"),
    ([], None),
    (None, None),
    ([{"point_index": 0}], None),
])
def test_selected_kecamatan_reads_choropleth_and_tile_points(points, expected):
    assert maps.selected_kecamatan(points) == expected


