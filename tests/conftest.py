"""Shared fixtures: tiny messy workbooks written on the fly, and paths into ../shared (skipped when absent)."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from analysis.core import settings
from analysis.core.paths import SHARED_DIR

_SESSION_CACHE: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    """The ingest cache of the whole session lives in a temporary folder, never in data/work/ of the
    checkout, and no background impact estimates run beside the tests (they would compete with every
    test for the processors and write into stores that tests count). Set in the environment too, so
    that the servers the browser tests start inherit both."""
    global _SESSION_CACHE
    _SESSION_CACHE = Path(tempfile.mkdtemp(prefix="umkm-ingest-cache-"))
    os.environ["UMKM_CACHE_DIR"] = str(_SESSION_CACHE)
    os.environ["UMKM_DAMPAK_LATAR"] = "0"
    settings.use(None)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION_CACHE is not None:
        shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


class SettingsFixture:
    """The settings a test runs with; ``configure(field=value, ...)`` changes fields for this test only."""

    def __call__(self, **changes) -> settings.Settings:
        changed = replace(settings.get(), **changes)
        settings.use(changed)
        return changed

    @property
    def current(self) -> settings.Settings:
        return settings.get()


@pytest.fixture(autouse=True)
def configure(tmp_path_factory) -> SettingsFixture:
    """Every test starts from the environment's settings with its own empty work folder: no account, no
    applied office data (the demo is shown), no imported boundary file, the session's ingest cache and
    no background estimates. A test changes them with ``configure(field=value, ...)``; they are read
    from the environment again after it."""
    work = tmp_path_factory.mktemp("kerja")
    settings.use(replace(settings.Settings.from_environment(), store_dir=work / "kelola", users_file=work / "users.json",
                         boundary_file=work / "batas_kecamatan.geojson", background_impact=False))
    yield SettingsFixture()
    settings.use(None)


@pytest.fixture
def make_workbook(tmp_path: Path):
    """Write {sheet name: rows} to an .xlsx; `merges` maps a sheet name to ranges like "A1:F1"."""

    def make(name: str, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> Path:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for sheet_name, rows in sheets.items():
            sheet = book.create_sheet(sheet_name)
            for row in rows:
                sheet.append(row)
            for cell_range in (merges or {}).get(sheet_name, []):
                sheet.merge_cells(cell_range)
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
        return path

    return make


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} tidak ada: data bersama (batas wilayah, spreadsheet publik) hanya ada di mesin pengembang/CI")
    return SHARED_DIR


@pytest.fixture
def assert_balanced():
    """The accounting promise of DATA-CONTRACT.md, checked on every file and sheet of an ingest result:
    rows_read = rows_kept + rows_merged + rows_rejected + rows_skipped."""

    def check(result) -> None:
        for entry in result.report["files"]:
            assert entry["rows_read"] == (
                entry["rows_kept"] + entry["rows_merged"] + entry["rows_rejected"] + entry["rows_skipped"]
            ), entry
        assert result.report["totals"]["balanced"] is True

    return check


@pytest.fixture
def tiny_tables():
    """Four tiny canonical tables for the Ringkasan and kecamatan-profile functions: two kecamatan with
    UMKM (Natar 2, Kalianda 1), sales in March 2016 and 2017, two trainings with three participants."""
    import pandas as pd

    from analysis.core.schemas import Participants, Producers, Sales, Trainings
    from analysis.insight import filters as flt

    producers = Producers.conform(pd.DataFrame({
        "umkm_id": ["A", "B", "C"], "kecamatan": ["Natar", "Natar", "Kalianda"],
        "kode_kecamatan": ["18.01.04", "18.01.04", "18.01.06"],
        "kategori": ["Minuman", "Kerajinan", "Minuman"], "produk_utama": ["Kopi Bubuk", "Anyaman", "Kopi Bubuk"],
        "skala": ["Mikro", "Kecil", "Mikro"], "tenaga_kerja": [2, 3, 1], "omzet_tahunan_rp": [1e6, 2e6, 4e6],
        "nib": [True, False, True],
    }))
    month = lambda text: pd.Timestamp(f"{text}-01")  # noqa: E731
    sales = Sales.conform(pd.DataFrame({
        "umkm_id": ["A", "A", "B", "C", None],
        "bulan": [month("2016-03"), month("2017-03"), month("2017-03"), month("2017-03"), month("2017-03")],
        "kategori": ["Minuman", "Minuman", "Kerajinan", "Minuman", "Kerajinan"],
        "nilai_rp": [100.0, 150.0, 50.0, 200.0, 7.0],
    }))
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2"], "nama_kegiatan": ["Bimtek Kemasan", "Pelatihan Pemasaran"],
        "jenis": ["Kemasan", "Pemasaran"],
        "tanggal_mulai": [pd.Timestamp("2016-05-10"), pd.Timestamp("2017-02-01")],
        "tanggal_selesai": [pd.Timestamp("2016-05-12"), pd.Timestamp("2017-02-03")],
    }))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": ["P1", "P2", "P2", "P2"], "umkm_id": ["A", "A", "C", None],
        "cara_cocok": ["nik", "nik", "nama", "tidak cocok"],
    }))
    return flt.Tables(producers, sales, trainings, participants)
