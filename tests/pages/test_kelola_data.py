"""Kelola Data and the login under AppTest: who sees what, the login flow and session expiry, applying a
preview from the page, rolling back, and the data-source switch. Each test has its own accounts file
and store (tests/conftest.py points config at a temporary folder)."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.core import paths
from analysis.office import users
from analysis.office.store import MODE_ADD, MODE_REPLACE, Store, Upload
from ui.navigation import PAGES

APP = str(paths.ROOT / "app.py")
KELOLA = next(spec for spec in PAGES if spec.path == "pages/kelola_data.py")
PASSWORD = "sandi-uji-yang-panjang"


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def _kelola(at: AppTest) -> AppTest:
    at.switch_page(KELOLA.path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _login(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="login_nama").input(name)
    at.text_input(key="login_sandi").input(password)
    at.button(key="login_masuk").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    return " ".join(e.value for e in (*at.info, *at.warning, *at.error, *at.success, *at.markdown, *at.caption))


@pytest.fixture
def accounts():
    users.add("rina", users.ROLE_ADMIN, PASSWORD)
    users.add("budi", users.ROLE_PERENCANA, PASSWORD)
    users.add("layar", users.ROLE_PUBLIK, PASSWORD)


@pytest.fixture
def registry(make_workbook) -> Upload:
    path = make_workbook("Data UMKM Natar.xlsx", {"Natar": [
        ["DATA UMKM KECAMATAN NATAR"], ["No", "Nama Usaha", "Nama Pemilik", "NIK", "No HP", "Produk"],
        [1, "Keripik Bu Sri", "Sri", "1801014506800001", "0812-7234-5678", "Keripik pisang"],
        [2, "Kopi Darto", "Darto", None, None, "Kopi bubuk"],
        [3, None, None, "1801011203790002", "0813-1111-2222", None]]})
    return Upload(path.name, path.read_bytes())


def test_without_accounts_the_page_opens_and_explains_the_first_admin_account():
    at = _kelola(_app())
    assert [t.value for t in at.title] == ["Kelola Data"]
    assert 'python -m analysis.users add NAMA --role "admin data"' in _texts(at)
    assert not at.get("file_uploader")
    assert not [t for t in at.text_input if t.key == "login_nama"]  # no login form without accounts
    assert "Belum ada data kantor" in _texts(at)


def test_with_accounts_nothing_shows_before_login(accounts):
    at = _kelola(_app())
    assert [t.value for t in at.title] == ["Masuk"]
    assert not at.metric and not at.dataframe
    _login(at, "rina", "salah-sandi-123")
    assert any("salah" in e.value for e in at.error)
    assert [t.value for t in at.title] == ["Masuk"]


def test_the_admin_logs_in_uploads_applies_and_rolls_back(accounts, registry):
    at = _kelola(_login(_app(), "rina"))
    assert [t.value for t in at.title] == ["Kelola Data"]
    assert any("rina" in c.value and "admin data" in c.value for c in at.caption)
    assert at.get("file_uploader")  # the upload widget (AppTest cannot drop files: the preview is made below)

    store = Store()
    at.session_state["kelola_pratinjau"] = store.preview([registry], mode=MODE_REPLACE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    cards = {m.label: m.value for m in at.metric}
    # the title row above the header is read and skipped too
    assert cards["Dibaca"] == "4" and cards["Dipakai"] == "2" and cards["Ditolak"] == "1" and cards["Dilewati"] == "1"
    assert any(c.value.startswith("Setiap baris tercatat: 4 dibaca = 2 dipakai") for c in at.caption)
    sheets = next(d.value for d in at.dataframe if "Lembar" in d.value.columns)
    assert sheets.loc[0, "Jenis"] == "Data pelaku UMKM"
    assert any(b.label.startswith("Unduh baris ditolak") for b in at.get("download_button"))

    at.button(key="kelola_terapkan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    first = store.active_id()
    assert first is not None and any("diterapkan" in s.value for s in at.success)
    assert at.selectbox(key="filter_sumber").value == "kantor"
    assert any("Data kantor" in c.value for c in at.caption)

    at.session_state["kelola_pratinjau"] = store.preview([registry], mode=MODE_REPLACE)
    at.run()
    at.button(key="kelola_terapkan").click().run()
    second = store.active_id()
    assert second != first
    at.selectbox(key="kelola_versi").select(first).run()
    at.button(key="kelola_kembalikan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert store.active_id() == first
    assert any("kembali menjadi data aktif" in s.value for s in at.success)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_mapping_correction_reads_the_preview_again(accounts, registry):
    """Saving a correction re-reads the preview's files with it (on the page, with its progress bar)
    and remembers it for later files with the same header row."""
    at = _kelola(_login(_app(), "rina"))
    store = Store()
    at.session_state["kelola_pratinjau"] = store.preview([registry], mode=MODE_REPLACE)
    at.run()
    before = next(d.value for d in at.dataframe if "Lembar" in d.value.columns)
    assert before.loc[0, "Jenis"] == "Data pelaku UMKM"
    at.selectbox(key="kelola_jenis").select("training").run()
    at.button(key="kelola_simpan_pemetaan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    after = next(d.value for d in at.dataframe if "Lembar" in d.value.columns)
    assert after.loc[0, "Jenis"] == "Daftar hadir pelatihan"
    assert list(store.mappings().values())[0]["kind"] == "training"


def test_uploading_through_the_page_reads_the_files(accounts, registry):
    at = _kelola(_login(_app(), "rina"))
    at.get("file_uploader")[0].set_value([(registry.name, registry.content, XLSX)])
    at.run()
    at.button(key="kelola_baca").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Dipakai"] == "2"
    at.button(key="kelola_terapkan").click().run()
    assert Store().active_id() is not None


@pytest.mark.parametrize("name, message", [("berkata_sandi.xlsx", "dilindungi kata sandi"),
                                           ("bom_zip.xlsx", "kali lipat"), ("halaman_html.xls", "HTML")])
def test_a_bad_file_uploaded_on_the_page_shows_its_message_and_cannot_be_applied(accounts, registry, name, message):
    store = Store()
    store.apply(store.preview([registry], mode=MODE_REPLACE), user="rina")
    active = store.active_id()
    at = _kelola(_login(_app(), "rina"))
    content = (paths.ROOT / "tests" / "bad_input" / name).read_bytes()
    at.get("file_uploader")[0].set_value([(name, content, XLSX)])
    at.run()
    at.button(key="kelola_baca").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(name in e.value and message in e.value for e in at.error), [e.value for e in at.error]
    assert at.button(key="kelola_terapkan").disabled
    assert store.active_id() == active


def test_a_planner_sees_the_history_but_cannot_upload(accounts, registry):
    store = Store()
    store.apply(store.preview([registry], mode=MODE_REPLACE), user="rina")
    at = _kelola(_login(_app(), "budi"))
    assert "Hanya akun dengan peran admin data" in _texts(at)
    assert not at.get("file_uploader")
    assert not [b for b in at.button if b.key in ("kelola_kembalikan", "kelola_terapkan")]
    history = next(d.value for d in at.dataframe if "Diterapkan" in d.value.columns)
    assert list(history["Oleh"]) == ["rina"]
    # when, in the office's time, not a raw id and UTC
    assert all(re.fullmatch(r"\d{1,2} \w{3} \d{4} \d{2}\.\d{2} WIB", v) for v in history["Diterapkan"]), history
    # The active version's report (counts only) is open to every role.
    assert any(c.value.startswith("Setiap baris tercatat: 4 dibaca = 2 dipakai + 0 digabung + 1 ditolak + 1 dilewati")
               for c in at.caption), [c.value for c in at.caption]


def test_the_session_expires_after_the_idle_time(accounts, configure):
    at = _login(_app(), "rina")
    assert [t.value for t in at.title] != ["Masuk"]
    configure(session_idle_hours=0.0)
    at.run()
    assert [t.value for t in at.title] == ["Masuk"]
    assert any("Sesi berakhir" in w.value for w in at.warning)


def test_a_removed_account_is_logged_out_at_once(accounts):
    at = _login(_app(), "budi")
    users.remove("budi")
    at.run()
    assert [t.value for t in at.title] == ["Masuk"]


def test_logout_and_public_view(accounts):
    at = _kelola(_login(_app(), "rina"))
    at.toggle(key="tampilan_publik").set_value(True).run()
    assert not at.get("file_uploader")  # the publik role: no upload, no records
    at.toggle(key="tampilan_publik").set_value(False).run()
    assert at.get("file_uploader")
    at.button(key="login_keluar").click().run()
    assert [t.value for t in at.title] == ["Masuk"]


def test_the_sidebar_switches_between_office_and_demo_data(registry):
    store = Store()
    store.apply(store.preview([registry], mode=MODE_REPLACE), user="rina")
    at = _app()
    assert at.selectbox(key="filter_sumber").value == "kantor"
    assert any("Data kantor" in c.value for c in at.caption)
    at.selectbox(key="filter_sumber").select("demo").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(c.value.startswith("Sumber: Data demo bawaan") for c in at.caption)


# --------------------------------------------------------------------------------------------------
# Masking through ui.data.masked, the one door for records on screen and in exports


def _masked_view(role: str | None, presentation: bool = False) -> pd.DataFrame:
    def script():
        import pandas as pd
        import streamlit as st

        from ui import data

        frame = pd.DataFrame({"nama_usaha": ["Keripik Bu Sri"], "nik": ["1801014506800001"],
                              "no_hp": ["+6281272345678"], "nilai_asli": ["NIK: 1801014506800001"]})
        st.dataframe(data.masked(frame))

    at = AppTest.from_function(script, default_timeout=30)
    if role is not None:
        if "orang" not in users.load():
            users.add("orang", role, PASSWORD)
        import time

        at.session_state["auth_pengguna"] = {"name": "orang", "role": role, "last_seen": time.time()}
    at.session_state["tampilan_publik"] = presentation
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at.dataframe[0].value


@pytest.mark.parametrize("role", [None, users.ROLE_PIMPINAN, users.ROLE_PERENCANA, users.ROLE_PUBLIK])
def test_personal_numbers_are_masked_for_everyone_but_admin_data(role):
    view = _masked_view(role)
    assert view.loc[0, "nik"] == "1801********0001"
    assert view.loc[0, "no_hp"] == "+62812****5678"
    assert view.loc[0, "nilai_asli"] == "NIK: 1801********0001"


def test_admin_data_sees_full_numbers_except_in_the_public_view():
    assert _masked_view(users.ROLE_ADMIN).loc[0, "nik"] == "1801014506800001"
    assert _masked_view(users.ROLE_ADMIN, presentation=True).loc[0, "nik"] == "1801********0001"


def test_the_first_upload_says_the_demo_is_not_kept_and_shows_before_and_after(accounts, registry):
    """Adding files while the bundled demo shows used to make a 3-UMKM dataset with no sales and no period,
    and the preview never said so."""
    at = _kelola(_login(_app(), "rina"))
    at.session_state["kelola_pratinjau"] = Store().preview([registry], mode=MODE_ADD)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    change = next(d.value for d in at.dataframe if "Sesudah diterapkan" in d.value.columns).set_index("")
    now = next(c for c in change.columns if c.startswith("Sekarang"))
    assert "demo" in now.lower()
    assert change.loc["UMKM", now] == "2.500" and change.loc["UMKM", "Sesudah diterapkan"] == "2"
    assert change.loc["Baris penjualan", "Sesudah diterapkan"] == "0"
    assert change.loc["Periode penjualan", "Sesudah diterapkan"] == "tidak ada"
    notes = " ".join(i.value for i in at.info)
    assert "data itu tidak ikut" in notes and "tidak ada data penjualan" in notes
    assert "Jumlah UMKM turun dari 2.500 menjadi 2" in notes


def test_every_kelola_table_converts_for_the_screen_even_with_a_file_that_failed(accounts, registry):
    """A column of numbers and dashes made Streamlit's Arrow conversion fail, 22 tracebacks in the server log."""
    import pyarrow as pa

    from analysis.office import review

    broken = Upload("terpotong.xlsx", (paths.ROOT / "tests" / "bad_input" / "terpotong.xlsx").read_bytes())
    preview = Store().preview([registry, broken], mode=MODE_REPLACE)
    assert preview.failed_files
    before = review.DataSummary.of("Data demo bawaan", None)
    after = review.DataSummary.of("", preview.result)
    for table in (review.sheet_table(preview.result), review.reasons_table(preview.result),
                  review.unmatched_kecamatan(preview.result), review.files_table(preview.files),
                  review.change_table(before, after)):
        pa.Table.from_pandas(table)  # raises ArrowInvalid / ArrowTypeError on a mixed column
        assert not any(table[c].map(type).nunique() > 1 for c in table.columns), table.dtypes


def test_the_rejected_rows_download_speaks_indonesian(registry):
    """The command line's rejected.xlsx names its columns by their keys (nilai_asli, umkm_id_a); the
    admin's download says them in words."""
    import io

    import openpyxl

    from analysis.office import review

    preview = Store().preview([registry], mode=MODE_REPLACE)
    book = openpyxl.load_workbook(io.BytesIO(review.rejected_workbook(preview.result, show_personal=False)))
    assert book.sheetnames == ["Ditolak dan dilewati", "Masalah sel", "Duplikat mirip"]
    headers = [c.value for sheet in book.worksheets for c in sheet[1]]
    assert "Nilai asli" in headers and not any("_" in str(h) for h in headers), headers


def test_columns_read_by_their_cells_are_said_on_the_mapping_tab(accounts, make_workbook):
    """A "Kontak" column holding names is read as the owner; the Pemetaan kolom tab says so, where the
    admin can correct it."""
    path = make_workbook("Data UMKM Kalianda.xlsx", {"Kalianda": [
        ["Nama Usaha", "Kontak", "Produk"],
        ["Toko Sinar", "Pak Budi", "Sembako"], ["Warung Bu Tin", "Bu Tini", "Nasi"], ["Kedai 88", "Rahmat", "Kopi"]]})
    at = _kelola(_login(_app(), "rina"))
    at.session_state["kelola_pratinjau"] = Store().preview([Upload(path.name, path.read_bytes())], mode=MODE_REPLACE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "kolom 'Kontak' dibaca sebagai nama pemilik menurut isinya" in _texts(at)


def test_a_version_stored_before_the_data_layer_shows_the_same_numbers():
    """An office that applied its data before the sales file had the engine's columns keeps its version: the
    dashboard reads that version's sales as a frame and shows what the same version with the columns shows."""
    import streamlit as st

    from analysis.engine import SALES_FILE, has_engine_columns, read_sales
    from ui import data as ui_data

    raw = paths.DEMO_RAW_DIR
    files = [raw / "registri" / "Data UMKM Binaan Kec. Natar 2017.xlsx", raw / "penjualan" / "2017"
             / "Laporan Omzet Bulanan 2017 - Wilayah Utara.xlsx"]
    store = Store()
    version = store.apply(store.preview([Upload(f.name, f.read_bytes()) for f in files], mode=MODE_REPLACE),
                          user="rina")
    folder = store.version_dir(version)
    assert has_engine_columns(folder)

    def shown() -> dict[str, str]:
        st.cache_data.clear()
        st.cache_resource.clear()
        ui_data._FINGERPRINTS.clear()
        at = _app()
        assert not at.exception, [e.value for e in at.exception]
        return {m.label: m.value for m in at.metric}

    with_columns = shown()
    read_sales(folder).to_parquet(folder / SALES_FILE, index=False)  # as a version was written before
    assert not has_engine_columns(folder)
    assert shown() == with_columns
    assert any(label.startswith("Penjualan") and value not in ("0", "Rp 0", "–") for label, value in with_columns.items())
