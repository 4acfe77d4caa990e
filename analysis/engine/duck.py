"""``Engine``: DuckDB over one data version's sales table, and the file it reads.

A version's sales are stored once, as ``SALES_FILE`` (Parquet) beside its other tables: every column of
the contract's sales table, and the engine's own columns (``ENGINE_COLUMNS``): the producer as a
number (its position in the version's producers table, so joins and distinct counts work on integers,
not text ids), the month as a number, and whether the same producer reported the same month a year
before and a year after (so year-on-year growth over matched months is a filtered sum).

The connection is in memory and reads that file on every query (DuckDB keeps what it decoded within
``MEMORY_LIMIT``). Streamlit serves every session from threads of one process and shares one Engine per
data version, so each query runs on a cursor of its own (a DuckDB cursor is a connection to the same
database); the small relations a query joins (the chosen producers and their group) are registered on
that cursor only. In the view ``sales``, ``nilai`` is ``nilai_rp`` with NaN read as missing.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.core.schemas import Producers, Sales

SALES_FILE = "sales.parquet"
STORED_ROWS = "stored_rows"  # attrs key of a sales stand-in (``without_rows``): the rows it stands in for
ENGINE_COLUMNS = ("umkm_no", "bulan_no", "ada_tahun_lalu", "ada_tahun_depan")
# What the engine may hold in memory for one version; beyond it DuckDB streams from the file.
MEMORY_LIMIT = "384MB"


ROW_GROUP = 256_000  # rows per row group of SALES_FILE: a query reads a province's file in parallel


def engine_table(sales: pd.DataFrame, producers: pd.DataFrame | None) -> pa.Table:
    """``sales`` as an Arrow table with the engine's columns added (``engine_columns``)."""
    table = pa.Table.from_pandas(sales, preserve_index=False)
    for name, column in zip(ENGINE_COLUMNS, engine_columns(sales[Sales.umkm_id], sales[Sales.bulan], producers)):
        table = table.append_column(name, column)
    return table


def engine_columns(ids: pd.Series, months: pd.Series, producers: pd.DataFrame | None) -> list[pa.Array]:
    """The engine's columns of sales rows with these umkm_id and bulan: umkm_no (int32: position of the
    row's umkm_id among the producers' ids; ids missing there numbered after them; null where the row has
    no id), bulan_no (int32 months since January 1970, null without a date), ada_tahun_lalu /
    ada_tahun_depan (the same producer has a row for the same month a year before / after; false
    without a producer or a date)."""
    # Each distinct id looked up once (a province's millions of rows name a few hundred thousand).
    codes, distinct = pd.factorize(ids)
    known = producer_index(producers)
    found = known.get_indexer(pd.Index(distinct, dtype="string")).astype(np.int64)
    strangers = found < 0  # numbered after the producers, in order of first appearance
    found[strangers] = len(known) + np.arange(int(strangers.sum()))
    numbers = np.full(len(codes), -1, dtype=np.int64)
    numbers[codes >= 0] = found[codes[codes >= 0]]
    del codes  # (a province's rows: every temporary here is tens of MB)
    dates = pd.to_datetime(months)
    undated = dates.isna().to_numpy()
    month_numbers = np.asarray(dates.to_numpy(), dtype="datetime64[M]").astype(np.int64)  # months since 1970-01
    month_numbers[undated] = 0
    dated = np.flatnonzero((numbers >= 0) & ~undated)
    year_before, year_after = np.zeros(len(ids), dtype=bool), np.zeros(len(ids), dtype=bool)
    if len(dated):
        year_before[dated], year_after[dated] = _year_away(numbers[dated], month_numbers[dated])
    del dated
    return [pa.array(numbers, type=pa.int32(), mask=numbers < 0), pa.array(month_numbers, type=pa.int32(), mask=undated),
            pa.array(year_before), pa.array(year_after)]


_MAX_MONTH_TABLE = 64_000_000  # (producer, month) flags held at most (bytes): beyond, sorted slots instead


def _year_away(numbers: np.ndarray, months: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each (producer number, month) pair: whether the same producer has a pair twelve months before,
    and twelve months after. A table of flags per producer and month (a year of margin on both sides) when
    it is small enough, else binary search in the sorted pairs (a date typed a century off widens the table)."""
    first = int(months.min())
    span = int(months.max()) - first + 1 + 24
    if (int(numbers.max()) + 1) * span <= _MAX_MONTH_TABLE:
        slot = numbers.astype(np.int64) * span + (months - first + 12)
        present = np.zeros((int(numbers.max()) + 1) * span, dtype=bool)
        present[slot] = True
        return present[slot - 12], present[slot + 12]
    slot = numbers.astype(np.int64) * 100_000 + months  # producer and month in one integer
    present = np.sort(slot)  # a slot a year away found by binary search (no hash table of millions)
    return _among(slot - 12, present), _among(slot + 12, present)


def _among(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in ``present`` (sorted)."""
    if not len(present):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(present, values), len(present) - 1)
    return present[at] == values


def write_sales(sales: pd.DataFrame, producers: pd.DataFrame | None, folder: Path) -> Path:
    """``sales`` with the engine's columns as ``folder``/SALES_FILE (zstd, row groups of ROW_GROUP rows);
    returns the file's path. Written one row group at a time, each conformed to the contract and
    validated on its own (``Sales``): ``sales`` may hold its text as categories (the ingest's linked
    rows), and a province's rows never exist as text all at once."""
    path = Path(folder) / SALES_FILE
    extra = engine_columns(sales[Sales.umkm_id], sales[Sales.bulan], producers)
    # Each categorical column's categories as text once, not once per row group (a province's umkm_id has
    # a quarter of a million categories and 26 row groups).
    texts = {name: _categories(sales[name]) for name in Sales.names()
             if name in sales.columns and isinstance(sales[name].dtype, pd.CategoricalDtype)}
    writer = None
    try:
        for start in range(0, max(len(sales), 1), ROW_GROUP):
            part = sales.iloc[start:start + ROW_GROUP][Sales.names()]
            part = Sales.validate(Sales.conform(part.assign(**{name: _text(part[name], texts[name]) for name in texts})))
            table = pa.Table.from_pandas(part, preserve_index=False)
            for name, column in zip(ENGINE_COLUMNS, extra):
                table = table.append_column(name, column.slice(start, len(part)))
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table.replace_schema_metadata(writer.schema.metadata), row_group_size=ROW_GROUP)
    finally:
        if writer is not None:
            writer.close()
    return path


def _categories(column: pd.Series) -> pd.api.extensions.ExtensionArray:
    """The categories of a categorical column as the contract's string dtype."""
    return pd.array([str(v) for v in column.cat.categories], dtype="string")


def _text(column: pd.Series, texts: pd.api.extensions.ExtensionArray) -> pd.Series:
    """A categorical column (whose categories as text are ``texts``) as the contract's string dtype: taken by
    code (not a Python string per row)."""
    return pd.Series(texts.take(column.cat.codes.to_numpy(), allow_fill=True), index=column.index, dtype="string")


def stored_sales(folder: Path | None) -> pq.FileMetaData | None:
    """The footer of ``folder``/SALES_FILE (its columns, its rows) when the file has the engine's columns;
    None without such a file (a version stored before the engine existed has the contract's columns only)."""
    path = None if folder is None else Path(folder) / SALES_FILE
    if path is None or not path.is_file():
        return None
    footer = pq.read_metadata(path)
    return footer if set(ENGINE_COLUMNS) <= set(footer.schema.names) else None


def has_engine_columns(folder: Path | None) -> bool:
    """Whether ``folder`` holds a SALES_FILE with the engine's columns (``stored_sales``)."""
    return stored_sales(folder) is not None


def stand_in(folder: Path | None) -> pd.DataFrame | None:
    """``without_rows`` for the sales of ``folder``'s SALES_FILE (its row count from the footer), or None
    when the file lacks the engine's columns: the loader then reads the rows as a frame."""
    footer = stored_sales(folder)
    return None if footer is None else without_rows(Sales.empty(), footer.num_rows)


def read_sales(source: Path | pa.Table, columns: list[str] | None = None, numbers: np.ndarray | None = None) -> pd.DataFrame:
    """The contract's sales columns (``columns``: these only) of a SALES_FILE or an engine table, in the
    contract's dtypes; ``numbers``: only the rows of these producers (their umkm_no)."""
    wanted = list(columns or Sales.names())
    if isinstance(source, pa.Table):
        table = source.select(wanted)
    else:
        where = None if numbers is None else [("umkm_no", "in", [int(n) for n in numbers])]
        table = pq.read_table(Path(source) / SALES_FILE, columns=wanted, filters=where)
    frame = table.to_pandas()
    dtypes = {c.name: c.dtype for c in Sales.columns}
    return pd.DataFrame({c: frame[c].astype(dtypes[c]) if c in dtypes else frame[c] for c in wanted})


def stored_months(folder: Path) -> list[pd.Timestamp]:
    """The first and last month of ``folder``'s SALES_FILE (none when no row is dated), from its month
    column alone."""
    column = pq.read_table(Path(folder) / SALES_FILE, columns=[Sales.bulan]).column(Sales.bulan)
    found = pc.min_max(column).as_py()
    return [pd.Timestamp(value) for value in (found["min"], found["max"]) if value is not None]


def producer_index(producers: pd.DataFrame | None) -> pd.Index:
    """The producers' distinct umkm_id in table order: position i is umkm_no i."""
    return pd.Index(pd.Series([], dtype="string") if producers is None
                    else producers[Producers.umkm_id].astype("string").drop_duplicates())


def producer_numbers(producers: pd.DataFrame, ids: pd.Series) -> np.ndarray:
    """The umkm_no that ``engine_table`` gives each of ``ids`` with this producers table (-1: none)."""
    return producer_index(producers).get_indexer(pd.Series(ids).astype("string"))


def without_rows(sales: pd.DataFrame, n_rows: int | None = None) -> pd.DataFrame:
    """A zero-row stand-in for ``sales`` (of ``n_rows`` rows, default its own length) whose rows stay in
    the version's sales file: the dashboard holds this instead of the frame, and reads the rows through
    ``CodedSales.stored``; ``analysis.insight.coded.covers`` accepts that CodedSales for it."""
    stand_in = sales.iloc[:0].copy()
    stand_in.attrs[STORED_ROWS] = len(sales) if n_rows is None else n_rows
    return stand_in


def row_count(sales: pd.DataFrame) -> int:
    """The rows of ``sales``, or of the rows it stands in for (``without_rows``)."""
    return int(sales.attrs.get(STORED_ROWS, len(sales))) if len(sales) == 0 else len(sales)


class Engine:
    """Queries over one version's sales: from ``folder``/SALES_FILE when it has the engine's columns,
    else over ``table`` (an ``engine_table``) taken into DuckDB once."""

    def __init__(self, folder: Path | None = None, table: pa.Table | None = None) -> None:
        # Imported here: the processes that only read spreadsheets or estimate (the ingest's workers, the
        # background estimates) write and read the file with Arrow, and DuckDB alone holds 32 MB.
        import duckdb

        # Offline: DuckDB would otherwise fetch an extension it lacks from the internet (Parquet is built in).
        self._con = duckdb.connect(config={"threads": max(1, min(os.cpu_count() or 1, 4)), "memory_limit": MEMORY_LIMIT,
                                           "autoinstall_known_extensions": False, "autoload_known_extensions": False})
        if has_engine_columns(folder):
            self.source = str(Path(folder) / SALES_FILE)
            quoted = self.source.replace("'", "''")
            self._con.execute(f"CREATE VIEW sales_stored AS SELECT * FROM read_parquet('{quoted}')")
        elif table is not None:
            self.source = "memory"
            self._con.register("sales_in", table)
            self._con.execute("CREATE TABLE sales_stored AS SELECT * FROM sales_in")
            self._con.unregister("sales_in")
        else:
            raise ValueError("Engine needs a folder holding the sales file or an engine table")
        self._con.execute("CREATE VIEW sales AS SELECT *, nullif(nilai_rp, 'NaN'::DOUBLE) AS nilai FROM sales_stored")

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
