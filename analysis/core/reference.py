"""Reference facts (kecamatan, categories, training types, size criteria) loaded from data/reference.

The CSV files are the single source of these names; code takes them from here instead of typing them.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import wilayah as wilayah_data
from analysis.core.paths import REFERENCE_DIR

KATEGORI = (
    "Makanan Olahan",
    "Minuman",
    "Olahan Kelapa",
    "Olahan Perikanan",
    "Kerajinan",
    "Fesyen & Tekstil",
    "Pertanian & Perkebunan",
    "Jasa & Perdagangan",
    "Lainnya",
)
KATEGORI_LAINNYA = "Lainnya"

JENIS_PELATIHAN = ("Kelembagaan", "Pemasaran", "Kemasan", "Produksi & Mutu", "Keuangan", "Lainnya")
JENIS_LAINNYA = "Lainnya"

SKALA = ("Mikro", "Kecil", "Menengah", "Besar")
JANGKAUAN_PASAR = ("Desa", "Kecamatan", "Kabupaten", "Provinsi", "Nasional", "Ekspor")
JENIS_KELAMIN = ("L", "P")

KRITERIA_UU_2008 = "UU 20/2008"
KRITERIA_PP_2021 = "PP 7/2021"
PP_2021_FROM_YEAR = 2021


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: the key every name comparison uses."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return _SPACES.sub(" ", text).strip().lower()


_SPACES = re.compile(r"\s+")


def kecamatan(directory: Path = REFERENCE_DIR, wilayah: str | None = None) -> pd.DataFrame:
    return _kecamatan(directory, _region_code(wilayah)).copy()


def _region_code(wilayah: str | None) -> str:
    return wilayah_data.region(wilayah).kode


KECAMATAN_COLUMNS = (
    "kode_kemendagri", "kode_bps", "kecamatan", "nama_kemendagri", "nama_bps", "ibukota", "ibukota_lat", "ibukota_lon",
    "luas_km2", "penduduk_2010", "jumlah_desa", "jumlah_kelurahan", "alias", "catatan", "kode_kabupaten", "kabupaten",
)


@lru_cache(maxsize=8)
def _kecamatan(directory: Path, code: str) -> pd.DataFrame:
    """The region's kecamatan, by code, from the national list (data/wilayah), with what kecamatan.csv
    adds where it knows the kecamatan (Lampung Selatan: BPS code, seat, official area, 2010 census
    population, spelling variants, the name the Dinas writes). Elsewhere the seat coordinates are the
    boundary polygon's label point and area and population are missing."""
    curated = pd.read_csv(directory / "kecamatan.csv", dtype={"kode_kemendagri": str, "kode_bps": str})
    national = wilayah_data.kecamatan_of(code)
    known = curated.set_index("kode_kemendagri")
    frame = national.copy()
    for column in KECAMATAN_COLUMNS:
        if column in ("kode_kemendagri", "kode_kabupaten", "kabupaten"):
            continue
        values = frame["kode_kemendagri"].map(known[column]) if column in known else pd.Series(pd.NA, index=frame.index)
        if column in frame:
            values = values.where(values.notna(), frame[column])
        frame[column] = values
    missing = frame["ibukota_lat"].isna()
    if missing.any():
        seats = _label_points()
        frame.loc[missing, "ibukota_lat"] = frame.loc[missing, "kode_kemendagri"].map(seats["centroid_lat"])
        frame.loc[missing, "ibukota_lon"] = frame.loc[missing, "kode_kemendagri"].map(seats["centroid_lon"])
    for column in ("alias", "kode_bps", "nama_bps", "ibukota", "catatan"):
        frame[column] = frame[column].fillna("").astype(str)
    twice = frame["kecamatan"].duplicated(keep=False)  # a curated name may meet its namesake in a provinsi
    frame.loc[twice, "kecamatan"] = (frame.loc[twice, "kecamatan"] + " ("
                                     + frame.loc[twice, "kabupaten"].str.replace(r"^Kabupaten ", "", regex=True) + ")")
    frame = frame.astype({"ibukota_lat": "float64", "ibukota_lon": "float64", "luas_km2": "float64",
                          "penduduk_2010": "float64", "jumlah_desa": "int64", "jumlah_kelurahan": "int64"})
    return frame[list(KECAMATAN_COLUMNS)].reset_index(drop=True)


@lru_cache(maxsize=1)
def _label_points() -> pd.DataFrame:
    """Label point of every kecamatan polygon (the publisher's centroid), by code."""
    path = wilayah_data.WILAYAH_DIR / "batas_kecamatan.parquet"
    frame = pd.read_parquet(path, columns=["kode", "centroid_lat", "centroid_lon"])
    return frame.set_index("kode")


def kecamatan_names(directory: Path = REFERENCE_DIR, wilayah: str | None = None) -> tuple[str, ...]:
    return tuple(_kecamatan(directory, _region_code(wilayah))["kecamatan"])


COL_KABUPATEN_KOTA = "Kabupaten/kota"


def with_kabupaten(frame: pd.DataFrame, column: str = "Kecamatan") -> pd.DataFrame:
    """In a provinsi region, ``frame`` with a "Kabupaten/kota" column right after the kecamatan names of
    ``column`` (canonical names; anything else gets none), so a table read on its own says where each
    kecamatan lies. Unchanged in a kabupaten/kota region, without ``column``, or when it has the column."""
    if not wilayah_data.region().is_provinsi or column not in frame.columns or COL_KABUPATEN_KOTA in frame.columns:
        return frame
    table = _kecamatan(REFERENCE_DIR, _region_code(None))
    of = dict(zip(table["kecamatan"], table["kabupaten"]))
    out = frame.copy()
    out.insert(out.columns.get_loc(column) + 1, COL_KABUPATEN_KOTA,
               pd.Series([of.get(name) for name in out[column]], index=out.index, dtype="string"))
    return out


def kecamatan_code(name: str, directory: Path = REFERENCE_DIR, wilayah: str | None = None) -> str:
    table = _kecamatan(directory, _region_code(wilayah))
    return str(table.loc[table["kecamatan"] == name, "kode_kemendagri"].iloc[0])


def kecamatan_luar(directory: Path = REFERENCE_DIR) -> pd.DataFrame:
    return _kecamatan_luar(directory).copy()


@lru_cache(maxsize=4)
def _kecamatan_luar(directory: Path) -> pd.DataFrame:
    """Extra spellings of kecamatan outside Lampung Selatan, with their kabupaten/kota (the national list
    has the official ones)."""
    return pd.read_csv(directory / "kecamatan_luar.csv")


def kategori_keywords(directory: Path = REFERENCE_DIR) -> pd.DataFrame:
    return _kategori_keywords(directory).copy()


@lru_cache(maxsize=4)
def _kategori_keywords(directory: Path) -> pd.DataFrame:
    """Keyword -> kategori, longest keyword first (the longest match wins)."""
    frame = pd.read_csv(directory / "kategori_produk.csv")
    unknown = set(frame["kategori"]) - set(KATEGORI)
    if unknown:
        raise ValueError(f"kategori_produk.csv memuat kategori yang tidak dikenal: {sorted(unknown)}")
    frame["kata_kunci"] = frame["kata_kunci"].map(fold)
    order = frame["kata_kunci"].str.len().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def jenis_keywords(directory: Path = REFERENCE_DIR) -> pd.DataFrame:
    return _jenis_keywords(directory).copy()


@lru_cache(maxsize=4)
def _jenis_keywords(directory: Path) -> pd.DataFrame:
    """Keyword -> training jenis, by priority then longest keyword."""
    frame = pd.read_csv(directory / "jenis_pelatihan.csv")
    unknown = set(frame["jenis"]) - set(JENIS_PELATIHAN)
    if unknown:
        raise ValueError(f"jenis_pelatihan.csv memuat jenis yang tidak dikenal: {sorted(unknown)}")
    frame["kata_kunci"] = frame["kata_kunci"].map(fold)
    frame["_len"] = frame["kata_kunci"].str.len()
    frame = frame.sort_values(["prioritas", "_len"], ascending=[True, False], kind="stable")
    return frame.drop(columns="_len").reset_index(drop=True)


def search_synonyms(directory: Path = REFERENCE_DIR) -> dict[str, tuple[str, ...]]:
    """Each term of sinonim_pencarian.csv (folded, without spaces) -> every term of its group, itself
    included: the Direktori search takes them for one another ("vco" -> "minyakkelapamurni", ...)."""
    return dict(_search_synonyms(directory))


@lru_cache(maxsize=4)
def _search_synonyms(directory: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    path = directory / "sinonim_pencarian.csv"
    if not path.is_file():
        return ()
    frame = pd.read_csv(path, dtype=str).dropna()
    frame["istilah"] = frame["istilah"].map(compact)
    groups = frame[frame["istilah"] != ""].groupby("kelompok", sort=False)["istilah"].agg(
        lambda terms: tuple(dict.fromkeys(terms)))
    return tuple((term, terms) for terms in groups for term in terms)


def compact(text: str) -> str:
    """``fold`` without anything but letters and digits: "Karya Mulya Sari" and "karya mulyasari" are one key."""
    return _NOT_ALNUM.sub("", fold(text))


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class SizeCriterion:
    name: str
    # Upper bounds, inclusive, in rupiah, for Mikro, Kecil, Menengah; above the last is Besar.
    omzet_limits: tuple[float, float, float]
    aset_limits: tuple[float, float, float]


@lru_cache(maxsize=4)
def size_criteria(directory: Path = REFERENCE_DIR) -> dict[str, SizeCriterion]:
    frame = pd.read_csv(directory / "kriteria_skala.csv")
    criteria = {}
    for name, rows in frame.groupby("kriteria", sort=False):
        rows = rows.set_index("skala").loc[list(SKALA[:3])]
        criteria[str(name)] = SizeCriterion(
            name=str(name),
            omzet_limits=tuple(float(v) for v in rows["batas_omzet_tahunan_rp"]),
            aset_limits=tuple(float(v) for v in rows["batas_aset_rp"]),
        )
    return criteria


def size_labels(amounts: np.ndarray, limits: tuple[float, float, float]) -> np.ndarray:
    """Mikro/Kecil/Menengah/Besar of each amount under a criterion's upper bounds (inclusive: an amount
    equal to a limit belongs to the smaller class). The one place the size rule is written; amounts must
    be finite and not negative."""
    index = np.searchsorted(np.asarray(limits, dtype="float64"), amounts, side="left")
    return np.asarray(SKALA, dtype=object)[np.minimum(index, len(SKALA) - 1)]


def default_criterion(data_year: int | None = None) -> str:
    """UU 20/2008 for data before 2021, PP 7/2021 from 2021 (the year PP 7/2021 took effect)."""
    year = data_year if data_year is not None else date.today().year
    return KRITERIA_PP_2021 if year >= PP_2021_FROM_YEAR else KRITERIA_UU_2008


def lebaran_dates(directory: Path = REFERENCE_DIR) -> pd.Series:
    """Idul Fitri date per year (index: year)."""
    return _lebaran_dates(directory).copy()


@lru_cache(maxsize=4)
def _lebaran_dates(directory: Path) -> pd.Series:
    frame = pd.read_csv(directory / "lebaran.csv", parse_dates=["idul_fitri"])
    return frame.set_index("tahun")["idul_fitri"]
