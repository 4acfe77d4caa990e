"""The estimate's inputs as arrays (analysis/impact/panel.py): panel_arrays is monthly_panel (the public
frame of one row per producer and month) laid out as producer x month arrays, and each producer's
treatment month per jenis is its bulan_perlakuan as an offset from the panel's first month."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.impact import panel as pnl
from tests.impact.synthetic import JENIS, panel


def _messy(seed: int):
    """Duplicated months (summed), zero and negative totals (dropped), missing values, unlinked rows,
    dates inside the month and producers without kategori."""
    tables = panel(seed, months=20)
    rng = np.random.default_rng(seed)
    sales = tables["sales"]
    extra = sales.sample(300, random_state=seed).assign(nilai_rp=lambda f: f["nilai_rp"] * rng.random(len(f)))
    zero = sales.sample(40, random_state=seed + 1).assign(nilai_rp=0.0)
    negative = sales.sample(5, random_state=seed + 2).assign(nilai_rp=-1e9)
    unlinked = sales.sample(20, random_state=seed + 3).assign(umkm_id="X999")
    sales = pd.concat([sales, extra, zero, negative, unlinked], ignore_index=True).sample(frac=1, random_state=seed)
    sales = sales.astype({"umkm_id": "string", "nilai_rp": "Float64"})
    sales.loc[sales.index[:7], "nilai_rp"] = pd.NA
    sales.loc[sales.index[7:12], "umkm_id"] = pd.NA
    sales.loc[sales.index[12:15], "bulan"] = pd.NaT
    sales["bulan"] = sales["bulan"] + pd.Timedelta(days=9)
    producers = tables["producers"].astype("string")
    producers.loc[producers.index[:6], "kategori"] = pd.NA
    return tables, sales, producers


@pytest.mark.parametrize("keys", ["int32", "int64"])
@pytest.mark.parametrize("seed", [1, 3])
def test_panel_arrays_are_the_monthly_panel_as_arrays(seed, keys, monkeypatch):
    if keys == "int64":  # (a province's keys fit int32; the int64 path serves larger ones)
        monkeypatch.setattr(pnl, "_INT32_KEYS", 0)
    tables, sales, producers = _messy(seed)
    treated = pnl.treatment_months(tables["trainings"], tables["participants"])
    frame = pnl.monthly_panel(sales, producers)
    arr = pnl.panel_arrays(sales, producers, treated)
    assert list(arr.ids) == sorted(frame["umkm_id"].unique())
    assert arr.months.equals(pd.date_range(frame["bulan"].min(), frame["bulan"].max(), freq="MS"))
    row = pd.Index(arr.ids).get_indexer(frame["umkm_id"])
    col = arr.months.get_indexer(frame["bulan"])
    assert (row >= 0).all() and (col >= 0).all()
    assert arr.observed.sum() == len(frame) and arr.observed[row, col].all()
    np.testing.assert_allclose(arr.y[row, col], frame["log_omzet"].to_numpy(), rtol=1e-12, atol=0)
    assert not arr.y[~arr.observed].any()
    kategori = frame.drop_duplicates("umkm_id").set_index("umkm_id")["kategori"].reindex(arr.ids)
    assert list(arr.kategori) == sorted(kategori.unique())
    assert [arr.kategori[g] for g in arr.group] == kategori.tolist()


def test_panel_arrays_of_nothing_linked_is_none():
    tables = panel(2, n=80, months=10)
    treated = pnl.treatment_months(tables["trainings"], tables["participants"])
    nobody = tables["producers"].assign(umkm_id="Z")
    assert pnl.monthly_panel(tables["sales"], nobody).empty
    assert pnl.panel_arrays(tables["sales"], nobody, treated) is None
    assert pnl.panel_arrays(tables["sales"].iloc[:0], tables["producers"], treated) is None


@pytest.mark.parametrize("seed", [1, 4])
def test_starts_are_the_treatment_months_as_offsets_from_the_first_month(seed):
    """Participants not in the panel are left out; trainings before and after the panel give offsets
    outside it; a producer never trained in a jenis gets NEVER."""
    tables = panel(seed, months=20)
    treated = pnl.treatment_months(tables["trainings"], tables["participants"])
    extra = treated.iloc[:5].assign(umkm_id="X999")  # a participant without sales: not in the panel
    treated = pd.concat([treated, extra], ignore_index=True)
    arr = pnl.panel_arrays(tables["sales"], tables["producers"], treated)
    start = pnl.starts(arr.ids, arr.months, treated)
    assert list(start) == sorted(JENIS)
    expected = {jenis: np.full(len(arr.ids), pnl.NEVER, dtype=np.int64) for jenis in JENIS}
    first = pd.Period(arr.months[0], "M")
    position = {umkm: i for i, umkm in enumerate(arr.ids)}
    for umkm, jenis, month in treated[["umkm_id", "jenis", "bulan_perlakuan"]].itertuples(index=False):
        if umkm in position:
            expected[jenis][position[umkm]] = (pd.Period(month, "M") - first).n
    for jenis in JENIS:
        assert start[jenis].dtype == np.int64 and np.array_equal(start[jenis], expected[jenis]), jenis
    offsets = np.concatenate([s[s < pnl.NEVER] for s in start.values()])
    assert (offsets >= len(arr.months)).any() and (start["Pemasaran"] == pnl.NEVER).any()
