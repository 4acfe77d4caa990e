"""Every indicator of the catalogue per calendar year: the realisasi that targets are compared with.

Targets (Renstra, Perjanjian Kinerja) are set per year, so realisasi is computed per year too:

- period indicators (sales, training reach) for the months of that year in the data, cut to the sidebar
  period; a year the data covers only in part says so in its note ("Januari – Oktober 2017");
- stock indicators of the registry (how many UMKM, how formalised) only for the last year of the data:
  the registry has no dates, so what it says is today's stock, not the stock of an earlier year;
- the yearly indicators of the catalogue (``per_year``): UMKM naik kelas, new UMKM, UMKM trained
  (all and per jenis), from the functions below.

Each value comes with its basis (``DASAR``: the number of UMKM behind it) and a note in Indonesian.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight.coded import NO_MONTH, CodedSales, covers

INDIKATOR, TAHUN, REALISASI, DASAR, CATATAN = "indikator", "tahun", "realisasi", "dasar", "catatan"
COLUMNS = (INDIKATOR, TAHUN, REALISASI, DASAR, CATATAN)
MONTHS_IN_YEAR = 12
NOT_FULL_YEAR = "data tahun ini belum 12 bulan: naik kelas dibandingkan antar tahun penuh"
REGISTRY_ONLY_LAST = "stok registri: hanya untuk tahun data terakhir (registri tidak bertanggal)"


def data_years(tables: flt.Tables, coded: CodedSales, filters: flt.Filters = flt.Filters()) -> list[int]:
    """The calendar years the sales (``coded``: the tables' sales) and trainings cover, cut to the filter's
    period."""
    starts = pd.to_datetime(tables.trainings[Trainings.tanggal_mulai], errors="coerce").dropna()
    years = sorted({month.year for month in coded.months()} | set(starts.dt.year.astype(int)))
    first = filters.start.year if filters.start is not None else None
    last = filters.end.year if filters.end is not None else None
    return [y for y in years if (first is None or y >= first) and (last is None or y <= last)]


def realisation(tables: flt.Tables, filters: flt.Filters = flt.Filters(), *, kriteria: str | None = None,
                coded: CodedSales | None = None) -> pd.DataFrame:
    """Realisasi of every indicator of the catalogue per year (columns ``COLUMNS``), from the unfiltered
    tables and the sidebar filters. ``kriteria``: the size criterion of the data (the ingest report's
    ``kriteria_skala``); None takes the default for the data's last year, as the ingest does."""
    if not covers(coded, tables.sales):
        coded = CodedSales(tables.sales, tables.producers)
    years = data_years(tables, coded, filters)
    if not years:
        return pd.DataFrame(columns=list(COLUMNS))
    months = coded.months()
    first_month, last_month = (months[0], months[-1]) if months else (None, None)
    kriteria = kriteria or ref.default_criterion(years[-1])
    rows: list[dict] = []
    last_year = last_month.year if last_month is not None else None  # the registry's stock belongs here
    for year in years:
        window = _year_window(year, filters, first_month, last_month)
        if window is not None:
            period = replace(filters, start=window[0], end=window[1])
            values = ind.compute(tables, period, coded=coded).iloc[0]
            note = _partial_note(*window)
            for key in ind.period_keys():
                indicator = ind.INDICATORS[key]
                if indicator.follows_period:
                    rows.append(_row(key, year, values[key], values[ind.N_UMKM], note))
                elif year == last_year:
                    rows.append(_row(key, year, values[key], values[ind.N_UMKM], REGISTRY_ONLY_LAST))
    chosen = flt.select_producers(tables.producers, replace(filters, start=None, end=None))
    producers = tables.producers[chosen.to_numpy(dtype=bool)]
    # naik kelas of a year follows the producers and that year and the one before, not the period: every
    # data year is kept with ``coded`` per producer filter, and the period's years are taken from it.
    memo = coded.memo("naik_kelas", dict)
    memo_key = (filters.kecamatan, filters.kategori, filters.skala, kriteria, len(tables.producers))
    if memo_key not in memo:
        while len(memo) >= 16:
            memo.pop(next(iter(memo)))
        every_year = data_years(tables, coded, replace(filters, start=None, end=None))
        memo[memo_key] = naik_kelas(None, producers, kriteria, every_year, coded)
    kept = memo[memo_key]
    rows += _records(kept[kept[TAHUN].isin(years)], "umkm_naik_kelas")
    rows += _records(new_per_year(producers, years), "umkm_baru")
    trained = trained_per_year(tables.trainings, tables.participants,
                               producers[Producers.umkm_id] if filters.selects_producers else None, years)
    for jenis in [None, *ref.JENIS_PELATIHAN[:5]]:
        rows += _records(trained[trained["jenis"] == (jenis or "")], ind.trained_key(jenis))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame[REALISASI] = pd.to_numeric(frame[REALISASI], errors="coerce").astype(float)
    frame[DASAR] = pd.to_numeric(frame[DASAR], errors="coerce").astype("Int64")
    return frame.sort_values([INDIKATOR, TAHUN], kind="stable").reset_index(drop=True)


def _row(key: str, year: int, value, basis, note: str) -> dict:
    return {INDIKATOR: key, TAHUN: int(year), REALISASI: value, DASAR: basis, CATATAN: note}


def _records(frame: pd.DataFrame, key: str) -> list[dict]:
    return [_row(key, r[TAHUN], r[REALISASI], r[DASAR], r[CATATAN]) for r in frame.to_dict("records")]


def _year_window(year: int, filters: flt.Filters, first: pd.Timestamp | None,
                 last: pd.Timestamp | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last month of ``year`` that both the data and the filter's period cover (None: none)."""
    if first is None or last is None:
        return None
    start = max(pd.Timestamp(f"{year}-01-01"), first, filters.start or first)
    end = min(pd.Timestamp(f"{year}-12-01"), last, filters.end or last)
    return (start, end) if start <= end else None


def _partial_note(start: pd.Timestamp, end: pd.Timestamp) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months >= MONTHS_IN_YEAR:
        return ""
    return f"sebagian tahun: {fmt.period_label(start, end)} ({months} bulan)"


def yearly_sales(sales: pd.DataFrame | None, ids: pd.Series | None = None, coded: CodedSales | None = None) -> pd.DataFrame:
    """Per producer and calendar year: the sum of the monthly sales reported and the number of distinct
    months reported (umkm_id, tahun, penjualan_rp, bulan_lapor). Unlinked rows are left out; ``ids``
    restricts to those producers. With ``coded`` its rows are read, not ``sales``."""
    columns = [Sales.umkm_id, TAHUN, "penjualan_rp", "bulan_lapor"]
    found = _per_producer_year(sales, ids, coded)
    if found is None:
        return pd.DataFrame(columns=columns)
    names, first_year, totals, counts, any_amount = found
    n_years = totals.shape[1]
    slots = np.flatnonzero(counts.ravel() > 0)
    return pd.DataFrame({Sales.umkm_id: np.asarray(names, dtype=object)[slots // n_years].astype(str),
                         TAHUN: (slots % n_years + first_year).astype(int),
                         "penjualan_rp": np.where(any_amount.ravel()[slots], totals.ravel()[slots], np.nan),
                         "bulan_lapor": counts.ravel()[slots].astype(int)}, columns=columns)


def _per_producer_year(sales: pd.DataFrame | None, ids: pd.Series | None,
                       coded: CodedSales | None) -> tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray] | None:
    """``yearly_sales`` as tables over (producer code, year): the producers' ids (code i is names[i]), the
    first year, and per producer and year the sum of the amounts, the distinct months reported and
    whether any amount was given; None when no row is kept.

    Integer codes and ``np.bincount`` instead of a group-by on (id, period): a province's 1.3 million
    rows took 4.8 s that way and take a fraction of a second this way."""
    if coded is not None:
        codes, names = coded.umkm, coded.ids
        dated = coded.month != NO_MONTH
        month_numbers = coded.month.astype(np.int64) + 1970 * 12  # months from January of year 0
        amounts = coded.nilai
    else:
        codes, names = pd.factorize(sales[Sales.umkm_id], use_na_sentinel=True)
        months = pd.to_datetime(sales[Sales.bulan], errors="coerce").to_numpy(dtype="datetime64[M]")
        dated = ~np.isnat(months)
        month_numbers = months.astype(np.int64) + 1970 * 12
        amounts = pd.to_numeric(sales[Sales.nilai_rp], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    keep = (codes >= 0) & dated
    if ids is not None:
        chosen = flt.isin(pd.Series(names), ids).to_numpy(dtype=bool)
        keep &= chosen[np.where(codes >= 0, codes, 0)] if len(chosen) else np.zeros(len(codes), dtype=bool)
    if not keep.any():
        return None
    # month_numbers // 12 is the calendar year
    codes, month_numbers, amounts = codes[keep], month_numbers[keep], amounts[keep]
    first_year = int(month_numbers.min() // 12)
    years = month_numbers // 12 - first_year
    n_years = int(years.max()) + 1
    pair = codes.astype(np.int64) * n_years + years  # one slot per producer and year
    size = len(names) * n_years
    # distinct months per producer and year: a dense producer × month table of "reported", summed per year
    slots_per_code = n_years * 12
    month_slot = codes.astype(np.int64) * slots_per_code + (month_numbers - first_year * 12)
    reported = np.bincount(month_slot, minlength=len(names) * slots_per_code) > 0
    counts = reported.reshape(len(names), n_years, 12).sum(axis=2)
    known = ~np.isnan(amounts)
    totals = np.bincount(pair[known], weights=amounts[known], minlength=size).reshape(len(names), n_years)
    any_amount = (np.bincount(pair[known], minlength=size) > 0).reshape(len(names), n_years)
    return np.asarray(names, dtype=object), first_year, totals, counts, any_amount


def naik_kelas(sales: pd.DataFrame | None, producers: pd.DataFrame, kriteria: str, years: list[int],
               coded: CodedSales | None = None) -> pd.DataFrame:
    """UMKM naik kelas per year (tahun, realisasi, dasar, catatan): producers whose size from their sales
    of year t (the sum of 12 reported months, no scaling) is above their size from year t−1, among
    ``producers`` that reported all 12 months of both years (dasar). A year without such a pair has
    no value, and its note says why. With ``coded`` its rows are read, not ``sales``. Counted over the
    table of each producer's size per year (``_per_producer_year``), not a frame of ids."""
    limits = ref.size_criteria()[kriteria].omzet_limits
    found = _per_producer_year(sales, producers[Producers.umkm_id], coded)
    rank = np.full((0, 0), -1, dtype=np.int8)  # size rank per producer and year; -1: not a full year
    first_year = 0
    if found is not None:
        _, first_year, totals, counts, any_amount = found
        full = (counts >= MONTHS_IN_YEAR) & any_amount & (totals >= 0)
        order = {name: position for position, name in enumerate(ref.SKALA)}
        rank = np.full(totals.shape, -1, dtype=np.int8)
        rank[full] = [order[s] for s in ref.size_labels(totals[full].astype(float), limits)]
    complete = {first_year + int(y) for y in np.flatnonzero((rank >= 0).any(axis=0))}
    rows = []
    for year in years:
        if year not in complete or year - 1 not in complete:
            rows.append({TAHUN: year, REALISASI: np.nan, DASAR: 0,
                         CATATAN: f"{NOT_FULL_YEAR} (tahun {year - 1} dan {year})"})
            continue
        now, before = rank[:, year - first_year], rank[:, year - 1 - first_year]
        both = (now >= 0) & (before >= 0)
        up = int((both & (now > before)).sum())
        dasar = int(both.sum())
        rows.append({TAHUN: year, REALISASI: float(up), DASAR: dasar,
                     CATATAN: f"dari {fmt.number(dasar)} UMKM yang melapor 12 bulan di {year - 1} dan {year}; "
                              f"kriteria {kriteria}"})
    return pd.DataFrame(rows, columns=[TAHUN, REALISASI, DASAR, CATATAN])


def new_per_year(producers: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """UMKM whose business started in each year (tahun_mulai), with how many have no start year."""
    started = pd.to_numeric(producers[Producers.tahun_mulai], errors="coerce")
    unknown = int(started.isna().sum())
    counts = started.dropna().astype(int).value_counts()
    note = f"{fmt.number(unknown)} UMKM tanpa tahun mulai tidak terhitung" if unknown else ""
    return pd.DataFrame({TAHUN: years, REALISASI: [float(counts.get(y, 0)) for y in years],
                         DASAR: [len(producers)] * len(years), CATATAN: [note] * len(years)})


def trained_per_year(trainings: pd.DataFrame, participants: pd.DataFrame, ids: pd.Series | None,
                     years: list[int]) -> pd.DataFrame:
    """Distinct UMKM trained per year, for all jenis (jenis "") and per jenis: participants linked to the
    registry count once per UMKM; unlinked ones once per normalised business name (else person name).
    ``ids``: only linked participants of these producers (a producer filter is active)."""
    events = trainings[[Trainings.pelatihan_id, Trainings.jenis, Trainings.tanggal_mulai]].copy()
    events[TAHUN] = pd.to_datetime(events[Trainings.tanggal_mulai], errors="coerce").dt.year
    people = participants.merge(events, on=Participants.pelatihan_id, how="inner")
    people = people[people[TAHUN].notna()]
    if ids is not None:
        people = people[flt.isin(people[Participants.umkm_id], ids).fillna(False).to_numpy(dtype=bool)]
    named = people[Participants.nama_usaha].astype("string").fillna(people[Participants.nama_peserta].astype("string"))
    linked = people[Participants.umkm_id].astype("string")
    folded = {v: ref.fold(v) for v in named[linked.isna()].dropna().unique()}  # each distinct name once
    who = ("id:" + linked).fillna("nama:" + named.map(folded).astype("string"))
    people = people.assign(_who=who.to_numpy(), _year=people[TAHUN].astype(int).to_numpy())
    people = people[people["_who"].notna()]
    unlinked = people[Participants.umkm_id].isna()
    rows = []
    for jenis in ["", *ref.JENIS_PELATIHAN[:5]]:
        part = people if not jenis else people[people[Trainings.jenis].astype("string") == jenis]
        loose = unlinked.loc[part.index]
        for year in years:
            this = part["_year"] == year
            n = int(part.loc[this, "_who"].nunique())
            n_loose = int(part.loc[this & loose, "_who"].nunique())
            note = f"termasuk {fmt.number(n_loose)} peserta yang tidak tertaut ke registri" if n_loose else ""
            rows.append({"jenis": jenis, TAHUN: year, REALISASI: float(n), DASAR: n, CATATAN: note})
    return pd.DataFrame(rows, columns=["jenis", TAHUN, REALISASI, DASAR, CATATAN])
