"""Shared fixtures: tiny messy workbooks written on the fly, and paths into ../shared (skipped when absent)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analysis.config import SHARED_DIR


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
