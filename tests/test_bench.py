"""The benchmark's report functions (no timing here: speed is measured by `python -m bench`, not asserted)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import bench.__main__ as bench


def fake_result(scale: int, ingest_s: float, warm_s: float) -> dict:
    result = {
        "scale": scale, "data": {"producers": 2500 * scale, "sales_rows": 65000 * scale, "files": 32,
                                 "megabytes": 3.0 * scale},
        "raw_read_s": 0.3 * scale, "ingest_s": ingest_s, "reingest_s": 0.02, "outputs_s": 0.1,
        "pages": {"Ringkasan": {"cold_s": 1.0, "warm_s": warm_s, "problems": []},
                  "Peta Kecamatan": {"cold_s": 0.5, "warm_s": 0.2, "problems": ["error: x"]}},
        "peak_rss_mb": 400.0,
    }
    result["ingest_ratio"] = ingest_s / result["raw_read_s"]
    result["reingest_share"] = result["reingest_s"] / ingest_s
    result["targets"] = bench._verdicts(result)
    return result


def test_verdicts_follow_the_targets():
    good = fake_result(1, ingest_s=0.5, warm_s=0.9)["targets"]
    assert good["ingest_ratio <= 2.0"] and good["every page warm_s <= 1.0"] and good["reingest_s <= 5% of ingest_s"]
    assert not good["pages without errors"]  # a page with an error box is not a fast page
    slow = fake_result(1, ingest_s=5.0, warm_s=1.5)["targets"]
    assert not slow["ingest_ratio <= 2.0"] and not slow["every page warm_s <= 1.0"]


def test_table_lists_every_page_and_target():
    text = bench.table(fake_result(1, ingest_s=5.0, warm_s=1.5))
    assert "| Ringkasan: cold_s / warm_s | 1.00 / 1.50 |" in text
    assert "| Peta Kecamatan: cold_s / warm_s |" in text
    assert "- ingest_ratio <= 2.0: TIDAK" in text


def test_growth_divides_by_the_smallest_scale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)
    for scale, ingest_s in ((1, 4.0), (5, 20.0)):
        (tmp_path / f"results-{scale}.json").write_text(json.dumps(fake_result(scale, ingest_s, 0.5)), encoding="utf-8")
    text = bench.growth([1, 5])
    assert "| ingest_s | 4.00 | 20.00 | 5.0 |" in text
    assert "| producers | 2,500 | 12,500 | 5.0 |" in text
