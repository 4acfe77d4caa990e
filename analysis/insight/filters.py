"""The dashboard's shared filters (period, kecamatan, kategori, skala) as a value: applied to the four
tables, and written to / read from URL query parameters so a view can be shared and reopened.

Pure functions; the sidebar widgets live in ui/filters.py.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Sales, Trainings

# Query-parameter names (short, readable in a shared link).
Q_FROM, Q_TO, Q_KECAMATAN, Q_KATEGORI, Q_SKALA = "dari", "sampai", "kec", "kat", "skala"
LIST_SEPARATOR = ","


@dataclass(frozen=True)
class Filters:
    """Empty selections mean "all". Months are first days of months; None means open-ended."""

    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    kecamatan: tuple[str, ...] = field(default_factory=tuple)
    kategori: tuple[str, ...] = field(default_factory=tuple)
    skala: tuple[str, ...] = field(default_factory=tuple)

    @property
    def selects_producers(self) -> bool:
        return bool(self.kecamatan or self.kategori or self.skala)

    def describe(self) -> str:
        """One Indonesian line for stamps on exports and slides."""
        parts = []
        if self.start is not None or self.end is not None:
            start = self.start.strftime("%m/%Y") if self.start is not None else "awal"
            end = self.end.strftime("%m/%Y") if self.end is not None else "akhir"
            parts.append(f"periode {start}–{end}")
        for label, values in (("kecamatan", self.kecamatan), ("kategori", self.kategori), ("skala", self.skala)):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        return "; ".join(parts) if parts else "semua data"


@dataclass(frozen=True)
class Tables:
    producers: pd.DataFrame
    sales: pd.DataFrame
    trainings: pd.DataFrame
    participants: pd.DataFrame


def apply(tables: Tables, filters: Filters, sales_rows: np.ndarray | None = None) -> Tables:
    """The four tables restricted to the filters, as new frames.

    Producers are selected by kecamatan, kategori and skala. Sales follow the selected producers (sales
    rows that could not be linked to a producer are kept only while no producer filter is active, since
    their kecamatan is unknown) and the period. Trainings are the events that started in the period;
    participants are those of these events, restricted to the selected producers when a producer
    filter is active.

    ``sales_rows``: the sales rows these filters keep, when the caller has them already as a boolean
    array (``analysis.insight.coded.CodedSales.rows``); they are then not looked up again.
    """
    producers = _rows(tables.producers, select_producers(tables.producers, filters))

    sales = tables.sales
    if sales_rows is not None:
        keep_sales = pd.Series(np.asarray(sales_rows, dtype=bool), index=sales.index)
    else:
        keep_sales = in_period(sales[Sales.bulan], filters)
        if filters.selects_producers:
            keep_sales &= isin(sales[Sales.umkm_id], producers[Producers.umkm_id]).fillna(False).astype(bool)
    sales = _rows(sales, keep_sales)

    trainings = tables.trainings[in_period(tables.trainings[Trainings.tanggal_mulai], filters, allow_missing=True)]
    participants = tables.participants[isin(tables.participants[Participants.pelatihan_id], trainings[Trainings.pelatihan_id])]
    if filters.selects_producers:
        participants = participants[isin(participants[Participants.umkm_id], producers[Producers.umkm_id]).fillna(False).astype(bool)]
    # Shallow: under copy-on-write (pandas 3) a write into these frames never reaches the input tables.
    return Tables(producers.copy(deep=False), sales.copy(deep=False), trainings.copy(deep=False),
                  participants.copy(deep=False))


def select_producers(producers: pd.DataFrame, filters: Filters) -> pd.Series:
    """Which producers the kecamatan, kategori and skala filters keep (a boolean Series on their index)."""
    keep = pd.Series(True, index=producers.index)
    for column, values in ((Producers.kecamatan, filters.kecamatan), (Producers.kategori, filters.kategori),
                           (Producers.skala, filters.skala)):
        if values:
            keep &= isin(producers[column], values).fillna(False).astype(bool)
    return keep


def isin(values: pd.Series, wanted) -> pd.Series:
    """``values.isin(wanted)`` (a numpy-bool Series, missing values never in unless ``wanted`` holds a
    missing value, as pandas does). For Arrow-backed text it hands the whole set to pyarrow at once:
    pandas' own ``isin`` on Arrow strings boxes every wanted value in a Python loop, which is slow for the
    tens of thousands of ids of a province."""
    array = values.array
    if not hasattr(array, "_pa_array") or not pa.types.is_string(array._pa_array.type) \
            and not pa.types.is_large_string(array._pa_array.type):
        return values.isin(wanted)
    if isinstance(wanted, pd.Series):
        wanted = wanted.array
    try:
        value_set = pa.array(wanted if isinstance(wanted, pd.api.extensions.ExtensionArray) else list(wanted),
                             type=array._pa_array.type, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # not all text: pandas' slower, general path
        return values.isin(wanted)
    if len(value_set) == 0:
        return pd.Series(np.zeros(len(values), dtype=bool), index=values.index, name=values.name)
    found = pc.is_in(array._pa_array, value_set=value_set.unique())
    return pd.Series(np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool), index=values.index,
                     name=values.name)


def _rows(frame: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    """``frame[keep]``, without copying a million rows when every row is kept (no filter chosen)."""
    return frame if bool(keep.all()) else take_rows(frame, keep)


def take_rows(frame: pd.DataFrame, keep: pd.Series) -> pd.DataFrame:
    """``frame[keep]`` for a boolean ``keep`` on ``frame``'s index, column by column: pandas turns the mask
    into row numbers and makes pyarrow *take* them from every text column, several times slower than
    pyarrow's own *filter* that indexing an Arrow array with a mask uses. Same columns, dtypes and index
    as ``frame[keep]``."""
    if not frame.columns.is_unique or not keep.index.equals(frame.index):
        return frame[keep]
    mask = keep.to_numpy(dtype=bool)
    index = frame.index[mask]
    columns = {}
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        values = column.array[mask] if isinstance(column.dtype, pd.api.extensions.ExtensionDtype) \
            else column.to_numpy()[mask]
        columns[i] = pd.Series(values, index=index, dtype=column.dtype, copy=False)
    result = pd.DataFrame(columns, index=index)
    result.columns = frame.columns
    result.attrs = dict(frame.attrs)
    return result


def in_period(dates: pd.Series, filters: Filters, allow_missing: bool = False) -> pd.Series:
    dates = pd.to_datetime(dates)
    keep = pd.Series(True, index=dates.index)
    if filters.start is not None:
        keep &= (dates >= filters.start).fillna(allow_missing).astype(bool)
    if filters.end is not None:
        keep &= (dates < filters.end + pd.offsets.MonthBegin(1)).fillna(allow_missing).astype(bool)
    return keep


def to_query(filters: Filters) -> dict[str, str]:
    """Query parameters for a shareable link; defaults (all, open-ended) are left out."""
    query = {}
    if filters.start is not None:
        query[Q_FROM] = filters.start.strftime("%Y-%m")
    if filters.end is not None:
        query[Q_TO] = filters.end.strftime("%Y-%m")
    for key, values in ((Q_KECAMATAN, filters.kecamatan), (Q_KATEGORI, filters.kategori), (Q_SKALA, filters.skala)):
        if values:
            query[key] = LIST_SEPARATOR.join(values)
    return query


def from_query(params: Mapping[str, str], months: list[pd.Timestamp] | None = None) -> tuple[Filters, list[str]]:
    """Filters from query parameters, and the Indonesian notes on values that were ignored (a link from
    another data set, a hand-edited URL). Never raises: a bad parameter falls back to "all"."""
    notes: list[str] = []

    def month(key: str) -> pd.Timestamp | None:
        text = params.get(key)
        if not text:
            return None
        try:
            value = pd.Timestamp(f"{text}-01") if len(text) == 7 else pd.Timestamp(text)
        except (ValueError, TypeError):
            notes.append(f"Parameter '{key}={text}' bukan bulan (format YYYY-MM); diabaikan.")
            return None
        value = value.to_period("M").to_timestamp()
        if months and not (min(months) <= value <= max(months)):
            notes.append(f"Bulan {text} di luar periode data; diabaikan.")
            return None
        return value

    def choices(key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        text = params.get(key)
        if not text:
            return ()
        values = tuple(v.strip() for v in text.split(LIST_SEPARATOR) if v.strip())
        unknown = [v for v in values if v not in allowed]
        if unknown:
            notes.append(f"Nilai '{', '.join(unknown)}' pada parameter '{key}' tidak dikenal; diabaikan.")
        return tuple(v for v in values if v in allowed)

    filters = Filters(
        start=month(Q_FROM),
        end=month(Q_TO),
        kecamatan=choices(Q_KECAMATAN, ref.kecamatan_names()),
        kategori=choices(Q_KATEGORI, ref.KATEGORI),
        skala=choices(Q_SKALA, ref.SKALA),
    )
    if filters.start is not None and filters.end is not None and filters.start > filters.end:
        notes.append("Awal periode sesudah akhir periode; keduanya ditukar.")
        filters = replace(filters, start=filters.end, end=filters.start)
    return filters, notes


def previous_period(filters: Filters, months: list[pd.Timestamp]) -> Filters | None:
    """The period of the same length just before the selected one (for "change against the previous
    period"), or None when the data does not reach back that far."""
    if not months:
        return None
    start = filters.start or min(months)
    end = filters.end or max(months)
    length = (end.year - start.year) * 12 + end.month - start.month + 1
    previous_end = start - pd.offsets.MonthBegin(1)
    previous_start = start - pd.offsets.MonthBegin(length)
    if previous_start < min(months):
        return None
    return replace(filters, start=pd.Timestamp(previous_start), end=pd.Timestamp(previous_end))
