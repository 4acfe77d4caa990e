"""The dashboard for a provinsi region (Provinsi Lampung, 18) on a small office folder of its own: a
registry with UMKM in kecamatan of three kabupaten/kota (one kecamatan name, Rajabasa, in two of them), a
monthly sales report and an attendance list, run with AppTest. Every page runs, and the numbers follow
the fixture: per kabupaten, per kecamatan (twins kept apart) and over the whole provinsi."""
from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.core import formatting as fmt
from analysis.core import settings
from analysis.core.paths import ROOT
from ui.navigation import PAGES

APP = str(ROOT / "app.py")
# (kecamatan as written in the registry, its kabupaten/kota, canonical name in the provinsi, UMKM). A twin
# names its kabupaten in the kecamatan cell: a separate kabupaten column is not read yet (see the report).
PLACES = [
    ("Natar", "Lampung Selatan", "Natar", 24),
    ("Rajabasa, Lampung Selatan", "Lampung Selatan", "Rajabasa (Lampung Selatan)", 12),
    ("Rajabasa, Bandar Lampung", "Kota Bandar Lampung", "Rajabasa (Kota Bandar Lampung)", 18),
    ("Kedaton", "Kota Bandar Lampung", "Kedaton", 16),
    ("Gedong Tataan", "Pesawaran", "Gedong Tataan", 10),
]
N_UMKM = sum(p[3] for p in PLACES)  # 80; every second one attends the training of March 2024 (40)
PER_KABUPATEN = {"Kabupaten Lampung Selatan": 36, "Kota Bandar Lampung": 34, "Kabupaten Pesawaran": 10}
MONTHS = pd.date_range("2023-01-01", "2024-06-01", freq="MS")  # eighteen monthly reports
MONTH_NAMES = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
               "November", "Desember"]
AFTER = pd.Timestamp("2024-04-01")  # the first whole month after the training (12-14 March 2024)


def sale(n: int, month: pd.Timestamp) -> int:
    """UMKM n's sales in a month: about Rp 2 jt with a small wobble; half as much again for a participant
    (odd n) from the first whole month after the training."""
    base = 2_000_000 + 40_000 * ((n * 7 + month.month * 3) % 5 - 2)
    return int(base * 1.5) if n % 2 and month >= AFTER else base


def sales_in(months, kecamatan: set[str] | None = None) -> int:
    return sum(sale(row["n"], m) for row in producers() for m in months
               if kecamatan is None or row["canonical"] in kecamatan)


def producers() -> list[dict]:
    rows, n = [], 0
    for kecamatan, kabupaten, canonical, count in PLACES:
        for _ in range(count):
            n += 1
            rows.append({"n": n, "nama_usaha": f"Usaha Lampung {n:02d}", "pemilik": f"Pemilik Nomor {n:02d}",
                         "nik": f"18{n:014d}", "kecamatan": kecamatan, "kabupaten": kabupaten, "canonical": canonical,
                         "omzet": 100_000_000 + n * 1_000_000, "nib": "Ya" if n % 2 else "Tidak"})
    return rows


@pytest.fixture
def provinsi_office(tmp_path, configure):
    folder = tmp_path / "provinsi_lampung"
    folder.mkdir()
    rows = producers()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DATA UMKM BINAAN PROVINSI LAMPUNG 2024"])
    sheet.append([])
    sheet.append(["No", "Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan", "Kabupaten/Kota", "Produk", "Omzet per Tahun",
                  "NIB"])
    for n, row in enumerate(rows, 1):
        sheet.append([n, row["nama_usaha"], row["pemilik"], row["nik"], row["kecamatan"], row["kabupaten"],
                      "keripik pisang", row["omzet"], row["nib"]])
    book.save(folder / "Data UMKM Provinsi Lampung 2024.xlsx")

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["LAPORAN OMZET BULANAN UMKM BINAAN TAHUN 2024"])
    sheet.append([])
    sheet.append(["No", "Nama Usaha", "Nama Pemilik", "NIK", "Kecamatan", "Bulan", "Produk", "Omzet (Rp)"])
    n = 0
    for month in MONTHS:
        for row in rows:
            n += 1
            sheet.append([n, row["nama_usaha"], row["pemilik"], row["nik"], row["kecamatan"],
                          f"{MONTH_NAMES[month.month - 1]} {month.year}", "keripik pisang", sale(row["n"], month)])
    book.save(folder / "Laporan Omzet Bulanan 2024.xlsx")

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DAFTAR HADIR PELATIHAN PEMASARAN DIGITAL"])
    sheet.append(["Tanggal : 12 s/d 14 Maret 2024"])
    sheet.append(["Tempat : Bandar Lampung"])
    sheet.append(["Biaya : Rp 30.000.000,-"])
    sheet.append([])
    sheet.append(["No", "Nama", "Nama Usaha", "Alamat", "No HP", "NIK"])
    for n, row in enumerate(rows[::2], 1):  # every second UMKM (odd n): 40 participants
        sheet.append([n, row["pemilik"], row["nama_usaha"], f"{row['kecamatan']}, {row['kabupaten']}", None, row["nik"]])
    book.save(folder / "Daftar Hadir Pelatihan Pemasaran Digital 2024.xlsx")
    configure(data_dir=folder, wilayah="18")
    targets = settings.get().store_dir / "target_indikator.csv"
    targets.parent.mkdir(parents=True, exist_ok=True)
    targets.write_text("indikator,tahun,target,sumber,arah\njumlah_umkm,2024,100,Renstra Provinsi,\n"
                       "porsi_nib,2024,45,Renstra Provinsi,\n", encoding="utf-8")
    return rows


def _run(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    if path != PAGES[0].path:
        at.switch_page(path).run()
    return at


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("spec", PAGES, ids=[spec.title for spec in PAGES])
def test_every_page_runs_for_the_provinsi(provinsi_office, spec):
    at = _run(spec.path)
    _clean(at)



def _chart(at: AppTest, index: int) -> dict[str, float]:
    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    return {loc: z for trace in spec["data"] if "locations" in trace for loc, z in zip(trace["locations"], trace["z"])}


def _shown(at: AppTest, index: int) -> dict[str, float]:
    """The coloured areas of a map (the grey "tidak ada data" trace left out)."""
    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    return {loc: z for trace in spec["data"] if trace.get("name") != "tidak ada data"
            for loc, z in zip(trace["locations"], trace["z"])}


def test_ringkasan_counts_the_whole_provinsi(provinsi_office):
    at = _run("pages/ringkasan.py")
    _clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Jumlah UMKM"]) == N_UMKM  # both Rajabasa kept: not merged into one
    assert metrics["Penjualan dalam periode"] == fmt.rupiah_short(sales_in(MONTHS))  # the whole data period
    assert metrics["Memiliki NIB"] == "50,0%" and metrics["Pernah ikut pelatihan"] == "50,0%"
    assert any("Provinsi Lampung" in c.value for c in at.caption)


def test_kabupaten_map_shows_the_chosen_indicator(provinsi_office):
    at = _run("pages/peta_kecamatan.py")
    _clean(at)
    assert _shown(at, 0) == PER_KABUPATEN
    assert len(_chart(at, 0)) == 15  # every kabupaten/kota of Lampung drawn, the empty ones grey
    at.selectbox(key="peta_indikator").set_value("penjualan_rp").run()
    _clean(at)
    sales = _shown(at, 0)
    of = {p[2]: (f"Kabupaten {p[1]}" if "Kota" not in p[1] else p[1]) for p in PLACES}
    assert sales == pytest.approx({k: sales_in(MONTHS, {c for c, v in of.items() if v == k}) for k in PER_KABUPATEN})
    kecamatan = _shown(at, 1)
    assert kecamatan == pytest.approx({p[2]: sales_in(MONTHS, {p[2]}) for p in PLACES})
    at.selectbox(key="peta_kabupaten").select("Kota Bandar Lampung").run()
    _clean(at)
    narrowed = _shown(at, 1)
    assert narrowed == pytest.approx({k: sales_in(MONTHS, {k}) for k in ("Kedaton", "Rajabasa (Kota Bandar Lampung)")})
    assert len(_chart(at, 1)) == 20  # Bandar Lampung's 20 kecamatan, the other 18 grey
    ranking = at.dataframe[0].value
    assert "Kabupaten/kota" in ranking.columns
    assert set(ranking.loc[ranking["Kecamatan"].str.startswith("Rajabasa"), "Kabupaten/kota"]) == {"Kota Bandar Lampung"}


def test_sidebar_kabupaten_filter_narrows_every_number(provinsi_office):
    at = _run("pages/ringkasan.py")
    at.sidebar.multiselect(key="filter_kabupaten").select("Kabupaten Lampung Selatan").run()
    _clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Jumlah UMKM"]) == 36
    ls = {"Natar", "Rajabasa (Lampung Selatan)"}
    assert metrics["Penjualan dalam periode"] == fmt.rupiah_short(sales_in(MONTHS, ls))


def test_budget_plan_allocates_over_the_provinsi_and_names_the_kabupaten(provinsi_office):
    at = _run("pages/prioritas_anggaran.py")
    _clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kecamatan terjangkau"] == "5 dari 5"
    plan = at.dataframe[0].value
    assert list(plan.columns[:3]) == ["Peringkat", "Kecamatan", "Kabupaten/kota"]
    where = dict(zip(plan["Kecamatan"], plan["Kabupaten/kota"]))
    assert where == {p[2]: ("Kota Bandar Lampung" if "Bandar" in p[1] else f"Kabupaten {p[1]}") for p in PLACES}
    seats = plan["Total kursi"].astype(int)
    assert seats.sum() == int(metrics["Kursi pelatihan"]) and (seats > 0).all()


def test_directory_names_kabupaten_beside_kecamatan(provinsi_office):
    at = _run("pages/direktori.py")
    _clean(at)
    table = at.dataframe[0].value
    assert len(table) == 50  # the first page
    assert list(table.columns[table.columns.get_loc("Kecamatan"):][:2]) == ["Kecamatan", "Kabupaten/kota"]
    full = {"Lampung Selatan": "Kabupaten Lampung Selatan", "Kota Bandar Lampung": "Kota Bandar Lampung",
            "Pesawaran": "Kabupaten Pesawaran"}
    expected = {row["nama_usaha"]: (row["canonical"], full[row["kabupaten"]]) for row in producers()}
    shown = {name: (kec, kab) for name, kec, kab in zip(table["Nama usaha"], table["Kecamatan"], table["Kabupaten/kota"])}
    assert shown == {name: expected[name] for name in shown}
    assert {"Rajabasa (Lampung Selatan)", "Rajabasa (Kota Bandar Lampung)"} <= {kec for kec, _ in shown.values()}


def test_training_impact_and_reach_over_the_provinsi(provinsi_office):
    at = _run("pages/dampak_pelatihan.py")
    _clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Peserta diukur"] == "40" and metrics["UMKM pembanding"] == "40"
    effect = next(label for label in metrics if label.startswith("Efek"))
    assert metrics[effect] == "+50,0%"  # participants sell half as much again after the training
    reach = json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]
    assert sorted(reach["y"]) == sorted(p[2] for p in PLACES)  # five bars: the two Rajabasa apart


def test_category_trend_sums_the_provinsi(provinsi_office):
    at = _run("pages/tren_kategori.py")
    _clean(at)
    trend = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert trend["y"] == pytest.approx([sales_in([m]) for m in MONTHS])
    top = next(d.value for d in at.dataframe if "Kecamatan" in d.value.columns)
    assert "Kabupaten/kota" in top.columns and len(set(top["Kecamatan"])) == len(top)


def test_targets_are_measured_over_the_provinsi(provinsi_office):
    at = _run("pages/target_realisasi.py")
    _clean(at)
    table = at.table[0].value
    assert table.loc["Jumlah UMKM", "Realisasi"] == "80" and table.loc["Jumlah UMKM", "Status"] == "Belum tercapai"
    assert table.loc["Memiliki NIB", "Realisasi"] == "50,0%" and table.loc["Memiliki NIB", "Status"] == "Tercapai"


def test_presentation_names_the_provinsi(provinsi_office):
    at = _run("pages/presentasi.py")
    _clean(at)
    assert any(c.value.startswith("Sumber: Dinas Koperasi dan UKM Provinsi Lampung") for c in at.caption)


def test_deck_and_pdf_report_the_provinsi(provinsi_office, tmp_path):
    from pptx import Presentation
    from pypdf import PdfReader

    from analysis.ingest.__main__ import main as ingest
    from analysis.report.__main__ import main as report

    tables = tmp_path / "tabel"
    assert ingest(["--out", str(tables), "--wilayah", "18", str(settings.get().data_dir)]) == 0
    deck, laporan = tmp_path / "rapat.pptx", tmp_path / "laporan.pdf"
    for out in (deck, laporan):
        assert report(["--data", str(tables), "--out", str(out), "--wilayah", "18", "--boot", "50"]) == 0
    slides = Presentation(str(deck)).slides
    texts = " ".join(shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame)
    assert "Dinas Koperasi dan UKM Provinsi Lampung" in texts and "Lampung Selatan" not in texts.replace(
        "Rajabasa (Lampung Selatan)", "")
    shown = {tuple(t[0]): t[1:] for t in ([[c.text for c in row.cells] for row in shape.table.rows]
                                          for slide in slides for shape in slide.shapes if shape.has_table)}
    assert {r[0]: r[1] for r in shown[("Indikator", "Nilai", "Perubahan")]}["Jumlah UMKM"] == "80"
    spread = dict(shown[("Kecamatan", "Jumlah UMKM")][:5])
    assert spread == {p[2]: str(p[3]) for p in PLACES}  # the twins apart, most UMKM first
    assert shown[("Jenis pelatihan", "Efek", "Selang 95%", "Peserta", "Catatan")][0][:2] == ["Pemasaran", "+50,0%"]
    text = "\n".join(page.extract_text() for page in PdfReader(str(laporan)).pages)
    assert "Laporan UMKM Provinsi Lampung" in text and "Jumlah UMKM 80" in text
    assert "Rajabasa (Lampung Selatan)" in text and "Rajabasa (Kota Bandar Lampung)" in text
