"""No full NIK or phone number on any page or in any download for anyone but admin data.

The 32 demo spreadsheets are applied as the office's data (as a data admin would upload them); then
every page of ui.navigation.PAGES is opened for each role without admin rights (nobody logged in while
no account exists, pimpinan, perencana, publik, and admin data in the public view). Everything the
page shows is collected: tables, text, chart JSON (hover data included) and the bytes of every download
button (Excel and PowerPoint unzipped, the PDF's text extracted), and searched for the registry's NIKs and
phone numbers.
A new page or export that shows records without ``ui.data.masked`` fails here.
"""
from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from analysis.core import paths
from analysis.core.paths import DEMO_RAW_DIR
from analysis.office import users
from analysis.office.store import MODE_REPLACE, Store, Upload
from ui.navigation import PAGES

APP = str(paths.ROOT / "app.py")
PASSWORD = "sandi-uji-yang-panjang"
_DIGITS = re.compile(r"\d{10,16}")


@pytest.fixture(scope="module")
def office_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("kantor") / "kelola")
    uploads = [Upload(p.name, p.read_bytes()) for p in sorted(DEMO_RAW_DIR.rglob("*")) if p.is_file()]
    store.apply(store.preview(uploads, mode=MODE_REPLACE), user="rina")
    producers = store.load(store.active_id()).producers
    niks = set(producers["nik"].dropna().astype(str))
    phones = {p.removeprefix("+62") for p in producers["no_hp"].dropna().astype(str)}  # "8127..." in any form
    assert len(niks) > 1000 and len(phones) > 1000
    return store, niks, phones


@pytest.fixture
def downloads(monkeypatch):
    """The bytes of every file a download button offers during the test: bytes given at once, and
    the files of buttons that build them only when clicked (a callable), built here as a click would."""
    offered: list = []
    original, original_deferred = MemoryMediaFileStorage.load_and_get_id, MediaFileManager.add_deferred

    def record(self, path_or_data, *args, **kwargs):
        if isinstance(path_or_data, (bytes, str)):
            offered.append(path_or_data)
        return original(self, path_or_data, *args, **kwargs)

    def record_deferred(self, data_callable, *args, **kwargs):
        offered.append(data_callable)
        return original_deferred(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return offered


def _file_text(content) -> str:
    if callable(content):
        content = content()
    if hasattr(content, "read"):
        content = content.read()
    if isinstance(content, str):
        return content
    if content[:5] == b"%PDF-":  # the laporan: its streams are compressed, so the text is extracted
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content[:4] == b"PK\x03\x04":  # xlsx, pptx: the XML of every member
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


def _everything(at: AppTest, offered: list) -> str:
    parts = [d.value.to_csv() for d in at.dataframe]
    parts += [str(e.value) for kind in ("markdown", "caption", "text", "info", "warning", "error", "success", "code")
              for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [c.proto.spec for c in at.get("plotly_chart")]
    parts += [str(t.proto) for t in at.get("table")]
    parts += [_file_text(content) for content in offered]
    return " ".join(parts)


def _leaks(text: str, niks: set[str], phones: set[str]) -> list[str]:
    found = []
    for digits in _DIGITS.findall(text):
        if digits in niks or any(digits.endswith(p) for p in phones if len(digits) - len(p) <= 2):
            found.append(digits)
    return found


SESSIONS = {
    "tanpa akun": None,
    "pimpinan": users.ROLE_PIMPINAN,
    "perencana": users.ROLE_PERENCANA,
    "publik": users.ROLE_PUBLIK,
    "admin data, tampilan publik": users.ROLE_ADMIN,
}


@pytest.mark.parametrize("session", list(SESSIONS))
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.path)
def test_no_full_nik_or_phone_without_admin_rights(office_store, downloads, configure, spec, session):
    store, niks, phones = office_store
    configure(store_dir=store.root)
    role = SESSIONS[session]
    at = AppTest.from_file(APP, default_timeout=120)
    if role is not None:
        users.add("orang", role, PASSWORD)
        at.session_state["auth_pengguna"] = {"name": "orang", "role": role, "last_seen": time.time()}
        at.session_state["tampilan_publik"] = role == users.ROLE_ADMIN
    at.run()
    at.switch_page(spec.path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [spec.title]
    assert any(c.value.startswith("Sumber: Data kantor") for c in at.caption)  # the office data is shown
    assert _leaks(_everything(at, downloads), niks, phones) == []


def test_the_leak_check_finds_a_full_number(office_store):
    """The search above can fail: a full NIK and a phone number in any common form are found."""
    _, niks, phones = office_store
    nik, phone = sorted(niks)[0], sorted(phones)[0]
    assert _leaks(f"NIK {nik}", niks, phones) == [nik]
    assert _leaks(f"HP 0{phone}", niks, phones) == [f"0{phone}"]
    assert _leaks(f"HP +62{phone}", niks, phones) == [f"62{phone}"]
    assert _leaks(f"NIK {nik[:4]}********{nik[-4:]} HP +62{phone[:3]}****{phone[-4:]}", niks, phones) == []


def test_the_leak_check_reads_the_text_of_a_pdf(office_store):
    """The PDF's text is compressed in the file: the check extracts it, so a number printed in a PDF is found."""
    from fpdf import FPDF

    _, niks, phones = office_store
    nik = sorted(niks)[0]
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    pdf.cell(0, 10, f"NIK {nik}")
    content = bytes(pdf.output())
    assert nik.encode() not in content  # compressed: a search of the raw bytes would miss it
    assert _leaks(_file_text(content), niks, phones) == [nik]


def test_the_download_capture_sees_files_built_on_click(downloads):
    """A download built only when clicked (data=callable) is searched too."""
    def script():
        import streamlit as st

        st.download_button("Unduh", data=lambda: b"NIK 1801014506800001", file_name="x.csv", key="unduh")
        st.download_button("Unduh 2", data=b"HP 081272345678", file_name="y.csv", key="unduh2")

    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    text = _everything(at, downloads)
    assert "1801014506800001" in text and "081272345678" in text


ANGGARAN = next(spec for spec in PAGES if spec.path == "pages/prioritas_anggaran.py")


def _open(store, spec, role: str, public_view: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    users.add("orang", role, PASSWORD)
    at.session_state["auth_pengguna"] = {"name": "orang", "role": role, "last_seen": time.time()}
    at.session_state["tampilan_publik"] = public_view
    at.run()
    at.switch_page(spec.path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_admin_data_sees_the_candidates_numbers_in_full(office_store, downloads, configure):
    """The positive control: the budget page's candidate list and its Excel carry full numbers for
    admin data, so the search above would see them if they leaked."""
    store, niks, phones = office_store
    configure(store_dir=store.root)
    at = _open(store, ANGGARAN, users.ROLE_ADMIN)
    assert any("ditampilkan lengkap" in c.value for c in at.caption)
    assert len(_leaks(_everything(at, downloads), niks, phones)) > 10


def test_the_public_view_has_no_candidate_list_on_screen_or_in_the_excel(office_store, downloads, configure):
    store, _, _ = office_store
    configure(store_dir=store.root)
    at = _open(store, ANGGARAN, users.ROLE_PUBLIK)
    assert any("daftar UMKM tidak ditampilkan" in i.value for i in at.info)
    assert not any("NIK" in d.value.columns for d in at.dataframe)
    text = _everything(at, downloads)
    assert 'name="Parameter"' in text and 'name="Kandidat"' not in text


DIREKTORI = next(spec for spec in PAGES if spec.path == "pages/direktori.py")


def _with_nik_and_phone(store) -> str:
    producers = store.load(store.active_id()).producers
    return str(producers.loc[producers["nik"].notna() & producers["no_hp"].notna(), "umkm_id"].iloc[0])


def _directory(role: str | None, query: dict[str, str], public_view: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    if role is not None:
        if users.role_of("orang") is None:
            users.add("orang", role, PASSWORD)
        at.session_state["auth_pengguna"] = {"name": "orang", "role": role, "last_seen": time.time()}
        at.session_state["tampilan_publik"] = public_view
    at.run()
    at.switch_page(DIREKTORI.path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("session", list(SESSIONS))
def test_no_full_nik_or_phone_in_a_profile_or_a_searched_directory(office_store, downloads, configure, session):
    """The profile of a producer with both numbers, and a search (its table and its Excel of every match)."""
    store, niks, phones = office_store
    configure(store_dir=store.root)
    role = SESSIONS[session]
    profile = _directory(role, {"umkm": _with_nik_and_phone(store)}, public_view=role == users.ROLE_ADMIN)
    assert _leaks(_everything(profile, downloads), niks, phones) == []
    searched = _directory(role, {"q": "keripik", "nib": "ada,tidak,tidak-diketahui"},
                          public_view=role == users.ROLE_ADMIN)
    assert _leaks(_everything(searched, downloads), niks, phones) == []
    if role not in (users.ROLE_PUBLIK, users.ROLE_ADMIN):  # the records are there, masked
        assert any("UMKM cocok" in m.value for m in searched.markdown)
        identity = next(d.value for d in profile.dataframe if list(d.value.columns) == ["Keterangan", "Nilai"])
        assert "********" in identity.set_index("Keterangan").loc["NIK", "Nilai"]


def test_admin_data_sees_full_numbers_in_the_directory_its_excel_and_a_profile(office_store, downloads, configure):
    """The positive control of the test above."""
    store, niks, phones = office_store
    configure(store_dir=store.root)
    searched = _directory(users.ROLE_ADMIN, {"q": "keripik"})
    assert any("ditampilkan lengkap" in c.value for c in searched.caption)
    on_screen = _leaks(" ".join(d.value.to_csv() for d in searched.dataframe), niks, phones)
    in_excel = _leaks(" ".join(_file_text(content) for content in downloads), niks, phones)
    assert len(on_screen) > 10 and len(in_excel) > 10
    umkm = _with_nik_and_phone(store)
    profile = _directory(users.ROLE_ADMIN, {"umkm": umkm})
    producers = store.load(store.active_id()).producers.set_index("umkm_id")
    assert producers.loc[umkm, "nik"] in _everything(profile, [])
