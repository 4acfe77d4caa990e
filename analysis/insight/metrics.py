"""Small aggregations over the canonical tables shared by pages and other modules (pure functions):
monthly sales totals and the months the data covers. The indicators themselves, with their
definitions, live in analysis/insight/indicators.py.

Every function checks that the columns it needs are there (naming the missing one, in Indonesian, so a
person who loaded an odd file can see what is wrong) and returns new objects without touching its inputs.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.core.schemas import Sales, Table

# Name of a count-of-UMKM column in small result tables (profile's top categories, charts).
JUMLAH_UMKM = "jumlah_umkm"


def _require(frame: pd.DataFrame, table: type[Table], columns: Iterable[str]) -> None:
    """Fail early with the name of every missing column instead of a bare KeyError deep in pandas."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        raise ValueError(f"{table.name}: kolom {names} tidak ada")


def monthly_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """Total sales value per month, oldest first.

    Rows whose producer could not be linked (umkm_id missing) still count: the money was earned even if
    the registry lacks the seller.
    """
    _require(sales, Sales, [Sales.bulan, Sales.nilai_rp])
    # A year-month period key is fast (TECH-NOTES) and tolerates a bulan that is not the 1st.
    month = pd.to_datetime(sales[Sales.bulan]).dt.to_period("M").dt.to_timestamp()
    totals = (
        pd.DataFrame({Sales.bulan: month, Sales.nilai_rp: pd.to_numeric(sales[Sales.nilai_rp])})
        .dropna(subset=[Sales.bulan])
        .groupby(Sales.bulan, as_index=False)[Sales.nilai_rp]
        .sum()
    )
    return totals.sort_values(Sales.bulan, kind="stable").reset_index(drop=True)


def months(sales: pd.DataFrame) -> list[pd.Timestamp]:
    """Every month that has sales, oldest first: the choices of the period filter."""
    _require(sales, Sales, [Sales.bulan])
    values = pd.to_datetime(sales[Sales.bulan]).dropna().dt.to_period("M").unique()
    return [period.to_timestamp() for period in sorted(values)]


def data_period(sales: pd.DataFrame) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last month with sales, so every page can say which period its numbers describe."""
    months = monthly_sales(sales)[Sales.bulan]
    if months.empty:
        return None, None
    return months.iloc[0], months.iloc[-1]


