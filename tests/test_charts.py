"""The shared bar chart: Indonesian separators, the caller's order, and a named error for a bad column.
AppTest cannot look inside plotly charts, so the figure is checked here directly."""
import pandas as pd
import pytest

from analysis import charts


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
