"""What reaches the screen is Indonesian for people: no internal column names (snake_case keys, table names,
report.json, Σ formulas), no long numbers without separators, no times of day on dates, no '1.00'.

Every page is opened (the admin's Kelola Data too, with a preview) and every text element, table header,
text cell and widget label is read."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from analysis.core import paths
from analysis.office import review, users
from analysis.office.store import MODE_ADD, Store, Upload
from ui.navigation import PAGES

APP = str(paths.ROOT / "app.py")
INTERNAL = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(producers|participants|trainings|sales|report\.json|umkm_id)\b|Σ")
# A number of 4+ digits without separators that is not a year (not a phone "+62812..." nor a NIK, masked or,
# for admin data, whole: 16 digits), a time of day, "1.00".
UNFORMATTED = re.compile(r"(?<![+\d*])\b(?!(?:19|20)\d\d\b)(?!\d{16}\b)\d{4,}\b(?!\*)|\b\d{2}:\d{2}:\d{2}\b"
                         r"|(?<![\d.])\d+\.\d\d(?![\d.])")
PASSWORD = "sandi-uji-yang-panjang"
# Columns of data editors whose cells are keys that the page shows through a label (SelectboxColumn format_func).
EDITOR_KEYS = {review.COL_FIELD, "indikator", "arah"}


def _texts(at: AppTest) -> list[str]:
    found = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        found += [str(e.value) for e in getattr(at, kind)]
    for metric in at.metric:
        found += [metric.label, str(metric.value), metric.proto.help]
    for frame in [*(d.value for d in at.dataframe), *(t.value for t in at.table)]:
        found += [str(c) for c in frame.columns]
        for column in frame.columns:
            if column in EDITOR_KEYS:  # editors' select columns: keys shown through their labels (format_func)
                continue
            if frame[column].dtype == object or str(frame[column].dtype).startswith(("str", "string")):
                found += frame[column].dropna().astype(str).head(60).tolist()
    for kind in ("selectbox", "multiselect", "radio", "select_slider", "number_input", "text_input", "button",
                 "checkbox", "toggle"):
        found += [getattr(w, "label", "") or "" for w in getattr(at, kind)]
    return [t for t in found if t]


def _offenders(texts: list[str]) -> list[str]:
    # URLs in help texts and the command that creates the first account are code, not prose.
    prose = [t for t in texts if "python -m" not in t and "?" != t[:1] and not t.lstrip().startswith("<style")]
    return [t for t in prose if INTERNAL.search(t) or UNFORMATTED.search(t)]


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.path)
def test_a_page_says_nothing_in_internal_names_or_raw_numbers(spec, make_workbook):
    users.add("rina", users.ROLE_ADMIN, PASSWORD)
    at = AppTest.from_file(APP, default_timeout=300).run()
    at.text_input(key="login_nama").input("rina")
    at.text_input(key="login_sandi").input(PASSWORD)
    at.button(key="login_masuk").click().run()
    if spec.path == "pages/kelola_data.py":
        path = make_workbook("Data UMKM Natar.xlsx", {"Natar": [
            ["DATA UMKM KECAMATAN NATAR"], ["No", "Nama Usaha", "Nama Pemilik", "Produk", "Omzet per bulan"],
            [1, "Keripik Bu Sri", "Sri", "Keripik pisang", "2.500.000"], [2, None, None, None, None]]})
        at.session_state["kelola_pratinjau"] = Store().preview([Upload(path.name, path.read_bytes())], mode=MODE_ADD)
    at.switch_page(spec.path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _offenders(_texts(at)) == []


def test_the_check_finds_what_it_looks_for():
    assert _offenders(["Σ omzet_tahunan_rp", "5592 UMKM", "2017-03-14 00:00:00", "bobot 1.00", "tabel producers"]) == [
        "Σ omzet_tahunan_rp", "5592 UMKM", "2017-03-14 00:00:00", "bobot 1.00", "tabel producers"]
    assert _offenders(["5.592 UMKM", "+62812****5678", "1801********0001", "14/03/2017", "bobot 1,5"]) == []
