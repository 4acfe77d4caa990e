"""The meeting deck (analysis/report.py), opened with python-pptx: slide count and titles, native charts
whose series hold the plan's and the estimates' numbers, the map picture (schematic, labelled), the stamp
on every slide, and the command line on the ingested demo data with every socket connection refused."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from analysis import boundaries, report
from analysis.core.paths import DEMO_RAW_DIR
from analysis.impact import estimate as impact_estimate
from analysis.ingest import ingest_paths, write_outputs
from analysis.insight import budget
from analysis.insight import filters as flt
from analysis.report import __main__ as report_cli
from analysis.report.__main__ import main as report_command

N_BOOT = 19  # enough for intervals to exist; the numbers are compared with the same run, not with truth


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """The demo spreadsheets through the real ingest, written as the command line writes them."""
    out = tmp_path_factory.mktemp("hasil")
    write_outputs(ingest_paths([DEMO_RAW_DIR]), out)
    return out


@pytest.fixture(scope="module")
def tables(data_dir) -> flt.Tables:
    return report_cli.read_tables(data_dir)


@pytest.fixture(scope="module")
def content(tables) -> report.DeckContent:
    results = impact_estimate.estimate_all(tables.producers, tables.sales, tables.trainings, tables.participants, n_boot=N_BOOT)
    params = budget.PlanParams(biaya=budget.default_costs(tables.trainings, tables.participants))
    return report.build_content(tables, flt.Filters(), results, params, ingest_totals={"rows_read": 10},
                                tiles=boundaries.schematic_tiles(), made_on=date(2018, 1, 15))


@pytest.fixture(scope="module")
def deck(content) -> Presentation:
    return Presentation(io.BytesIO(report.deck_bytes(content)))


def _charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_seven_slides_with_their_titles(deck):
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == [report.SLIDE_TITLES[k] for k in (report.TITLE, report.INDICATORS, report.MAP, report.TRENDS,
                                                         report.IMPACT, report.BUDGET, report.NOTES)]


def test_title_slide_names_the_dinas_date_and_filters(deck):
    text = "\n".join(_texts(deck.slides[0]))
    assert report.dinas() in text and "15 Januari 2018" in text and "Filter: semua data" in text


def test_every_slide_carries_source_data_date_and_filters(deck):
    for slide in deck.slides:
        stamp = next(s for s in slide.shapes if s.name == "stempel").text_frame.text
        assert stamp.startswith("Sumber: ") and "Data sampai Oktober 2017" in stamp and "Filter: semua data" in stamp


def test_indicator_table_holds_the_formatted_values(deck, content):
    table = next(s for s in deck.slides[1].shapes if s.has_table).table
    cells = [[table.cell(i, j).text for j in range(3)] for i in range(len(content.indicators) + 1)]
    assert cells[0] == ["Indikator", "Nilai", "Perubahan"]
    assert cells[1] == ["Jumlah UMKM", "2.500", "–"]


def test_map_is_a_picture_and_says_schematic(deck):
    slide = deck.slides[2]
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    assert pictures[0].image.size[0] > 800  # a real image, not a placeholder
    assert any(report.SCHEMATIC_LABEL in t for t in _texts(slide))
    assert not _charts(slide)


def test_trend_chart_is_native_with_sales_per_kategori_in_rp_juta(deck, content):
    (chart,) = _charts(deck.slides[3])
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    trend = content.trend
    assert set(series) == set(trend["kategori"])
    minuman = trend[trend["kategori"] == "Minuman"].sort_values("periode")["penjualan_rp"] / 1e6
    assert series["Minuman"] == pytest.approx(minuman.tolist())
    assert list(chart.plots[0].categories)[0] == "TW I 2015"


def test_impact_chart_holds_effects_and_intervals(deck, content):
    (chart,) = _charts(deck.slides[4])
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    estimated = [r for r in content.impact if r.efek_persen is not None][::-1]  # bottom-up: first jenis on top
    assert list(chart.plots[0].categories) == [r.jenis for r in estimated]
    assert series["Efek"] == pytest.approx([r.efek_persen for r in estimated])
    assert series["Batas bawah 95%"] == pytest.approx([r.ci_bawah for r in estimated])
    assert series["Batas atas 95%"] == pytest.approx([r.ci_atas for r in estimated])
    table = next(s for s in deck.slides[4].shapes if s.has_table).table
    assert table.cell(1, 0).text == estimated[-1].jenis and " s.d. " in table.cell(1, 2).text  # table top-down


def test_budget_chart_holds_each_criterion_points_per_kecamatan(deck, content):
    (chart,) = _charts(deck.slides[5])
    plot = chart.plots[0]
    ranking = content.plan.ranking.iloc[::-1]  # bottom-up: the highest score is drawn on top
    assert list(plot.categories) == list(ranking["kecamatan"])
    series = {s.name: list(s.values) for s in plot.series}
    assert list(series) == [c.label for c in budget.CRITERIA]
    for criterion in budget.CRITERIA:
        assert series[criterion.label] == pytest.approx(ranking[budget.contribution_column(criterion.key)].round(2).tolist())
    text = "\n".join(_texts(deck.slides[5]))
    assert f"{content.plan.n_seats:,}".replace(",", ".") + " kursi" in text and " s.d. " in text


def test_notes_slide_lists_the_data_notes(deck, content):
    text = "\n".join(_texts(deck.slides[6]))
    assert all(note in text for note in content.notes)
    assert "Peta skematis" in text and "disamarkan" in text


def test_zero_budget_plan_says_no_seats(tables, content):
    empty = budget.make_plan(tables, flt.Filters(), budget.PlanParams(anggaran_rp=0), content.impact)
    assert empty.n_seats == 0 and empty.seats.empty and empty.spent_rp == 0
    assert any("Belum ada kursi" in line for line in report.budget_summary_lines(empty))


def test_command_line_writes_a_deck_offline(data_dir, tmp_path, capsys, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network use: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)  # any attempt to reach a host fails the test
    monkeypatch.setattr(socket, "create_connection", refuse)
    out = tmp_path / "deck.pptx"
    code = report_command(["--data", str(data_dir), "--out", str(out), "--boot", "5", "--kec", "Natar,Kalianda",
                        "--anggaran", "100000000"])
    assert code == 0, capsys.readouterr().err
    deck = Presentation(str(out))
    assert len(deck.slides) >= 6
    assert sum(len(_charts(s)) for s in deck.slides) >= 3
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for slide in deck.slides for s in slide.shapes)
    stamp = next(s for s in deck.slides[1].shapes if s.name == "stempel").text_frame.text
    assert "kecamatan: Natar, Kalianda" in stamp
    assert "Disimpan:" in capsys.readouterr().out


def test_command_line_usage_errors(tmp_path):
    assert report_command(["--data", str(tmp_path / "tidak_ada"), "--out", str(tmp_path / "x.pptx")]) == 2
    assert report_command(["--data", str(tmp_path), "--out", str(tmp_path / "x.pptx")]) == 2  # no parquet tables
    assert report_command([]) == 2
    assert not (tmp_path / "x.pptx").exists()


def test_trend_wide_is_empty_without_sales():
    assert report.trend_wide(pd.DataFrame(columns=["periode", "label_singkat", "kategori", "penjualan_rp"])).empty


def test_map_uses_imported_boundaries_when_there_are_any(tables, content, shared_dir, tmp_path, configure):
    source = shared_dir / "data" / "boundaries" / "lampung_selatan_kecamatan_rbi_simplified.geojson"
    if not source.is_file():
        pytest.skip(f"{source} tidak ada")
    stored = boundaries.save_boundaries(boundaries.import_boundaries(source), tmp_path / "batas.geojson")
    configure(boundary_file=stored)  # what the command line reads
    official = report.build_content(tables, flt.Filters(), content.impact, content.plan.params,
                                    boundaries=report_cli.boundary_frame())
    assert official.official_map and len(official.boundaries) == 17
    deck = Presentation(io.BytesIO(report.deck_bytes(official)))
    slide = deck.slides[2]
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
    assert not any(report.SCHEMATIC_LABEL in t for t in _texts(slide))
    assert "Peta memakai batas kecamatan yang diimpor." in "\n".join(_texts(deck.slides[6]))
    # the picture differs from the schematic one: real polygons, not tiles
    assert report.map_png(official) != report.map_png(content)
