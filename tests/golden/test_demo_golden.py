"""What users see of the demo data, against the summaries stored in tests/golden/*.csv (see README.md
there): a change in what the ingest reads, in the tables of the pages, in the budget plan or in the
impact estimates fails here, however it came about. Counts and text must be equal, sums and ratios
within a relative 1e-9, impact percentages within 0.05 percentage points: a correct implementation
meets those on any CPU, a wrong result does not."""
from __future__ import annotations

import pytest

from analysis.core.paths import DEMO_RAW_DIR
from analysis.ingest.cache import cached_ingest
from tests.golden import summaries


@pytest.fixture(scope="module")
def built():
    return summaries.build(cached_ingest([DEMO_RAW_DIR]))


def test_every_summary_is_stored():
    """Each summary has its file and no stored file is left without a summary (a renamed summary would
    otherwise stop being compared)."""
    stored = {path.stem for path in summaries.FOLDER.glob("*.csv")}
    assert stored == set(summaries.NAMES)


@pytest.mark.parametrize("name", summaries.NAMES)
def test_demo_summary_equals_the_stored_one(built, name):
    stored = summaries.read(name)
    assert len(stored) > 1, f"{name}.csv holds no rows"
    found = summaries.differences(name, built[name], stored)
    assert not found, f"{name}.csv:\n" + "\n".join(found)


def test_the_comparison_tells_a_changed_number_from_noise(built):
    """The tolerances let the last bits of a float differ and nothing more: a sum off by one rupiah in a
    billion-rupiah cell, or an impact figure off by 0.1 percentage point, is a difference."""
    sales = built["sales_per_month"]
    rows = summaries.as_rows(sales)
    assert not summaries.differences("sales_per_month", sales, rows)
    noisy = sales.assign(nilai_rp=sales["nilai_rp"] * (1 + 1e-13))
    assert not summaries.differences("sales_per_month", noisy, rows)
    wrong = sales.assign(nilai_rp=sales["nilai_rp"] + (sales.index == 3) * 1.0)
    assert summaries.differences("sales_per_month", wrong, rows) == [
        f"row 4 nilai_rp: {repr(float(wrong['nilai_rp'].iloc[3]))!r} != stored {rows[4][3]!r}"]
    impact = built["impact"]
    rows = summaries.as_rows(impact)
    assert not summaries.differences("impact", impact.assign(efek_persen=impact["efek_persen"] + 0.04), rows)
    assert summaries.differences("impact", impact.assign(efek_persen=impact["efek_persen"] + 0.1), rows)
