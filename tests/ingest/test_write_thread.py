"""The ingest writes the sales file on a thread while it links the participants (analysis/ingest/pipeline.py):
the file is the same as the sales it reports, and a linking that fails leaves no thread writing on."""
from __future__ import annotations

import threading

import pytest

from analysis.core.paths import DEMO_RAW_DIR
from analysis.engine import SALES_FILE, read_sales
from analysis.ingest import merge
from analysis.ingest.pipeline import ingest_paths


def test_the_written_sales_are_the_reported_ones(tmp_path):
    result = ingest_paths([DEMO_RAW_DIR], workers=1, sales_folder=tmp_path)
    assert result.folder == tmp_path
    assert (tmp_path / SALES_FILE).is_file() and len(read_sales(tmp_path)) == result.report["totals"]["sales_rows"] > 0


def test_a_failed_linking_waits_for_the_writer(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("linking failed")

    monkeypatch.setattr(merge, "linked_trainings", broken)
    with pytest.raises(RuntimeError, match="linking failed"):
        ingest_paths([DEMO_RAW_DIR], workers=1, sales_folder=tmp_path)
    assert not [t for t in threading.enumerate() if t.name.startswith("ingest-write")]
