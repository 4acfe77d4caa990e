"""The sales table as small numeric arrays, for the pages that group a million rows on every rerun.

At province size (a million sales rows and more) mapping every row's text umkm_id to its kecamatan,
counting distinct ids per group or cutting the sales to a filter (a copy of every column) is slow, and a
page does several of them per rerun. A ``CodedSales`` holds, per sales row, the producer
as an integer code (-1: not linked; its position among the producers), the month, the amount, the
kategori and the product as numpy arrays, each built on first use and then kept. The dashboard keeps
one per data version (ui/data.py), read column by column from the version's ``sales.parquet``
(``CodedSales.stored``): no sales frame is loaded, a filter change becomes a boolean mask over these
arrays (no page queries an engine: numpy over these columns measured faster than DuckDB over the same
file, see docs/kinerja.md). The arrays that take a pass over the sales' text (kategori and product codes,
each producer's kecamatan), and the indicators' sums per kecamatan and month (``kept``), are also kept on
disk beside that file (``KEPT_FOLDER``), so a restarted dashboard or a new session reads them back.
Analysis functions that are given a frame instead build one from it, so there is one code path; the
arrays are read-only because one object is shared by every session.

Row ``i`` of every per-row array is row ``i`` (by position) of the sales it was built from.
"""
from __future__ import annotations

import hashlib
import shutil
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.core import reference as ref
from analysis.core.files import atomic_write
from analysis.core.fingerprint import code_digest
from analysis.core.memory import give_back_memory
from analysis.core.schemas import Producers, Sales
from analysis.engine import SALES_FILE, STORED_ROWS, engine_table, producer_index, read_sales, stored_sales
from analysis.insight import filters as flt

NO_MONTH = np.iinfo(np.int32).min  # month code of a row without a date
NO_KATEGORI = "(kategori tidak tercatat)"  # kategori label of sales rows that carry none
# What the arrays are read from: the version's sales file (analysis/engine), not a sales frame.
_TEXT_COLUMNS = (Sales.kategori, Sales.produk)
_FRAME_COLUMNS = (Sales.umkm_id, Sales.bulan, Sales.nilai_rp, *_TEXT_COLUMNS)  # of a frame, for the arrays
# Beside a version's sales file: the arrays that take a pass over its rows to build (kategori and product
# codes, the kecamatan of every id, whether the amounts are whole; the indicators' sums, ``CodedSales.kept``),
# a folder per code and a file per array and producers (``CodedSales._kept``), so a restarted dashboard
# reads them back instead of building them.
KEPT_FOLDER = "coded"
# The other modules whose arrays are kept there (``CodedSales.kept``): part of the code they are kept for.
_KEPT_BY = (Path(__file__).with_name("indicators.py"),)


def _digest_text(digest, frame: pd.DataFrame) -> None:
    """Feed ``frame``'s columns, as text, into ``digest``: their Arrow buffers, without a Python object per
    cell (a province's 250,000 producers in 0.02 s, where pandas' row hashes took 0.14 s)."""
    for name in frame.columns:
        column = pa.array(frame[name], from_pandas=True)
        column = (pa.chunked_array([column]) if isinstance(column, pa.Array) else column).cast(pa.large_string())
        column = column.combine_chunks()
        digest.update(f"{name}\x00{len(column)}\x00".encode())
        if column.null_count:
            digest.update(column.is_null().to_numpy(zero_copy_only=False).tobytes())
        offsets = np.frombuffer(column.buffers()[1], dtype=np.int64)[column.offset:column.offset + len(column) + 1]
        digest.update((offsets - offsets[0]).tobytes())
        if column.buffers()[2] is not None:
            digest.update(memoryview(column.buffers()[2])[offsets[0]:offsets[-1]])


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def clean_text(values: pd.Series) -> pd.Series:
    """Stripped, single-spaced text; blank is missing. Done once per distinct value (a province's million
    sales rows name a few thousand products)."""
    codes, uniques = pd.factorize(values.astype("string"))
    cleaned = pd.Series(uniques, dtype="string").str.strip().str.replace(r"\s+", " ", regex=True).replace("", pd.NA)
    return pd.Series(cleaned.array.take(codes, allow_fill=True), index=values.index, dtype="string")


class CodedSales:
    """Coded sales rows (see the module docstring). ``producers`` gives each producer's kecamatan and main
    product (the product of a sales row without one); without it those are unknown. ``folder``: where
    these sales are stored (``analysis.engine.SALES_FILE``): the arrays are then read from that
    file, and no sales frame is needed."""

    def __init__(self, sales: pd.DataFrame | None, producers: pd.DataFrame | None = None, folder: Path | None = None):
        self._folder = folder
        self._others_removed = False  # (``_kept``: other code's kept arrays, removed once)
        self._producers = None if producers is None else producers[
            [c for c in (Producers.umkm_id, Producers.kecamatan, Producers.produk_utama) if c in producers.columns]]
        footer = stored_sales(folder)
        if footer is not None:  # each array reads its own column from the file when first asked for
            self._table, self._frame = None, None
            self._columns, self.n_rows = set(footer.schema.names), footer.num_rows
            self._nilai_dtype = pd.Float64Dtype()  # the ingest's dtype of nilai_rp
        elif sales is not None:
            if len(sales) == 0 and sales.attrs.get(STORED_ROWS):
                raise ValueError("penjualan tersimpan di berkas versi data: gunakan CodedSales.stored")
            self._folder = None
            self._table = engine_table(sales[[c for c in _FRAME_COLUMNS if c in sales.columns]], self._producers)
            self._frame = sales  # its other columns (the source file, sheet, row) are read from here
            self._columns, self.n_rows = set(self._table.column_names) | set(sales.columns), self._table.num_rows
            self._nilai_dtype = pd.to_numeric(sales[Sales.nilai_rp].iloc[:0]).dtype if Sales.nilai_rp in sales.columns \
                else pd.Float64Dtype()
        else:
            raise ValueError("CodedSales needs a sales frame or a folder holding the engine file")
        self._memo: dict = {}

    @cached_property
    def _kept_at(self) -> tuple[Path, str] | None:
        """Where this version's built arrays are kept (``_kept``): a folder per code (this module's and the
        reference tables' source, the libraries) under KEPT_FOLDER beside the sales file, and a file name
        suffix per sales file and producers (their ids, kecamatan and main product: the dashboard's and the
        background estimator's differ); None for sales given as a frame."""
        if self._folder is None:
            return None
        code = code_digest((Path(__file__), Path(ref.__file__), *_KEPT_BY), ("numpy", "pandas", "pyarrow"), size=12)
        producers = hashlib.blake2b(digest_size=12)
        written = (Path(self._folder) / SALES_FILE).stat()  # (a file written again is other data)
        producers.update(f"{written.st_size} {written.st_mtime_ns}".encode())
        if self._producers is not None:
            producers.update(repr(list(self._producers.columns)).encode())
            _digest_text(producers, self._producers)
        return Path(self._folder) / KEPT_FOLDER / code, producers.hexdigest()

    def _kept(self, name: str, build, first_length: int) -> list[np.ndarray]:
        """``build()`` (a list of arrays, the first ``first_length`` long; text as numpy unicode, never
        objects) read back from this version's kept arrays (``_kept_at``) when they were built before, else
        built and kept there. A kept file that cannot be read, or whose first array has another length, is
        built again; a folder that cannot be written costs the time, not the result. The kept arrays of
        other code are removed when this object first writes one."""
        kept = self._kept_at
        path = None if kept is None else kept[0] / f"{name}-{kept[1]}.npz"
        if path is not None and path.is_file():
            try:
                with np.load(path, allow_pickle=False) as stored:
                    arrays = [stored[f"a{i}"] for i in range(len(stored.files))]
                if len(arrays[0]) == first_length:
                    return arrays
            except Exception:  # noqa: BLE001 - a damaged or foreign file: build the arrays again
                pass
            try:
                path.unlink(missing_ok=True)
            except OSError:  # (another process may hold it open): written over below, or left
                pass
        arrays = build()
        if path is not None:
            try:
                if not self._others_removed and path.parent.parent.is_dir():
                    for other in path.parent.parent.iterdir():
                        if other != path.parent:
                            shutil.rmtree(other, ignore_errors=True)
                self._others_removed = True
                atomic_write(path, lambda stream: np.savez(stream, **{f"a{i}": a for i, a in enumerate(arrays)}),
                             durable=False)
            except OSError:
                pass
        return arrays

    @classmethod
    def stored(cls, folder: Path, producers: pd.DataFrame) -> CodedSales:
        """The coded sales of the version whose engine file is in ``folder``, read from that file alone
        (no sales frame is loaded); ``producers``: the version's producers table."""
        return cls(None, producers, folder)

    def frame(self, rows: np.ndarray | None = None, columns: list[str] | None = None) -> pd.DataFrame:
        """The sales rows ``rows`` (a boolean mask; None: every row) with ``columns`` of the contract (None:
        all), in the contract's dtypes, index 0..n-1: what a page that needs rows, not sums, is given."""
        if self._frame is not None:
            picked = self._frame if columns is None else self._frame[[c for c in columns if c in self._frame.columns]]
            return (picked if rows is None else picked[np.asarray(rows, dtype=bool)]).reset_index(drop=True)
        wanted = list(columns or Sales.names())
        if rows is None:
            return read_sales(Path(self._folder), wanted)
        at = np.flatnonzero(rows)
        table = pq.read_table(Path(self._folder) / SALES_FILE, columns=wanted)
        return read_sales(table.take(pa.array(at)), wanted)

    def _column(self, name: str, text: bool = False) -> pa.ChunkedArray:
        """Column ``name`` of the sales: from the version's file (read now, not kept: the arrays built from
        it are; text dictionary-encoded), else from the table built from a frame, or the frame itself."""
        if self._table is not None:
            if name in self._table.column_names:
                return self._table.column(name)
            return pa.chunked_array([pa.Array.from_pandas(self._frame[name])])
        path = Path(self._folder) / SALES_FILE
        return pq.read_table(path, columns=[name], read_dictionary=[name] if text else None).column(name)

    def _numbers(self, name: str, missing, dtype) -> np.ndarray:
        """Column ``name`` of the engine table as a numpy array, ``missing`` where it is null."""
        values = pc.fill_null(self._column(name), missing).to_numpy().astype(dtype, copy=False)
        self._read_done()
        return values

    def numbers_of(self, name: str) -> np.ndarray:
        """A numeric column of the sales as float64 (NaN: null or no such column)."""
        if name not in self._columns:
            return np.full(self.n_rows, np.nan)
        return pc.fill_null(self._column(name).cast(pa.float64()), np.nan).to_numpy()

    def text_codes(self, name: str) -> tuple[np.ndarray, pd.Series]:
        """A text column of the sales as codes (-1: null or no such column) into its distinct values,
        numbered in order of first appearance (as ``pd.factorize`` numbers them); from the file it is read
        dictionary-encoded, so no text per row is made."""
        if name not in self._columns:
            return np.full(self.n_rows, -1, dtype=np.int64), pd.Series([], dtype="string")
        column = self._column(name, text=True)
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        combined = column.unify_dictionaries().combine_chunks()
        indices = pc.fill_null(combined.indices, -1).to_numpy().astype(np.int64, copy=False)
        dictionary = pd.Series(combined.dictionary.to_pylist(), dtype="string")
        seen = pd.unique(indices[indices >= 0])  # dictionary positions in order of first appearance
        renumber = np.full(len(dictionary) + 1, -1, dtype=np.int64)
        renumber[seen] = np.arange(len(seen))
        codes = renumber[indices]  # -1 (null) picks the trailing -1
        self._read_done()
        return codes, pd.Series(dictionary.array.take(seen), dtype="string")

    def _read_done(self) -> None:
        """After a column was read from the file and turned into an array: the decoded column and its
        temporaries are freed, and handed back to the system (a province's column is tens of MB; glibc
        would keep them for this process otherwise)."""
        if self._table is None:
            give_back_memory()

    def numbers(self, ids: pd.Series) -> np.ndarray:
        """The code (``umkm`` numbering, the engine's umkm_no) of each id; -1 where no row or producer has it."""
        return self.memo("id_index", lambda: pd.Index(self.ids)).get_indexer(pd.Series(ids).astype("string"))

    # ---- producers ---------------------------------------------------------------------------------
    @cached_property
    def _umkm_codes(self) -> tuple[np.ndarray, pd.Series]:
        codes = self._numbers("umkm_no", -1, np.int32)
        ids = pd.Series(producer_index(self._producers).array, dtype="string")  # code i is umkm_no i
        if len(codes) and codes.max() >= len(ids):  # sales ids that are no producer's: numbered after them
            extra = pd.DataFrame({"no": codes, "id": self._column(Sales.umkm_id).to_pandas()})
            extra = extra[extra["no"] >= len(ids)].drop_duplicates("no").sort_values("no")
            ids = pd.concat([ids, pd.Series(extra["id"].array, dtype="string")], ignore_index=True)
        return _frozen(codes), ids

    @property
    def umkm(self) -> np.ndarray:
        """int32 code of each row's umkm_id into ``ids``; -1 where the row is not linked to a producer."""
        return self._umkm_codes[0]

    @property
    def ids(self) -> pd.Series:
        """The producers' umkm_id (code i is ids[i]), then any umkm_id of the sales that is no producer's."""
        return self._umkm_codes[1]

    def _per_id(self, column: str) -> pd.Series:
        """A producer column for every id in ``ids`` (missing where the id has no producer row)."""
        if self._producers is None or column not in self._producers.columns:
            return pd.Series(pd.NA, index=range(len(self.ids)), dtype="string")
        first = self._producers.drop_duplicates(Producers.umkm_id).set_index(Producers.umkm_id)[column]
        return pd.Series(self.ids.map(first).array, dtype="string")

    @cached_property
    def _kecamatan_codes(self) -> tuple[np.ndarray, np.ndarray]:
        def build() -> list[np.ndarray]:
            codes, names = pd.factorize(self._per_id(Producers.kecamatan), sort=True)
            return [codes.astype(np.int32), np.asarray(names, dtype=str)]

        codes, names = self._kept("kecamatan", build, len(self.ids))
        return _frozen(codes), names.astype(object)

    @property
    def kecamatan_of_id(self) -> np.ndarray:
        """int32 code of each id's kecamatan (from the producers) into ``kecamatan_names``; -1 unknown."""
        return self._kecamatan_codes[0]

    @property
    def kecamatan_names(self) -> np.ndarray:
        """Kecamatan names, sorted: code order is name order."""
        return self._kecamatan_codes[1]

    def kecamatan(self) -> np.ndarray:
        """int32 kecamatan code of every row (-1: not linked, or the producer has no kecamatan)."""
        return self.memo("kecamatan", lambda: _frozen(np.where(
            self.umkm >= 0, self.kecamatan_of_id[np.maximum(self.umkm, 0)] if len(self.ids) else -1, -1)))

    # ---- month and amount --------------------------------------------------------------------------
    @cached_property
    def dates(self) -> np.ndarray:
        """The rows' ``bulan`` as datetime64 (NaT where missing). From a version's file, the first days of
        the month codes (the ingest writes every month as its first day), not a read of the column."""
        if self._folder is not None and "bulan_no" in self._columns:
            return _frozen(first_days(self.month))
        dates = _frozen(self._column(Sales.bulan).to_numpy().astype("datetime64[us]"))
        self._read_done()
        return dates

    @cached_property
    def month(self) -> np.ndarray:
        """int32 month code (months since January 1970, pandas' monthly Period ordinal); NO_MONTH where
        the row has no date."""
        return _frozen(self._numbers("bulan_no", NO_MONTH, np.int32))

    @cached_property
    def nilai(self) -> np.ndarray:
        """float64 amount (NaN where missing)."""
        return _frozen(self._numbers(Sales.nilai_rp, np.nan, np.float64))

    @cached_property
    def year_flags(self) -> tuple[np.ndarray, np.ndarray]:
        """(ada_tahun_lalu, ada_tahun_depan) of every row: the same producer has a row for the same month a
        year before / after (analysis.engine.engine_columns)."""
        return (_frozen(self._numbers("ada_tahun_lalu", False, bool)),
                _frozen(self._numbers("ada_tahun_depan", False, bool)))

    @property
    def nilai_dtype(self):
        """The amount's own numeric dtype (the ingest's Float64): pandas sums a masked Float64 column in
        another way than a float64 one, and a sum that must equal a former one takes the same dtype."""
        return self._nilai_dtype

    @cached_property
    def whole(self) -> bool:
        """Every amount is a whole number and the amounts add up (in absolute value) to less than 2**53:
        then every sum of them is exact in float64, whatever the order of adding (every real report
        is in whole rupiah). Sums may then skip the order-keeping steps that fractions need."""
        def build() -> list[np.ndarray]:
            values = self.nilai[~np.isnan(self.nilai)]
            return [np.array([np.all(values == np.round(values)) and np.abs(values).sum() < 2.0 ** 53])]

        return bool(self._kept("whole", build, 1)[0][0])

    def memo(self, name: str, build):
        """``build()`` once per object: derived arrays that several reruns need (kept with the rest)."""
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]

    def kept(self, name: str, build, first_length: int) -> list[np.ndarray]:
        """``memo`` of ``build()`` (a list of arrays, the first ``first_length`` long) that a restarted
        dashboard or a new session reads back from this version's kept arrays (``_kept``) instead of
        building it again: the sums and flags that every page's first visit needs. The module that
        builds them must be in ``_KEPT_BY``."""
        return self.memo(name, lambda: [_frozen(a) for a in self._kept(name, build, first_length)])

    def built(self, name: str):
        """The memo ``name`` when it was built (``memo``), else None."""
        return self._memo.get(name)

    def months(self) -> list[pd.Timestamp]:
        """Every month that has a sales row, oldest first (``analysis.insight.metrics.months``)."""
        found = self.memo("months", lambda: present(self.month[self.month != NO_MONTH]))
        return [month_start(m) for m in found]

    @cached_property
    def usable(self) -> np.ndarray:
        """Rows with a month and an amount: the rows every sum over months counts."""
        return _frozen((self.month != NO_MONTH) & ~np.isnan(self.nilai))

    # ---- kategori and product ----------------------------------------------------------------------
    @cached_property
    def _kategori_codes(self) -> tuple[np.ndarray, pd.Series]:
        def build() -> list[np.ndarray]:
            codes, names = self.text_codes(Sales.kategori)
            labels = pd.concat([names, pd.Series([NO_KATEGORI], dtype="string")], ignore_index=True) \
                if (codes < 0).any() else names
            recode, sorted_names = pd.factorize(labels, sort=True)
            recode = np.append(recode, recode[-1] if (codes < 0).any() else -1)  # -1 (null) picks the last entry
            return [recode[codes].astype(np.int16), np.asarray(sorted_names, dtype=str)]

        codes, names = self._kept("kategori", build, self.n_rows)
        return _frozen(codes), pd.Series(names.astype(object), dtype="string")

    @property
    def kategori(self) -> np.ndarray:
        """int16 code of the row's kategori (``NO_KATEGORI`` where it carries none) into ``kategori_names``."""
        return self._kategori_codes[0]

    @property
    def kategori_names(self) -> pd.Series:
        """Kategori labels (string dtype), sorted: code order is label order."""
        return self._kategori_codes[1]

    @cached_property
    def _product_codes(self) -> tuple[np.ndarray, pd.Series, np.ndarray, int]:
        """Per row the product's spelling code (-1: none), the spellings, each spelling's key code (keys
        sorted by their folded text) and the number of keys."""
        row_code, spellings, key_codes, n_keys = self._kept("product", self._build_product_codes, self.n_rows)
        return _frozen(row_code), pd.Series(spellings.astype(object), dtype="string"), _frozen(key_codes), int(n_keys[0])

    def _build_product_codes(self) -> list[np.ndarray]:
        own_codes, own = self.text_codes(Sales.produk)
        own_clean = clean_text(pd.Series(own, dtype="string"))
        main_clean = clean_text(self._per_id(Producers.produk_utama))
        inverse, spellings = pd.factorize(pd.concat([own_clean, main_clean], ignore_index=True))  # NA -> -1
        own_to, main_to = inverse[:len(own_clean)], inverse[len(own_clean):]
        own_code = np.where(own_codes >= 0, own_to[np.maximum(own_codes, 0)] if len(own_to) else -1, -1)
        umkm = self.umkm
        main_code = np.where(umkm >= 0, main_to[np.maximum(umkm, 0)] if len(main_to) else -1, -1)
        row_code = np.where(own_code >= 0, own_code, main_code).astype(np.int32)
        spellings = pd.Series(spellings, dtype="string")
        folded = [ref.fold(s) for s in spellings]
        key_codes, keys = pd.factorize(pd.Series(folded, dtype=object), sort=True)
        return [row_code, np.asarray(spellings, dtype=str), key_codes.astype(np.int32), np.array([len(keys)])]

    @property
    def product(self) -> np.ndarray:
        """int32 code of the row's product spelling (the row's ``produk``, cleaned, else the producer's
        ``produk_utama``) into ``spellings``; -1 where there is none."""
        return self._product_codes[0]

    @property
    def spellings(self) -> pd.Series:
        return self._product_codes[1]

    @property
    def product_key(self) -> np.ndarray:
        """int32 key code of each spelling: spellings that differ only in case, accents or spaces share
        one key; key codes follow the folded text's order."""
        return self._product_codes[2]

    # ---- filters as masks --------------------------------------------------------------------------
    def in_period(self, filters: flt.Filters) -> np.ndarray:
        """``analysis.insight.filters.in_period`` of the rows' months: True where the row is in the period (every
        row, also one without a date, when the period is open at both ends). The period is whole months, as
        the filters give it (a row counts in the month of its ``bulan``): the month codes are compared, a
        quarter of the bytes of the dates."""
        keep = np.ones(self.n_rows, dtype=bool)
        if filters.start is not None:
            keep &= self.month >= month_code(filters.start)  # NO_MONTH is below every month
        if filters.end is not None:
            keep &= (self.month <= month_code(filters.end)) & (self.month != NO_MONTH)
        return keep

    def of_producers(self, producers: pd.DataFrame, filters: flt.Filters) -> np.ndarray | None:
        """The rows ``analysis.insight.filters.apply`` keeps for the producer filters (kecamatan, kategori, skala)
        of ``filters``: those of the selected producers of ``producers``; None when no producer filter is
        set (every row, the unlinked ones too)."""
        if not filters.selects_producers:
            return None
        chosen = producers.loc[flt.select_producers(producers, filters).to_numpy(), Producers.umkm_id]
        wanted = np.asarray(flt.isin(self.ids, chosen), dtype=bool)
        unlinked = bool(chosen.isna().any())  # a missing id matches a missing id, as in isin
        umkm = self.umkm
        return np.where(umkm >= 0, wanted[np.maximum(umkm, 0)] if len(wanted) else False, unlinked)

    def apply(self, tables: flt.Tables, filters: flt.Filters, columns: list[str] | None = None) -> flt.Tables:
        """``analysis.insight.filters.apply(tables, filters)`` with the sales rows found by this object's masks
        (``tables`` hold these sales, or their stand-in: the rows are then read from the version's file);
        ``columns``: only these sales columns."""
        rows = mask_or_all(self, self.rows(tables.producers, filters))
        if not on_disk(self, tables.sales):
            sales = tables.sales if columns is None else tables.sales[[c for c in columns if c in tables.sales.columns]]
            return flt.apply(flt.Tables(tables.producers, sales, tables.trainings, tables.participants), filters,
                             sales_rows=rows)
        kept = flt.apply(flt.Tables(tables.producers, tables.sales.iloc[:0], tables.trainings, tables.participants), filters)
        return flt.Tables(kept.producers, self.frame(rows, columns), kept.trainings, kept.participants)

    def rows(self, producers: pd.DataFrame, filters: flt.Filters, period: bool = True) -> np.ndarray | None:
        """The rows ``analysis.insight.filters.apply(tables, filters).sales`` holds (without the period when
        ``period`` is False), as a boolean mask; None: every row."""
        chosen = self.of_producers(producers, filters)
        if not period or (filters.start is None and filters.end is None):
            return chosen
        in_period = self.in_period(filters)
        return in_period if chosen is None else chosen & in_period


def covers(coded: CodedSales | None, sales: pd.DataFrame) -> bool:
    """Whether ``coded`` holds the rows of ``sales``: the same number of rows, or ``sales`` is the
    stand-in of ``without_rows`` for them."""
    if coded is None:
        return False
    return coded.n_rows == len(sales) or (len(sales) == 0 and sales.attrs.get(STORED_ROWS) == coded.n_rows)


def on_disk(coded: CodedSales | None, sales: pd.DataFrame) -> bool:
    """Whether ``sales`` stands in (``without_rows``) for rows that ``coded`` holds: the rows stay in the
    version's file, and the caller reads them through ``coded``, not the frame."""
    return coded is not None and coded.n_rows > 0 and len(sales) == 0 and covers(coded, sales)


def mask_or_all(coded: CodedSales, rows: np.ndarray | None) -> np.ndarray:
    return np.ones(coded.n_rows, dtype=bool) if rows is None else rows



def month_code(value) -> int:
    """The month code (``CodedSales.month``) of the month that holds the timestamp ``value``."""
    return pd.Period(value, freq="M").ordinal


def month_start(code: int) -> pd.Timestamp:
    """The first day of the month of month code ``code``."""
    return pd.Period(ordinal=int(code), freq="M").to_timestamp()


def first_days(codes: np.ndarray) -> np.ndarray:
    """The first days of the months of ``codes`` as datetime64[us]; NaT where a code is ``NO_MONTH``."""
    days = codes.astype("datetime64[M]").astype("datetime64[us]")
    days[codes == NO_MONTH] = np.datetime64("NaT")
    return days


def present(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of small integers (month or year codes), by a count over their range, not a sort: a
    province's 6.5 million months in milliseconds, where sorting them took 0.4 s."""
    if not len(values):
        return np.zeros(0, dtype=np.int64)
    low = int(values.min())
    return np.flatnonzero(np.bincount(values - low)) + low
