"""The settings object: every environment variable read in one place, bad values refused by name."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.core import settings
from analysis.core.paths import ROOT, WORK_DIR


def test_defaults_without_any_variable():
    chosen = settings.Settings.from_environment({})
    assert chosen.data_dir is None and chosen.ingest_workers is None and chosen.background_impact is True
    assert chosen.cache_dir == WORK_DIR / "cache" and chosen.store_dir == WORK_DIR / "kelola"
    assert chosen.users_file == WORK_DIR / "users.json" and chosen.session_idle_hours == 8.0


def test_every_variable_is_read():
    chosen = settings.Settings.from_environment({
        "UMKM_DATA_DIR": "/data/kantor", "UMKM_CACHE_DIR": "/tmp/c", "UMKM_BATAS_FILE": "/tmp/b.geojson",
        "UMKM_STORE_DIR": "/tmp/s", "UMKM_USERS_FILE": "/tmp/u.json", "UMKM_SESSION_HOURS": "1,5",
        "UMKM_DAMPAK_LATAR": "0", "UMKM_INGEST_WORKERS": "2"})
    assert chosen == settings.Settings(
        data_dir=Path("/data/kantor"), cache_dir=Path("/tmp/c"), boundary_file=Path("/tmp/b.geojson"),
        store_dir=Path("/tmp/s"), users_file=Path("/tmp/u.json"), session_idle_hours=1.5, background_impact=False,
        ingest_workers=2)


@pytest.mark.parametrize("name, value", [("UMKM_SESSION_HOURS", "delapan"), ("UMKM_SESSION_HOURS", "0"),
                                         ("UMKM_INGEST_WORKERS", "dua"), ("UMKM_INGEST_WORKERS", "0")])
def test_a_value_that_cannot_be_used_names_its_variable(name, value):
    with pytest.raises(settings.SettingsError, match=name):
        settings.Settings.from_environment({name: value})


def test_get_reads_once_and_use_replaces(monkeypatch):
    settings.use(None)
    monkeypatch.setenv("UMKM_SESSION_HOURS", "3")
    first = settings.get()
    monkeypatch.setenv("UMKM_SESSION_HOURS", "4")
    assert settings.get() is first and first.session_idle_hours == 3.0  # read once, not on every call
    settings.use(None)
    assert settings.get().session_idle_hours == 4.0


def test_the_dashboard_says_which_setting_is_wrong(monkeypatch):
    settings.use(None)
    monkeypatch.setenv("UMKM_SESSION_HOURS", "delapan")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("UMKM_SESSION_HOURS" in e.value for e in at.error), [e.value for e in at.error]
