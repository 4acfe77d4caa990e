"""The inputs of the Prioritas Anggaran page (budget, shares, seat costs, weights), kept in the URL like the
sidebar filters so a plan can be sent as a link, reopened and audited.

The first run of a session fills the widgets from the link (``?anggaran=...&bobot=...&biaya=...&porsi=...``);
every change rewrites it. The plan is also kept in the session, so the PowerPoint button on any page
builds the deck with the plan last set, and the page reopens with it.
"""
from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.ingest import cleaning
from analysis.insight import budget

KEY_BUDGET = "anggaran_total"
_STATE = "anggaran_rencana"  # the last plan, kept while other pages run
_GOOD = "anggaran_terakhir_terbaca"  # {widget key: last value that could be read}, for a text that cannot
_LINK_DATA = "anggaran_data_dari_tautan"  # the data a link was made with (its "data" parameter), read on the first visit
QUERY_DATA = "data"
MAX_WEIGHT = 5.0
WEIGHT_STEPS = tuple(i / 2 for i in range(int(MAX_WEIGHT * 2) + 1))  # 0; 0,5; 1; ... 5


def weight_key(criterion: str) -> str:
    return f"anggaran_bobot_{criterion}"


def cost_key(jenis: str) -> str:
    return f"anggaran_biaya_{ref.fold(jenis).replace(' & ', '_').replace(' ', '_')}"


def share_key(jenis: str) -> str:
    return f"anggaran_porsi_{ref.fold(jenis).replace(' & ', '_').replace(' ', '_')}"


def _seed(default_costs: Mapping[str, float]) -> None:
    """Fill the widgets: from the plan kept in the session (Streamlit drops a widget's value while another
    page runs), else, on the first visit, from the link."""
    if KEY_BUDGET in st.session_state:
        return
    params = st.session_state.get(_STATE)
    if params is None:
        params, notes = budget.from_query(dict(st.query_params), default_costs)
        for note in notes:
            st.toast(note, icon=":material/info:")
    st.session_state[KEY_BUDGET] = fmt.rupiah(params.anggaran_rp)
    for key in budget.CRITERION_KEYS:
        st.session_state[weight_key(key)] = _nearest_step(params.weight(key))
    for jenis in budget.FUNDABLE:
        st.session_state[cost_key(jenis)] = fmt.rupiah(params.biaya.get(jenis) or 0.0)
        st.session_state[share_key(jenis)] = int(round(params.share(jenis)))
    st.session_state[_GOOD] = {KEY_BUDGET: float(params.anggaran_rp),
                               **{cost_key(j): float(params.biaya.get(j) or 0.0) for j in budget.FUNDABLE}}


def _nearest_step(weight: float) -> float:
    return min(WEIGHT_STEPS, key=lambda step: abs(step - weight))


def _rupiah_input(label: str, key: str, help: str) -> None:
    """A rupiah amount typed as an officer writes it ("500.000.000", "500 juta", "0,5 M"); text that cannot
    be read gets a message and the last amount that could be read stays in force."""
    st.text_input(label, key=key, help=f"{help} Contoh: 500.000.000, 500 juta, atau 0,5 M.")
    parsed = cleaning.parse_rupiah(st.session_state[key])
    if parsed.value is None:
        kept = st.session_state[_GOOD][key]
        st.error(f"{parsed.error or 'Isi dengan angka rupiah'}: tetap memakai {fmt.rupiah(kept)}.",
                 icon=":material/error:")
    else:
        st.session_state[_GOOD][key] = float(round(parsed.value))  # whole rupiah


def inputs(default_costs: Mapping[str, float], data_tag: str) -> budget.PlanParams:
    """Draw the planner's inputs and return them; the URL (with ``data_tag``, the data the plan is made
    with: ui.data.data_tag) and the session follow."""
    _seed(default_costs)
    left, middle, right = st.columns([1.1, 1.3, 1.3])
    with left:
        _rupiah_input("Anggaran total (Rp)", KEY_BUDGET, "Dana pelatihan tahun depan. Rencana tidak pernah melebihi "
                      "angka ini.")
        st.markdown("**Porsi anggaran per jenis pelatihan (%)**")
        for jenis in budget.FUNDABLE:
            st.number_input(jenis, min_value=0, max_value=100, step=5, format="%d", key=share_key(jenis),
                            help="Bobot relatif; dinormalisasi terhadap jumlah porsi. 0 = tidak dibiayai.")
    with middle:
        st.markdown("**Biaya per peserta (Rp)**")
        for jenis in budget.FUNDABLE:
            default = default_costs.get(jenis)
            note = f"Dari kegiatan lalu: {fmt.rupiah(default)}." if default else "Belum ada data biaya kegiatan lalu."
            _rupiah_input(jenis, cost_key(jenis), f"Biaya satu kursi pelatihan {jenis}. {note}")
    with right:
        st.markdown("**Bobot kriteria kecamatan**")
        for criterion in budget.CRITERIA:
            st.select_slider(criterion.label, options=WEIGHT_STEPS, key=weight_key(criterion.key),
                             format_func=lambda step: fmt.number(step, 0 if float(step).is_integer() else 1),
                             help=criterion.definition)
    params = _from_widgets()
    st.session_state[_STATE] = params
    for key, value in {**budget.to_query(params), QUERY_DATA: data_tag}.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    return params


def link_data() -> str | None:
    """The data the opened link was made with (None: not opened from a link with one), as the link said it
    on the session's first visit of the page, before ``inputs`` writes the data shown into the URL."""
    if _LINK_DATA not in st.session_state:
        st.session_state[_LINK_DATA] = st.query_params.get(QUERY_DATA)
    return st.session_state[_LINK_DATA]


def _from_widgets() -> budget.PlanParams:
    good = st.session_state[_GOOD]
    return budget.PlanParams(
        anggaran_rp=good[KEY_BUDGET],
        bobot={key: float(st.session_state[weight_key(key)]) for key in budget.CRITERION_KEYS},
        biaya={jenis: good[cost_key(jenis)] for jenis in budget.FUNDABLE},
        porsi={jenis: float(st.session_state[share_key(jenis)]) for jenis in budget.FUNDABLE
               if st.session_state[share_key(jenis)] > 0},
    )


def current(default_costs: Mapping[str, float]) -> budget.PlanParams:
    """The plan as set on the Prioritas Anggaran page in this session (its widgets' values, already those
    of this run when app.py asks), else the link's, else the defaults."""
    if KEY_BUDGET in st.session_state:
        return _from_widgets()
    kept = st.session_state.get(_STATE)
    return kept if kept is not None else budget.from_query(dict(st.query_params), default_costs)[0]
