"""The national list of area codes (data/wilayah/kode_wilayah.parquet) and the office's region.

The region is a provinsi ("18") or a kabupaten/kota ("18.01") code, from ``settings.get().wilayah``
(UMKM_WILAYAH, ``--wilayah``). Its kecamatan are every kecamatan under that code; names that occur twice
in a provinsi are told apart by their kabupaten/kota ("Sukadana (Lampung Timur)").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.core import settings
from analysis.core.paths import WILAYAH_DIR

ATTRIBUTION = (
    "Kode wilayah: Kepmendagri No 300.2.2-2138/2025 jo. 300.2.2-2430/2025, diolah oleh Cahya DSN "
    "(github.com/cahyadsn/wilayah, MIT License, © 2017-2025 Cahya DSN). Batas wilayah: Cahya DSN "
    "(github.com/cahyadsn/wilayah_boundaries, MIT License, © 2024 Cahya DSN), dirapikan oleh dasbor ini."
)
BOUNDARY_NOTE = "batas perkiraan, bukan batas resmi"
BOUNDARY_SOURCE = "cahyadsn/wilayah_boundaries (MIT)"

PROVINSI, KABUPATEN, KECAMATAN, DESA = "provinsi", "kabupaten", "kecamatan", "desa"
_LEVELS = {2: PROVINSI, 5: KABUPATEN, 8: KECAMATAN, 13: DESA}


@dataclass(frozen=True)
class Region:
    kode: str  # "18.01" or "18"
    nama: str  # "Kabupaten Lampung Selatan", "Kota Balikpapan", "Provinsi Lampung"
    provinsi: str  # "Lampung"

    @property
    def is_provinsi(self) -> bool:
        return len(self.kode) == 2

    @property
    def short(self) -> str:
        """The name in running text: "Lampung Selatan", "Kota Balikpapan", "Provinsi Lampung"."""
        return self.nama.removeprefix("Kabupaten ")

    @property
    def unit(self) -> str:
        """What the region's whole is called in a table: "Kabupaten", "Kota" or "Provinsi"."""
        return self.nama.split(" ", 1)[0]


def level(code: str) -> str:
    return _LEVELS.get(len(code), "")


@lru_cache(maxsize=2)
def _table(directory: Path) -> pa.Table:
    """The code list as Arrow (a few MB); pandas frames are made only of the rows a caller needs."""
    table = pq.read_table(directory / "kode_wilayah.parquet", columns=["kode", "nama"])
    return table.append_column("n", pc.utf8_length(table["kode"]))


def _rows(directory: Path, mask: pa.ChunkedArray | None) -> pd.DataFrame:
    table = _table(directory)
    chosen = table if mask is None else table.filter(mask)
    return chosen.select(["kode", "nama"]).to_pandas()


def codes(directory: Path = WILAYAH_DIR) -> pd.DataFrame:
    """Every area of Indonesia: kode (dotted, a string), nama (91,599 rows)."""
    return _rows(directory, None)


@lru_cache(maxsize=2)
def _upper_names(directory: Path) -> dict[str, str]:
    """Names of the provinsi and kabupaten/kota only (a small dict, quick to build)."""
    frame = _rows(directory, pc.less_equal(_table(directory)["n"], 5))
    return dict(zip(frame["kode"], frame["nama"]))


def name(code: str, directory: Path = WILAYAH_DIR) -> str | None:
    if len(code) <= 5:
        return _upper_names(directory).get(code)
    frame = _rows(directory, pc.equal(_table(directory)["kode"], code))
    return str(frame["nama"].iloc[0]) if len(frame) else None


def kabupaten_of(code: str, directory: Path = WILAYAH_DIR) -> dict[str, str]:
    """The kabupaten/kota of a provinsi: kode -> nama."""
    return {k: v for k, v in _upper_names(directory).items() if len(k) == 5 and k.startswith(code[:2] + ".")}


def _under(directory: Path, code: str, length: int) -> pd.DataFrame:
    table = _table(directory)
    mask = pc.and_(pc.equal(table["n"], length), pc.starts_with(table["kode"], code + "."))
    return _rows(directory, mask)


def region(code: str | None = None, directory: Path = WILAYAH_DIR) -> Region:
    """The region of ``code`` (default: the settings'); SettingsError when no provinsi or kabupaten/kota has it."""
    code = settings.get().wilayah if code is None else settings.region_code(code)
    return _region(code, directory)


@lru_cache(maxsize=16)
def _region(code: str, directory: Path) -> Region:
    names = _upper_names(directory)
    if code not in names:
        raise settings.SettingsError(
            f"Kode wilayah {code} tidak ada dalam daftar Kemendagri (contoh: 18.01 Kabupaten Lampung Selatan, "
            "64.71 Kota Balikpapan, 18 Provinsi Lampung)")
    provinsi = names[code[:2]]
    nama = f"Provinsi {provinsi}" if len(code) == 2 else names[code]
    return Region(kode=code, nama=nama, provinsi=provinsi)


def kecamatan_of(code: str, directory: Path = WILAYAH_DIR) -> pd.DataFrame:
    """The kecamatan under ``code``, by code: kode_kemendagri, kecamatan (unique display name),
    nama_kemendagri, kode_kabupaten, kabupaten, jumlah_desa, jumlah_kelurahan."""
    return _kecamatan_of(code, directory).copy()


@lru_cache(maxsize=8)
def _kecamatan_of(code: str, directory: Path) -> pd.DataFrame:
    kec = _under(directory, code, 8)
    desa = _under(directory, code, 13)["kode"]
    names = _upper_names(directory)
    out = pd.DataFrame({
        "kode_kemendagri": kec["kode"].to_numpy(),
        "nama_kemendagri": kec["nama"].to_numpy(),
        "kode_kabupaten": kec["kode"].str[:5].to_numpy(),
    })
    out["kabupaten"] = out["kode_kabupaten"].map(names)
    twice = out["nama_kemendagri"].duplicated(keep=False)
    out["kecamatan"] = out["nama_kemendagri"].where(
        ~twice, out["nama_kemendagri"] + " (" + out["kabupaten"].str.replace(r"^Kabupaten ", "", regex=True) + ")")
    parent = desa.str[:8]
    kind = desa.str[9]
    out["jumlah_desa"] = out["kode_kemendagri"].map(parent[kind != "1"].value_counts()).fillna(0).astype(int)
    out["jumlah_kelurahan"] = out["kode_kemendagri"].map(parent[kind == "1"].value_counts()).fillna(0).astype(int)
    return out.reset_index(drop=True)


def desa_of(code: str, directory: Path = WILAYAH_DIR) -> pd.DataFrame:
    """The desa/kelurahan under ``code``: kode_desa, desa, kode_kecamatan."""
    return _desa_of(code, directory)


@lru_cache(maxsize=4)
def _desa_of(code: str, directory: Path) -> pd.DataFrame:
    under = _under(directory, code, 13)
    return pd.DataFrame({
        "kode_desa": under["kode"].to_numpy(),
        "desa": under["nama"].to_numpy(),
        "kode_kecamatan": under["kode"].str[:8].to_numpy(),
    })


def all_kecamatan(directory: Path = WILAYAH_DIR) -> pd.DataFrame:
    """Every kecamatan of Indonesia: kode, nama, kode_kabupaten, kabupaten."""
    return _all_kecamatan(directory)


@lru_cache(maxsize=2)
def _all_kecamatan(directory: Path) -> pd.DataFrame:
    kec = _rows(directory, pc.equal(_table(directory)["n"], 8))
    names = _upper_names(directory)
    out = pd.DataFrame({"kode": kec["kode"].to_numpy(), "nama": kec["nama"].to_numpy()})
    out["kode_kabupaten"] = out["kode"].str[:5]
    out["kabupaten"] = out["kode_kabupaten"].map(names)
    return out


def add_argument(parser) -> None:
    """``--wilayah KODE`` on a command (ingest, impact, report, boundaries)."""
    parser.add_argument("--wilayah", default=None,
                        help="kode wilayah Kemendagri kabupaten/kota (18.01, 64.71) atau provinsi (18); "
                             "bawaan: UMKM_WILAYAH, atau 18.01 Kabupaten Lampung Selatan")


def use_region(code: str | None) -> Region:
    """Put ``code`` (``--wilayah``; None keeps the settings') in force for this process and every worker it
    starts; SettingsError with the reason when it is not a provinsi or kabupaten/kota code."""
    chosen = region(code)
    if chosen.kode != settings.get().wilayah:
        from dataclasses import replace

        settings.use(replace(settings.get(), wilayah=chosen.kode))
    return chosen


def licence_texts(directory: Path = WILAYAH_DIR) -> dict[str, str]:
    """The MIT licence texts shipped with the area codes and polygons: file name -> text."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(directory.glob("LICENSE-*.txt"))}


REGION_FILE = "wilayah.txt"  # in the store folder: the region an admin chose on Kelola Data


def chosen_by_environment(environ=None) -> bool:
    """Whether UMKM_WILAYAH sets the region (it then wins over the one chosen on Kelola Data)."""
    import os

    return bool(((os.environ if environ is None else environ).get("UMKM_WILAYAH") or "").strip())


def stored_code(store_dir: Path | None = None) -> str | None:
    """The region chosen on Kelola Data, or None (none chosen, or the file unusable)."""
    path = Path(store_dir if store_dir is not None else settings.get().store_dir) / REGION_FILE
    try:
        return settings.region_code(path.read_text(encoding="utf-8"))
    except (OSError, settings.SettingsError):
        return None


def save_code(code: str, store_dir: Path | None = None) -> Region:
    """Check ``code`` and keep it as the office's region (written atomically); it is put in force too."""
    chosen = region(code)
    folder = Path(store_dir if store_dir is not None else settings.get().store_dir)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / (REGION_FILE + ".tmp")
    scratch.write_text(chosen.kode + "\n", encoding="utf-8")
    scratch.replace(folder / REGION_FILE)
    return use_region(chosen.kode)


def apply_stored() -> Region:
    """The region in force for the dashboard: UMKM_WILAYAH when set, else the one chosen on Kelola Data,
    else the default (18.01)."""
    if not chosen_by_environment():
        code = stored_code()
        if code is not None:
            try:
                return use_region(code)
            except settings.SettingsError:
                pass
    return region()
