"""Monthly sales and data months on tiny hand-made tables; a missing column is named in the error."""
import pandas as pd
import pytest

from analysis.core.schemas import Sales
from analysis.insight import metrics


def sales() -> pd.DataFrame:
    return Sales.conform(
        pd.DataFrame(
            {
                Sales.umkm_id: ["U1", None, "U2"],  # an unlinked row still counts
                Sales.bulan: pd.to_datetime(["2017-01-01", "2017-02-01", "2017-02-01"]),
                Sales.nilai_rp: [1_000_000.0, 250_000.0, 2_000_000.0],
            }
        )
    )


def test_monthly_sales_groups_days_into_their_month():
    frame = pd.DataFrame({Sales.bulan: pd.to_datetime(["2017-03-01", "2017-03-15", None]), Sales.nilai_rp: [1.0, 2.0, 5.0]})
    result = metrics.monthly_sales(frame)
    assert list(result[Sales.bulan]) == [pd.Timestamp("2017-03-01")]
    assert list(result[Sales.nilai_rp]) == [3.0]


def test_monthly_sales_counts_unlinked_rows():
    assert list(metrics.monthly_sales(sales())[Sales.nilai_rp]) == [1_000_000.0, 2_250_000.0]


def test_months_and_data_period():
    assert metrics.months(sales()) == [pd.Timestamp("2017-01-01"), pd.Timestamp("2017-02-01")]
    assert metrics.data_period(sales()) == (pd.Timestamp("2017-01-01"), pd.Timestamp("2017-02-01"))
    assert metrics.data_period(sales().iloc[0:0]) == (None, None)


def test_missing_sales_column_is_named():
    with pytest.raises(ValueError, match="'nilai_rp'"):
        metrics.monthly_sales(sales().drop(columns=Sales.nilai_rp))
