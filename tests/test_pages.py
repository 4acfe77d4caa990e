"""Smoke-run every page of the app with Streamlit's AppTest.

The page list comes from ui/navigation.py, the same list app.py routes, so a new page is covered as
soon as it is added there. These tests need a working ingest of the bundled demo data: a page that
can only show "Data belum dapat dimuat" fails here on purpose.
"""
import re

import pytest
from streamlit.testing.v1 import AppTest

from analysis.config import ROOT
from ui.navigation import PAGES, PageSpec

APP = str(ROOT / "app.py")
# An Indonesian whole number: "7", "1.234", "12.345.678".
WHOLE_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*$")


def run_page(spec: PageSpec) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if spec != PAGES[0]:  # the default page is already shown by the first run
        at.switch_page(spec.path).run()
    return at


@pytest.mark.parametrize("spec", PAGES, ids=[spec.title for spec in PAGES])
def test_page_runs_without_errors(spec: PageSpec):
    at = run_page(spec)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [spec.title]
    assert not at.error, [e.value for e in at.error]


def test_ringkasan_shows_formatted_headline():
    at = run_page(PAGES[0])
    metrics = {m.label: m.value for m in at.metric}
    assert "Jumlah UMKM" in metrics, list(metrics)
    assert WHOLE_NUMBER.match(metrics["Jumlah UMKM"]), metrics["Jumlah UMKM"]
    assert int(metrics["Jumlah UMKM"].replace(".", "")) > 0
    assert metrics["Total omzet tahunan"].startswith("Rp ")
    assert re.match(r"^\d{1,3}(\.\d{3})*,\d%$", metrics["Memiliki NIB"]), metrics["Memiliki NIB"]
    assert any(c.value.startswith("Kualitas data: Baris dibaca ") for c in at.caption)
    chart = at.get("plotly_chart")
    assert len(chart) == 1
    assert '"separators":",."' in chart[0].proto.spec.replace(" ", "")


def test_sidebar_names_source_and_period():
    at = run_page(PAGES[0])
    captions = [c.value for c in at.sidebar.caption]
    assert any(c.startswith("Sumber: Data demo bawaan") and "Periode data:" in c for c in captions), captions


def _jumlah_umkm(at: AppTest) -> int:
    return int({m.label: m.value for m in at.metric}["Jumlah UMKM"].replace(".", ""))


def test_a_shared_link_reopens_the_filtered_view():
    """URL -> widgets -> numbers. (Widget -> URL needs a real browser: under AppTest, a rerun of an
    st.navigation app does not redraw the widgets that app.py puts in the sidebar.)"""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kec"] = "Natar,Kalianda"
    at.query_params["skala"] = "Mikro"
    at.run()
    assert not at.exception
    assert at.multiselect(key="filter_kecamatan").value == ["Natar", "Kalianda"]
    assert at.multiselect(key="filter_skala").value == ["Mikro"]
    fresh = AppTest.from_file(APP, default_timeout=60).run()
    assert 0 < _jumlah_umkm(at) < _jumlah_umkm(fresh)
