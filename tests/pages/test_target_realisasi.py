"""Target & Realisasi with Streamlit's AppTest: the table of targets against realisasi for the demo data,
editing a target as perencana (saved to the office's file, refused with a message naming the row when a
cell is no number, the last good table then kept), and read-only for pimpinan and publik.

AppTest cannot type into st.data_editor; ``_edits`` sends what the browser sends for an edited cell (the
editor's JSON state under its widget id) with the next run."""
from __future__ import annotations

import json
import time

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import ElementTree

from analysis.core.paths import ROOT
from analysis.insight import targets as tgt
from analysis.office import targets as office_targets
from analysis.office import users

APP = str(ROOT / "app.py")
PAGE = "pages/target_realisasi.py"
PASSWORD = "sandi-uji-yang-panjang"
EDITOR, SAVE = "target_editor", "target_simpan"


def _open(role: str | None = None, public_view: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if role is not None:
        users.add("orang", role, PASSWORD)
        at.session_state["auth_pengguna"] = {"name": "orang", "role": role, "last_seen": time.time()}
        at.session_state["tampilan_publik"] = public_view
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Target & Realisasi"]
    return at


def _editor(at: AppTest):
    return next((d for d in at.dataframe if d.key and d.key.startswith(EDITOR)), None)


@pytest.fixture
def edits(monkeypatch):
    """``edits(at, {row: {column: text}})``: the editor's changes, sent with every later run."""
    sent: dict = {}
    original = ElementTree.get_widget_states

    def with_editor(self):
        states = original(self)
        for widget_id, payload in sent.items():
            states.widgets.append(WidgetState(id=widget_id, string_value=json.dumps(payload)))
        return states

    monkeypatch.setattr(ElementTree, "get_widget_states", with_editor)

    def edit(at: AppTest, rows: dict[int, dict[str, str]]) -> None:
        editor = _editor(at)
        sent[editor.proto.id] = {"edited_rows": {str(k): v for k, v in rows.items()}, "added_rows": [],
                                 "deleted_rows": []}

    return edit


def test_the_page_shows_targets_against_realisasi_for_the_demo():
    at = _open()
    assert at.selectbox(key="target_tahun").value == 2017  # the latest year with a realisasi
    table = at.table[0].value
    assert table.loc["Jumlah UMKM", tgt.COL_TARGET] == "2.400"
    assert table.loc["Jumlah UMKM", tgt.COL_REALISASI] == "2.500"
    assert table.loc["Jumlah UMKM", tgt.COL_CAPAIAN] == "104,2%"
    assert table.loc["Jumlah UMKM", tgt.COL_STATUS] == tgt.TERCAPAI
    assert table.loc["Skala Mikro", tgt.COL_STATUS] == tgt.HAMPIR  # lower is better: 93,9% against 92%
    metrics = {m.label: m.value for m in at.metric}
    assert sum(int(v) for v in metrics.values()) == len(table)
    assert any(c.value.startswith("Target contoh (data demo") for c in at.caption)
    charts = [c for c in at.get("plotly_chart") if "target_grafik_" in c.proto.id]
    assert len(charts) == len(set(office_targets.load().table[tgt.INDIKATOR]))
    assert at.query_params["tahun"] in ("2017", ["2017"])


def test_another_year_from_the_link(configure):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["tahun"] = "2016"
    at.run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key="target_tahun").value == 2016
    table = at.table[0].value
    assert table.loc["UMKM dilatih", tgt.COL_REALISASI] == "306"


def test_a_planner_edits_a_target_and_it_is_saved(configure, edits):
    at = _open(users.ROLE_PERENCANA)
    editor = _editor(at)
    assert editor is not None and editor.editing_mode == "dynamic"
    row = list(editor.value[tgt.INDIKATOR]).index("jumlah_umkm")
    edits(at, {row: {tgt.TARGET: "3.000"}})
    at.button(key=SAVE).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any(s.value == "Target disimpan." for s in at.success)
    saved = office_targets.load()
    assert saved.origin == office_targets.ORIGIN_OFFICE and saved.path.parent == configure.current.store_dir
    assert saved.table.set_index(tgt.INDIKATOR).loc["jumlah_umkm", tgt.TARGET] == 3000.0
    table = at.table[0].value
    assert table.loc["Jumlah UMKM", tgt.COL_TARGET] == "3.000"
    assert _editor(at).key != editor.key  # a fresh editor over the saved table
    assert table.loc["Jumlah UMKM", tgt.COL_CAPAIAN] == "83,3%"
    assert table.loc["Jumlah UMKM", tgt.COL_STATUS] == tgt.BELUM


def test_text_in_a_number_is_refused_and_the_last_good_table_stays(configure, edits):
    at = _open(users.ROLE_PERENCANA)
    before = office_targets.load().table
    edits(at, {0: {tgt.TARGET: "tiga ribu"}, 1: {tgt.TAHUN: "1999"}})
    at.button(key=SAVE).click().run()
    assert not at.exception
    (error,) = at.error
    assert "Target tidak disimpan" in error.value
    assert "Baris 1: target 'tiga ribu' bukan angka" in error.value
    assert "Baris 2: tahun 1999 di luar rentang" in error.value
    assert not office_targets.office_file().exists()  # nothing written
    assert office_targets.load().table.equals(before)


@pytest.mark.parametrize(("role", "public_view"), [(users.ROLE_PIMPINAN, False), (users.ROLE_PUBLIK, False),
                                                   (users.ROLE_ADMIN, True)])
def test_others_read_the_targets_but_cannot_edit(configure, role, public_view):
    at = _open(role, public_view)
    assert _editor(at) is None
    assert not [b for b in at.button if b.key == SAVE]
    assert any("Hanya perencana dan admin data" in i.value for i in at.info)
    assert at.table[0].value.shape[0] > 0  # the achievement table is still shown


def test_nobody_logged_in_cannot_edit_either():
    at = _open()
    assert _editor(at) is None and any("Hanya perencana dan admin data" in i.value for i in at.info)


def test_the_admin_may_edit():
    at = _open(users.ROLE_ADMIN)
    assert _editor(at) is not None and at.button(key=SAVE) is not None
