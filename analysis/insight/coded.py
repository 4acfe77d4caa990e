"""The sales table as small numeric arrays, for the pages that group a million rows on every rerun.

At province size (a million sales rows and more) mapping every row's text umkm_id to its kecamatan,
counting distinct ids per group or cutting the sales to a filter (a copy of every column) is slow, and a
page does several of them per rerun. A ``CodedSales`` holds, per sales row, the producer
as an integer code (-1: not linked), the month, the amount, the kategori and the product as numpy
arrays, each built on first use and then kept. The dashboard keeps one per data version beside the
tables (ui/data.py), so a filter change becomes a boolean mask over these arrays. Analysis functions
that are given a frame instead build one from it, so there is one code path; the arrays are read-only
because one object is shared by every session.

Row ``i`` of every per-row array is row ``i`` (by position) of the sales frame it was built from.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from analysis.core import reference as ref
from analysis.core.schemas import Producers, Sales
from analysis.insight import filters as flt

NO_MONTH = np.iinfo(np.int32).min  # month code of a row without a date
NO_KATEGORI = "(kategori tidak tercatat)"  # kategori label of sales rows that carry none
_SALES_COLUMNS = (Sales.umkm_id, Sales.bulan, Sales.kategori, Sales.produk, Sales.nilai_rp)


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
    product (the product of a sales row without one); without it those are unknown."""

    def __init__(self, sales: pd.DataFrame, producers: pd.DataFrame | None = None):
        self._sales = sales[[c for c in _SALES_COLUMNS if c in sales.columns]]  # no data copied (copy-on-write)
        self._producers = None if producers is None else producers[
            [c for c in (Producers.umkm_id, Producers.kecamatan, Producers.produk_utama) if c in producers.columns]]
        self.n_rows = len(sales)
        self._memo: dict = {}

    # ---- producers ---------------------------------------------------------------------------------
    @cached_property
    def _umkm_codes(self) -> tuple[np.ndarray, pd.Series]:
        codes, uniques = pd.factorize(self._sales[Sales.umkm_id])  # -1: missing, uniques in order of appearance
        return _frozen(codes.astype(np.int32)), pd.Series(uniques, dtype=self._sales[Sales.umkm_id].dtype)

    @property
    def umkm(self) -> np.ndarray:
        """int32 code of each row's umkm_id into ``ids``; -1 where the row is not linked to a producer."""
        return self._umkm_codes[0]

    @property
    def ids(self) -> pd.Series:
        """The distinct umkm_id of the sales, in order of first appearance (code i is ids[i])."""
        return self._umkm_codes[1]

    def _per_id(self, column: str) -> pd.Series:
        """A producer column for every id in ``ids`` (missing where the id has no producer row)."""
        if self._producers is None or column not in self._producers.columns:
            return pd.Series(pd.NA, index=range(len(self.ids)), dtype="string")
        first = self._producers.drop_duplicates(Producers.umkm_id).set_index(Producers.umkm_id)[column]
        return pd.Series(self.ids.map(first).array, dtype="string")

    @cached_property
    def _kecamatan_codes(self) -> tuple[np.ndarray, np.ndarray]:
        codes, names = pd.factorize(self._per_id(Producers.kecamatan), sort=True)
        return _frozen(codes.astype(np.int32)), np.asarray(names, dtype=object)

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
        """The rows' ``bulan`` as datetime64 (NaT where missing)."""
        return _frozen(pd.to_datetime(self._sales[Sales.bulan]).to_numpy())

    @cached_property
    def month(self) -> np.ndarray:
        """int32 month code (months since January 1970, pandas' monthly Period ordinal); NO_MONTH where
        the row has no date."""
        dates = self.dates
        months = dates.astype("datetime64[M]").astype(np.int64)
        return _frozen(np.where(np.isnat(dates), NO_MONTH, months).astype(np.int32))

    @cached_property
    def nilai(self) -> np.ndarray:
        """float64 amount (NaN where missing)."""
        return _frozen(pd.to_numeric(self._sales[Sales.nilai_rp]).astype(float).to_numpy())

    @cached_property
    def nilai_dtype(self):
        """The amount's own numeric dtype (the ingest's Float64): pandas sums a masked Float64 column in
        another way than a float64 one, and a sum that must equal a former one takes the same dtype."""
        return pd.to_numeric(self._sales[Sales.nilai_rp].iloc[:0]).dtype

    @cached_property
    def whole(self) -> bool:
        """Every amount is a whole number and the amounts add up (in absolute value) to less than 2**53:
        then every sum of them is exact in float64, whatever the order of adding (every real report
        is in whole rupiah). Sums may then skip the order-keeping steps that fractions need."""
        values = self.nilai[~np.isnan(self.nilai)]
        return bool(np.all(values == np.round(values)) and np.abs(values).sum() < 2.0 ** 53)

    def memo(self, name: str, build):
        """``build()`` once per object: derived arrays that several reruns need (kept with the rest)."""
        if name not in self._memo:
            self._memo[name] = build()
        return self._memo[name]

    @cached_property
    def usable(self) -> np.ndarray:
        """Rows with a month and an amount: the rows every sum over months counts."""
        return _frozen((self.month != NO_MONTH) & ~np.isnan(self.nilai))

    # ---- kategori and product ----------------------------------------------------------------------
    @cached_property
    def _kategori_codes(self) -> tuple[np.ndarray, pd.Series]:
        labels = self._sales[Sales.kategori].astype("string").fillna(NO_KATEGORI)
        codes, names = pd.factorize(labels, sort=True)
        return _frozen(codes.astype(np.int16)), pd.Series(names, dtype="string")

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
        if Sales.produk in self._sales.columns:
            own_codes, own = pd.factorize(self._sales[Sales.produk].astype("string"))
        else:
            own_codes, own = np.full(self.n_rows, -1, dtype=np.int64), pd.array([], dtype="string")
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
        return _frozen(row_code), spellings, _frozen(key_codes.astype(np.int32)), len(keys)

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
        row, also one without a date, when the period is open at both ends)."""
        keep = np.ones(self.n_rows, dtype=bool)
        if filters.start is not None:
            keep &= self.dates >= np.datetime64(pd.Timestamp(filters.start))
        if filters.end is not None:
            keep &= self.dates < np.datetime64(pd.Timestamp(filters.end) + pd.offsets.MonthBegin(1))
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

    def rows(self, producers: pd.DataFrame, filters: flt.Filters, period: bool = True) -> np.ndarray | None:
        """The rows ``analysis.insight.filters.apply(tables, filters).sales`` holds (without the period when
        ``period`` is False), as a boolean mask; None: every row."""
        chosen = self.of_producers(producers, filters)
        if not period or (filters.start is None and filters.end is None):
            return chosen
        in_period = self.in_period(filters)
        return in_period if chosen is None else chosen & in_period


def mask_or_all(coded: CodedSales, rows: np.ndarray | None) -> np.ndarray:
    return np.ones(coded.n_rows, dtype=bool) if rows is None else rows
