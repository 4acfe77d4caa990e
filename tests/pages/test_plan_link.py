"""A shared plan link fixes the data it was made with: opened after the office data changed it says so
(it gave 0 seats and a misleading message before) and offers the data it was made with while that
version is still on this computer."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis.core import paths
from analysis.core.paths import DEMO_RAW_DIR
from analysis.office.store import MODE_REPLACE, Store, Upload

APP = str(paths.ROOT / "app.py")
ANGGARAN = "pages/prioritas_anggaran.py"


def _uploads(skip_sales: bool = False) -> list[Upload]:
    files = [p for p in sorted(DEMO_RAW_DIR.rglob("*")) if p.is_file()]
    if skip_sales:  # the later version: the registries and trainings, no sales report of 2017
        files = [p for p in files if "2017" not in p.parent.name]
    return [Upload(p.name, p.read_bytes()) for p in files]


def _open(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(ANGGARAN).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _seats(at: AppTest) -> list:
    return next(d.value for d in at.dataframe if "Total kursi" in d.value.columns)["Total kursi"].tolist()


def _link(at: AppTest) -> dict[str, str]:
    return {key: (value[0] if isinstance(value, list) else value) for key, value in at.query_params.items()}


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    root = tmp_path_factory.mktemp("kelola")
    store = Store(root)
    first = store.apply(store.preview(_uploads(), mode=MODE_REPLACE), user="rina")
    return root, first


def test_a_link_on_changed_data_says_so_and_reopens_on_its_own_data(versions, configure):
    root, first = versions
    configure(store_dir=root)
    store = Store(root)
    if store.active_id() != first:
        store.rollback(first, user="rina")
    made = _open()
    link, seats = _link(made), _seats(made)
    assert link["data"] == first and sum(int(s.replace(".", "")) for s in seats) > 0
    assert not made.warning

    second = store.apply(store.preview(_uploads(skip_sales=True), mode=MODE_REPLACE), user="rina")
    try:
        opened = _open(link)
        warning = " ".join(w.value for w in opened.warning)
        assert "Tautan rencana ini dibuat dengan Data kantor" in warning and "dapat berbeda" in warning, warning
        opened.button(key="anggaran_data_tautan").click().run()
        assert not opened.exception, [e.value for e in opened.exception]
        assert not opened.warning and _link(opened)["data"] == first, ([w.value for w in opened.warning], _link(opened))
        assert _link(opened) == link, (_link(opened), link)
        assert _seats(opened) == seats  # the same plan on the same data
        assert "bukan versi aktif" in " ".join(c.value for c in opened.caption)
    finally:
        store.rollback(first, user="rina")
        assert second != first


def test_a_link_whose_data_is_gone_says_that_too(configure):
    opened = _open({"anggaran": "500000000", "data": "20250101T000000Z-abcdef"})
    warning = " ".join(w.value for w in opened.warning)
    assert "sudah tidak ada di komputer ini" in warning, warning
    assert not [b for b in opened.button if b.key == "anggaran_data_tautan"]
