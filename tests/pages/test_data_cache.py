"""The caching mechanics of ui/data.py: one shared ingest result that pages cannot change, the data
folder chosen with UMKM_DATA_DIR, and the folder hash memoised on the files' stat."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.core.fingerprint import data_fingerprint
from analysis.core.paths import DEMO_RAW_DIR, ROOT
from analysis.engine import read_sales, row_count
from analysis.ingest.cache import cached_ingest
from ui import data as ui_data
from ui import filters as ui_filters
from ui.navigation import PAGES

APP = str(ROOT / "app.py")
FRAMES = ("producers", "sales", "trainings", "participants", "rejected", "cell_problems", "near_duplicates",
          "producer_sources")


def test_pages_do_not_change_the_shared_result():
    """Every page, with a filter change, then the shared in-memory result must still equal the stored one."""
    for spec in PAGES:
        at = AppTest.from_file(APP, default_timeout=120)
        if spec != PAGES[0]:
            at.switch_page(spec.path)
        at.run()
        at.multiselect(key=ui_filters.KEY_KECAMATAN).set_value(["Natar"]).run()
        assert not at.exception, [e.value for e in at.exception]
    shared = ui_data._ingest(str(DEMO_RAW_DIR), ui_data.source_fingerprint(DEMO_RAW_DIR))
    stored = cached_ingest([DEMO_RAW_DIR])
    for name in FRAMES:
        if name == "sales":  # the dashboard holds a stand-in; the rows stay in the entry's file, unchanged
            assert len(shared.sales) == 0 and row_count(shared.sales) == len(stored.sales)
            pd.testing.assert_frame_equal(read_sales(shared.folder), stored.sales.reset_index(drop=True))
            continue
        pd.testing.assert_frame_equal(getattr(shared, name), getattr(stored, name), obj=name)
    assert shared.report == stored.report


def test_a_write_into_a_handed_out_frame_stays_private():
    shared = cached_ingest([DEMO_RAW_DIR])
    original = shared.producers["kecamatan"].copy()
    handed = ui_data._shielded(shared)
    handed.producers.loc[handed.producers.index[0], "kecamatan"] = "Bukan Kecamatan"
    handed.producers["kecamatan"] = "Ditimpa"
    handed.report["totals"]["producers"] = -1
    pd.testing.assert_series_equal(shared.producers["kecamatan"], original)
    assert shared.report["totals"]["producers"] == len(shared.producers)
    # The same writes on the unshielded object do change it: the check above can fail.
    shared.producers.loc[shared.producers.index[0], "kecamatan"] = "Bukan Kecamatan"
    assert shared.producers["kecamatan"].iloc[0] == "Bukan Kecamatan"


def test_umkm_data_dir_chooses_the_folder_shown(tmp_path: Path, configure):
    folder = tmp_path / "kantor"
    folder.mkdir()
    shutil.copy2(DEMO_RAW_DIR / "registri" / "data_umkm_candipuro.csv", folder)
    configure(data_dir=folder)
    expected = len(cached_ingest([folder]).producers)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.value.startswith("Sumber: Data dari UMKM_DATA_DIR") for c in at.sidebar.caption)
    shown = int({m.label: m.value for m in at.metric}["Jumlah UMKM"].replace(".", ""))
    assert 50 < shown == expected


def test_folder_hash_is_memoised_on_stat_and_redone_on_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "a.csv").write_bytes(b"nama;omzet\nA;1\n")
    calls: list[Path] = []

    def counting(directory: Path) -> str:
        calls.append(directory)
        return data_fingerprint(directory)

    from analysis.core import fingerprint as core_fingerprint
    from analysis.ingest.cache import cache_key

    monkeypatch.setattr(core_fingerprint, "data_fingerprint", counting)
    first = ui_data.source_fingerprint(tmp_path)
    assert ui_data.source_fingerprint(tmp_path) == first
    cache_key([tmp_path])  # the ingest cache's key shares the memo: the bytes are hashed once
    assert len(calls) == 1
    path = tmp_path / "a.csv"
    path.write_bytes(b"nama;omzet\nA;2\n")  # same size
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    changed = ui_data.source_fingerprint(tmp_path)
    assert len(calls) == 2
    assert changed != first and changed == data_fingerprint(tmp_path)
    (tmp_path / "b.csv").write_bytes(b"x")
    assert ui_data.source_fingerprint(tmp_path) == data_fingerprint(tmp_path) != changed
