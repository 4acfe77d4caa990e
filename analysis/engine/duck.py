"""``Engine``: DuckDB over one data version's sales table.

The engine reads its own copy of the sales (``ENGINE_FILE``, written beside the version's tables by
``write_sales``): per row the producer as a number (its position in the version's producers table, so
joins and distinct counts work on integers, not text ids), the month as a number (months since January
1970), the month itself, the amount, kategori and product. The connection is in memory and reads that
Parquet file on every query (DuckDB keeps what it decoded within ``MEMORY_LIMIT``). Streamlit serves
every session from threads of one process and shares one Engine per data version, so each query runs
on a cursor of its own (a DuckDB cursor is a connection to the same database); the small relations a
query joins (the chosen producers and their group) are registered on that cursor only.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.core.schemas import Producers, Sales

ENGINE_FILE = "sales_engine.parquet"
# What the engine may hold in memory for one version; beyond it DuckDB streams from the file.
MEMORY_LIMIT = "384MB"


def engine_table(sales: pd.DataFrame, producers: pd.DataFrame | None) -> pa.Table:
    """The engine's columns of ``sales``: umkm_no (int32: position of the row's umkm_id among the
    producers' ids; ids missing there numbered after them; null where the row has no id), umkm_id, bulan,
    bulan_no (int32, null without a date), nilai (float64, null where missing), kategori, produk, and
    ada_tahun_lalu / ada_tahun_depan: the same producer has a row for the same month a year before /
    a year after (false without a producer or a date). Year-on-year growth over matched months is then
    a filtered sum, whatever the period and the producers chosen."""
    ids = sales[Sales.umkm_id].astype("string")
    known = pd.Index(pd.Series([], dtype="string") if producers is None
                     else producers[Producers.umkm_id].astype("string").drop_duplicates())
    numbers = known.get_indexer(ids).astype(np.int64)
    strangers = (numbers < 0) & ids.notna().to_numpy()
    if strangers.any():
        numbers[strangers] = len(known) + pd.factorize(ids[strangers])[0]
    dates = pd.to_datetime(sales[Sales.bulan])
    months = (dates.dt.year - 1970) * 12 + dates.dt.month - 1
    nilai = pd.to_numeric(sales[Sales.nilai_rp]).astype(float).to_numpy()
    dated = numbers >= 0
    dated &= dates.notna().to_numpy()
    slot = numbers * 100_000 + months.fillna(0).to_numpy(dtype=np.int64)  # producer and month in one integer
    present = pd.Index(slot[dated])
    year_before, year_after = np.zeros(len(sales), dtype=bool), np.zeros(len(sales), dtype=bool)
    year_before[dated] = pd.Index(slot[dated] - 12).isin(present)
    year_after[dated] = pd.Index(slot[dated] + 12).isin(present)
    columns = {
        "umkm_no": pa.array(numbers, type=pa.int32(), mask=~(numbers >= 0)),
        "bulan": pa.array(dates.to_numpy(), mask=dates.isna().to_numpy()),
        "bulan_no": pa.array(months.fillna(-1).to_numpy(dtype=np.int64), type=pa.int32(), mask=dates.isna().to_numpy()),
        "nilai": pa.array(nilai, mask=np.isnan(nilai)),
        "ada_tahun_lalu": pa.array(year_before), "ada_tahun_depan": pa.array(year_after),
    }
    for name in (Sales.umkm_id, Sales.kategori, Sales.produk):
        if name in sales.columns:
            columns[name] = pa.array(sales[name].astype("string").array, type=pa.string())
    return pa.table(columns)


def write_sales(sales: pd.DataFrame, producers: pd.DataFrame | None, folder: Path) -> Path:
    """``engine_table`` as ``folder``/ENGINE_FILE (zstd, row groups of 256k rows, so a query reads a
    province's file in parallel); returns the file's path."""
    import pyarrow.parquet as pq

    path = Path(folder) / ENGINE_FILE
    pq.write_table(engine_table(sales, producers), path, compression="zstd", row_group_size=256_000)
    return path


class Engine:
    """Queries over one version's sales: from ``folder``/ENGINE_FILE when it exists, else over ``table``
    (an ``engine_table``) taken into DuckDB once."""

    def __init__(self, folder: Path | None = None, table: pa.Table | None = None) -> None:
        self._con = duckdb.connect(config={"threads": max(1, min(os.cpu_count() or 1, 4)),
                                           "memory_limit": MEMORY_LIMIT})
        path = None if folder is None else Path(folder) / ENGINE_FILE
        if path is not None and path.is_file():
            self.source = str(path)
            quoted = str(path).replace("'", "''")
            self._con.execute(f"CREATE VIEW sales AS SELECT * FROM read_parquet('{quoted}')")
        elif table is not None:
            self.source = "memory"
            self._con.register("sales_in", table)
            self._con.execute("CREATE TABLE sales AS SELECT * FROM sales_in")
            self._con.unregister("sales_in")
        else:
            raise ValueError("Engine needs a folder holding the engine file or an engine table")

    def query(self, sql: str, params: list | None = None, **relations: pd.DataFrame) -> pd.DataFrame:
        """The result of ``sql`` (``?`` placeholders filled from ``params``) as a frame; each of
        ``relations`` is readable in it under its keyword's name."""
        cursor = self._con.cursor()
        try:
            for name, frame in relations.items():
                cursor.register(name, pa.Table.from_pandas(frame, preserve_index=False))
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    def close(self) -> None:
        self._con.close()
