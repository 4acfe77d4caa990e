"""The content cache of ingest results (analysis/ingest_cache.py): a hit on unchanged files, a miss on
any changed byte or option, a damaged entry rebuilt, and a cached result identical to a cold ingest."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.core.paths import DEMO_RAW_DIR
from analysis.engine import read_sales, row_count
from analysis.ingest import cache as ingest_cache
from analysis.ingest import pipeline as ingest_pipeline
from analysis.ingest import sheet as ingest_sheet
from analysis.ingest.__main__ import main as ingest_command

FRAMES = ("producers", "sales", "trainings", "participants", "rejected", "cell_problems", "near_duplicates",
          "producer_sources")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A small real mix from the demo: a registry (xlsx), the CSV registry, a year of sales, one attendance list."""
    folder = tmp_path / "data"
    for relative in ("registri/Data UMKM Palas.xlsx", "registri/data_umkm_candipuro.csv", "penjualan/2016",
                     "pelatihan/DH Bimtek Kemasan Sidomulyo Sept 2016.xlsx"):
        source, target = DEMO_RAW_DIR / relative, folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)
    return folder


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the cold ingests the cache runs."""
    calls: list[int] = []
    real = ingest_cache.ingest_paths

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest_cache, "ingest_paths", counting)
    return calls


def assert_same(a: ingest_sheet.IngestResult, b: ingest_sheet.IngestResult) -> None:
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True, obj=name)
    assert a.report == b.report


def test_cached_result_is_identical_to_a_cold_ingest(data: Path, tmp_path: Path, counted: list[int]):
    cold = ingest_pipeline.ingest_paths([data])
    first = ingest_cache.cached_ingest([data], cache_dir=tmp_path / "cache")
    again = ingest_cache.cached_ingest([data], cache_dir=tmp_path / "cache")
    assert len(counted) == 1  # the second call was a hit
    assert len(cold.sales) > 1000 and len(cold.producers) > 100 and len(cold.rejected) > 0
    assert_same(cold, first)
    assert_same(cold, again)


def test_one_changed_byte_is_a_miss(data: Path, tmp_path: Path, counted: list[int]):
    cache = tmp_path / "cache"
    before = ingest_cache.cached_ingest([data], cache_dir=cache)
    csv = data / "registri" / "data_umkm_candipuro.csv"
    content = csv.read_bytes()
    position = content.index(b"Candipuro", 200)  # a kecamatan cell in a data row
    csv.write_bytes(content[:position] + b"X" + content[position + 1:])  # "Xandipuro", same size
    after = ingest_cache.cached_ingest([data], cache_dir=cache)
    assert len(counted) == 2
    assert_same(after, ingest_pipeline.ingest_paths([data]))
    assert after.report != before.report


def test_options_and_code_are_part_of_the_key(data: Path, tmp_path: Path, counted: list[int],
                                                monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "cache"
    ingest_cache.cached_ingest([data], cache_dir=cache)
    other = ingest_cache.cached_ingest([data], kriteria="PP 7/2021", cache_dir=cache)
    assert len(counted) == 2
    assert other.report["totals"]["kriteria_skala"] == "PP 7/2021"
    monkeypatch.setattr(ingest_cache, "code_version", lambda: "another version of the ingest")
    ingest_cache.cached_ingest([data], cache_dir=cache)
    assert len(counted) == 3


@pytest.mark.parametrize("with_sales", [True, False])
@pytest.mark.parametrize("table", ["sales.parquet", "producers.arrow"])
@pytest.mark.parametrize("damage", ["truncate table", "bad json", "missing table", "wrong row count"])
def test_a_damaged_entry_is_rebuilt_not_trusted(data: Path, tmp_path: Path, counted: list[int], damage: str,
                                                table: str, with_sales: bool):
    cache = tmp_path / "cache"
    cold = ingest_cache.cached_ingest([data], cache_dir=cache)
    (entry,) = [p for p in (cache / "ingest").iterdir() if p.is_dir()]
    damaged = entry / table
    if damage == "truncate table":
        damaged.write_bytes(damaged.read_bytes()[:1000])
    elif damage == "bad json":
        (entry / "report.json").write_text("{not json", encoding="utf-8")
    elif damage == "missing table":
        damaged.unlink()
    elif table.endswith(".parquet"):  # readable, of the right kind, but not these rows: the manifest's count betrays it
        pq.write_table(pq.read_table(damaged).slice(0, 5), damaged)
    else:
        shutil.copy(entry / "trainings.arrow", damaged)
    rebuilt = ingest_cache.cached_ingest([data], cache_dir=cache, with_sales=with_sales)
    assert len(counted) == 2
    if with_sales:
        assert_same(cold, rebuilt)
    else:  # the sales stay on disk: a stand-in that counts them, and the entry's file holds them
        assert len(rebuilt.sales) == 0 and row_count(rebuilt.sales) == len(cold.sales)
        pd.testing.assert_frame_equal(read_sales(rebuilt.folder), cold.sales.reset_index(drop=True))
    ingest_cache.cached_ingest([data], cache_dir=cache)
    assert len(counted) == 2  # the rebuilt entry is used again


def test_an_unwritable_cache_costs_speed_not_the_result(data: Path, tmp_path: Path):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x", encoding="utf-8")
    result = ingest_cache.cached_ingest([data], cache_dir=blocked)
    assert len(result.producers) > 100


def test_only_the_newest_entries_are_kept(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "cache"
    monkeypatch.setattr(ingest_cache, "MAX_ENTRIES", 2)
    for version in ("a", "b", "c"):
        monkeypatch.setattr(ingest_cache, "code_version", lambda v=version: v)
        ingest_cache.cached_ingest([data / "pelatihan"], cache_dir=cache)
    assert len([p for p in (cache / "ingest").iterdir() if p.is_dir()]) == 2


def test_command_uses_the_cache_unless_told_not_to(data: Path, tmp_path: Path, counted: list[int], configure):
    configure(cache_dir=tmp_path / "cache")
    assert ingest_command(["--out", str(tmp_path / "a"), str(data)]) == 0
    assert ingest_command(["--out", str(tmp_path / "b"), str(data)]) == 0
    assert len(counted) == 1
    assert (tmp_path / "cache" / "ingest").is_dir()
    assert (tmp_path / "b" / "report.json").read_text(encoding="utf-8") == (tmp_path / "a" / "report.json").read_text(encoding="utf-8")
    assert ingest_command(["--no-cache", "--out", str(tmp_path / "c"), str(data)]) == 0
    assert len(counted) == 1  # --no-cache bypasses cached_ingest altogether
    assert (tmp_path / "c" / "report.json").read_text(encoding="utf-8") == (tmp_path / "a" / "report.json").read_text(encoding="utf-8")
