"""Every page of the real app in headless Chromium: it opens through the router, its heading shows, no
error box, every chart drew, no console error and no request off the machine; the main interactions
(a sidebar filter, the kecamatan profile, the Excel download) work as a user does them.

Screenshots of every page (1400 x 1000) are taken on every run; with E2E_SCREENSHOTS=1 they are also
written to docs/screenshots/<page>.png (the README's pictures), so a normal test run leaves the
checkout unchanged.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from PIL import Image

from analysis.core import reference as ref
from tests.e2e.browser import SCREENSHOT_DIR, Guard, new_context
from ui.navigation import PAGES, PageSpec

RINGKASAN = PAGES[0]
PETA = next(spec for spec in PAGES if spec.path == "pages/peta_kecamatan.py")
ERROR_BOXES = '[data-testid="stException"], [data-testid="stAlertContentError"]'

# True when the script is idle: stApp says notRunning, no "Running..." status widget, no skeleton.
_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  return !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]');
}"""

# Per plotly chart on the page: what it drew. SVG charts: paths with a real outline in the plot layers;
# map charts: the MapLibre canvas size (its pixels are checked on a screenshot, WebGL cannot be read).
_CHARTS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((plot) => {
  const paths = Array.from(plot.querySelectorAll(
      'svg.main-svg .plot path, svg.main-svg .pielayer path, svg.main-svg .scatterlayer path, svg.main-svg .barlayer path'))
    .filter((p) => { const d = p.getAttribute('d') || ''; return d.length > 4 && d !== 'M0,0Z'; }).length;
  const points = plot.querySelectorAll('svg.main-svg .point').length;
  const canvas = plot.querySelector('.maplibregl-canvas, canvas');
  const box = canvas ? canvas.getBoundingClientRect() : null;
  const map = !!plot.querySelector('.maplibregl-map, .mapboxgl-map');
  return {map, paths, points, canvas: box ? [Math.round(box.width), Math.round(box.height)] : null};
})"""


def wait_idle(page, title: str, timeout: float = 60) -> None:
    """Wait until the page's h1 is `title` and the app has stayed idle for a moment (a rerun, such as
    the router's first switch to st.navigation, starts right after a run ends)."""
    page.locator("h1").filter(has_text=re.compile(rf"^\s*{re.escape(title)}\s*$")).first.wait_for(timeout=timeout * 1000)
    deadline, idle_since = time.monotonic() + timeout, None
    while True:
        idle = page.evaluate(_IDLE_JS)
        now = time.monotonic()
        if idle:
            idle_since = idle_since or now
            if now - idle_since >= 0.75:
                break
        else:
            idle_since = None
        assert now < deadline, f"app not idle after {timeout} s on {title}"
        time.sleep(0.1)
    headings = [h.strip() for h in page.locator("h1").all_inner_texts()]
    assert headings == [title], headings


def open_page(page, app_url: str, spec: PageSpec, query: str = "") -> None:
    """Open / (the router), then the page by its link in the sidebar navigation."""
    page.goto(f"{app_url}/{query}")
    wait_idle(page, RINGKASAN.title)
    if spec != RINGKASAN:
        page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]').filter(
            has_text=spec.title).first.click()
        wait_idle(page, spec.title)
    assert urlsplit(page.url).path.rstrip("/") == ("" if spec == RINGKASAN else "/" + Path(spec.path).stem)


def assert_no_error_box(page) -> None:
    boxes = page.locator(ERROR_BOXES)
    assert boxes.count() == 0, boxes.all_inner_texts()


def assert_charts_drew(page) -> int:
    """Every plotly chart drew something; returns how many charts there are."""
    page.wait_for_function(f"() => ({_CHARTS_JS})().every((c) => c.map ? c.canvas && c.canvas[0] > 0 : c.paths + c.points > 0)",
                           timeout=30_000)
    charts = page.evaluate(_CHARTS_JS)
    for index, chart in enumerate(charts):
        if chart["map"]:
            assert chart["canvas"] and min(chart["canvas"]) > 0, chart
            # The canvas has pixels of more than the background: the polygons were painted.
            canvas = page.locator(".js-plotly-plot").nth(index).locator("canvas").first
            image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
            colours = image.getcolors(maxcolors=1_000_000) or []
            assert len(colours) > 10, f"map chart {index} looks blank: {len(colours)} colours"
        else:
            assert chart["paths"] + chart["points"] > 0, chart
    return len(charts)


# Where a page's screenshot is scrolled to: this heading about 270 px from the top (else the top).
SCREENSHOT_AT = {"ringkasan": "UMKM per kecamatan", "prioritas_anggaran": "Hasil rencana"}
_SCROLL_TO_JS = """(heading) => {
  heading.scrollIntoView({block: 'start'});
  let box = heading.parentElement;
  while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
  (box || document.scrollingElement).scrollBy(0, -270);
}"""


def screenshot(page, name: str, tmp_path: Path) -> Path:
    page.mouse.move(1390, 5)  # no hover label over a chart, no sidebar hover button
    if name in SCREENSHOT_AT:
        page.locator("h2, h3").filter(has_text=SCREENSHOT_AT[name]).first.evaluate(_SCROLL_TO_JS)
        page.wait_for_timeout(300)  # let the scroll settle before the picture
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path))  # the viewport: 1400 x 1000
    assert Image.open(path).size == (1400, 1000)
    if os.environ.get("E2E_SCREENSHOTS") == "1":
        (SCREENSHOT_DIR / path.name).write_bytes(path.read_bytes())
    return path


# --------------------------------------------------------------------------------------------------


PAGES_WITHOUT_CHARTS = {"pages/kelola_data.py", "pages/direktori.py"}  # tables: nothing to plot (profiles: below)


@pytest.mark.parametrize("spec", PAGES, ids=[Path(spec.path).stem for spec in PAGES])
def test_page_as_a_user_sees_it(page, guard: Guard, app_url: str, spec: PageSpec, tmp_path: Path):
    open_page(page, app_url, spec)
    assert_no_error_box(page)
    charts = assert_charts_drew(page)  # every chart on the page drew
    assert charts > 0 or spec.path in PAGES_WITHOUT_CHARTS
    screenshot(page, Path(spec.path).stem, tmp_path)
    guard.assert_clean()


def test_official_boundaries_map_is_painted(page, guard: Guard, official_app_url: str):
    """With imported boundaries the Peta Kecamatan map is MapLibre on "white-bg": its canvas must show
    the polygons (a blank canvas fails assert_charts_drew) and fetch nothing from a tile server."""
    spec = next(s for s in PAGES if Path(s.path).stem == "peta_kecamatan")
    open_page(page, official_app_url, spec)
    assert_no_error_box(page)
    assert_charts_drew(page)
    assert page.evaluate(f"({_CHARTS_JS})().some((c) => c.map)"), "no MapLibre map on the page"
    guard.assert_clean()


def _jumlah_umkm(page) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Jumlah UMKM").first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_kecamatan_filter_changes_the_numbers_and_the_url(page, guard: Guard, app_url: str):
    open_page(page, app_url, RINGKASAN)
    before = _jumlah_umkm(page)
    select = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Kecamatan").first
    select.locator("input").click()
    page.get_by_role("option", name="Natar", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => new URL(location.href).searchParams.get('kec') === 'Natar'")
    wait_idle(page, RINGKASAN.title)
    after = _jumlah_umkm(page)
    assert after != before
    assert 0 < int(after.replace(".", "")) < int(before.replace(".", ""))
    assert parse_qs(urlsplit(page.url).query)["kec"] == ["Natar"]
    assert_no_error_box(page)
    assert_charts_drew(page)
    guard.assert_clean()


def _profile_heading(page, name: str):
    return page.locator("h4").filter(has_text=re.compile(rf"^\s*Kecamatan {re.escape(name)}\s*$"))


def test_kecamatan_profile_from_the_selectbox(page, guard: Guard, app_url: str):
    open_page(page, app_url, PETA)
    assert _profile_heading(page, "Natar").count() == 0
    combobox = page.locator('[data-testid="stSelectbox"]').filter(has_text="Profil kecamatan").first.locator("input")
    combobox.click()
    page.keyboard.type("Natar")  # the list opens on typing (a react-aria combobox)
    page.get_by_role("option", name="Natar", exact=True).click()
    _profile_heading(page, "Natar").wait_for()
    wait_idle(page, PETA.title)
    assert_no_error_box(page)
    assert assert_charts_drew(page) == 4  # the map, the profile's two charts and Natar's desa map
    guard.assert_clean()


_MAP_POINT_JS = """([lon, lat]) => {
    const map = document.querySelector('.js-plotly-plot')._fullLayout.map._subplot.map;
    const point = map.project([lon, lat]);
    const box = map.getCanvas().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""


def test_kecamatan_profile_from_a_click_on_the_map(page, guard: Guard, app_url: str):
    """Click inside Natar's polygon on the default map (the shipped approximate boundaries): the profile
    opens for Natar, as choosing it in the selectbox does."""
    from analysis.boundaries import shipped

    polygons = shipped.shipped_kecamatan()
    inside = polygons.loc[polygons[shipped.KECAMATAN] == "Natar", "geometry"].iloc[0].representative_point()
    open_page(page, app_url, PETA)
    page.wait_for_function("() => { const gd = document.querySelector('.js-plotly-plot');"
                           " return gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot; }")
    page.wait_for_timeout(500)  # let MapLibre finish fitting the bounds before projecting
    x, y = page.evaluate(_MAP_POINT_JS, [inside.x, inside.y])
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    _profile_heading(page, "Natar").wait_for()
    wait_idle(page, PETA.title)
    selected = page.locator('[data-testid="stSelectbox"]').filter(has_text="Profil kecamatan").first.locator("input")
    assert selected.input_value() == "Natar"
    assert_no_error_box(page)
    guard.assert_clean()


def test_excel_download_on_peta_kecamatan(page, guard: Guard, app_url: str, tmp_path: Path):
    open_page(page, app_url, PETA)
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"]').filter(has_text="Unduh Excel").first.click()
    download = info.value
    assert download.suggested_filename == "peta_jumlah_umkm.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = openpyxl.load_workbook(saved, read_only=True)
    assert book.sheetnames == ["Per kecamatan", "Parameter"]
    first = book["Per kecamatan"]
    rows = [row for row in first.iter_rows(values_only=True) if any(v is not None for v in row)]
    assert len(rows) - 1 == len(ref.kecamatan_names()) == 17, rows[:3]
    guard.assert_clean()


ANGGARAN = next(spec for spec in PAGES if spec.path == "pages/prioritas_anggaran.py")


DIREKTORI = next(spec for spec in PAGES if spec.path == "pages/direktori.py")


def _search(page, text: str, expected: str) -> None:
    box = page.locator('[data-testid="stTextInput"]').filter(has_text="Cari nama").first.locator("input")
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(f"() => new URL(location.href).searchParams.get('q') === {text!r}")
    page.locator('[data-testid="stCaptionContainer"]').filter(has_text=f"cari \u201c{text}\u201d").first.wait_for()
    page.locator('[data-testid="stMarkdown"]').filter(has_text=expected).first.wait_for()
    wait_idle(page, DIREKTORI.title)


def test_a_search_in_the_directory_opens_a_profile(page, guard: Guard, app_url: str, tmp_path: Path):
    """The question of issue 19 on the demo data: who makes VCO in Candipuro (one coconut-oil maker), and
    the VCO maker of a desa, how is she doing since the training: the first row's link opens her profile
    in a new tab, with the trainings on the sales chart."""
    open_page(page, app_url, DIREKTORI)
    _search(page, "vco candipuro", "1 UMKM cocok dari 2.500")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["vco candipuro"]
    screenshot(page, "direktori_cari", tmp_path)
    _search(page, "vco sumber agung", "1 UMKM cocok dari 2.500")
    grid = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    link = (grid["x"] + 30, grid["y"] + 35 + 17)  # the first row's "Buka profil" (the header is 35 px high)
    page.mouse.move(*link)
    page.wait_for_timeout(300)  # the grid is a canvas: let it take the pointer before the click
    with page.context.expect_page() as opened:
        page.mouse.click(*link)
    profile = opened.value
    wait_idle(profile, "Profil UMKM")
    profile.locator("h2").filter(has_text="UD Sentosa").first.wait_for()
    assert parse_qs(urlsplit(profile.url).query)["umkm"] == ["UMKM-494F94D63F"]
    assert urlsplit(profile.url).path == "/direktori"  # the root link was switched to the page
    assert_no_error_box(profile)
    assert assert_charts_drew(profile) == 1
    marks = profile.evaluate("() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace')[2]"
                             ".querySelectorAll('.point').length")
    assert marks == 2  # Kemasan (June 2015) and Kelembagaan (May 2016)
    screenshot(profile, "profil_umkm", tmp_path)
    guard.assert_clean()


def test_powerpoint_download_from_the_sidebar(page, guard: Guard, app_url: str, tmp_path: Path):
    """The deck is built on click (Streamlit calls the builder), for the filters in the link."""
    from pptx import Presentation

    open_page(page, app_url, RINGKASAN, "?kec=Natar")
    with page.expect_download(timeout=240_000) as info:
        page.locator('[data-testid="stSidebar"] [data-testid="stDownloadButton"]').filter(
            has_text="Unduh PowerPoint").first.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    deck = Presentation(str(saved))
    assert len(deck.slides) == 7
    assert sum(1 for slide in deck.slides for shape in slide.shapes if shape.has_chart) >= 3
    assert all(any("kecamatan: Natar" in shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
               for slide in deck.slides)
    guard.assert_clean()


def test_pdf_download_from_the_sidebar(page, guard: Guard, app_url: str, tmp_path: Path):
    """The laporan is built on click as well, for the filters in the link: A4 pages, the filter on them."""
    from pypdf import PdfReader

    open_page(page, app_url, RINGKASAN, "?kec=Natar")
    with page.expect_download(timeout=240_000) as info:
        page.locator('[data-testid="stSidebar"] [data-testid="stDownloadButton"]').filter(
            has_text="Unduh laporan PDF").first.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".pdf"
    reader = PdfReader(str(saved))
    assert len(reader.pages) >= 9
    assert all("kecamatan: Natar" in p.extract_text().replace("\n", " ") for p in reader.pages)
    guard.assert_clean()


TARGET_PAGE = next(spec for spec in PAGES if spec.path == "pages/target_realisasi.py")
A4_PRINTABLE_PX = (210 - 24) / 25.4 * 96  # A4 width less the stylesheet's 12 mm margins, in CSS pixels


@pytest.mark.parametrize("spec", [RINGKASAN, TARGET_PAGE], ids=["ringkasan", "target_realisasi"])
def test_a_page_printed_from_the_browser_fits_a4(page, guard: Guard, app_url: str, spec: PageSpec, tmp_path: Path):
    """Ctrl+P: the print stylesheet hides the sidebar and the header, and at its zoom every chart drawn for
    the screen fits the printable width of A4 (a drawn chart does not redraw for printing, so a wider one
    would be cut). The printed PDF (Chromium's own, as Ctrl+P makes it) is rendered to PNG for a person
    to look at; with E2E_SCREENSHOTS=1 its first page goes to docs/screenshots."""
    from pypdf import PdfReader

    from ui.printing import PRINT_ZOOM

    open_page(page, app_url, spec)
    widths = page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot .main-svg'))"
                           ".map((svg) => svg.getBoundingClientRect().width)")
    assert widths and max(widths) <= A4_PRINTABLE_PX / PRINT_ZOOM, widths
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['stSidebar', 'stHeader', 'stToolbar'].map((id) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        return el === null || getComputedStyle(el).display === 'none';
    })""")
    assert all(hidden), hidden
    printed = tmp_path / f"cetak_{Path(spec.path).stem}.pdf"
    page.pdf(path=str(printed), format="A4", print_background=True, prefer_css_page_size=True)
    page.emulate_media(media="screen")
    reader = PdfReader(str(printed))
    first = reader.pages[0]
    assert (float(first.mediabox.width), float(first.mediabox.height)) == pytest.approx((595.28, 841.89), abs=1)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert spec.title in text
    assert "Unduh PowerPoint" not in text and "Tampilan publik" not in text  # the sidebar is not printed
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(printed), str(tmp_path / "cetak")],
                       check=True)
        picture = next(tmp_path.glob("cetak-*1.png"))
        assert Image.open(picture).size[0] < Image.open(picture).size[1]  # portrait
        if os.environ.get("E2E_SCREENSHOTS") == "1":
            (SCREENSHOT_DIR / f"cetak_{Path(spec.path).stem}.png").write_bytes(picture.read_bytes())
    guard.assert_clean()


def test_excel_download_on_prioritas_anggaran(page, guard: Guard, app_url: str, tmp_path: Path):
    open_page(page, app_url, ANGGARAN)
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"]').filter(has_text="Unduh Excel").first.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    book = openpyxl.load_workbook(saved, read_only=True)
    assert book.sheetnames == ["Ringkasan", "Per kecamatan", "Kandidat", "Parameter"]
    parameters = {row[0]: row[1] for row in book["Parameter"].iter_rows(min_row=2, values_only=True)}
    assert parameters["Anggaran (Rp)"] == 500_000_000
    assert "anggaran=500000000" in parameters["Tautan rencana"]
    guard.assert_clean()


PRESENTASI = next(spec for spec in PAGES if spec.path == "pages/presentasi.py")


def test_presentation_steps_with_the_arrow_keys_and_hides_the_sidebar(page, guard: Guard, app_url: str):
    open_page(page, app_url, PRESENTASI)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    page.locator("h2").filter(has_text="Profil dan Prioritas Pembinaan UMKM").first.wait_for()
    page.keyboard.press("ArrowRight")
    page.locator("h2").filter(has_text="Ringkasan indikator").first.wait_for(timeout=60_000)
    wait_idle(page, PRESENTASI.title)
    assert "langkah=2" in page.url
    page.keyboard.press("ArrowLeft")
    page.locator("h2").filter(has_text="Profil dan Prioritas").first.wait_for(timeout=60_000)
    wait_idle(page, PRESENTASI.title)
    assert_no_error_box(page)
    guard.assert_clean()


# --------------------------------------------------------------------------------------------------
# The guard itself: a page that reaches for the internet must be caught.

EXTERNAL_PAGE = """<!doctype html><html><body>
<img src="https://example.org/x.png">
<div id="map" style="width:600px;height:400px"></div>
</body></html>"""
# A plotly map whose topojson lives on a CDN: offline it stays blank (the regression to catch).
EXTERNAL_TOPOJSON_MAP = """() => Plotly.newPlot('map',
    [{type: 'choropleth', locationmode: 'ISO-3', locations: ['IDN'], z: [1]}],
    {geo: {scope: 'asia'}}, {topojsonURL: 'https://cdn.example.net/topojson/'})"""


def test_guard_catches_a_request_off_the_machine(browser):
    """Both requests are aborted in the route handler (nothing leaves the machine) and recorded, so a
    page test would fail on them."""
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    guard = Guard()
    context = new_context(browser, guard)
    try:
        page = context.new_page()
        page.set_content(EXTERNAL_PAGE)
        page.add_script_tag(path=plotly_js)  # inlined: the bundle comes from disk, not from a URL
        page.evaluate(f"() => {{ ({EXTERNAL_TOPOJSON_MAP})().catch(() => null); }}")
        deadline = time.monotonic() + 10
        while not any("cdn.example.net" in url for url in guard.external) and time.monotonic() < deadline:
            page.wait_for_timeout(100)
    finally:
        context.close()
    assert "https://example.org/x.png" in guard.external
    assert any(url.startswith("https://cdn.example.net/topojson/") for url in guard.external), guard.external
    with pytest.raises(AssertionError, match="example.org"):
        guard.assert_clean()


def test_the_server_itself_reaches_nothing_off_the_machine(page, guard: Guard, readme_app_url: str):
    """Every page served, then the server process's own record of outside connections is read: Streamlit
    looks up the machine's external IP at start unless told where users connect (.streamlit/config.toml
    browser.serverAddress), which an offline office saw as an error line."""
    from tests.e2e.conftest import NETLOGS

    for spec in PAGES:
        open_page(page, readme_app_url, spec)
    reached = NETLOGS[readme_app_url].read_text(encoding="utf-8").strip()
    assert reached == "", reached
    guard.assert_clean()


def test_the_server_watch_sees_a_connection_off_the_machine(tmp_path: Path):
    """The watch itself can fail: a Python process started as the servers are records an outside lookup."""
    import subprocess
    import sys

    from tests.e2e.conftest import NETWATCH

    log = tmp_path / "log"
    log.touch()
    env = {**os.environ, "UMKM_NETLOG": str(log), "PYTHONPATH": str(NETWATCH)}
    subprocess.run([sys.executable, "-c", "import socket\ntry:\n socket.getaddrinfo('checkip.amazonaws.com', 80)\n"
                    "except OSError:\n pass"], env=env, check=True, timeout=60)
    assert "checkip.amazonaws.com" in log.read_text(encoding="utf-8")


def test_the_sidebar_filters_offer_no_english_select_all(page, guard: Guard, app_url: str):
    open_page(page, app_url, RINGKASAN)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    options = page.locator('[role="option"], li[role="option"]')
    options.first.wait_for()
    texts = options.all_inner_texts()
    assert "Natar" in " ".join(texts) and not any("Select all" in text for text in texts), texts
    page.keyboard.press("Escape")
    guard.assert_clean()


_GRIDS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]')).map((grid) => {
  const scroller = grid.querySelector('.dvn-scroller');
  return {height: Math.round(grid.getBoundingClientRect().height),
          scrollHeight: scroller ? scroller.scrollHeight : 0, clientHeight: scroller ? scroller.clientHeight : 0,
          scrollWidth: scroller ? scroller.scrollWidth : 0, clientWidth: scroller ? scroller.clientWidth : 0};
})"""


def test_prioritas_tables_show_every_kecamatan_and_no_sideways_scroll(page, guard: Guard, app_url: str):
    """The seats table showed 10 of 17 kecamatan in an inner scroll; the invitation list scrolled sideways."""
    open_page(page, app_url, next(spec for spec in PAGES if spec.path == "pages/prioritas_anggaran.py"))
    grids = page.evaluate(_GRIDS_JS)
    seats = grids[0]  # the first table of the page: seats per kecamatan and jenis
    assert seats["scrollHeight"] <= seats["clientHeight"] + 2, seats  # all 17 rows without an inner scroll
    wide = [g for g in grids if g["scrollWidth"] > g["clientWidth"] + 2]
    assert not wide, wide
    guard.assert_clean()
