"""Kecamatan choropleths that draw with no internet: plotly's MapLibre map with the "white-bg" style
(a white background, no tile server) and the polygons passed in as GeoJSON.

Never ``px.choropleth`` (geo): it downloads a world topojson from a CDN even when hidden, and offline
draws nothing (TECH-NOTES "Maps offline"). No text labels on the map either: MapLibre fetches the glyphs
for map text from fonts.openmaptiles.org. Names are in the hover and in the ranked table beside the map.

That is why the schematic tiles (analysis.boundaries, used until official boundaries are imported) are
not drawn on MapLibre: on an unlabelled grid of squares nobody can tell which square is which kecamatan.
``schematic_map`` draws them on a plain cartesian plotly figure, where the names are SVG text that needs
no glyphs from anywhere. ``indicator_figure`` picks one or the other from the ``MapShapes``, so every page
draws the same way.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from analysis.core import formatting as fmt
from analysis.core.schemas import Producers
from analysis.insight import indicators as ind
from analysis.output import charts

MAP_STYLE = "white-bg"
NO_DATA_COLOUR = "#D9D6CE"
NO_DATA_TEXT = "tidak ada data"
SCHEMATIC_NOTE = ("Peta skematis: satu kotak per kecamatan, disusun kira-kira sesuai letaknya — bukan batas "
                  "wilayah resmi")
ADD_BOUNDARIES = ("Untuk memakai batas kecamatan resmi, impor berkas batas (GeoJSON, Shapefile dalam .zip, atau "
                  "GeoPackage) dengan perintah `python -m analysis.boundaries import BERKAS`, atau unggah "
                  "berkasnya di bagian 'Batas wilayah kecamatan' halaman Peta Kecamatan.")
# Light to dark in the dashboard's teal: a darker kecamatan has more of the indicator.
COLOURSCALE = [[0.0, "#EAF4F1"], [0.5, "#6FB3A3"], [1.0, "#0F4A40"]]
TILE_PX = 512  # MapLibre: the whole world is 512 px wide at zoom 0
COLOURBAR_PX = 110  # room the colour bar and its tick labels take beside the map
# Schematic map: text on the tiles, dark on light tiles and white on dark ones.
DARK_TEXT, LIGHT_TEXT = "#1F2A2E", "#FFFFFF"
TILE_HALF = 0.46  # half a tile's side in grid cells: a thin white gap between neighbours
WRAP_AFTER = 9  # names longer than this go onto two lines ("Tanjung<br>Bintang")
COLOURBAR_BELOW_PX = 70  # room a horizontal colour bar with its title takes under the tiles


APPROXIMATE_NOTE = ("Batas perkiraan, bukan batas wilayah resmi. Sumber: Cahya DSN (lisensi MIT), dirapikan oleh dasbor "
                    "ini; rincian di 'Sumber data wilayah dan lisensi' halaman Peta Kecamatan")
ADD_OFFICIAL = ("Batas resmi (mis. RBI dari BIG) dapat diimpor dengan `python -m analysis.boundaries import BERKAS` atau "
                "diunggah di bagian 'Batas wilayah kecamatan' halaman Peta Kecamatan; batas impor menggantikan batas perkiraan.")


@dataclass(frozen=True, eq=False)  # eq=False: a DataFrame field has no truth value
class MapShapes:
    """What the maps are drawn on: the imported boundaries, else the shipped approximate ones, else the
    schematic tiles (a region without polygons)."""

    geojson: dict[str, Any]  # FeatureCollection, feature id = canonical kecamatan name
    official: bool  # True: polygons (imported or shipped); False: the schematic tiles
    problem: str | None = None  # why a stored boundary file could not be used (the shipped polygons are shown)
    tiles: pd.DataFrame | None = None  # kecamatan, col, row (boundaries.schematic_tiles) when not official
    approximate: bool = False  # True: the shipped polygons, "batas perkiraan"

    @property
    def note(self) -> str | None:
        """The line under a map that says what its lines are: schematic tiles or approximate boundaries."""
        if not self.official:
            return SCHEMATIC_NOTE
        return APPROXIMATE_NOTE if self.approximate else None


def only(shapes: MapShapes, names: Iterable[str]) -> MapShapes:
    """``shapes`` with the features (or schematic tiles) of ``names`` only: a kabupaten's kecamatan."""
    keep = set(names)
    geojson = {**shapes.geojson, "features": [f for f in shapes.geojson["features"] if f.get("id") in keep]}
    tiles = None if shapes.tiles is None else shapes.tiles[shapes.tiles[Producers.kecamatan].isin(keep)]
    return MapShapes(geojson, official=shapes.official, problem=shapes.problem, tiles=tiles,
                     approximate=shapes.approximate)


def _positions(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    def walk(node: Any) -> Iterator[tuple[float, float]]:
        if isinstance(node, (list, tuple)) and node and isinstance(node[0], (int, float)):
            yield float(node[0]), float(node[1])
        elif isinstance(node, (list, tuple)):
            for child in node:
                yield from walk(child)

    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries", []):
            yield from _positions(part)
    else:
        yield from walk(geometry.get("coordinates", []))


def bounds(geojson: dict[str, Any]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of every feature, in degrees."""
    points = np.array([p for feature in geojson["features"] for p in _positions(feature["geometry"])])
    if not len(points):
        raise ValueError("peta: GeoJSON tidak berisi koordinat")
    return float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max())


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def fit_view(geojson: dict[str, Any], width_px: int, height_px: int, padding: float = 0.08) -> tuple[dict[str, float], float]:
    """Centre and zoom that fit the polygons in a map of about ``width_px`` x ``height_px``.

    plotly's map has no "fit to data": without this the map opens on the whole world. The width of a
    Streamlit column is not known in Python, so the caller passes an estimate; ``padding`` is the share
    of each side left free so a narrower column still shows everything."""
    west, south, east, north = bounds(geojson)
    centre_y = (_mercator_y(south) + _mercator_y(north)) / 2
    centre = {"lon": (west + east) / 2, "lat": math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)}
    usable_w, usable_h = width_px * (1 - 2 * padding), height_px * (1 - 2 * padding)
    span_x = max(east - west, 1e-6) / 360 * TILE_PX
    span_y = max(_mercator_y(north) - _mercator_y(south), 1e-6) / (2 * math.pi) * TILE_PX
    zoom = min(math.log2(usable_w / span_x), math.log2(usable_h / span_y))
    return centre, round(zoom, 2)


def _prepared(
    frame: pd.DataFrame, value_column: str, location_column: str, count_column: str | None
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Names, numeric values, whether each kecamatan has data to colour, and UMKM counts."""
    missing = [c for c in (location_column, value_column, count_column) if c is not None and c not in frame]
    if missing:
        raise ValueError(f"peta: kolom {', '.join(repr(c) for c in missing)} tidak ada")
    values = pd.to_numeric(frame[value_column]).astype(float)
    has_data = values.notna()
    if count_column is not None:
        has_data &= pd.to_numeric(frame[count_column]).fillna(0) > 0
    names = frame[location_column].astype(str)
    counts = frame[count_column] if count_column is not None else pd.Series(pd.NA, index=frame.index)
    return names, values, has_data, counts


def _count_line(count_column: str | None, count_label: str, label: str) -> bool:
    """Whether the hover adds the UMKM count: not when the indicator is that count already."""
    return count_column is not None and count_label != label


def _colourbar(label: str, tick_values: list[float], tick_text: list[str], **extra: Any) -> dict[str, Any]:
    return {"title": {"text": label, "side": "right"}, "tickvals": tick_values, "ticktext": tick_text,
            "thickness": 12, "len": 0.8, **extra}


def choropleth(
    frame: pd.DataFrame,
    value_column: str,
    geojson: dict[str, Any],
    label: str,
    *,
    location_column: str = Producers.kecamatan,
    count_column: str | None = None,
    count_label: str = "Jumlah UMKM",
    formatter: Callable[[float], str] = fmt.number,
    height: int = 480,
    width_hint: int = 520,
) -> go.Figure:
    """``value_column`` per kecamatan on the polygons of ``geojson`` (feature id = ``location_column``).

    Kecamatan without a value, or with no UMKM behind it when ``count_column`` is given, are drawn grey
    with "tidak ada data" so an empty kecamatan never reads as the lowest value. Hover and colour bar
    show values through ``formatter`` (Indonesian separators, "Rp 1,5 M", "15,3%"). ``width_hint`` is
    the expected width of the chart in pixels (a Streamlit column's width is not known in Python): the
    zoom is fitted to it, so an estimate on the small side keeps every kecamatan in view."""
    names, values, has_data, counts = _prepared(frame, value_column, location_column, count_column)

    figure = go.Figure()
    empty = names[~has_data]
    if len(empty):
        figure.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="id", locations=list(empty), z=[0] * len(empty), name=NO_DATA_TEXT,
            colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]], showscale=False,
            marker={"line": {"color": "#FFFFFF", "width": 1}},
            hovertemplate=f"<b>%{{location}}</b><br>{NO_DATA_TEXT}<extra></extra>",
        ))
    shown = has_data[has_data].index
    if len(shown):
        tick_values, tick_text = charts.value_ticks(values[shown], formatter)
        custom = [[formatter(values[i]), fmt.number(counts[i])] for i in shown]
        count_line = f"<br>{count_label}: %{{customdata[1]}}" if _count_line(count_column, count_label, label) else ""
        figure.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="id", locations=list(names[shown]), z=list(values[shown]), name=label,
            colorscale=COLOURSCALE, marker={"line": {"color": "#FFFFFF", "width": 1}, "opacity": 0.95},
            customdata=custom,
            hovertemplate=f"<b>%{{location}}</b><br>{label}: %{{customdata[0]}}{count_line}<extra></extra>",
            colorbar=_colourbar(label, tick_values, tick_text),
        ))
    # The colour bar sits outside the map area (plotly widens the right margin for it).
    centre, zoom = fit_view(geojson, width_hint - (COLOURBAR_PX if len(shown) else 0), height)
    figure.update_layout(
        map={"style": MAP_STYLE, "center": centre, "zoom": zoom},
        height=height,
        showlegend=False,
    )
    charts.style(figure)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return figure


def _tile_label(name: str, value_text: str) -> str:
    words = name.split(" ")
    shown = name if len(name) <= WRAP_AFTER or len(words) == 1 else "<br>".join(
        [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2:])])
    return f"{shown}<br><b>{value_text}</b>"


def _text_colour(fill: str) -> str:
    """Dark text on light tiles, white on dark ones (relative luminance of the tile colour)."""
    rgb = plotly.colors.hex_to_rgb(fill) if fill.startswith("#") else plotly.colors.unlabel_rgb(fill)
    red, green, blue = (c / 255 for c in rgb)
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return LIGHT_TEXT if luminance < 0.3 else DARK_TEXT


def schematic_map(
    frame: pd.DataFrame,
    value_column: str,
    tiles: pd.DataFrame,
    label: str,
    *,
    location_column: str = Producers.kecamatan,
    count_column: str | None = None,
    count_label: str = "Jumlah UMKM",
    formatter: Callable[[float], str] = fmt.number,
    height: int = 480,
    width_hint: int = 520,
) -> go.Figure:
    """``value_column`` per kecamatan on the schematic tiles (``tiles``: kecamatan, col, row as from
    ``boundaries.schematic_tiles``), each square named and with its value written on it.

    A cartesian figure, not a map: layout shapes draw the squares in data units (so they keep their
    gaps at any width), an annotation per tile writes the name and value, and one invisible square
    marker per tile gives the hover and the click selection (its ``customdata[0]`` is the name, see
    ``selected_kecamatan``). Colours, colour bar ticks, grey "tidak ada data" and hover are those of
    ``choropleth``; the colour bar lies under the tiles so the eight columns get the whole width.
    ``width_hint`` (expected width in pixels) sets the text size and the hover area of the tiles."""
    names, values, has_data, counts = _prepared(frame, value_column, location_column, count_column)
    missing = [c for c in (Producers.kecamatan, "col", "row") if c not in tiles]
    if missing:
        raise ValueError(f"peta: kolom {', '.join(repr(c) for c in missing)} tidak ada pada petak")
    cells = {str(t[Producers.kecamatan]): (float(t["col"]), -float(t["row"])) for _, t in tiles.iterrows()}
    unknown = sorted(set(names) - set(cells))
    if unknown:
        raise ValueError(f"peta: tidak ada petak untuk {', '.join(unknown)}")
    n_cols = int(tiles["col"].max()) + 1
    n_rows = int(tiles["row"].max()) + 1
    tile_px = min(width_hint / n_cols, (height - COLOURBAR_BELOW_PX) / n_rows)
    # The longest line (a one-word name such as "Penengahan") fills at most 90% of a tile; sans-serif
    # letters average about 0.55 em.
    longest = max(len(part) for name in names for part in _tile_label(name, "").split("<br>"))
    font_size = round(min(12.0, max(8.0, 0.9 * tile_px * 2 * TILE_HALF / (0.55 * longest))), 1)

    shown = has_data[has_data].index
    low, high = (float(values[shown].min()), float(values[shown].max())) if len(shown) else (0.0, 1.0)

    def share(value: float) -> float:
        return 0.5 if high == low else (value - low) / (high - low)

    figure = go.Figure()
    shapes, annotations = [], []
    for i in names.index:
        name = names[i]
        x, y = cells[name]
        if has_data[i]:
            fill = plotly.colors.sample_colorscale(COLOURSCALE, [share(values[i])])[0]
            text = _tile_label(name, formatter(values[i]))
        else:
            fill, text = NO_DATA_COLOUR, _tile_label(name, fmt.MISSING)
        shapes.append({"type": "rect", "xref": "x", "yref": "y", "layer": "below", "fillcolor": fill,
                       "line": {"width": 0}, "x0": x - TILE_HALF, "x1": x + TILE_HALF,
                       "y0": y - TILE_HALF, "y1": y + TILE_HALF})
        annotations.append({"x": x, "y": y, "xref": "x", "yref": "y", "text": text, "showarrow": False,
                            "font": {"size": font_size, "color": _text_colour(fill)}, "align": "center"})

    marker = {"symbol": "square", "size": max(4.0, tile_px * 2 * TILE_HALF), "opacity": 0}
    empty = names[~has_data]
    if len(empty):
        figure.add_trace(go.Scatter(
            x=[cells[n][0] for n in empty], y=[cells[n][1] for n in empty], mode="markers", name=NO_DATA_TEXT,
            marker={**marker, "color": NO_DATA_COLOUR}, customdata=[[n] for n in empty],
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{NO_DATA_TEXT}<extra></extra>",
        ))
    if len(shown):
        tick_values, tick_text = charts.value_ticks(values[shown], formatter)
        count_line = f"<br>{count_label}: %{{customdata[2]}}" if _count_line(count_column, count_label, label) else ""
        figure.add_trace(go.Scatter(
            x=[cells[names[i]][0] for i in shown], y=[cells[names[i]][1] for i in shown], mode="markers", name=label,
            marker={**marker, "color": list(values[shown]), "colorscale": COLOURSCALE, "cmin": low, "cmax": high,
                    "colorbar": _colourbar(label, tick_values, tick_text, orientation="h", x=0.5, xanchor="center",
                                           y=0, yanchor="top", title={"text": label, "side": "top"})},
            customdata=[[names[i], formatter(values[i]), fmt.number(counts[i])] for i in shown],
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{label}: %{{customdata[1]}}{count_line}<extra></extra>",
        ))
    axis = {"visible": False, "fixedrange": True, "showgrid": False, "zeroline": False}
    figure.update_layout(
        shapes=shapes, annotations=annotations, height=height, showlegend=False,
        xaxis={**axis, "range": [-0.5, n_cols - 0.5]},
        yaxis={**axis, "range": [-(n_rows - 0.5), 0.5], "scaleanchor": "x", "scaleratio": 1},
        hovermode="closest", dragmode=False,
    )
    charts.style(figure)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0})
    return figure


def _names(trace: Any) -> list[str]:
    """The kecamatan a trace draws: ``locations`` of a choropleth, ``customdata[0]`` of a schematic tile."""
    if getattr(trace, "locations", None) is not None:
        return [str(name) for name in trace.locations]
    return [str(row[0]) for row in (getattr(trace, "customdata", None) or ())]


def locations(figure: go.Figure) -> list[str]:
    """Every kecamatan drawn, over all traces (for tests and for reading a selection back)."""
    return [name for trace in figure.data for name in _names(trace)]


def selected_kecamatan(points: Iterable[Mapping[str, Any]] | None) -> str | None:
    """The kecamatan of the first clicked point of a Streamlit plotly selection, or None.

    A choropleth point carries the name as ``location``; a schematic tile (a scatter point) as the first
    element of ``customdata`` (or as ``text``)."""
    for point in points or ():
        name = point.get("location")
        if not name:
            custom = point.get("customdata")
            name = custom[0] if isinstance(custom, (list, tuple)) and custom else custom
        if not name or not isinstance(name, str):
            name = point.get("text")
        if isinstance(name, str) and name:
            return name
    return None


def indicator_map(per_kecamatan: pd.DataFrame, key: str, geojson: dict[str, Any], *,
                  location_column: str = Producers.kecamatan, **kwargs: Any) -> go.Figure:
    """One catalogue indicator (analysis.insight.indicators) on the map, from ``compute(..., by_kecamatan=True)``
    (or ``by_kabupaten=True`` with ``location_column=indicators.KABUPATEN`` on kabupaten/kota polygons),
    formatted as on the cards and grey where no UMKM stand behind the value."""
    indicator = ind.INDICATORS[key]
    return choropleth(
        per_kecamatan, key, geojson, indicator.label,
        location_column=location_column, count_column=ind.N_UMKM,
        formatter=lambda value: fmt.indicator_value(indicator.kind, value), **kwargs,
    )


def indicator_schematic_map(per_kecamatan: pd.DataFrame, key: str, tiles: pd.DataFrame, **kwargs: Any) -> go.Figure:
    """``indicator_map`` on the schematic tiles: same colours, formatting and grey, with names on the tiles."""
    indicator = ind.INDICATORS[key]
    return schematic_map(
        per_kecamatan, key, tiles, indicator.label,
        location_column=Producers.kecamatan, count_column=ind.N_UMKM,
        formatter=lambda value: fmt.indicator_value(indicator.kind, value), **kwargs,
    )


def indicator_figure(per_kecamatan: pd.DataFrame, key: str, shapes: MapShapes, **kwargs: Any) -> go.Figure:
    """The one place that picks the drawing: MapLibre choropleth on official boundaries, the labelled
    cartesian tiles otherwise. ``kwargs`` (height, width_hint) go to either."""
    if shapes.official or shapes.tiles is None:
        return indicator_map(per_kecamatan, key, shapes.geojson, **kwargs)
    return indicator_schematic_map(per_kecamatan, key, shapes.tiles, **kwargs)
