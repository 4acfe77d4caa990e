"""Numbers in the Excel downloads keep their meaning when opened in Indonesian Excel: shares as
percentages (32,5%, not 0,325), whole rupiah (no cost of Rp 1.435.606,0606), dates without a time, years
without a thousands separator, and counts with one."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd

from analysis.core import excel


def _cells(data: bytes, sheet: str, column: str) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book[sheet].iter_rows())
    index = [c.value for c in rows[0]].index(column)
    return [row[index] for row in rows[1:]]


def test_types_decide_the_format_when_no_export_names_one():
    frame = pd.DataFrame({"Mulai": pd.to_datetime(["2017-03-14", "2017-04-01"]), "Tahun": [2016, 2017],
                          "Peserta": [1250, 3], "Rata-rata": [2.5, 3.25], "Catatan": ["a", "b"]})
    data = excel.workbook_bytes({"Data": frame})
    assert {c.number_format for c in _cells(data, "Data", "Mulai")} == {excel.DATE_FORMAT}
    assert {c.number_format for c in _cells(data, "Data", "Tahun")} == {excel.YEAR_FORMAT}
    assert {c.number_format for c in _cells(data, "Data", "Peserta")} == {excel.INTEGER_FORMAT}
    assert {c.number_format for c in _cells(data, "Data", "Rata-rata")} == {excel.DECIMAL_FORMAT}
    assert [c.value for c in _cells(data, "Data", "Catatan")] == ["a", "b"]


def test_a_frame_carries_its_shares_and_rupiah_and_rupiah_are_whole():
    frame = excel.with_formats(pd.DataFrame({"Porsi": [0.325, 0.1], "Biaya per peserta": [1435606.0606, 1e6]}),
                               {"Porsi": excel.PERCENT_FORMAT, "Biaya per peserta": excel.RUPIAH_FORMAT})
    data = excel.workbook_bytes({"Data": frame})
    shares = _cells(data, "Data", "Porsi")
    assert [c.value for c in shares] == [0.325, 0.1] and {c.number_format for c in shares} == {"0.0%"}
    costs = _cells(data, "Data", "Biaya per peserta")
    assert [c.value for c in costs] == [1435606, 1000000] and {c.number_format for c in costs} == {excel.RUPIAH_FORMAT}


def test_the_exports_of_the_pages_use_them(tiny_tables):
    from analysis.insight import filters as flt
    from analysis.insight import indicators as ind
    from analysis.insight import trends

    per = ind.compute(tiny_tables, flt.Filters(), by_kecamatan=True)
    shares = ind.export_sheets(ind.ranking(per, "porsi_nib"), "porsi_nib", flt.Filters(), None)
    data = excel.workbook_bytes(shares)
    assert {c.number_format for c in _cells(data, "Per kecamatan", "Memiliki NIB") if c.value is not None} == {"0.0%"}
    trend = excel.workbook_bytes(trends.export_sheets(trends.analyse(tiny_tables, flt.Filters()), flt.Filters(), None))
    assert {c.number_format for c in _cells(trend, "Tren", "Penjualan (Rp)")} == {excel.RUPIAH_FORMAT}
