"""The canonical tables: conform fills and orders columns; validation reports every failure at once."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.schemas import Participants, Producers, Sales


def test_conform_adds_missing_columns_in_contract_order_and_keeps_extras():
    frame = pd.DataFrame({"extra": [1], "bulan": ["2017-03-01"], "nilai_rp": [1_000_000]})
    conformed = Sales.conform(frame)
    assert list(conformed.columns) == Sales.names() + ["extra"]
    assert str(conformed["bulan"].dtype) == "datetime64[us]" and conformed["umkm_id"].isna().all()
    assert Sales.problems(conformed) == []


def test_problems_lists_every_violation_naming_the_column():
    frame = Producers.conform(pd.DataFrame({
        "umkm_id": [None], "kecamatan": ["Kedaton"], "kategori": ["Makanan Olahan"], "kode_kecamatan": ["18.71.01"],
    }))
    problems = Producers.problems(frame.drop(columns="skala"))
    assert any("'umkm_id' kosong" in p for p in problems)
    assert any("'kecamatan'" in p and "Kedaton" in p for p in problems)
    assert any("'skala' tidak ada" in p for p in problems)
    with pytest.raises(ValueError, match="skala"):
        Producers.validate(frame.drop(columns="skala"))


def test_closed_value_sets():
    frame = Participants.conform(pd.DataFrame({"pelatihan_id": ["P1"], "cara_cocok": ["tebakan"]}))
    assert any("cara_cocok" in p and "tebakan" in p for p in Participants.problems(frame))
