"""The row filters behind every page (analysis/insight/filters.py) give what pandas gives (property tests,
pandas as the oracle): the Arrow ``isin`` is ``Series.isin`` and ``take_rows`` is boolean indexing, for
every dtype the tables use. Speed itself is measured by `python -m bench`, never here."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.insight import filters as flt

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.one_of(st.none(), st.sampled_from(["a", "b", "Natar", "Émile", "", " a"]), st.text(max_size=4))
DTYPES = ["string", "str", object]


@FAST
@given(values=st.lists(TEXT, max_size=30), wanted=st.lists(TEXT, max_size=8), dtype=st.sampled_from(DTYPES),
       as_series=st.booleans(), as_set=st.booleans())
def test_isin_is_pandas_isin(values, wanted, dtype, as_series, as_set):
    series = pd.Series(values, dtype=dtype, index=np.arange(len(values)) * 3)
    chosen = pd.Series(wanted, dtype=dtype) if as_series else set(wanted) if as_set else wanted
    expected = series.isin(chosen)
    got = flt.isin(series, chosen)
    assert got.dtype == expected.dtype
    assert got.index.equals(expected.index)
    assert got.tolist() == expected.tolist()


def test_isin_non_text_values_fall_back_to_pandas():
    series = pd.Series(["1", "2", None], dtype="string")
    assert flt.isin(series, [1, "2"]).tolist() == series.isin([1, "2"]).tolist()
    numbers = pd.Series([1, 2, 3])
    assert flt.isin(numbers, {2, 3}).tolist() == [False, True, True]


@FAST
@given(rows=st.lists(st.tuples(TEXT, st.none() | st.floats(allow_nan=True, allow_infinity=False),
                               st.none() | st.integers(-3, 3), st.booleans(), st.sampled_from(["x", 1, None])),
                     max_size=25),
       data=st.data())
def test_take_rows_is_boolean_indexing(rows, data):
    keep = data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    frame = pd.DataFrame({
        "text": pd.Series([r[0] for r in rows], dtype="string"),
        "str": pd.Series([r[0] for r in rows], dtype="str"),
        "money": pd.array([r[1] for r in rows], dtype="Float64"),
        "count": pd.array([r[2] for r in rows], dtype="Int64"),
        "flag": [r[3] for r in rows],
        "mixed": pd.Series([r[4] for r in rows], dtype=object),
        "month": pd.Series(pd.to_datetime(["2020-01-01"] * len(rows)), dtype="datetime64[us]"),
        "kategori": pd.Categorical([r[0] or "-" for r in rows]),
    }, index=pd.RangeIndex(len(rows)) * 2 + 7)
    frame.attrs["source"] = "test"
    mask = pd.Series(keep, index=frame.index, dtype=bool)
    expected = frame[mask]
    got = flt.take_rows(frame, mask)
    pd.testing.assert_frame_equal(got, expected)
    assert got.dtypes.equals(expected.dtypes) and got.attrs == expected.attrs


