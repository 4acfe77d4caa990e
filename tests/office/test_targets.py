"""The office's targets file (analysis/office/targets.py): saved atomically in the store folder, refused
whole when a row is wrong (the saved file untouched), read with comma or semicolon, and the demo's
example shown, labelled, until the office saves its own."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.insight import targets as tgt
from analysis.office import targets as office_targets


def _frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(tgt.COLUMNS))


def test_without_an_office_file_the_example_is_shown_as_an_example(configure):
    loaded = office_targets.load()
    assert loaded.origin == office_targets.ORIGIN_EXAMPLE and "contoh" in loaded.label.lower()
    assert len(loaded.table) > 10 and not loaded.problems
    assert all(source.startswith("Contoh") for source in loaded.table[tgt.SUMBER])


def test_save_writes_the_office_file_and_load_reads_it_back(configure):
    table = office_targets.save(_frame(("porsi_nib", "2025", "40,5", "Renstra", ""), ("umkm_dilatih", "2025", "1.250", "PK", "")))
    path = office_targets.office_file()
    assert path.parent == configure.current.store_dir and path.is_file()
    assert not list(path.parent.glob(".*.tmp"))  # the temporary file of the atomic write is gone
    loaded = office_targets.load()
    assert loaded.origin == office_targets.ORIGIN_OFFICE and loaded.table.equals(table)
    assert loaded.table.set_index(tgt.INDIKATOR).loc["umkm_dilatih", tgt.TARGET] == 1250.0


def test_a_bad_table_is_refused_and_the_saved_one_stays(configure):
    office_targets.save(_frame(("porsi_nib", "2025", "40", "Renstra", "")))
    before = office_targets.office_file().read_bytes()
    with pytest.raises(tgt.TargetError) as refused:
        office_targets.save(_frame(("porsi_nib", "2025", "empat puluh", "", ""), ("tidak_ada", "2025", "1", "", "")))
    assert refused.value.problems == ["Baris 1: target 'empat puluh' bukan angka (contoh: 1.250 atau 40,5).",
                                      "Baris 2: indikator 'tidak_ada' tidak dikenal; pakai kunci atau nama indikator "
                                      "dari katalog (mis. jumlah_umkm, porsi_nib, umkm_dilatih)."]
    assert office_targets.office_file().read_bytes() == before


def test_a_semicolon_file_saved_by_excel_is_read(configure):
    path = office_targets.office_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\ufeffIndikator;Tahun;Target;Sumber\nMemiliki NIB;2025;40,5;RPJMD\n", encoding="utf-8")
    loaded = office_targets.load()
    assert not loaded.problems
    assert loaded.table.to_dict("records") == [{"indikator": "porsi_nib", "tahun": 2025, "target": 40.5,
                                                "sumber": "RPJMD", "arah": ""}]


def test_a_broken_office_file_says_why_and_uses_no_targets(configure):
    path = office_targets.office_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("indikator,tahun,target\nporsi_nib,2025,banyak\n", encoding="utf-8")
    loaded = office_targets.load()
    assert loaded.origin == office_targets.ORIGIN_OFFICE and loaded.table.empty
    assert loaded.problems == ("Baris 1: target 'banyak' bukan angka (contoh: 1.250 atau 40,5).",)
