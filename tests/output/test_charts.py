"""The shared bar chart: Indonesian separators, the caller's order, and a named error for a bad column.
AppTest cannot look inside plotly charts, so the figure is checked here directly."""
import pandas as pd
import pytest

from analysis.output import charts


def frame() -> pd.DataFrame:
    return pd.DataFrame({"kecamatan": ["Natar", "Kalianda", "Sragi"], "jumlah": [1200, 30, 0]})


def test_bar_uses_indonesian_separators_and_shared_template():
    figure = charts.bar(frame(), "kecamatan", "jumlah", value_label="Jumlah UMKM")
    assert figure.layout.separators == ",."
    assert figure.layout.template.layout.colorway[0] == charts.PRIMARY
    assert "Jumlah UMKM: %{x:,.0f}" in figure.data[0].hovertemplate


def test_bar_keeps_the_callers_order_top_down():
    figure = charts.bar(frame(), "kecamatan", "jumlah")
    assert list(figure.layout.yaxis.categoryarray) == ["Natar", "Kalianda", "Sragi"]
    assert figure.layout.yaxis.autorange == "reversed"
    assert list(figure.data[0].x) == [1200, 30, 0]


def test_bar_vertical():
    figure = charts.bar(frame(), "kecamatan", "jumlah", orientation="v", show_values=False)
    assert list(figure.data[0].x) == ["Natar", "Kalianda", "Sragi"]
    assert figure.data[0].texttemplate is None


def test_bar_missing_column_is_named():
    with pytest.raises(ValueError, match="'jumlah_umkm'"):
        charts.bar(frame(), "kecamatan", "jumlah_umkm")


def test_bar_formatter_replaces_d3_format_for_labels_and_hover():
    from analysis.core import formatting as fmt

    figure = charts.bar(frame(), "kecamatan", "jumlah", formatter=fmt.rupiah_short)
    assert [c[0] for c in figure.data[0].customdata] == ["Rp 1,2 rb", "Rp 30", "Rp 0"]
    assert figure.data[0].texttemplate == "%{customdata[0]}"
    assert "%{customdata[0]}" in figure.data[0].hovertemplate


def test_line_shows_indonesian_months_in_the_hover():
    months = pd.DataFrame({"bulan": pd.to_datetime(["2017-09-01", "2017-10-01"]), "nilai": [1500.0, 2500.0]})
    figure = charts.line(months, "bulan", "nilai", y_label="Penjualan (Rp)")
    assert figure.layout.separators == ",."
    assert [c[0] for c in figure.data[0].customdata] == ["September 2017", "Oktober 2017"]
    assert "Penjualan (Rp): %{y:,.0f}" in figure.data[0].hovertemplate
    assert figure.data[0].mode == "lines+markers"


def test_line_names_a_missing_column():
    with pytest.raises(ValueError, match="'nilai'"):
        charts.line(pd.DataFrame({"bulan": []}), "bulan", "nilai")


def test_line_formatter_gives_indonesian_value_axis():
    from analysis.core import formatting as fmt

    months = pd.DataFrame({"bulan": pd.to_datetime(["2017-09-01", "2017-10-01"]), "nilai": [2.5e9, 4.5e9]})
    figure = charts.line(months, "bulan", "nilai", formatter=fmt.rupiah_short)
    assert list(figure.layout.yaxis.ticktext) == ["Rp 2,5 M", "Rp 3 M", "Rp 3,5 M", "Rp 4 M", "Rp 4,5 M"]
    assert list(figure.data[0].customdata[1]) == ["Oktober 2017", "Rp 4,5 M"]


def test_bar_leaves_room_for_the_longest_label():
    figure = charts.bar(frame(), "kecamatan", "jumlah")
    assert figure.layout.xaxis.range[1] > 1200


def test_target_realisation_draws_realisasi_bars_and_the_target_line():
    from analysis.core import formatting as fmt

    frame = pd.DataFrame({"tahun": [2016, 2017, 2018], "target": [0.25, 0.30, 0.35], "realisasi": [0.2, 0.31, None]})
    figure = charts.target_realisation(frame, "tahun", "target", "realisasi",
                                       formatter=lambda v: fmt.indicator_value("porsi", v), title="Memiliki NIB")
    bars, line = figure.data
    assert bars.type == "bar" and list(bars.x) == ["2016", "2017", "2018"]
    assert list(bars.text) == ["20,0%", "31,0%", ""]  # no label, and no zero bar label, for a year without data
    assert line.mode == "lines+markers" and list(line.y) == [0.25, 0.30, 0.35]
    assert [c[0] for c in line.customdata] == ["25,0%", "30,0%", "35,0%"]
    assert figure.layout.separators == ",." and figure.layout.title.text == "Memiliki NIB"
    assert all(label.endswith("%") for label in figure.layout.yaxis.ticktext)


def _sales_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    months = pd.date_range("2017-01-01", "2017-04-01", freq="MS")
    monthly = pd.DataFrame({"bulan": months, "nilai": [10e6, None, 12e6, 15e6], "median": [8e6, 8e6, 9e6, 9e6],
                            "n": [4, 4, 5, 3]})
    events = pd.DataFrame({"tanggal": [pd.Timestamp("2017-02-14"), pd.NaT], "label": ["Pemasaran: Bimtek", "x"]})
    return monthly, events


def test_sales_with_events_marks_each_dated_training_and_the_median_with_its_n():
    monthly, events = _sales_frames()
    figure = charts.sales_with_events(monthly, "bulan", "nilai", events, "tanggal", "label", reference="median",
                                      reference_n="n")
    names = [trace.name for trace in figure.data]
    assert names == ["Median UMKM sejenis", "UMKM ini", "Pelatihan"]
    median, own, marks = figure.data
    assert own.y[1] is None or own.y[1] != own.y[1]  # an unreported month breaks the line, never a zero
    assert [row[0] for row in marks.customdata] == ["Pemasaran: Bimtek"]  # the undated one is not drawn
    assert [shape.x0 for shape in figure.layout.shapes] == [pd.Timestamp("2017-02-14")]
    assert median.customdata[2][2] == "5" and "n = %{customdata[2]}" in median.hovertemplate
    assert own.customdata[0][1] == "Rp 10 jt" and figure.layout.separators == ",."


def test_sales_with_events_without_reports_says_so_and_names_a_missing_column():
    monthly, events = _sales_frames()
    empty = monthly.assign(nilai=None)
    figure = charts.sales_with_events(empty, "bulan", "nilai", events.iloc[:0], "tanggal", "label")
    assert any("Belum ada laporan" in a.text for a in figure.layout.annotations)
    with pytest.raises(ValueError, match="'tanggal_mulai'"):
        charts.sales_with_events(monthly, "bulan", "nilai", events, "tanggal_mulai", "label")
