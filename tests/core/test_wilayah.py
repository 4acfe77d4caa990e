"""The office's region: UMKM_WILAYAH / --wilayah, the national code list and the region's kecamatan."""
from __future__ import annotations

import pytest

from analysis.core import reference as ref
from analysis.core import settings, wilayah
from analysis.core.schemas import Producers


@pytest.mark.parametrize("text, code", [("18.01", "18.01"), ("1801", "18.01"), (" 64.71 ", "64.71"), ("18", "18")])
def test_region_codes_are_normalised(text, code):
    assert settings.region_code(text) == code


@pytest.mark.parametrize("text", ["1", "18.1", "abc", "18.01.04", "180"])
def test_malformed_region_code_is_refused_with_an_example(text):
    with pytest.raises(settings.SettingsError, match="UMKM_WILAYAH.*18.01"):
        settings.region_code(text, "UMKM_WILAYAH")


def test_environment_sets_the_region_and_defaults_to_lampung_selatan():
    assert settings.Settings.from_environment({}).wilayah == "18.01"
    assert settings.Settings.from_environment({"UMKM_WILAYAH": "6471"}).wilayah == "64.71"
    with pytest.raises(settings.SettingsError, match="UMKM_WILAYAH"):
        settings.Settings.from_environment({"UMKM_WILAYAH": "Balikpapan"})


def test_unknown_code_is_refused():
    with pytest.raises(settings.SettingsError, match="99.99 tidak ada"):
        wilayah.region("99.99")


@pytest.mark.parametrize("code, nama, short, unit", [
    ("18.01", "Kabupaten Lampung Selatan", "Lampung Selatan", "Kabupaten"),
    ("64.71", "Kota Balikpapan", "Kota Balikpapan", "Kota"),
    ("18", "Provinsi Lampung", "Provinsi Lampung", "Provinsi"),
])
def test_region_names(code, nama, short, unit):
    region = wilayah.region(code)
    assert (region.nama, region.short, region.unit, region.is_provinsi) == (nama, short, unit, len(code) == 2)


def test_balikpapan_kecamatan_from_the_national_list(configure):
    configure(wilayah="64.71")
    table = ref.kecamatan()
    assert sorted(table["kecamatan"]) == ["Balikpapan Barat", "Balikpapan Kota", "Balikpapan Selatan",
                                          "Balikpapan Tengah", "Balikpapan Timur", "Balikpapan Utara"]
    assert table["kode_kemendagri"].str.startswith("64.71.").all()
    assert table["penduduk_2010"].isna().all() and table["ibukota_lat"].between(-1.4, -1.0).all()
    assert (table["jumlah_desa"] + table["jumlah_kelurahan"]).sum() == 34
    allowed = next(c.allowed_values() for c in Producers.columns if c.name == Producers.kecamatan)
    assert set(allowed) == set(table["kecamatan"])


def test_lampung_selatan_keeps_the_curated_reference():
    table = ref.kecamatan()
    assert len(table) == 17 and table["penduduk_2010"].notna().all()
    assert "Rajabasa" in set(table["kecamatan"]) and table.loc[table["kecamatan"] == "Natar", "kode_bps"].item() == "1803060"


def test_province_region_names_twins_by_their_kabupaten():
    table = ref.kecamatan(wilayah="18")
    assert len(table) == 229 and table["kecamatan"].is_unique
    assert {"Pagar Dewa (Lampung Barat)", "Pagar Dewa (Tulang Bawang Barat)", "Natar", "Kedaton"} <= set(table["kecamatan"])
    assert table.loc[table["kecamatan"] == "Natar", "penduduk_2010"].notna().all()  # the curated figures join by code


def test_use_region_puts_the_code_in_force(configure):
    assert wilayah.use_region("6471").kode == "64.71"
    assert settings.get().wilayah == "64.71"
    with pytest.raises(settings.SettingsError):
        wilayah.use_region("00")


def test_licences_ship_with_the_data():
    texts = wilayah.licence_texts()
    assert len(texts) == 2 and all("MIT" in t or "Permission is hereby granted" in t for t in texts.values())


def test_region_chosen_on_kelola_data_is_kept_and_applied(configure, tmp_path, monkeypatch):
    monkeypatch.delenv("UMKM_WILAYAH", raising=False)
    configure(store_dir=tmp_path / "kelola")
    assert wilayah.stored_code() is None and wilayah.apply_stored().kode == "18.01"
    assert wilayah.save_code("6471").nama == "Kota Balikpapan"
    assert (tmp_path / "kelola" / wilayah.REGION_FILE).read_text(encoding="utf-8") == "64.71\n"
    configure(wilayah="18.01")  # a new process: the default again until the stored choice is applied
    assert wilayah.apply_stored().kode == "64.71" and settings.get().wilayah == "64.71"
    with pytest.raises(settings.SettingsError):
        wilayah.save_code("99.99")
    assert wilayah.stored_code() == "64.71"


def test_environment_wins_over_the_stored_region(configure, tmp_path, monkeypatch):
    configure(store_dir=tmp_path / "kelola", wilayah="18")
    wilayah.save_code("64.71")
    configure(wilayah="18")
    monkeypatch.setenv("UMKM_WILAYAH", "18")
    assert wilayah.chosen_by_environment() and wilayah.apply_stored().kode == "18"
