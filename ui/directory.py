"""The inputs of the Direktori UMKM page (search, filters, sort, page), kept in the URL like the sidebar
filters so a search can be sent as a link and reopened; and the links that open one producer's profile.

The first run of a session fills the widgets from the link (``?q=vco&kec=Candipuro&nib=ada&hal=2``);
every change rewrites it. ``?umkm=<kode>`` opens that producer's profile on the same page.
"""
from __future__ import annotations

import re
from urllib.parse import quote_plus, urlencode

import pandas as pd
import streamlit as st

from analysis.core import formatting as fmt
from analysis.insight import directory as dirx
from analysis.insight import filters as flt

PAGE_PATH = "direktori"  # the page's URL path (pages/direktori.py)
PROFILE_PATH = "./"  # profile links point at the app's root, which opens this page (navigation.open_linked_profile)
KEY_TEXT, KEY_DESA, KEY_ONLINE, KEY_PASAR = "direktori_cari", "direktori_desa", "direktori_online", "direktori_pasar"
KEY_DONE, KEY_NOT_DONE, KEY_SORT, KEY_DESCENDING = ("direktori_sudah", "direktori_belum", "direktori_urut",
                                                    "direktori_menurun")
KEY_PAGE, KEY_DOWNLOAD, KEY_TABLE = "direktori_halaman", "direktori_unduh", "direktori_tabel"
KEY_BACK = "direktori_kembali"
_SEEDED = "direktori_dari_tautan"  # the query this session's widgets were last filled from
COL_LINK = "Profil"


def legal_key(column: str) -> str:
    return f"direktori_{column}"


def profile_id() -> str | None:
    """The producer whose profile the link asks for (``?umkm=``), else None."""
    value = st.query_params.get(dirx.Q_UMKM)
    return str(value).strip() or None if value else None


# The sidebar filters travel with every profile link (the period sets the profile's comparison window);
# a link from the directory also carries its search, so *Kembali ke direktori* returns to the same list.
SIDEBAR_KEYS = (flt.Q_FROM, flt.Q_TO, flt.Q_KECAMATAN, flt.Q_KATEGORI, flt.Q_SKALA)
DIRECTORY_KEYS = (*SIDEBAR_KEYS, *dirx.QUERY_KEYS, dirx.Q_PAGE)


def _link_prefix(keep: tuple[str, ...]) -> str:
    """The profile path with the current URL's parameters named in ``keep``, ready for the id."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k in keep}
    return f"{PROFILE_PATH}?{urlencode(params)}&" if params else f"{PROFILE_PATH}?"


def profile_link(umkm_id: str, keep: tuple[str, ...] = DIRECTORY_KEYS) -> str:
    """A relative link to ``umkm_id``'s profile with the current URL's parameters named in ``keep``."""
    return f"{_link_prefix(keep)}{urlencode({dirx.Q_UMKM: umkm_id})}"


def close_profile() -> None:
    """Back to the list: the profile's id leaves the URL, the search and filters stay."""
    if dirx.Q_UMKM in st.query_params:
        del st.query_params[dirx.Q_UMKM]


def _seed() -> None:
    """Fill the widgets from the link when the session has no value for them yet (the first visit, or the
    first run after the profile, which draws none of them, so Streamlit dropped their values)."""
    if KEY_TEXT in st.session_state:
        return
    query, notes = dirx.from_query(st.query_params.to_dict())
    for note in notes:
        st.toast(note, icon=":material/info:")
    st.session_state[KEY_TEXT] = query.text
    st.session_state[KEY_DESA] = query.desa
    for column in dirx.Q_LEGAL:
        st.session_state[legal_key(column)] = list(query.states(column))
    st.session_state[KEY_ONLINE] = list(query.online)
    st.session_state[KEY_PASAR] = list(query.pasar)
    st.session_state[KEY_DONE] = list(query.done)
    st.session_state[KEY_NOT_DONE] = list(query.not_done)
    st.session_state[KEY_SORT] = query.sort
    st.session_state[KEY_DESCENDING] = query.descending
    st.session_state[KEY_PAGE] = dirx.page_from_query(st.query_params.to_dict())


def _first_page() -> None:
    st.session_state[KEY_PAGE] = 1


def _sort_changed() -> None:
    """A new sort starts in its natural direction (largest sales first, names A to Z) on the first page."""
    st.session_state[KEY_DESCENDING] = dirx.SORTS[st.session_state[KEY_SORT]].descending
    _first_page()


def inputs() -> dirx.Query:
    """Draw the search, the directory's own filters and the sort; return the query (the URL follows)."""
    _seed()
    st.text_input("Cari nama usaha, pemilik, produk, desa atau kode", key=KEY_TEXT, on_change=_first_page,
                  placeholder="mis. vco candipuro, keripik, tapis, Sutarno",
                  help="Semua kata harus ditemukan (huruf besar/kecil, aksen dan spasi diabaikan). Sinonim ikut "
                       "dicari: VCO juga menemukan minyak kelapa murni (data/reference/sinonim_pencarian.csv).")
    chosen = sum(bool(st.session_state.get(k)) for k in (KEY_DESA, KEY_ONLINE, KEY_PASAR, KEY_DONE, KEY_NOT_DONE,
                                                         *map(legal_key, dirx.Q_LEGAL)))
    label = "Filter direktori" + (f" ({chosen} aktif)" if chosen else "")
    with st.expander(label, expanded=bool(chosen), icon=":material/filter_list:"):
        left, middle, right = st.columns(3)
        with left:
            st.text_input("Desa / kelurahan", key=KEY_DESA, on_change=_first_page,
                          help="Bagian dari nama desa (atau alamat, bila registri tidak punya kolom desa).")
            st.multiselect("Jangkauan pasar", dirx.PASAR_OPTIONS, key=KEY_PASAR, on_change=_first_page,
                           placeholder="Semua")
            st.multiselect("Pemasaran online", dirx.ONLINE_STATES, key=KEY_ONLINE, on_change=_first_page,
                           format_func=dirx.STATE_LABELS.get, placeholder="Semua")
        with middle:
            for column, label_text in dirx.LEGAL_LABELS.items():
                st.multiselect(label_text, dirx.LEGAL_STATES, key=legal_key(column), on_change=_first_page,
                               format_func=dirx.STATE_LABELS.get, placeholder="Semua",
                               help="Tidak diketahui: tidak tercatat di registri (tidak dihitung sebagai tidak).")
        with right:
            st.multiselect("Sudah ikut pelatihan", dirx.TRAINING_OPTIONS, key=KEY_DONE, on_change=_first_page,
                           placeholder="Tidak dibatasi",
                           help="Setiap jenis yang dipilih (sampai akhir periode). Apa pun: minimal satu pelatihan.")
            st.multiselect("Belum pernah ikut pelatihan", dirx.TRAINING_OPTIONS, key=KEY_NOT_DONE,
                           on_change=_first_page, placeholder="Tidak dibatasi",
                           help="Tidak satu pun dari jenis yang dipilih. Apa pun: belum pernah ikut pelatihan apa pun.")
    sort_column, direction_column = st.columns([3, 1])
    with sort_column:
        st.selectbox("Urutkan menurut", list(dirx.SORTS), key=KEY_SORT, on_change=_sort_changed,
                     format_func=lambda key: dirx.SORTS[key].label,
                     help="Urutan berlaku untuk seluruh hasil (semua halaman) dan untuk berkas Excel.")
    with direction_column:
        st.toggle("Menurun", key=KEY_DESCENDING, on_change=_first_page, help="Terbesar / Z lebih dulu.")
    query = dirx.make_query(
        text=st.session_state[KEY_TEXT], desa=st.session_state[KEY_DESA],
        legal={column: tuple(st.session_state[legal_key(column)]) for column in dirx.Q_LEGAL},
        online=tuple(st.session_state[KEY_ONLINE]), pasar=tuple(st.session_state[KEY_PASAR]),
        done=tuple(st.session_state[KEY_DONE]), not_done=tuple(st.session_state[KEY_NOT_DONE]),
        sort=st.session_state[KEY_SORT], descending=bool(st.session_state[KEY_DESCENDING]))
    _write_url(dirx.to_query(query))
    return query


def _write_url(wanted: dict[str, str]) -> None:
    """The directory's parameters in the URL in step with the widgets; the sidebar's and others stay."""
    for key in dirx.QUERY_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def pager(selection: dirx.Selection) -> int:
    """The page shown (a number input when there is more than one page), kept in the URL as ``hal``."""
    pages = selection.n_pages
    if st.session_state.get(KEY_PAGE, 1) > pages:
        st.session_state[KEY_PAGE] = pages
    if pages > 1:
        st.columns([1, 3])[0].number_input(f"Halaman (dari {fmt.number(pages)})", min_value=1, max_value=pages,
                                           step=1, key=KEY_PAGE)
    number = int(st.session_state.get(KEY_PAGE, 1)) if pages > 1 else 1
    if number > 1:
        st.query_params[dirx.Q_PAGE] = str(number)
    elif dirx.Q_PAGE in st.query_params:
        del st.query_params[dirx.Q_PAGE]
    return number


# What quote_plus leaves as it is: an id made of these only is its own quoted form (most ids are).
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]*")


def with_links(table: pd.DataFrame, id_column: str, keep: tuple[str, ...] = DIRECTORY_KEYS) -> tuple[pd.DataFrame, dict]:
    """``table`` with a first column of profile links made from ``id_column``, and the column_config that
    shows them as "Buka profil" (opened in a new tab, as Streamlit opens every table link)."""
    linked = table.copy()
    prefix = _link_prefix(keep)  # once, then each id: a budget plan lists thousands of candidates
    key = f"{quote_plus(dirx.Q_UMKM)}="  # what urlencode writes for one pair, without its per-call overhead
    ids = (str(i) for i in table[id_column].to_numpy(dtype=object))
    linked.insert(0, COL_LINK, [f"{prefix}{key}{i if _URL_SAFE.fullmatch(i) else quote_plus(i)}" for i in ids])
    config = {COL_LINK: st.column_config.LinkColumn(COL_LINK, display_text="Buka profil", width="small",
                                                    help="Profil UMKM: penjualan, pelatihan, asal data.")}
    return linked, config


def current_link() -> str:
    """The relative link that reopens the directory as it is now (search, filters, sort, page)."""
    return f"{PAGE_PATH}?{urlencode(st.query_params.to_dict())}"

