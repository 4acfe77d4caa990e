"""Kelola Data in the real app: a data admin logs in, drops the 32 demo spreadsheets on the uploader,
reads the preview (every row accounted for) and applies it; the sidebar then shows the office data.
No console error and no request off the machine, as for every page. With E2E_SCREENSHOTS=1 the preview
is written to docs/screenshots/kelola_data_pratinjau.png."""
from __future__ import annotations

import os
import re
from pathlib import Path

from analysis.core.paths import DEMO_RAW_DIR
from tests.e2e.browser import SCREENSHOT_DIR, Guard
from tests.e2e.conftest import ADMIN_NAME, ADMIN_PASSWORD
from tests.e2e.test_browser import assert_no_error_box, wait_idle

UPLOAD_TIMEOUT = 180  # s: reading 32 workbooks takes about 7 s, the browser upload a few more


def _log_in(page, url: str) -> None:
    page.goto(url)
    wait_idle(page, "Masuk")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("Nama akun").fill(ADMIN_NAME)
    sidebar.get_by_label("Kata sandi").fill(ADMIN_PASSWORD)
    sidebar.get_by_role("button", name="Masuk").click()
    wait_idle(page, "Ringkasan")


def test_admin_uploads_previews_and_applies_the_demo_files(page, guard: Guard, admin_app_url: str, tmp_path: Path):
    _log_in(page, admin_app_url)
    page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]').filter(has_text="Kelola Data").first.click()
    wait_idle(page, "Kelola Data")
    # Streamlit's English widget texts are said in Indonesian ("Upload", "50MB per file" are hidden).
    uploader = page.locator('[data-testid="stFileUploader"]').first
    shown = uploader.inner_text()
    assert "Upload" not in shown and "per file" not in shown, shown
    generated = uploader.evaluate(
        "(u) => [u.querySelector('button [data-testid=stMarkdownContainer]'), "
        "u.querySelector('[data-testid=stFileUploaderDropzoneInstructions] > div')]"
        ".map((e) => getComputedStyle(e, '::after').content).join(' ')")
    assert "Pilih berkas" in generated and "MB per berkas" in generated, generated
    files = sorted(str(p) for p in DEMO_RAW_DIR.rglob("*") if p.is_file())
    assert len(files) == 32
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(files)
    read = page.get_by_role("button", name=re.compile("Baca dan tampilkan pratinjau"))
    page.wait_for_function("(b) => !b.disabled", arg=read.element_handle(), timeout=UPLOAD_TIMEOUT * 1000)
    read.click()
    page.get_by_text("Pratinjau (belum diterapkan)").wait_for(timeout=UPLOAD_TIMEOUT * 1000)
    wait_idle(page, "Kelola Data")
    assert_no_error_box(page)
    cards = dict(zip(page.locator('[data-testid="stMetricLabel"]').all_inner_texts(),
                     page.locator('[data-testid="stMetricValue"]').all_inner_texts()))
    assert cards["Dibaca"] == "38.170" and cards["Dipakai"] == "37.438", cards
    assert page.get_by_text(re.compile(r"^Setiap baris tercatat: 38\.170 dibaca")).count() == 1

    page.locator("h3").filter(has_text="Pratinjau (belum diterapkan)").first.evaluate(
        "(h) => { h.scrollIntoView({block: 'start'}); let b = h.parentElement;"
        " while (b && b.scrollHeight <= b.clientHeight) b = b.parentElement;"
        " (b || document.scrollingElement).scrollBy(0, -40); }")
    page.wait_for_timeout(300)
    shot = tmp_path / "kelola_data_pratinjau.png"
    page.screenshot(path=str(shot))
    if os.environ.get("E2E_SCREENSHOTS") == "1":
        (SCREENSHOT_DIR / shot.name).write_bytes(shot.read_bytes())

    page.get_by_role("button", name=re.compile("^.?Terapkan$|Terapkan")).first.click()
    page.get_by_text(re.compile("diterapkan dan menjadi data aktif")).wait_for(timeout=60_000)
    wait_idle(page, "Kelola Data")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "Data kantor" in sidebar.inner_text()
    assert page.get_by_text("Riwayat versi data kantor").count() == 1
    guard.assert_clean()


def test_a_login_survives_a_reload_a_new_tab_and_a_link_until_logout(page, guard: Guard, admin_app_url: str):
    """The admin logged in again after every refresh: the documented 8-hour session never happened."""
    _log_in(page, admin_app_url)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert ADMIN_NAME in sidebar.inner_text()
    page.reload()
    wait_idle(page, "Ringkasan")  # not "Masuk"
    assert ADMIN_NAME in page.locator('[data-testid="stSidebar"]').inner_text()
    other = page.context.new_page()  # a new tab of the same browser, opened on a shared link
    other.goto(f"{admin_app_url}/?kec=Natar")
    wait_idle(other, "Ringkasan")
    assert ADMIN_NAME in other.locator('[data-testid="stSidebar"]').inner_text()
    other.locator('[data-testid="stSidebar"]').get_by_role("button", name="Keluar").click()
    wait_idle(other, "Masuk")
    page.reload()
    wait_idle(page, "Masuk")  # logging out ends the login everywhere
    other.close()
    guard.assert_clean()
