"""The ingest writes the sales into the engine file it names (analysis/ingest/pipeline.py): the file holds
the sales it reports."""
from __future__ import annotations

from analysis.core.paths import DEMO_RAW_DIR
from analysis.engine import SALES_FILE, read_sales
from analysis.ingest.pipeline import ingest_paths


def test_the_written_sales_are_the_reported_ones(tmp_path):
    result = ingest_paths([DEMO_RAW_DIR], workers=1, sales_folder=tmp_path)
    assert result.folder == tmp_path
    assert (tmp_path / SALES_FILE).is_file() and len(read_sales(tmp_path)) == result.report["totals"]["sales_rows"] > 0
