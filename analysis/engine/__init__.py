"""The embedded query engine the pages' sales aggregations run on.

A data version's sales (a province: millions of monthly rows) are stored once, as Parquet beside the
version's other tables (an ingest cache entry, a stored Kelola Data version, the ingest command's output
folder), with a few columns of the engine's own; DuckDB reads that file, so a page asks
for the sums it shows and gets a small frame back; pandas holds the results, not the rows. Without
such a file (tables built in memory, as in tests) the same queries run over a copy of the same columns
inside DuckDB, so there is one code path.

    duck     Engine: one DuckDB connection over one version's sales, one cursor per query
"""
from __future__ import annotations

from analysis.engine.duck import (
    ENGINE_COLUMNS,
    SALES_FILE,
    STORED_ROWS,
    Engine,
    engine_table,
    has_engine_columns,
    producer_index,
    producer_numbers,
    read_sales,
    row_count,
    stand_in,
    stored_months,
    stored_sales,
    without_rows,
    write_sales,
)

__all__ = ["ENGINE_COLUMNS", "SALES_FILE", "STORED_ROWS", "Engine", "engine_table", "has_engine_columns",
           "producer_index", "producer_numbers", "read_sales", "row_count", "stand_in", "stored_months", "stored_sales",
           "without_rows", "write_sales"]
