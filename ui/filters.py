"""The sidebar filters shared by every page, kept in the URL so a view can be shared and reopened.

app.py calls `sidebar()` once per run, before the page runs; pages read the result with `current()`.
Opening a link fills the widgets from its query parameters; changing a widget rewrites them.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core import wilayah
from analysis.insight import filters as flt

KEY_PERIOD = "filter_periode"
KEY_KECAMATAN = "filter_kecamatan"
KEY_KABUPATEN = "filter_kabupaten"  # a provinsi region only: narrows the kecamatan
KEY_KATEGORI = "filter_kategori"
KEY_SKALA = "filter_skala"
KEY_SOURCE = "filter_sumber"
_STATE = "filters_value"
_PERIOD_SEED = "filters_period_seed"
_PERIOD_EXTENT = "filters_period_extent"  # first and last month of the data the period was chosen on
_OWN_PARAMS = (flt.Q_FROM, flt.Q_TO, flt.Q_KECAMATAN, flt.Q_KATEGORI, flt.Q_SKALA)


def _key(month: pd.Timestamp) -> str:
    return month.strftime("%Y-%m")


def _seed_from_url(months: list[pd.Timestamp]) -> None:
    """On the first run of a session, widgets start from the link's query parameters."""
    if _PERIOD_SEED in st.session_state:
        return
    initial, notes = flt.from_query(dict(st.query_params), months)
    for note in notes:
        st.toast(note, icon=":material/info:")
    if months:
        # Not the widget's own key: a range select_slider seeded through session_state comes back as a
        # single value on the next rerun. Its default (value=) is kept here instead.
        st.session_state[_PERIOD_SEED] = (_key(initial.start or months[0]), _key(initial.end or months[-1]))
    st.session_state[KEY_KECAMATAN] = list(initial.kecamatan)
    st.session_state[KEY_KATEGORI] = list(initial.kategori)
    st.session_state[KEY_SKALA] = list(initial.skala)


def sidebar(months: list[pd.Timestamp], sources: dict[str, str]) -> flt.Filters:
    """Draw the filters in the sidebar and return their value (also kept for `current()`). ``sources``
    maps each data-source choice to its label (ui/data.py decides which one is active)."""
    _seed_from_url(months)
    keys = [_key(m) for m in months]
    extent = (keys[0], keys[-1]) if keys else None
    before = st.session_state.get(_PERIOD_EXTENT)
    if keys and before is not None and before != extent:
        # Another data source: a period that was the whole of the former data's is the whole of this one's.
        chosen = st.session_state.get(KEY_PERIOD) or st.session_state.get(_PERIOD_SEED)
        if chosen is None or tuple(chosen) == tuple(before):
            st.session_state[_PERIOD_SEED] = extent
            st.session_state.pop(KEY_PERIOD, None)
    st.session_state[_PERIOD_EXTENT] = extent
    seed = st.session_state.get(_PERIOD_SEED)
    if keys and (seed is None or not set(seed) <= set(keys)):
        # Another data source covers other months: start from its whole period.
        st.session_state[_PERIOD_SEED] = (keys[0], keys[-1])
        st.session_state.pop(KEY_PERIOD, None)
    elif keys and not set(st.session_state.get(KEY_PERIOD) or ()) <= set(keys):
        st.session_state.pop(KEY_PERIOD, None)
    with st.sidebar:
        st.header("Filter", divider="gray")
        start = end = None
        if len(months) >= 2:
            # Options are "YYYY-MM" text: Timestamp options do not survive a rerun of select_slider.
            first, last = st.select_slider(
                "Periode", options=[_key(m) for m in months], key=KEY_PERIOD,
                value=st.session_state.get(_PERIOD_SEED, (_key(months[0]), _key(months[-1]))),
                format_func=lambda key: fmt.month_label(pd.Timestamp(f"{key}-01")),
                help="Bulan laporan penjualan dan tanggal pelatihan yang dihitung.",
            )
            start, end = pd.Timestamp(f"{first}-01"), pd.Timestamp(f"{last}-01")
        options, within = _kabupaten_filter()
        st.multiselect("Kecamatan", options, key=KEY_KECAMATAN, placeholder="Semua kecamatan", select_all=False)
        st.multiselect("Kategori produk", ref.KATEGORI, key=KEY_KATEGORI, placeholder="Semua kategori", select_all=False)
        st.multiselect("Skala usaha", ref.SKALA, key=KEY_SKALA, placeholder="Semua skala", select_all=False)
        if st.session_state.get(KEY_SOURCE) not in sources:
            st.session_state.pop(KEY_SOURCE, None)  # the office data was chosen, then removed
        st.selectbox(
            "Sumber data", list(sources), key=KEY_SOURCE, format_func=sources.get, disabled=len(sources) < 2,
            help="Data kantor diunggah dan diterapkan lewat halaman Kelola Data; data demo tidak berisi orang sungguhan.",
        )
    value = flt.Filters(
        start=None if start is None or start == months[0] else start,
        end=None if end is None or end == months[-1] else end,
        kecamatan=tuple(st.session_state[KEY_KECAMATAN]) or within,
        kategori=tuple(st.session_state[KEY_KATEGORI]),
        skala=tuple(st.session_state[KEY_SKALA]),
    )
    st.session_state[_STATE] = value
    _write_url(value)
    return value


def _kabupaten_filter() -> tuple[list[str], tuple[str, ...]]:
    """In a provinsi region, the "Kabupaten/kota" select above the kecamatan: the kecamatan to offer, and
    the kecamatan the filter means when none is picked (all of the chosen kabupaten/kota; () for no filter).
    The link keeps the kecamatan, so a shared view reopens with the same UMKM."""
    names = list(ref.kecamatan_names())
    if not wilayah.region().is_provinsi:
        return names, ()
    table = ref.kecamatan()
    kabupaten = list(dict.fromkeys(table.sort_values("kode_kemendagri")["kabupaten"]))
    chosen = st.multiselect("Kabupaten/kota", kabupaten, key=KEY_KABUPATEN, placeholder="Semua kabupaten/kota",
                            select_all=False)
    if not chosen:
        return names, ()
    inside = list(table.loc[table["kabupaten"].isin(chosen), "kecamatan"])
    st.session_state[KEY_KECAMATAN] = [k for k in st.session_state.get(KEY_KECAMATAN, []) if k in inside]
    return inside, tuple(inside)


def _write_url(value: flt.Filters) -> None:
    """Keep the filter parameters in the URL in step with the widgets; other pages' parameters stay."""
    wanted = flt.to_query(value)
    for key in _OWN_PARAMS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def current() -> flt.Filters:
    """The filters chosen in the sidebar on this run (no filter before the sidebar has run)."""
    return st.session_state.get(_STATE, flt.Filters())
