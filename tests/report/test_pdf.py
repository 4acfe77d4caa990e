"""The PDF laporan (analysis/report/pdf.py), read back with pypdf: A4 pages with their page numbers and
source lines, the table of contents, the numbers the Target & Realisasi page and the deck show, charts as
vector graphics (no bitmap in the file), and the command line writing .pdf by the suffix of --out."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis import boundaries, report
from analysis.core.paths import DEMO_RAW_DIR
from analysis.impact import estimate as impact_estimate
from analysis.ingest import ingest_paths, write_outputs
from analysis.insight import budget, training
from analysis.insight import filters as flt
from analysis.insight import targets as tgt
from analysis.office import targets as office_targets
from analysis.report import __main__ as report_cli
from analysis.report.__main__ import main as report_command

N_BOOT = 19
A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hasil")
    write_outputs(ingest_paths([DEMO_RAW_DIR]), out)
    return out


@pytest.fixture(scope="module")
def content(data_dir) -> report.DeckContent:
    tables = report_cli.read_tables(data_dir)
    results = impact_estimate.estimate_all(tables.producers, tables.sales, tables.trainings, tables.participants,
                                           n_boot=N_BOOT)
    params = budget.PlanParams(biaya=budget.default_costs(tables.trainings, tables.participants))
    loaded = office_targets.load()  # no office file in the test's store: the demo's example targets
    return report.build_content(tables, flt.Filters(), results, params, ingest_totals={"rows_read": 10, "rows_kept": 9},
                                tiles=boundaries.schematic_tiles(), made_on=date(2018, 1, 15), targets=loaded.table,
                                targets_label=loaded.label)


@pytest.fixture(scope="module")
def pdf(content) -> PdfReader:
    return PdfReader(io.BytesIO(report.pdf_bytes(content)))


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a4_portrait_pages_each_numbered_with_its_source(pdf, pages):
    assert len(pages) >= 9
    for number, (page, text) in enumerate(zip(pdf.pages, pages), start=1):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=0.5)
        assert f"Halaman {number} dari {len(pages)}" in text, number
        assert "Sumber: " in text and "Data sampai Oktober 2017" in _flat(text), number


def test_cover_names_region_period_data_date_and_contents(pages):
    cover = _flat(pages[0])
    assert report.dinas().upper() in cover and "Kabupaten Lampung Selatan (kode wilayah Kemendagri 18.01)" in cover
    assert "Januari 2015 – Oktober 2017" in cover and "15 Januari 2018" in cover
    assert "Target contoh (data demo, bukan target Dinas)" in cover
    for title in (report.SECTION_TITLES[k] for k in (report.INDICATORS, report.TARGETS, report.MAP, report.TRENDS,
                                                      report.IMPACT, report.BUDGET, report.NOTES)):
        assert title in cover  # the table of contents


def test_every_section_has_its_page_in_the_contents(pages):
    cover = _flat(pages[0])
    for key in (report.TARGETS, report.IMPACT, report.NOTES):
        title = report.SECTION_TITLES[key]
        listed = int(re.search(rf"{re.escape(title)} (\d+)", cover).group(1))
        assert _flat(pages[listed - 1]).startswith(title) or title in _flat(pages[listed - 1])[:200]


def test_the_targets_and_their_capaian_are_in_the_pdf(content, pages):
    text = _flat(" ".join(pages))
    year = content.target_year
    assert year == 2017
    shown = tgt.display(content.achievement, year)
    assert len(shown) >= 10
    for row in shown.itertuples(index=False):
        for value in (row[1], row[2], row[3]):  # target, realisasi, capaian as the page formats them
            assert value in text, (row[0], value)
    assert tgt.summary_line(content.achievement, year) in text
    assert "(2 − realisasi ÷ target) × 100%" in text  # the method for "lower is better"


def test_the_numbers_the_target_page_shows_are_in_the_pdf(pages):
    """The Target & Realisasi page (AppTest, demo data) and the PDF of the same data show the same numbers."""
    from streamlit.testing.v1 import AppTest

    from analysis.core.paths import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/target_realisasi.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = at.table[0].value.reset_index()
    text = _flat(" ".join(pages))
    assert len(shown) >= 10
    for column in (tgt.COL_TARGET, tgt.COL_REALISASI, tgt.COL_CAPAIAN):
        for value in shown[column]:
            assert value in text, (column, value)


def test_the_indicators_impact_and_budget_numbers_are_in_the_pdf(content, pages):
    text = _flat(" ".join(pages))
    for value in content.indicators["Nilai"]:
        assert value in text
    for result in content.impact:
        assert training.interval_text(result) in text
    assert f"{content.plan.n_seats:,}".replace(",", ".") + " kursi" in text
    assert "Baris dibaca" in text and "Halaman" in text


def test_charts_are_vector_graphics_not_pictures(pdf):
    for page in pdf.pages:
        resources = page.get("/Resources") or {}
        objects = resources.get("/XObject") or {}
        for name in objects:
            obj = objects[name].get_object()
            assert obj.get("/Subtype") != "/Image", f"bitmap {name} on a page"
    # and there are drawings: the SVG charts become form objects or path operators on the pages
    assert sum(len(page.get_contents().get_data()) for page in pdf.pages) > 200_000


def test_without_targets_the_section_says_how_to_add_them(content, data_dir):
    from dataclasses import replace

    empty = replace(content, achievement=content.achievement.iloc[0:0], targets_label="")
    text = _flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.pdf_bytes(empty))).pages))
    assert "Belum ada target indikator" in text and "Target & Realisasi" in text


def test_command_line_writes_a_pdf_offline(data_dir, tmp_path, capsys, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network use: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    out = tmp_path / "laporan.pdf"
    code = report_command(["--data", str(data_dir), "--out", str(out), "--boot", "5", "--kec", "Natar"])
    assert code == 0, capsys.readouterr().err
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 9
    text = _flat(" ".join(p.extract_text() for p in reader.pages))
    assert "kecamatan: Natar" in text
    assert tgt.COMPARED_NOTE in text  # a kecamatan filter: counts are not compared with kabupaten targets
    assert re.search(r"Disimpan: .*laporan\.pdf \(\d+ halaman", capsys.readouterr().out)


def test_command_line_takes_a_targets_file_and_refuses_a_bad_one(data_dir, tmp_path, capsys):
    good = tmp_path / "target.csv"
    good.write_text("indikator;tahun;target;sumber\nporsi_nib;2017;30;PK 2017\n", encoding="utf-8")
    out = tmp_path / "laporan.pdf"
    assert report_command(["--data", str(data_dir), "--out", str(out), "--boot", "5", "--target", str(good)]) == 0
    text = _flat(" ".join(p.extract_text() for p in PdfReader(str(out)).pages))
    assert "Target dari target.csv" in text and "30,0%" in text and "88,1%" in text  # 26,44% of 30%
    bad = tmp_path / "salah.csv"
    bad.write_text("indikator,tahun,target\nporsi_nibb,2017,30\n", encoding="utf-8")
    capsys.readouterr()
    assert report_command(["--data", str(data_dir), "--out", str(tmp_path / "x.pdf"), "--target", str(bad)]) == 2
    assert "Baris 1: indikator 'porsi_nibb' tidak dikenal" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_command_line_refuses_an_unknown_suffix(data_dir, tmp_path, capsys):
    assert report_command(["--data", str(data_dir), "--out", str(tmp_path / "laporan.docx")]) == 2
    assert ".pptx atau .pdf" in capsys.readouterr().err
