"""What the pages show about the region: UMKM per desa in the kecamatan profile, the region's name where
the whole is one group, "tidak tersedia" where no population is known, and the map's note."""
from __future__ import annotations

import pandas as pd

from analysis.core import formatting as fmt
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight import profile
from analysis.output import maps


def _balikpapan_tables():
    producers = Producers.conform(pd.DataFrame({
        "umkm_id": ["A", "B", "C"], "kecamatan": ["Balikpapan Timur", "Balikpapan Timur", "Balikpapan Kota"],
        "kode_kecamatan": ["64.71.01", "64.71.01", "64.71.06"], "desa": ["Manggar", "Jl. Mulawarman", "Klandasan Ilir"],
        "kode_desa": ["64.71.01.1001", None, "64.71.06.1003"],
        "kategori": ["Minuman", "Kerajinan", "Minuman"], "skala": ["Mikro", "Kecil", "Mikro"],
    }))
    return flt.Tables(producers, Sales.empty(), Trainings.empty(), Participants.empty())


def test_desa_table_lists_every_desa_and_the_unrecognised(tiny_tables):
    producers = tiny_tables.producers.assign(desa=["Merak Batin", "Ds. Merak Batin", "Jl. Raya"])
    table = profile.desa_table(producers, "18.01.04")  # no kode_desa column: recognised on the fly
    assert len(table) == 26  # Natar's 26 desa, no unrecognised row: both Natar producers are in Merak Batin
    assert table.iloc[0][profile.COL_DESA] == "Merak Batin" and table.iloc[0][profile.JUMLAH_UMKM] == 2
    assert table[profile.JUMLAH_UMKM].sum() == 2
    kalianda = profile.desa_table(producers, "18.01.06")
    assert kalianda.iloc[-1][profile.COL_DESA] == profile.UNRECOGNISED_DESA and kalianda.iloc[-1][profile.JUMLAH_UMKM] == 1


def test_kecamatan_profile_of_another_region(configure):
    configure(wilayah="64.71")
    tables = _balikpapan_tables()
    view = profile.kecamatan_profile(tables, flt.Filters(), "Balikpapan Timur")
    assert view.kode_kecamatan == "64.71.01" and "Kota" in view.indicators.columns
    desa = view.desa.set_index(profile.COL_DESA)[profile.JUMLAH_UMKM]
    assert desa["Manggar"] == 1 and desa[profile.UNRECOGNISED_DESA] == 1 and desa.sum() == 2


def test_whole_region_is_named_and_population_is_not_available(configure):
    configure(wilayah="64.71")
    tables = _balikpapan_tables()
    whole = ind.compute(tables, flt.Filters())
    assert whole[Producers.kecamatan].tolist() == ["Kota Balikpapan"]
    assert pd.isna(whole["umkm_per_1000"].iloc[0])
    assert fmt.indicator_value(ind.RATE, whole["umkm_per_1000"].iloc[0]) == "tidak tersedia"
    assert ind.basis_line("umkm_per_1000", whole.iloc[0]).startswith("tidak tersedia")
    per = ind.compute(tables, flt.Filters(), by_kecamatan=True)
    assert len(per) == 6 and per["umkm_per_1000"].isna().all()


def test_lampung_selatan_still_has_its_population(tiny_tables):
    whole = ind.compute(tiny_tables, flt.Filters())
    assert whole[Producers.kecamatan].tolist() == ["Kabupaten Lampung Selatan"]
    assert whole["umkm_per_1000"].iloc[0] > 0


def test_map_note_says_what_the_lines_are():
    assert maps.MapShapes({}, official=True, approximate=True).note.startswith("Batas perkiraan")
    assert maps.MapShapes({}, official=False).note == maps.SCHEMATIC_NOTE
    assert maps.MapShapes({}, official=True).note is None
