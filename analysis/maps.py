"""Kecamatan choropleths that draw with no internet: plotly's MapLibre map with the "white-bg" style
(a white background, no tile server) and the polygons passed in as GeoJSON.

Never ``px.choropleth`` (geo): it downloads a world topojson from a CDN even when hidden, and offline
draws nothing (TECH-NOTES "Maps offline"). No text labels on the map either: MapLibre fetches the glyphs
for map text from fonts.openmaptiles.org. Names are in the hover and in the ranked table beside the map.

The same function draws the imported boundaries and the schematic tiles (analysis.boundaries); both are
FeatureCollections whose feature ``id`` is the canonical kecamatan name.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import charts
from analysis import formatting as fmt
from analysis import indicators as ind
from analysis.schemas import Producers

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
    missing = [c for c in (location_column, value_column, count_column) if c is not None and c not in frame]
    if missing:
        raise ValueError(f"peta: kolom {', '.join(repr(c) for c in missing)} tidak ada")
    values = pd.to_numeric(frame[value_column]).astype(float)
    has_data = values.notna()
    if count_column is not None:
        has_data &= pd.to_numeric(frame[count_column]).fillna(0) > 0
    names = frame[location_column].astype(str)
    counts = frame[count_column] if count_column is not None else pd.Series(pd.NA, index=frame.index)

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
        count_line = f"<br>{count_label}: %{{customdata[1]}}" if count_column is not None else ""
        figure.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="id", locations=list(names[shown]), z=list(values[shown]), name=label,
            colorscale=COLOURSCALE, marker={"line": {"color": "#FFFFFF", "width": 1}, "opacity": 0.95},
            customdata=custom,
            hovertemplate=f"<b>%{{location}}</b><br>{label}: %{{customdata[0]}}{count_line}<extra></extra>",
            colorbar={"title": {"text": label, "side": "right"}, "tickvals": tick_values, "ticktext": tick_text,
                      "thickness": 12, "len": 0.8},
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


def locations(figure: go.Figure) -> list[str]:
    """Every kecamatan drawn, over all traces (for tests and for reading a selection back)."""
    return [str(name) for trace in figure.data for name in (trace.locations or ())]


def indicator_map(per_kecamatan: pd.DataFrame, key: str, geojson: dict[str, Any], **kwargs: Any) -> go.Figure:
    """One catalogue indicator (analysis.indicators) on the map, from ``compute(..., by_kecamatan=True)``,
    formatted as on the cards and grey where no UMKM stand behind the value."""
    indicator = ind.INDICATORS[key]
    return choropleth(
        per_kecamatan, key, geojson, indicator.label,
        location_column=Producers.kecamatan, count_column=ind.N_UMKM,
        formatter=lambda value: fmt.indicator_value(indicator.kind, value), **kwargs,
    )
