"""A boundary file the user brings (GeoJSON, zipped Shapefile, GeoPackage; any CRS) turned into one small,
valid polygon per kecamatan of the region (``settings.get().wilayah``), or refused with the reason in Indonesian."""
from __future__ import annotations

import math
import os
import re
import tempfile
import warnings as _warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from analysis.boundaries import shipped
from analysis.boundaries.stored import (
    COORD_DECIMALS,
    KECAMATAN,
    KODE_BPS,
    KODE_KEMENDAGRI,
    WGS84,
    dumps,
    feature_collection,
    short_error,
)
from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core import wilayah
from analysis.ingest.cleaning import KecamatanMatcher

# UTM zone 48S covers Lampung: tolerances and areas in metres instead of anisotropic degrees.
METRIC_CRS = "EPSG:32748"  # Lampung Selatan's; another region uses its own UTM zone (``_metric_crs``)


TOLERANCES_M = (25.0, 50.0, 100.0, 200.0, 400.0)


TARGET_KB = 250.0


LIMIT_KB = 500.0


# A feature matched by name alone that lies this far from its kecamatan's seat is another place with the
# same name (Rajabasa is also a kecamatan of Kota Bandar Lampung, ~60 km from Lampung Selatan's; the
# farthest part of ours, Krakatau, is ~40 km from its seat).
FAR_FROM_SEAT_KM = 50.0




_BPS_DIGITS = {"18.01": "1803"}  # BPS code prefix where the reference knows it (no national BPS bridge ships)


def _region() -> wilayah.Region:
    return wilayah.region()


def _metric_crs() -> str:
    """UTM zone of the region's kecamatan (southern or northern hemisphere), for metres."""
    table = ref.kecamatan()
    lon, lat = float(table["ibukota_lon"].mean()), float(table["ibukota_lat"].mean())
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{(32700 if lat < 0 else 32600) + zone}"


def _region_bounds() -> tuple[float, float, float, float] | None:
    """lon/lat box around the region's shipped polygons with a margin; only used to tell the user that a
    refused file lies elsewhere."""
    frame = shipped.shipped_kecamatan()
    if frame is None or frame.empty:
        return None
    minx, miny, maxx, maxy = frame.total_bounds
    return (minx - 0.15, miny - 0.15, maxx + 0.15, maxy + 0.15)


_OUTSIDE = re.compile(r"^(.+?), (.+?)(?: \(dan [^)]*\))?: di luar wilayah ")


_READABLE = "GeoJSON (.geojson/.json), Shapefile dalam .zip (.shp, .shx, .dbf, .prj) atau GeoPackage (.gpkg)"


_VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")


_POLYGONAL = ("Polygon", "MultiPolygon")


# Column names (folded to letters and digits) that hold the regency in known publications: BIG RBI
# (WADMKK), GADM (NAME_2), OCHA COD-AB (ADM2_EN), and the usual Indonesian spellings.
_REGENCY_HINTS = {
    "wadmkk",
    "kab",
    "kabupaten",
    "kabkota",
    "kabkot",
    "kotakab",
    "kabupatenkota",
    "namakab",
    "namakabupaten",
    "nmkab",
    "namakabkota",
    "regency",
    "name2",
    "adm2en",
    "adm2name",
    "adm2",
}


_NAME_HINTS = {
    "namobj",
    "wadmkc",
    "nama",
    "name",
    "kecamatan",
    "namakec",
    "namakecamatan",
    "nmkec",
    "kec",
    "name3",
    "adm3en",
    "adm3name",
    "district",
    "subdistrict",
}


_DOTTED_CODE = re.compile(r"^\s*\d{2}\.\d{2}(?:\.\d{2})*\s*$")


@dataclass
class ImportResult:
    """What an import produced and what it did, in words for the person who uploaded the file.

    ``messages`` say what was done (counts, repairs, size), ``warnings`` what the user should know but
    need not act on, ``errors`` why the file was refused (``ok`` is False and ``frame`` None then)."""

    ok: bool
    frame: gpd.GeoDataFrame | None = None
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    size_kb: float | None = None
    tolerance_m: float | None = None


class _Refused(Exception):
    """Internal: stop the import with these Indonesian reasons."""

    def __init__(self, *reasons: str) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = list(reasons)


def import_boundaries(source: str | os.PathLike[str] | bytes, filename: str | None = None) -> ImportResult:
    """Read a kecamatan boundary file and turn it into the kecamatan of the region (Lampung Selatan: 17).

    ``source`` is a path or the uploaded bytes (then ``filename`` gives the format by its extension;
    without it the bytes are sniffed). The steps, and why:
    1. read with pyogrio (a zip through GDAL's /vsizip/, its .shp found in any subfolder; every polygon
       layer of a GeoPackage is tried);
    2. drop Z (RBI exports carry a constant 0) and reproject to WGS84; a file without CRS is taken as
       WGS84 only when its coordinates are degrees, otherwise refused (guessing a UTM zone is a guess);
    3. keep Lampung Selatan by a regency column (RBI ``WADMKK``), a Kemendagri code ("18.01.") or a BPS
       code ("1803"), and only without those by kecamatan names (then dropping same-named places far
       away, such as Rajabasa of Kota Bandar Lampung);
    4. find the name column as the one whose values match most canonical names through
       ``KecamatanMatcher`` (so "JATIAGUNG", "Raja Basa", "Kec. Natar" all join);
    5. repair invalid geometry (``make_valid``, polygonal parts only) and dissolve island parts into
       one row per kecamatan;
    6. simplify the coverage, round to 5 decimals, orient outer rings clockwise.

    Refused, with the reason in Indonesian: unreadable files, files with no polygons, another regency,
    and files where any of the 17 kecamatan is missing (listing the missing ones and the names that
    did not match). Partial files are refused rather than accepted with a warning because a map with a
    hole misleads more than the schematic map the app shows instead.
    """
    label = filename or (Path(source).name if not isinstance(source, bytes) else "berkas unggahan")
    try:
        with tempfile.TemporaryDirectory(prefix="batas-") as scratch:
            candidates = _candidates(source, filename, Path(scratch))
            results = [_import_frame(frame, layer, len(candidates) > 1) for layer, frame in candidates]
    except _Refused as refused:
        return ImportResult(ok=False, errors=refused.reasons)
    for result in results:
        if result.ok:
            return result
    first = results[0]
    if len(results) > 1:
        first.errors.append(f"Semua {len(results)} lapisan di '{label}' dicoba; tidak ada yang memenuhi syarat.")
    return first


def _candidates(
    source: str | os.PathLike[str] | bytes, filename: str | None, scratch: Path
) -> list[tuple[str, gpd.GeoDataFrame]]:
    """(layer label, frame) for every polygon-looking layer the file offers; refuses unreadable files."""
    if isinstance(source, bytes):
        if not source:
            raise _Refused("Berkas kosong (0 byte).")
        name = Path(filename).name if filename else "unggahan" + _sniff_suffix(source)
        if Path(name).suffix.lower() == ".shp":
            raise _Refused("Shapefile harus diunggah sebagai .zip yang berisi .shp, .shx, .dbf dan .prj sekaligus.")
        path = scratch / name
        path.write_bytes(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise _Refused(f"Berkas '{path}' tidak ditemukan.")
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        sources = _zip_members(path)
    else:
        sources = [(str(path), path.name)]
    candidates: list[tuple[str, gpd.GeoDataFrame]] = []
    problems: list[str] = []
    for gdal_path, shown in sources:
        try:
            layers = _layers(gdal_path)
        except Exception as exc:  # noqa: BLE001 - GDAL reports unreadable files with several exception types
            problems.append(f"'{shown}' tidak dapat dibaca sebagai data vektor ({short_error(exc, gdal_path, shown)})")
            continue
        for layer in layers:
            try:
                with _warnings.catch_warnings():
                    _warnings.simplefilter("ignore")  # GDAL chatter (e.g. non-standard crs members)
                    frame = gpd.read_file(gdal_path, layer=layer, engine="pyogrio")
            except Exception as exc:  # noqa: BLE001 - as above, for one layer: the others may still be read
                problems.append(f"lapisan '{layer}' di '{shown}' tidak dapat dibaca ({short_error(exc, gdal_path, shown)})")
                continue
            candidates.append((shown if len(layers) == 1 else f"{shown}: lapisan '{layer}'", frame))
    if not candidates:
        raise _Refused(
            f"Berkas '{path.name}' tidak dapat dibaca sebagai peta batas wilayah. Format yang diterima: {_READABLE}.",
            *[p[0].upper() + p[1:] + "." for p in problems],
        )
    polygon_candidates = [c for c in candidates if _has_polygons(c[1])]
    return polygon_candidates or candidates[:1]


def _sniff_suffix(data: bytes) -> str:
    if data[:2] == b"PK":
        return ".zip"
    if data[:16].startswith(b"SQLite format 3"):
        return ".gpkg"
    return ".geojson"


def _zip_members(path: Path) -> list[tuple[str, str]]:
    """GDAL paths of the vector files inside a zip (any subfolder), checking a Shapefile's companions."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [
                n
                for n in archive.namelist()
                if not n.endswith("/") and "__MACOSX" not in n and not Path(n).name.startswith("._")
            ]
    except zipfile.BadZipFile:
        raise _Refused(f"'{path.name}' bukan arsip .zip yang utuh (mungkin terpotong saat diunduh).") from None
    lowered = {n.lower(): n for n in names}
    members: list[tuple[str, str]] = []
    problems: list[str] = []
    for name in names:
        suffix = Path(name).suffix.lower()
        if suffix not in _VECTOR_SUFFIXES:
            continue
        if suffix == ".shp":
            stem = name[: -len(".shp")].lower()
            missing = [ext for ext in (".shx", ".dbf") if stem + ext not in lowered]
            if missing:
                problems.append(
                    f"{name} tanpa {' dan '.join(missing)} (Shapefile perlu .shp, .shx, .dbf dan sebaiknya .prj)"
                )
                continue
        members.append((f"/vsizip/{path}/{name}", name))
    if not members:
        detail = "; ".join(problems) if problems else f"isinya: {', '.join(names[:8]) or 'kosong'}"
        raise _Refused(f"Arsip '{path.name}' tidak berisi Shapefile/GeoJSON/GeoPackage yang lengkap ({detail}).")
    return members


def _layers(gdal_path: str) -> list[str]:
    listed = pyogrio.list_layers(gdal_path)
    polygonal = [str(name) for name, kind in listed if kind is None or "polygon" in str(kind).lower()]
    return polygonal or [str(name) for name, _ in listed]


def _has_polygons(frame: gpd.GeoDataFrame) -> bool:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        return False
    kinds = frame.geometry.geom_type.dropna()
    return bool(kinds.isin(_POLYGONAL + ("GeometryCollection",)).any())


def _import_frame(frame: gpd.GeoDataFrame, label: str, name_layer: bool) -> ImportResult:
    result = ImportResult(ok=False)
    try:
        _build(frame, result)
    except _Refused as refused:
        result.errors = refused.reasons
        result.frame = None
        result.ok = False
        if name_layer:
            result.errors.insert(0, f"{label}:")
        return result
    if name_layer:
        result.messages.insert(0, f"Dipakai {label}.")
    result.ok = True
    return result


def _build(raw: gpd.GeoDataFrame, result: ImportResult) -> None:
    """The import pipeline on one layer; fills ``result`` or raises _Refused."""
    matcher = KecamatanMatcher()
    frame = _polygon_features(raw)
    n_read = len(raw)
    frame = _to_wgs84(frame, result)

    kept, regency_note = _keep_regency(frame, matcher)
    try:
        name_column = _name_column(kept, matcher, exclude=regency_note[1] if regency_note else None)
    except _Refused:
        if regency_note is None:
            raise
        name_column = _name_column(kept, matcher)  # the column of Kemendagri codes names the kecamatan too
    parsed = {value: matcher.match(value) for value in kept[name_column].dropna().unique()}
    canonical = kept[name_column].map(lambda v: parsed[v].value if v in parsed else None)
    if regency_note is not None and _region().is_provinsi and \
            regency_note[0] == _PROVINSI_NOTE.format(_region().short, regency_note[1]):
        canonical = _twins_by_kabupaten(kept, name_column, regency_note[1], canonical, parsed, matcher)
    if regency_note is None:
        kept, canonical, far = _drop_far_namesakes(kept, canonical)
        if far:
            result.warnings.append(
                f"{far} fitur bernama sama dengan kecamatan {_region().short} tetapi letaknya jauh (lebih dari "
                f"{FAR_FROM_SEAT_KM:.0f} km dari ibu kota kecamatan) diabaikan."
            )
    _check_names(kept, name_column, canonical, parsed, regency_note)

    matched = kept[canonical.notna()].copy()
    matched[KECAMATAN] = canonical[canonical.notna()]
    geoms, repaired = _repaired(matched.geometry.values)
    matched = matched.set_geometry(gpd.GeoSeries(geoms, index=matched.index, crs=WGS84))
    parts = matched.groupby(KECAMATAN).size()
    dissolved = _dissolve(matched)

    result.messages.append(
        _summary_line(n_read, len(raw) - len(frame), regency_note, len(kept), name_column, parts, repaired)
    )
    unmatched = sorted({str(v) for v in kept.loc[canonical.isna(), name_column].dropna()})
    if unmatched:
        result.warnings.append(
            f"{len(unmatched)} nama tidak cocok dengan kecamatan {_region().short} dan diabaikan: {_quoted(unmatched)}."
        )
    spelled = sorted({f"'{v}' -> {p.value}" for v, p in parsed.items() if p.value is not None and p.fix})
    if spelled:
        result.messages.append(f"Ejaan nama disesuaikan: {', '.join(spelled)}.")

    metric_crs = _metric_crs()
    metric = dissolved.to_crs(metric_crs)
    area_before = float(shapely.area(metric.geometry.values).sum())
    simplified, tolerance, size, note = _simplify(metric)
    final = gpd.GeoDataFrame({KECAMATAN: dissolved[KECAMATAN].to_numpy()}, geometry=simplified, crs=WGS84)
    final = _with_codes(final)
    area_after = float(shapely.area(final.to_crs(metric_crs).geometry.values).sum())
    vertices_before = int(shapely.get_num_coordinates(raw.geometry.values).sum())
    vertices_after = int(shapely.get_num_coordinates(final.geometry.values).sum())
    if note:
        result.warnings.append(note)
    result.messages.append(
        f"Disederhanakan dengan toleransi {fmt.number(tolerance)} m: {fmt.number(vertices_before)} -> "
        f"{fmt.number(vertices_after)} titik sudut; luas total {fmt.number(area_after / 1e6, 1)} km² "
        f"(sebelum disederhanakan {fmt.number(area_before / 1e6, 1)} km²)."
    )
    result.messages.append(f"Ukuran GeoJSON: {fmt.number(size / 1024)} KB.")
    if size / 1024 > LIMIT_KB:
        result.warnings.append(
            f"GeoJSON tetap {fmt.number(size / 1024)} KB walau disederhanakan {fmt.number(tolerance)} m; peta bisa lambat dibuka."
        )
    result.frame = final
    result.size_kb = size / 1024
    result.tolerance_m = tolerance


def _polygon_features(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Features with polygonal geometry, 2D; refuses files of points or lines with what was found."""
    if not len(raw):
        raise _Refused("Berkas tidak berisi fitur apa pun (kosong).")
    if not isinstance(raw, gpd.GeoDataFrame) or raw.geometry.name not in raw or raw.geometry.isna().all():
        raise _Refused(
            f"Berkas tidak berisi geometri sama sekali (hanya tabel atribut). Batas kecamatan harus berupa poligon dalam {_READABLE}."
        )
    frame = raw[raw.geometry.notna() & ~raw.geometry.is_empty].copy()
    geoms = shapely.force_2d(frame.geometry.values)
    geoms = np.array([_polygonal_part(g) for g in geoms], dtype=object)
    keep = ~shapely.is_empty(geoms)
    if not keep.any():
        kinds = Counter(raw.geometry.geom_type.dropna())
        found = ", ".join(f"{kind} ({count})" for kind, count in kinds.most_common())
        raise _Refused(
            f"Berkas tidak berisi poligon: geometrinya {found or 'kosong'}. Batas kecamatan harus berupa poligon "
            "(Polygon/MultiPolygon), bukan titik atau garis."
        )
    frame = frame[keep].copy()
    return frame.set_geometry(gpd.GeoSeries(geoms[keep], index=frame.index, crs=raw.crs))


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of a geometry (a GeometryCollection's polygons; nothing of a point or line)."""
    if geom is None:
        return shapely.Polygon()
    kind = geom.geom_type
    if kind in _POLYGONAL:
        return geom
    if kind == "GeometryCollection":
        polygons = [
            p for g in geom.geoms for p in getattr(_polygonal_part(g), "geoms", [_polygonal_part(g)]) if not p.is_empty
        ]
        return shapely.MultiPolygon(polygons) if polygons else shapely.Polygon()
    return shapely.Polygon()


def _to_wgs84(frame: gpd.GeoDataFrame, result: ImportResult) -> gpd.GeoDataFrame:
    minx, miny, maxx, maxy = frame.total_bounds
    degrees = -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90
    if frame.crs is None:
        if not degrees:
            raise _Refused(
                "Berkas tidak menyebut sistem koordinatnya (untuk Shapefile: berkas .prj tidak ada) dan "
                f"koordinatnya bukan derajat bujur/lintang (mis. {fmt.number(minx)}, {fmt.number(miny)}: meter UTM?). "
                "Sertakan berkas .prj atau simpan ulang dalam WGS84 (EPSG:4326)."
            )
        result.warnings.append(
            "Berkas tidak menyebut sistem koordinatnya; koordinatnya berupa derajat, jadi dianggap WGS84 (EPSG:4326)."
        )
        frame = frame.set_crs(WGS84)
    elif not frame.crs.equals(WGS84) and not _is_ogc_crs84(frame.crs):
        result.messages.append(f"Diproyeksikan ulang dari {frame.crs.to_string()} ke WGS84 (EPSG:4326).")
        try:
            frame = frame.to_crs(WGS84)
        except Exception as exc:  # noqa: BLE001 - pyproj raises several types for unusable CRS
            raise _Refused(
                f"Sistem koordinat berkas ({frame.crs.to_string()}) tidak dapat diubah ke WGS84: {short_error(exc)}."
            ) from None
    else:
        frame = frame.set_crs(WGS84, allow_override=True)
    minx, miny, maxx, maxy = frame.total_bounds
    if 95 <= miny and maxy <= 141 and -11 <= minx and maxx <= 6:
        # [lat, lon] written where GeoJSON wants [lon, lat] (as in cahyadsn's SQL paths).
        swapped = shapely.transform(frame.geometry.values, lambda xy: xy[:, ::-1])
        frame = frame.set_geometry(gpd.GeoSeries(swapped, index=frame.index, crs=WGS84))
        result.warnings.append("Koordinat tertulis sebagai (lintang, bujur); sudah ditukar menjadi (bujur, lintang).")
    return frame


def _is_ogc_crs84(crs: Any) -> bool:
    return "CRS84" in crs.to_string().upper()


def _regency_key(value: object) -> str:
    text = ref.fold(str(value))
    text = re.sub(r"^(?:kabupaten|kab\.?)\s*", "", text)
    return re.sub(r"[^a-z0-9]", "", text)


def _column_key(column: object) -> str:
    return re.sub(r"[^a-z0-9]", "", ref.fold(str(column)))


def _text_columns(frame: gpd.GeoDataFrame) -> list[str]:
    geometry = frame.geometry.name
    return [
        c
        for c in frame.columns
        if c != geometry and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c]))
    ]


def _keep_regency(
    frame: gpd.GeoDataFrame, matcher: KecamatanMatcher
) -> tuple[gpd.GeoDataFrame, tuple[str, str] | None]:
    """Features of the region by a regency name or code column; ``None`` note when there is none.

    The regency decides before names do because names repeat across regencies (Rajabasa). In a provinsi
    region a column naming its kabupaten/kota keeps their features (see ``_keep_provinsi``)."""
    region = _region()
    if region.is_provinsi:
        found = _keep_provinsi(frame, matcher)
        if found is not None:
            return found
    kabupaten = region.nama
    prefix = region.kode
    keys = {_regency_key(region.nama), _regency_key(region.short), _regency_key(re.sub(r"^Kota ", "", region.short))}
    if prefix == "18.01":
        keys.add("lamsel")
    depth = len(prefix.split("."))
    text = _text_columns(frame)
    for column in text:
        mask = frame[column].map(lambda v: v is not None and not pd.isna(v) and _regency_key(v) in keys)
        if mask.any():
            return frame[mask].copy(), (f"kolom {column} = {region.short}", column)
    for column in text:
        values = frame[column].dropna().astype(str)
        if len(values) and values.map(lambda v: bool(_DOTTED_CODE.match(v))).all():
            parts = values.str.strip().str.split(".")
            mask = frame.index.isin(values.index[parts.map(lambda p: ".".join(p[:depth]) == prefix)])
            if mask.any():
                return frame[mask].copy(), (f"kode Kemendagri {prefix}.* di kolom {column}", column)
            prefixes = sorted({".".join(p[:depth]) for p in parts})
            raise _Refused(
                f"Berkas ini bukan {kabupaten}: kode wilayah di kolom {column} berawalan {', '.join(prefixes[:5])}, "
                f"sedangkan kode Kemendagri {region.short} berawalan {prefix}. "
                + _names_found(frame, matcher, exclude=column)
            )
    for column in frame.columns:
        key = _column_key(column)
        bps = _BPS_DIGITS.get(prefix)
        kemendagri = prefix.replace(".", "")
        scheme = bps if "bps" in key else kemendagri if ("pum" in key or "kemendagri" in key) else None
        if scheme is None or column == frame.geometry.name:
            continue
        digits = frame[column].dropna().astype(str).str.replace(r"\D", "", regex=True)
        digits = digits[digits.str.len() >= 4]
        if len(digits):
            mask = frame.index.isin(digits.index[digits.str.startswith(scheme)])
            if mask.any():
                return frame[mask].copy(), (f"kode {scheme}* di kolom {column}", column)
    for column in text:
        values = frame[column].dropna()
        if _column_key(column) in _REGENCY_HINTS and len(values):
            found = [str(v) for v, _ in Counter(values.astype(str)).most_common(5)]
            raise _Refused(
                f"Berkas ini bukan {kabupaten}: kolom kabupaten/kota {column} berisi {_quoted(found)}, tidak satu pun {region.short}. "
                + _names_found(frame, matcher, exclude=column)
            )
    return frame, None


_PROVINSI_NOTE = "kabupaten/kota {} di kolom {}"


def _keep_provinsi(
    frame: gpd.GeoDataFrame, matcher: KecamatanMatcher
) -> tuple[gpd.GeoDataFrame, tuple[str, str]] | None:
    """In a provinsi region: the features whose kabupaten/kota column (the text column where most features
    name one of the provinsi's kabupaten/kota: "Kabupaten Lampung Selatan", "Lampung Selatan", "Kota Bandar
    Lampung", "Bandar Lampung") names one of them; None without such a column."""
    region = _region()
    keys: dict[str, str] = {}
    for name in wilayah.kabupaten_of(region.kode).values():
        keys[_regency_key(name)] = name
        keys.setdefault(_regency_key(re.sub(r"^Kota ", "", name)), name)  # "Bandar Lampung", unless a kabupaten has it
    best, chosen = 0.5, None  # most features: a few kecamatan bear a kabupaten's name (Way Kanan, Pesawaran)
    for column in _text_columns(frame):
        share = float(frame[column].map(lambda v: v is not None and not pd.isna(v) and _regency_key(v) in keys).mean())
        if share > best:
            best, chosen = share, column
    if chosen is None:
        return None
    mask = frame[chosen].map(lambda v: v is not None and not pd.isna(v) and _regency_key(v) in keys)
    return frame[mask].copy(), (_PROVINSI_NOTE.format(region.short, chosen), chosen)


def _twins_by_kabupaten(
    kept: gpd.GeoDataFrame, name_column: str, kabupaten_column: str, canonical: pd.Series, parsed: dict[Any, Any],
    matcher: KecamatanMatcher,
) -> pd.Series:
    """A kecamatan name found in two kabupaten/kota of a provinsi ("Rajabasa") resolved with the feature's
    kabupaten/kota column ("Rajabasa, Kota Bandar Lampung" -> "Rajabasa (Kota Bandar Lampung)")."""
    out = canonical.copy()
    for index in out.index[out.isna()]:
        value, kabupaten = kept.at[index, name_column], kept.at[index, kabupaten_column]
        if pd.isna(value) or pd.isna(kabupaten) or value not in parsed:
            continue
        again = matcher.match(f"{value}, {kabupaten}")
        if again.value is not None:
            out.at[index] = again.value
    return out


def _names_found(frame: gpd.GeoDataFrame, matcher: KecamatanMatcher, exclude: str | None) -> str:
    try:
        column = _name_column(frame, matcher, exclude=exclude)
    except _Refused:
        return ""
    names = sorted({str(v) for v in frame[column].dropna()})
    return f"Nama wilayah di kolom {column}: {_quoted(names)}."


def _name_column(frame: gpd.GeoDataFrame, matcher: KecamatanMatcher, exclude: str | None = None) -> str:
    """The column whose values match the most distinct canonical kecamatan.

    Ties go to text over codes (a "kode" column matches too, through its Kemendagri codes, but names
    make the better report), then to columns naming other regencies' kecamatan, then to known names."""
    best: tuple[Any, ...] | None = None
    chosen: str | None = None
    for column in _text_columns(frame):
        if column == exclude:
            continue
        values = frame[column].dropna().astype(str).unique()
        if not len(values):
            continue
        parsed = [matcher.match(v) for v in values]
        matched = {p.value for p in parsed if p.value is not None}
        outside = sum(1 for p in parsed if p.error and "di luar wilayah" in p.error)
        code_like = all(re.fullmatch(r"[\d.\s]+", v) for v in values)
        score = (len(matched), not code_like, outside, _column_key(column) in _NAME_HINTS, len(values))
        if best is None or score > best:
            best, chosen = score, column
    if chosen is None:
        raise _Refused("Berkas tidak punya kolom teks untuk nama kecamatan (mis. NAMOBJ, WADMKC, nama, kecamatan).")
    return chosen


def _drop_far_namesakes(frame: gpd.GeoDataFrame, canonical: pd.Series) -> tuple[gpd.GeoDataFrame, pd.Series, int]:
    """Without a regency column, a name match far from that kecamatan's seat is a namesake elsewhere."""
    seats = ref.kecamatan().set_index(KECAMATAN)[["ibukota_lat", "ibukota_lon"]]
    points = shapely.point_on_surface(frame.geometry.values)
    far = np.zeros(len(frame), dtype=bool)
    for i, (name, point) in enumerate(zip(canonical, points)):
        if name is None or pd.isna(name) or point is None or point.is_empty:
            continue
        lat, lon = seats.loc[name, "ibukota_lat"], seats.loc[name, "ibukota_lon"]
        far[i] = _km(lat, lon, point.y, point.x) > FAR_FROM_SEAT_KM
    return frame[~far].copy(), canonical[~far], int(far.sum())


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); good to a few metres at this scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _check_names(
    kept: gpd.GeoDataFrame,
    column: str,
    canonical: pd.Series,
    parsed: dict[Any, Any],
    regency_note: tuple[str, str] | None,
) -> None:
    """Refuse unless every kecamatan of the region is present, saying which names were found and which are missing."""
    names = ref.kecamatan_names()
    region = _region()
    present = set(canonical.dropna())
    missing = [n for n in names if n not in present]
    if not missing:
        return
    reasons: list[str] = []
    outside: dict[str, list[str]] = {}
    unknown: list[str] = []
    for value, p in parsed.items():
        if p.value is not None:
            continue
        match = _OUTSIDE.search(p.error or "")
        if match:
            outside.setdefault(match.group(2), []).append(str(value))
        else:
            unknown.append(str(value))
    if not present:
        found = sorted({str(v) for v in kept[column].dropna()})
        reasons.append(
            f"Tidak satu pun dari {len(found)} nama di kolom {column} adalah kecamatan {region.nama}"
            + (f" (nama yang ditemukan: {_quoted(found)})." if found else ".")
        )
    elif outside:
        reasons.append(f"Hanya {len(present)} dari {len(names)} kecamatan {region.short} yang ada di berkas.")
    if outside:
        where = "; ".join(f"{kab}: {_quoted(sorted(vals))}" for kab, vals in sorted(outside.items()))
        reasons.append(f"Berkas ini memuat wilayah lain, bukan {region.nama} ({where}).")
    if unknown and present:
        reasons.append(f"{len(unknown)} nama tidak cocok dengan kecamatan {region.short}: {_quoted(sorted(unknown))}.")
    reasons.append(
        f"Kecamatan yang tidak ada di berkas ({len(missing)} dari {len(names)}): {', '.join(missing)}. "
        "Berkas ditolak karena peta dengan kecamatan yang hilang menyesatkan; periksa ejaan nama atau pakai berkas yang lengkap."
    )
    minx, miny, maxx, maxy = kept.total_bounds
    box = _region_bounds()
    if not present and box is not None and not shapely.box(minx, miny, maxx, maxy).intersects(shapely.box(*box)):
        reasons.append(
            f"Letak fitur di berkas (bujur {fmt.number(minx, 2)} s.d. {fmt.number(maxx, 2)}, lintang {fmt.number(miny, 2)} s.d. "
            f"{fmt.number(maxy, 2)}) berada di luar {region.short} (sekitar bujur {fmt.number(box[0] + 0.15, 1)} s.d. "
            f"{fmt.number(box[2] - 0.15, 1)}, lintang {fmt.number(box[1] + 0.15, 1)} s.d. {fmt.number(box[3] - 0.15, 1)})."
        )
    raise _Refused(*reasons)


def _quoted(values: list[str], limit: int = 12) -> str:
    shown = ", ".join(f"'{v}'" for v in values[:limit])
    return shown + (f" dan {len(values) - limit} lainnya" if len(values) > limit else "")


def _repaired(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """Valid polygons; "structure" repair merges nested shells (cahyadsn's islands inside a part)
    instead of punching them out as holes, which the default "linework" method would do."""
    invalid = ~shapely.is_valid(geoms)
    if not invalid.any():
        return geoms, 0
    fixed = geoms.copy()
    fixed[invalid] = [
        _polygonal_part(g) for g in shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    ]
    return fixed, int(invalid.sum())


def _dissolve(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    names = sorted(frame[KECAMATAN].unique())
    geoms = [
        _polygonal_part(shapely.union_all(frame.geometry.values[(frame[KECAMATAN] == n).to_numpy()])) for n in names
    ]
    return gpd.GeoDataFrame({KECAMATAN: names}, geometry=geoms, crs=WGS84)


def _summary_line(
    n_read: int,
    n_not_polygon: int,
    regency_note: tuple[str, str] | None,
    n_kept: int,
    name_column: str,
    parts: pd.Series,
    repaired: int,
) -> str:
    pieces = [f"{n_read} fitur dibaca"]
    if n_not_polygon:
        pieces.append(f"{n_not_polygon} bukan poligon diabaikan")
    if regency_note is not None:
        pieces.append(f"{n_kept} fitur {_region().short} ({regency_note[0]})")
    pieces.append(f"nama dari kolom {name_column}")
    line = "; ".join(pieces) + f" -> {len(parts)} kecamatan"
    multi = parts[parts > 1]
    if len(multi):
        line += (
            f"; {len(multi)} kecamatan berpulau/terdiri dari beberapa bagian digabung ("
            + ", ".join(f"{n} {c}" for n, c in multi.items())
            + ")"
        )
    if repaired:
        line += f"; {repaired} geometri tidak valid diperbaiki"
    return line + "."


def _simplify(metric: gpd.GeoDataFrame) -> tuple[np.ndarray, float, int, str | None]:
    """Simplified WGS84 geometries, the tolerance used, the GeoJSON size in bytes, and a warning.

    The smallest tolerance that meets ``TARGET_KB`` wins, so shapes stay as close as the budget allows."""
    geoms = metric.geometry.values
    note = None
    coverage_ok = bool(shapely.coverage_is_valid(geoms))
    if not coverage_ok:
        overlap = float(shapely.area(geoms).sum() - shapely.area(shapely.union_all(geoms))) / 1e6
        note = (
            "Batas antarkecamatan di berkas ini tidak rapi (tumpang-tindih sekitar "
            f"{fmt.number(overlap, 1)} km² dan/atau bercelah), jadi tiap kecamatan disederhanakan sendiri "
            "(simplify preserve_topology); tepi bersama bisa tidak berimpit persis."
        )
    for tolerance in TOLERANCES_M:
        simplified = None
        if coverage_ok:
            try:
                simplified = shapely.coverage_simplify(geoms, tolerance)
            except shapely.errors.GEOSException:
                note = ("Penyederhanaan cakupan (coverage_simplify) gagal, jadi tiap kecamatan disederhanakan sendiri; "
                        "tepi bersama bisa tidak berimpit persis.")
                coverage_ok = False
        if simplified is None:
            simplified = shapely.simplify(geoms, tolerance, preserve_topology=True)
        wgs = gpd.GeoSeries(simplified, crs=metric.crs).to_crs(WGS84).values
        wgs = shapely.set_precision(wgs, 10.0**-COORD_DECIMALS)
        wgs = np.array([_polygonal_part(g) for g in wgs], dtype=object)
        wgs = shapely.orient_polygons(wgs, exterior_cw=True)
        size = len(dumps(feature_collection(wgs, [""] * len(wgs), [{}] * len(wgs))).encode("utf-8"))
        if size / 1024 <= TARGET_KB:
            break
    return wgs, tolerance, size, note


def _with_codes(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    table = ref.kecamatan()[[KECAMATAN, KODE_KEMENDAGRI, KODE_BPS]]
    out = frame.merge(table, on=KECAMATAN, how="left")
    out = out[[KECAMATAN, KODE_KEMENDAGRI, KODE_BPS, out.geometry.name]]
    return gpd.GeoDataFrame(out.sort_values(KODE_KEMENDAGRI).reset_index(drop=True), crs=WGS84)
