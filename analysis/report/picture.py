"""The map as a picture for the deck (PNG) and the PDF laporan (SVG, vector), drawn with matplotlib: no
browser, no network."""
from __future__ import annotations

import io
from typing import Any

import pandas as pd

from analysis.core import formatting as fmt
from analysis.core.schemas import Producers
from analysis.insight import indicators as ind
from analysis.report.content import MAP_KEY, DeckContent

MAP_COLOURS = ("#EAF4F1", "#6FB3A3", "#0F4A40")  # analysis.output.maps.COLOURSCALE


SCHEMATIC_LABEL = "Peta skematis — bukan batas wilayah resmi"


def map_png(content: DeckContent, key: str = MAP_KEY, *, width_in: float = 6.4, height_in: float = 6.0) -> bytes:
    """The kecamatan map as a PNG drawn by matplotlib (Agg, no browser): imported boundaries when there are
    any, else the schematic tiles, named and clearly labelled schematic."""
    return _save(map_figure(content, key, width_in=width_in, height_in=height_in), "png")


def map_svg(content: DeckContent, key: str = MAP_KEY, *, width_in: float = 6.4, height_in: float = 6.0,
            note: bool = True) -> str:
    """The same map as SVG, for the PDF: vector shapes, text kept as text (in the PDF's font, coloured
    explicitly: see analysis.report.figures.STYLE)."""
    import matplotlib.pyplot as plt

    from analysis.report.figures import STYLE

    with plt.rc_context(STYLE):
        return _save(map_figure(content, key, width_in=width_in, height_in=height_in, note=note), "svg").decode("utf-8")


def _save(figure, kind: str) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format=kind, bbox_inches="tight", facecolor="white",
                   **({"metadata": {"Date": None}} if kind == "svg" else {}))
    plt.close(figure)
    return buffer.getvalue()


def map_figure(content: DeckContent, key: str = MAP_KEY, *, width_in: float = 6.4, height_in: float = 6.0,
               note: bool = True):
    """The map as a matplotlib figure (the caller saves and closes it). ``note``: the schematic map's
    label under the tiles (the PDF writes it as a line of text of its own, in a readable size)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap, Normalize, to_hex
    from matplotlib.patches import Rectangle

    values = content.per_kecamatan.set_index(Producers.kecamatan)[key].astype(float)
    values = values.where(content.per_kecamatan.set_index(Producers.kecamatan)[ind.N_UMKM] > 0)
    # 64 steps: indistinguishable from 256 on paper, and a quarter of the shapes in the PDF's colour bar
    cmap = LinearSegmentedColormap.from_list("umkm", MAP_COLOURS, N=64)
    low, high = (values.min(), values.max()) if values.notna().any() else (0.0, 1.0)
    norm = Normalize(vmin=low, vmax=high if high > low else low + 1)
    label = ind.INDICATORS[key].label
    kind = ind.INDICATORS[key].kind
    figure, axis = plt.subplots(figsize=(width_in, height_in), dpi=200)
    axis.set_axis_off()
    if content.boundaries is not None:
        frame = content.boundaries.copy()
        frame["_v"] = frame["kecamatan"].map(values)
        # One colour type for every row (hex): geopandas cannot take RGBA tuples mixed with text for multipolygons.
        frame.plot(ax=axis, color=[to_hex(cmap(norm(v)), keep_alpha=True) if pd.notna(v) else "#D9D6CE" for v in frame["_v"]],
                   edgecolor="white", linewidth=0.8)
        for _, row in frame.iterrows():
            point = row.geometry.representative_point()
            axis.annotate(f"{row['kecamatan']}\n{fmt.indicator_value(kind, row['_v'])}", (point.x, point.y),
                          ha="center", va="center", fontsize=5.5, color=_text_colour(cmap(norm(row["_v"]))
                                                                                    if pd.notna(row["_v"]) else None))
        axis.set_title(f"{label} per kecamatan", fontsize=11, loc="left")
    else:
        tiles = content.tiles
        half = 0.46
        for _, tile in tiles.iterrows():
            name = str(tile["kecamatan"])
            value = values.get(name)
            colour = cmap(norm(value)) if pd.notna(value) else (0.85, 0.84, 0.81, 1)
            x, y = float(tile["col"]), -float(tile["row"])
            axis.add_patch(Rectangle((x - half, y - half), 2 * half, 2 * half, facecolor=colour, edgecolor="none"))
            text = name.replace(" ", "\n", 1) if len(name) > 8 else name
            longest = max(len(part) for part in text.split("\n"))
            axis.text(x, y, f"{text}\n{fmt.indicator_value(kind, value)}", ha="center", va="center",
                      fontsize=8.5 if longest <= 8 else 7.0,
                      color=_text_colour(colour), linespacing=1.1)
        axis.set_xlim(-0.6, tiles["col"].max() + 0.6)
        axis.set_ylim(-tiles["row"].max() - 0.6, 0.6)
        axis.set_aspect("equal")
        axis.set_title(f"{label} per kecamatan — {SCHEMATIC_LABEL.split(' — ')[0].lower()}", fontsize=11, loc="left")
        if note:
            figure.text(0.01, 0.01, SCHEMATIC_LABEL + " (satu kotak per kecamatan, disusun kira-kira sesuai letaknya)",
                        fontsize=7, color="#5F5A4E")
    scalar = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = figure.colorbar(scalar, ax=axis, orientation="horizontal", fraction=0.04, pad=0.02, shrink=0.6)
    bar.solids.set_rasterized(False)  # vector in the SVG of the PDF, not an embedded bitmap
    bar.solids.set_edgecolor("face")  # no hairline seams between the steps
    bar.set_label(label, fontsize=8)
    ticks = [norm.vmin + (norm.vmax - norm.vmin) * i / 4 for i in range(5)]  # inside the bar, ends included
    bar.set_ticks(ticks)
    bar.set_ticklabels([fmt.indicator_value(kind, t) for t in ticks], fontsize=7)
    return figure


def _text_colour(rgba: Any) -> str:
    if rgba is None:
        return "#1F2A2E"
    red, green, blue = rgba[:3]
    return "white" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45 else "#1F2A2E"
