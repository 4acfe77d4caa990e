"""The canonical tables of DATA-CONTRACT.md: column names, dtypes and a lazy validator.

Code takes column names from these classes (``Producers.kecamatan``) instead of typing strings, so a
renamed column breaks loudly in one place.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.core import reference as ref

STR = "string"
FLOAT = "Float64"
INT = "Int64"
BOOL = "boolean"
DATE = "datetime64[us]"


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    required: bool = False  # never missing
    allowed: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None  # closed set of values (a callable: read when checked)

    def allowed_values(self) -> tuple[str, ...] | None:
        return self.allowed() if callable(self.allowed) else self.allowed


class Table:
    """Base: subclasses list their columns as class attributes holding the column name."""

    name: str = ""
    columns: tuple[Column, ...] = ()

    @classmethod
    def names(cls) -> list[str]:
        return [c.name for c in cls.columns]

    @classmethod
    def empty(cls) -> pd.DataFrame:
        return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in cls.columns})

    @classmethod
    def conform(cls, frame: pd.DataFrame) -> pd.DataFrame:
        """Return a new frame with every contract column (missing ones added empty) in contract order and
        dtype, followed by any extra columns."""
        out = pd.DataFrame(index=frame.index)
        for col in cls.columns:
            series = frame[col.name] if col.name in frame else pd.Series(pd.NA, index=frame.index)
            if col.dtype == DATE:
                out[col.name] = pd.to_datetime(series).astype(DATE)
            else:
                out[col.name] = series.astype(col.dtype)
        extras = [c for c in frame.columns if c not in out.columns]
        return pd.concat([out, frame[extras]], axis=1) if extras else out

    @classmethod
    def problems(cls, frame: pd.DataFrame) -> list[str]:
        """Every contract violation at once (lazy validation), in Indonesian; empty when valid."""
        found = []
        for col in cls.columns:
            if col.name not in frame.columns:
                found.append(f"{cls.name}: kolom '{col.name}' tidak ada")
                continue
            series = frame[col.name]
            if str(series.dtype) != col.dtype:
                found.append(f"{cls.name}: kolom '{col.name}' bertipe {series.dtype}, seharusnya {col.dtype}")
            if col.required and series.isna().any():
                found.append(f"{cls.name}: kolom '{col.name}' kosong pada {int(series.isna().sum())} baris")
            allowed = col.allowed_values()
            if allowed is not None:
                bad = sorted({str(v) for v in series.dropna().unique()} - set(allowed))  # distinct values first
                if bad:
                    found.append(f"{cls.name}: kolom '{col.name}' memuat nilai tak dikenal {bad[:5]}")
        return found

    @classmethod
    def validate(cls, frame: pd.DataFrame) -> pd.DataFrame:
        found = cls.problems(frame)
        if found:
            raise ValueError("; ".join(found))
        return frame


def _attrs(cls: type[Table]) -> type[Table]:
    for col in cls.columns:
        setattr(cls, col.name, col.name)
    return cls


@_attrs
class Producers(Table):
    name = "producers"
    columns = (
        Column("umkm_id", STR, required=True),
        Column("nama_usaha", STR),
        Column("nama_pemilik", STR),
        Column("nik", STR),
        Column("jenis_kelamin", STR, allowed=ref.JENIS_KELAMIN),
        Column("no_hp", STR),
        Column("kecamatan", STR, required=True, allowed=ref.kecamatan_names),  # the region of the settings in force
        Column("kode_kecamatan", STR, required=True),
        Column("desa", STR),  # canonical when recognised in the national list, else as written (kode_desa: extra)
        Column("kategori", STR, required=True, allowed=ref.KATEGORI),
        Column("produk_utama", STR),
        Column("tahun_mulai", INT),
        Column("tenaga_kerja", INT),
        Column("aset_rp", FLOAT),
        Column("omzet_tahunan_rp", FLOAT),
        Column("skala", STR, allowed=ref.SKALA),
        Column("nib", BOOL),
        Column("pirt", BOOL),
        Column("halal", BOOL),
        Column("jangkauan_pasar", STR, allowed=ref.JANGKAUAN_PASAR),
        Column("pemasaran_online", BOOL),
        Column("sumber_file", STR),
        Column("sumber_baris", INT),
        Column("sumber_sheet", STR),  # added: the sheet, so a row can be found in a multi-sheet workbook
    )


@_attrs
class Sales(Table):
    name = "sales"
    columns = (
        Column("umkm_id", STR),
        Column("bulan", DATE, required=True),
        Column("kategori", STR, allowed=ref.KATEGORI),
        Column("produk", STR),
        Column("nilai_rp", FLOAT, required=True),
        Column("volume", FLOAT),
        Column("satuan", STR),
        Column("sumber_file", STR),
        Column("sumber_baris", INT),
        Column("sumber_sheet", STR),
    )


@_attrs
class Trainings(Table):
    name = "trainings"
    columns = (
        Column("pelatihan_id", STR, required=True),
        Column("nama_kegiatan", STR, required=True),
        Column("jenis", STR, required=True, allowed=ref.JENIS_PELATIHAN),
        Column("tanggal_mulai", DATE),
        Column("tanggal_selesai", DATE),
        Column("lokasi", STR),
        Column("penyelenggara", STR),
        Column("biaya_rp", FLOAT),
        Column("sumber_file", STR),
        Column("sumber_sheet", STR),
    )


CARA_COCOK = ("nik", "hp", "nama", "fuzzy", "tidak cocok")


@_attrs
class Participants(Table):
    name = "participants"
    columns = (
        Column("pelatihan_id", STR, required=True),
        Column("umkm_id", STR),
        Column("nama_peserta", STR),
        Column("nama_usaha", STR),
        Column("cara_cocok", STR, required=True, allowed=CARA_COCOK),
        Column("skor_cocok", FLOAT),
        Column("sumber_file", STR),  # added: where the participant's row is, for checking a match
        Column("sumber_sheet", STR),
        Column("sumber_baris", INT),
    )


@_attrs
class ProducerSources(Table):
    """Every registry row a producer was made of (added; not one of the four tables of DATA-CONTRACT.md):
    the row kept (urutan 0, peran utama) and the duplicates merged into it, with the evidence and the values
    they filled in (analysis/ingest/linking.py, ``_sources``). Producers' own sumber_* name the first row."""

    name = "producer_sources"
    columns = (
        Column("umkm_id", STR, required=True),
        Column("urutan", INT, required=True),
        Column("peran", STR, required=True, allowed=("utama", "digabung")),
        Column("dasar_gabung", STR),
        Column("mengisi", STR),
        Column("sumber_file", STR),
        Column("sumber_sheet", STR),
        Column("sumber_baris", INT),
        Column("nama_usaha", STR),
        Column("nama_pemilik", STR),
    )


TABLES: dict[str, type[Table]] = {t.name: t for t in (Producers, Sales, Trainings, Participants)}
