"""The embedded query engine the pages' sales aggregations run on.

A data version's sales (a province: millions of monthly rows) are read by DuckDB from a Parquet file
beside the version's other tables (an ingest cache entry, a stored Kelola Data version), so a page asks
for the sums it shows and gets a small frame back; pandas holds the results, not the rows. Without
such a file (tables built in memory, as in tests) the same queries run over a copy of the same columns
inside DuckDB, so there is one code path.

    duck     Engine: one DuckDB connection over one version's sales, one cursor per query
"""
from __future__ import annotations

from analysis.engine.duck import ENGINE_FILE, Engine, engine_table, write_sales

__all__ = ["ENGINE_FILE", "Engine", "engine_table", "write_sales"]
