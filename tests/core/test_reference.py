"""The reference tables in data/reference: complete, consistent with their source, safe to hand out."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core import reference as ref
from analysis.core.schemas import Producers


def test_seventeen_kecamatan_with_kemendagri_and_bps_codes():
    table = ref.kecamatan()
    assert len(table) == 17 and table["kecamatan"].is_unique
    assert table["kode_kemendagri"].str.fullmatch(r"18\.01\.\d\d").all()
    assert table["kode_bps"].str.fullmatch(r"1803\d{3}").all()
    assert ref.kecamatan_code("Way Panji") == "18.01.24"
    assert table["penduduk_2010"].sum() == 912_490  # the source table's own (inconsistent) sum, see README


def test_kecamatan_facts_match_the_shared_reference(shared_dir):
    source = pd.read_csv(shared_dir / "data" / "reference" / "kecamatan_lampung_selatan.csv", dtype=str)
    ours = ref.kecamatan().astype({"ibukota_lat": str, "ibukota_lon": str})
    merged = source.merge(ours, left_on="kode_kemendagri", right_on="kode_kemendagri", suffixes=("_src", ""))
    assert len(merged) == 17
    assert (merged["kecamatan_src"] == merged["kecamatan"]).all()
    assert (merged["kode_bps_src"] == merged["kode_bps"]).all()
    assert (merged["penduduk_2010_sp"].astype(int) == merged["penduduk_2010"]).all()
    assert (merged["luas_km2_pemkab"].astype(float) == merged["luas_km2"]).all()


def test_cached_tables_cannot_be_changed_by_a_caller():
    first = ref.kecamatan()
    first.loc[0, "kecamatan"] = "Diubah"
    assert ref.kecamatan().loc[0, "kecamatan"] == "Natar"


def test_every_keyword_maps_to_a_canonical_value():
    assert set(ref.kategori_keywords()["kategori"]) <= set(ref.KATEGORI)
    assert set(ref.jenis_keywords()["jenis"]) <= set(ref.JENIS_PELATIHAN)
    keywords = ref.kategori_keywords()["kata_kunci"]
    assert keywords.str.len().is_monotonic_decreasing  # the longest keyword is tried first


@pytest.mark.parametrize(("year", "criterion"), [(2017, "UU 20/2008"), (2020, "UU 20/2008"), (2021, "PP 7/2021"), (2026, "PP 7/2021")])
def test_default_size_criterion_follows_the_data_year(year, criterion):
    assert ref.default_criterion(year) == criterion


def test_size_criteria_thresholds():
    criteria = ref.size_criteria()
    assert criteria["UU 20/2008"].omzet_limits == (300e6, 2.5e9, 50e9)
    assert criteria["PP 7/2021"].aset_limits == (1e9, 5e9, 10e9)


def test_lebaran_dates_of_the_demo_years():
    dates = ref.lebaran_dates()
    assert [str(dates[y].date()) for y in (2015, 2016, 2017)] == ["2015-07-17", "2016-07-06", "2017-06-25"]


def test_schema_allows_exactly_the_reference_kecamatan():
    allowed = next(c.allowed_values() for c in Producers.columns if c.name == Producers.kecamatan)
    assert set(allowed) == set(ref.kecamatan_names())


def test_search_synonyms_are_groups_of_compact_terms(tmp_path):
    (tmp_path / "sinonim_pencarian.csv").write_text(
        "kelompok,istilah\nvco,VCO\nvco,Minyak Kelapa Murni\nvco, virgin  coconut oil\nkripik,kripik\nkripik,Kéripik\n",
        encoding="utf-8")
    synonyms = ref.search_synonyms(tmp_path)
    assert synonyms["vco"] == ("vco", "minyakkelapamurni", "virgincoconutoil")
    assert synonyms["minyakkelapamurni"] == synonyms["vco"]
    assert synonyms["keripik"] == ("kripik", "keripik")
    assert ref.search_synonyms(tmp_path / "tidak-ada") == {}
    assert "minyakkelapa" in ref.search_synonyms()["vco"]  # the shipped table: registries write VCO so too
