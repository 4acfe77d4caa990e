"""The period indicators of ``indicators.compute`` (sales, reporting UMKM, growth over matched months, the
training shares up to the period's end) equal the row-by-row computation they replaced: a mask over every
sales row per period, and pandas ``isin`` over the participants of the events before the end. ``compute``
now sums per (group, month) once per producer filter and adds a period's months, and keeps each
producer's first training per jenis; these tests hold it to the former answers on random frames
(fractions, unlinked rows, rows without a month, mid-month dates, events without a date or a jenis)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Trainings
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight.coded import NO_MONTH, CodedSales
from tests.insight.test_coded_paths import (
    IDS,
    MONTHS,
    as_filters,
    filter_choices,
    producer_rows,
    random_tables,
    sales_rows,
)

RTOL, ATOL = 1e-9, 1e-6


def _month(value: pd.Timestamp) -> int:
    return pd.Period(value, freq="M").ordinal


def former_sales_figures(tables, filters: flt.Filters, by_kecamatan: bool) -> pd.DataFrame:
    """Sales in the period, reporting UMKM, growth and the UMKM behind it, per group: masks over every row."""
    coded = CodedSales(tables.sales, tables.producers)
    groups = list(ref.kecamatan_names()) if by_kecamatan else [ind.whole_label()]
    every_row = not filters.selects_producers
    umkm, nilai, month = coded.umkm, coded.nilai, coded.month
    group_of = np.full(len(coded.ids), -1, dtype=np.int64)
    if every_row and not by_kecamatan:
        group_of[:] = 0
        row_group = np.zeros(len(umkm), dtype=np.int64)
    else:
        chosen = tables.producers[flt.select_producers(tables.producers, replace(filters, start=None, end=None)).to_numpy()]
        numbers = coded.numbers(chosen[Producers.umkm_id])
        places = [None if pd.isna(p) else p for p in chosen[Producers.kecamatan].astype("object")]
        for number, place in reversed(list(zip(numbers, places))):  # the first producer of an id decides
            if number >= 0:
                group_of[number] = groups.index(place) if by_kecamatan and place in groups else (-1 if by_kecamatan else 0)
        row_group = np.where(umkm >= 0, group_of[np.maximum(umkm, 0)] if len(group_of) else -1, -1)
    counted = (row_group >= 0) & ~np.isnan(nilai)
    dated = month != NO_MONTH

    def within(start, stop) -> np.ndarray:
        if start is None and stop is None:
            return counted.copy()
        found = counted & dated
        if start is not None:
            found &= month >= _month(start)
        if stop is not None:
            found &= month <= _month(stop)
        return found

    def sums(rows: np.ndarray) -> np.ndarray:
        return np.bincount(row_group[rows], weights=nilai[rows], minlength=len(groups)).astype(float)

    def producers(rows: np.ndarray) -> np.ndarray:
        seen = np.zeros(len(group_of), dtype=bool)
        seen[umkm[rows & (umkm >= 0)]] = True
        return np.bincount(group_of[seen], minlength=len(groups))

    in_period = within(filters.start, filters.end)
    result = pd.DataFrame({"penjualan_rp": sums(in_period), ind.N_PELAPOR: producers(in_period)}, index=groups)
    bounded = (np.ones(len(umkm), dtype=bool) if every_row else row_group >= 0) & dated
    if not bounded.any():
        result["pertumbuhan_penjualan"], result[ind.N_PELAPOR_TAHUNAN] = np.nan, 0
        return result
    first, last = (pd.Period(ordinal=int(m), freq="M").to_timestamp() for m in (month[bounded].min(), month[bounded].max()))
    end = filters.end or last
    start = max(filters.start or first, end - pd.DateOffset(months=11))
    year = pd.DateOffset(years=1)
    before_flag, after_flag = coded.year_flags
    now = within(start, end) & before_flag
    before = within(start - year, end - year) & after_flag
    current, previous = sums(now), sums(before)
    with np.errstate(divide="ignore", invalid="ignore"):
        result["pertumbuhan_penjualan"] = np.where(previous > 0, current / np.where(previous > 0, previous, 1) - 1, np.nan)
    result[ind.N_PELAPOR_TAHUNAN] = producers(now)
    return result


def former_trained_counts(tables, filters: flt.Filters, by_kecamatan: bool) -> dict[str, int]:
    """The chosen UMKM that attended any training, and each jenis, before the period's end (pandas isin);
    by kecamatan, those of the region's kecamatan."""
    chosen = tables.producers[flt.select_producers(tables.producers, replace(filters, start=None, end=None)).to_numpy()]
    if by_kecamatan:
        chosen = chosen[chosen[Producers.kecamatan].isin(ref.kecamatan_names()).fillna(False).to_numpy(dtype=bool)]
    events = tables.trainings
    if filters.end is not None:
        events = events[pd.to_datetime(events[Trainings.tanggal_mulai]) < filters.end + pd.offsets.MonthBegin(1)]
    jenis = events.set_index(Trainings.pelatihan_id)[Trainings.jenis]
    linked = tables.participants[tables.participants[Participants.umkm_id].notna()]
    linked = linked.assign(jenis=linked[Participants.pelatihan_id].map(jenis)).dropna(subset=["jenis"])
    ids = chosen[Producers.umkm_id]
    counts = {"porsi_terlatih": int(ids.isin(linked[Participants.umkm_id]).sum())}
    for name in ref.JENIS_PELATIHAN:
        attended = linked.loc[linked["jenis"] == name, Participants.umkm_id]
        if name in ref.JENIS_PELATIHAN[:5] or len(attended):
            counts[f"porsi_terlatih_{ind._slug(name)}"] = int(ids.isin(attended).sum())
    return counts


# Event starts around the ends of filter_choices' periods (the first day after February 2016 among them).
STARTS = [*MONTHS[::4], MONTHS[13], MONTHS[14], MONTHS[26], pd.Timestamp(2016, 2, 20), None]
events = st.lists(st.tuples(st.sampled_from([*ref.JENIS_PELATIHAN, None]), st.sampled_from(STARTS)), min_size=0, max_size=4)
attendance = st.lists(st.tuples(st.sampled_from(IDS + ["Z"]), st.integers(0, 4)), min_size=0, max_size=8)


def with_trainings(tables, event_rows: list, people: list):
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": [f"P{i}" for i in range(len(event_rows))], "nama_kegiatan": ["x"] * len(event_rows),
        "jenis": pd.Series([e[0] for e in event_rows], dtype="string"),
        "tanggal_mulai": pd.to_datetime(pd.Series([e[1] for e in event_rows], dtype="object")),
    }))
    participants = Participants.conform(pd.DataFrame({
        "pelatihan_id": [f"P{n}" for _, n in people], "umkm_id": pd.Series([i for i, _ in people], dtype="string"),
        "cara_cocok": ["nik"] * len(people),
    }))
    return flt.Tables(tables.producers, tables.sales, trainings, participants)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sales=sales_rows, producers=producer_rows, choice=filter_choices, event_rows=events, people=attendance,
       by_kecamatan=st.booleans(), fraction=st.booleans())
@example(sales=[], producers=[("Natar", "Minuman", "Mikro", "Kopi")] * 5, choice=(None, MONTHS[13], (), (), ()),
         event_rows=[("Pemasaran", MONTHS[14]), ("Lainnya", MONTHS[13]), ("Kemasan", None)],
         people=[("A", 0), ("B", 1), ("C", 2)], by_kecamatan=False, fraction=False)  # an event on the first day after
@example(sales=[], producers=[("Natar", "Minuman", "Mikro", "Kopi")] * 5, choice=(None, None, (), (), ()),
         event_rows=[("Kemasan", None)], people=[("C", 0)], by_kecamatan=True, fraction=False)  # no end: undated too
def test_period_indicators_equal_the_row_by_row_computation(sales, producers, choice, event_rows, people, by_kecamatan,
                                                            fraction):
    tables = with_trainings(random_tables(sales, producers), event_rows, people)
    if fraction:
        tables = flt.Tables(tables.producers, tables.sales.assign(nilai_rp=tables.sales["nilai_rp"] / 7),
                            tables.trainings, tables.participants)
    filters = as_filters(choice)
    found = ind.compute(tables, filters, by_kecamatan=by_kecamatan)
    expected = former_sales_figures(tables, filters, by_kecamatan)
    np.testing.assert_allclose(found["penjualan_rp"].to_numpy(float), expected["penjualan_rp"].to_numpy(float),
                               rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(found["pertumbuhan_penjualan"].to_numpy(float),
                               expected["pertumbuhan_penjualan"].to_numpy(float), rtol=RTOL, atol=ATOL, equal_nan=True)
    for column in (ind.N_PELAPOR, ind.N_PELAPOR_TAHUNAN):
        assert found[column].astype("int64").tolist() == expected[column].astype("int64").tolist(), column
    counts = former_trained_counts(tables, filters, by_kecamatan)
    trained = [c for c in found.columns if c.startswith("porsi_terlatih") and not c.endswith(ind.COUNT_SUFFIX)]
    assert trained == list(counts)
    for name, count in counts.items():
        assert int(found[name + ind.COUNT_SUFFIX].sum()) == count, name


def test_a_kept_coded_object_answers_every_period_as_a_fresh_one():
    """The dashboard keeps one CodedSales (its month sums per producer filter, its first trainings) across
    reruns: period after period, and filter after filter, it answers as a fresh computation does."""
    sales = [(i, m, False, "Minuman", float(10 * n + 1), "Kopi") for n, (i, m) in
             enumerate((i, m) for i in IDS[:5] for m in MONTHS[::2])]
    tables = with_trainings(random_tables(sales, [("Natar", "Minuman", "Mikro", "Kopi"),
                                                  ("Kalianda", "Kerajinan", "Kecil", "Teh")] * 2
                                          + [("Sidomulyo", "Minuman", None, None)]),
                            [("Pemasaran", MONTHS[4]), ("Kemasan", MONTHS[16]), ("Lainnya", None)],
                            [("A", 0), ("B", 1), ("C", 2), ("E", 1)])
    coded = CodedSales(tables.sales, tables.producers)
    for choice in [(None, None, (), (), ()), (MONTHS[12], MONTHS[25], (), (), ()), (MONTHS[3], MONTHS[13], ("Natar",), (), ()),
                   (None, MONTHS[13], (), ("Minuman",), ()), (MONTHS[14], None, ("Kalianda", "Sidomulyo"), (), ("Mikro",))]:
        filters = as_filters(choice)
        for by_kecamatan in (False, True):
            pd.testing.assert_frame_equal(ind.compute(tables, filters, by_kecamatan=by_kecamatan, coded=coded),
                                          ind.compute(tables, filters, by_kecamatan=by_kecamatan))


whole_sales = st.lists(st.tuples(
    st.sampled_from([*IDS, "Z"]),  # None: a row of no producer; "Z": an id that is no producer's
    st.sampled_from(MONTHS + [None]),
    st.sampled_from(["Minuman", None]),
    st.one_of(st.integers(0, 10**6).map(float), st.just(float("nan"))),
), min_size=0, max_size=120)
# Every producer (and a stranger, and rows of no producer) every month: matched months a year apart.
DENSE = [(i, m, "Minuman", float(100 * n + k)) for n, i in enumerate(["A", "B", "C", "E", "Z", None])
         for k, m in enumerate([*MONTHS, None])]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(sales=DENSE, producers=[("Natar", None, None, None), ("Kalianda", None, None, None), ("Natar", None, None, None),
                                 (None, None, None, None), ("Sidomulyo", None, None, None)],
         kecamatan=(), kategori=(), by_kecamatan=False)
@example(sales=DENSE, producers=[("Natar", None, None, None), ("Kalianda", None, None, None), ("Natar", None, None, None),
                                 (None, None, None, None), ("Sidomulyo", None, None, None)],
         kecamatan=("Sidomulyo", "Natar"), kategori=(), by_kecamatan=True)
@example(sales=DENSE, producers=[("Natar", None, None, None), ("Kalianda", None, None, None), ("Natar", None, None, None),
                                 (None, None, None, None), ("Sidomulyo", None, None, None)],
         kecamatan=(), kategori=(), by_kecamatan=True)
@example(sales=[r for r in DENSE if r[0] != "Z"], producers=[("Natar", None, None, None)] * 5,  # rows of no producer only
         kecamatan=(), kategori=(), by_kecamatan=False)
@given(sales=whole_sales, producers=producer_rows, kecamatan=st.sampled_from([(), ("Natar",), ("Kalianda", None), ("Sidomulyo", "Natar")]),
       kategori=st.sampled_from([(), ("Minuman",)]), by_kecamatan=st.booleans())
def test_month_sums_added_up_per_kecamatan_equal_those_of_the_rows(sales, producers, kecamatan, kategori, by_kecamatan):
    """Where the producers chosen and their groups follow their kecamatan alone, the month sums are added up
    from the sums per kecamatan, kept per data version: the same cube, field by field, as the pass over
    the rows gives (whole rupiah: the same sums in any order). A choice by kategori is not, unless its
    producers happen to be whole kecamatan."""
    tables = random_tables([(i, m, False, k, v, "Kopi") for i, m, k, v in sales], producers)
    coded = CodedSales(tables.sales, tables.producers)
    chosen = flt.Filters(kecamatan=tuple(k for k in kecamatan if k), kategori=kategori)
    side = ind._producer_side(tables, chosen, by_kecamatan, coded)
    expected = ind._month_cube(coded, side.keys, side.every_row, len(side.stock))
    ind._kecamatan_cube(coded)  # (the whole area's are added up once these are built for another selection)
    found = ind._cube_from_kecamatan(coded, side.keys, side.every_row, len(side.stock))
    assert found is not None or kategori  # (a kategori that splits no kecamatan may be added up too)
    if found is None:
        return
    for name in ("low", "width", "sums", "now", "before", "group_of"):
        assert np.array_equal(getattr(found, name), getattr(expected, name)), name
    assert (found.first, found.last) == (expected.first, expected.last) or \
        (pd.isna(found.first) and pd.isna(expected.first) and pd.isna(found.last) and pd.isna(expected.last))


def test_a_choice_that_counts_rows_of_no_kecamatan_is_built_from_the_rows():
    """A group holding an id without a kecamatan (not a choice by kecamatan: the rows of no producer share its
    bin) is not added up per kecamatan."""
    tables = random_tables([(i, m, False, "Minuman", 5.0, "Kopi") for i, m, *_ in DENSE if i != "Z"],
                           [("Natar", None, None, None)] * 4 + [(None, None, None, None)])
    coded = CodedSales(tables.sales, tables.producers)
    keys = pd.DataFrame({"umkm_no": np.arange(5, dtype=np.int32), "g": np.array([0, 0, 0, 0, 0], dtype=np.int32)})
    assert ind._cube_from_kecamatan(coded, keys, False, 1) is None
    assert ind._cube_from_kecamatan(coded, keys.iloc[:4], False, 1) is not None
