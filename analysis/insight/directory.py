"""Find one UMKM: the producer directory's search, filters, sort, pages and export.

A field officer preparing visits or invitations, or the head of the Dinas asking "who makes VCO in
Candipuro?", searches by name, owner or product and narrows by the sidebar filters, desa, legality, market
reach, online selling and the trainings attended. At province size (hundreds of thousands of producers)
that must answer in a fraction of a second on every keystroke, so everything that does not depend on the
query is prepared once per data version in a ``DirectoryIndex`` (folded search text, legality codes, each
producer's first training per jenis, the producer of every sales row); a query is then a few vectorised
masks, one sort of the matches and a frame of one page of ``PAGE_SIZE`` rows. Nothing here knows about
Streamlit; the query travels in the URL (``to_query`` / ``from_query``).

Legality (NIB, PIRT, halal) and online selling are three-valued: *tidak diketahui* (not recorded) is its
own value, never counted as *tidak*.

Desa is free text in the registries (a desa column, else the address), so the desa filter is a text match
that ignores case, accents and spaces ("Karya Mulyasari" finds "Karya Mulya Sari"). A canonical desa
(name and Kemendagri code) plugs in as one more mask in ``select`` and one more field of ``Query``.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core import formatting as fmt
from analysis.core import privacy
from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight.coded import NO_MONTH, CodedSales, covers, first_days

PAGE_SIZE = 50

# Query-parameter names (short, readable in a shared link).
Q_TEXT, Q_DESA, Q_PASAR, Q_ONLINE, Q_DONE, Q_NOT_DONE = "q", "desa", "pasar", "online", "sudah", "belum"
Q_SORT, Q_DIRECTION, Q_PAGE, Q_UMKM = "urut", "arah", "hal", "umkm"
Q_LEGAL = {Producers.nib: "nib", Producers.pirt: "pirt", Producers.halal: "halal"}
LIST_SEPARATOR = ","
DESCENDING, ASCENDING = "turun", "naik"

# Three-valued states, as they appear in a link; labels for the screen and the Excel.
ADA, TIDAK, YA, TIDAK_DIKETAHUI = "ada", "tidak", "ya", "tidak-diketahui"
LEGAL_STATES = (ADA, TIDAK, TIDAK_DIKETAHUI)
ONLINE_STATES = (YA, TIDAK, TIDAK_DIKETAHUI)
STATE_LABELS = {ADA: "Ada", TIDAK: "Tidak", YA: "Ya", TIDAK_DIKETAHUI: "Tidak diketahui"}
_STATE_CODE = {ADA: 1, YA: 1, TIDAK: 0, TIDAK_DIKETAHUI: -1}
LEGAL_LABELS = {Producers.nib: "NIB", Producers.pirt: "PIRT", Producers.halal: "Halal"}
PASAR_UNKNOWN = "Tidak diketahui"
PASAR_OPTIONS = (*ref.JANGKAUAN_PASAR, PASAR_UNKNOWN)
ANY_TRAINING = "Apa pun"
TRAINING_OPTIONS = (ANY_TRAINING, *ref.JENIS_PELATIHAN)

# Words that say where, not what: "VCO di desa Karya Mulyasari" searches for "vco" and "karyamulyasari".
STOPWORDS = frozenset({"di", "desa", "kelurahan", "kel", "kecamatan", "kec", "dan", "yang"})
_MAX_PHRASE = 4  # words of the longest synonym phrase looked for in a query
# Fields the search looks in, each folded without spaces and separated, so a word never spans two fields.
SEARCH_FIELDS = (Producers.nama_usaha, Producers.nama_pemilik, Producers.produk_utama, Producers.desa,
                 Producers.kecamatan, Producers.umkm_id)
_FIELD_SEPARATOR = "|"

# Columns of the rows frames (``rows``) besides the producers' own.
PELATIHAN = "pelatihan"  # the jenis attended up to the end of the period, comma-separated
PENJUALAN = "penjualan_periode_rp"  # sales reported in the period
TERAKHIR = "bulan_terakhir"  # last month with a sales report
ROW_COLUMNS = (Producers.umkm_id, Producers.nama_usaha, Producers.nama_pemilik, Producers.produk_utama,
               Producers.kategori, Producers.kecamatan, Producers.desa, Producers.skala, Producers.nib,
               Producers.pirt, Producers.halal, Producers.jangkauan_pasar, Producers.pemasaran_online,
               Producers.nik, Producers.no_hp, Producers.jenis_kelamin, Producers.tahun_mulai,
               Producers.tenaga_kerja, Producers.omzet_tahunan_rp, Producers.sumber_file, Producers.sumber_sheet,
               Producers.sumber_baris)

# Column labels of the page table and the Excel.
COL_ID, COL_NAMA, COL_PEMILIK, COL_PRODUK = "Kode UMKM", "Nama usaha", "Pemilik", "Produk utama"
COL_PENJUALAN, COL_TERAKHIR, COL_PELATIHAN = "Penjualan dalam periode", "Terakhir melapor", "Pelatihan diikuti"
COL_NIK, COL_HP = "NIK", "No. HP"
_LABELS = {
    Producers.umkm_id: COL_ID, Producers.nama_usaha: COL_NAMA, Producers.nama_pemilik: COL_PEMILIK,
    Producers.produk_utama: COL_PRODUK, Producers.kategori: "Kategori", Producers.kecamatan: "Kecamatan",
    Producers.desa: "Desa", Producers.skala: "Skala", Producers.nib: "NIB", Producers.pirt: "PIRT",
    Producers.halal: "Halal", Producers.jangkauan_pasar: "Jangkauan pasar", Producers.pemasaran_online: "Online",
    PELATIHAN: COL_PELATIHAN, PENJUALAN: COL_PENJUALAN, TERAKHIR: COL_TERAKHIR, Producers.nik: COL_NIK,
    Producers.no_hp: COL_HP, Producers.jenis_kelamin: "Jenis kelamin", Producers.tahun_mulai: "Tahun mulai",
    Producers.tenaga_kerja: "Tenaga kerja", Producers.omzet_tahunan_rp: "Omzet tahunan (Rp)",
    Producers.sumber_file: "Berkas asal", Producers.sumber_sheet: "Lembar asal", Producers.sumber_baris: "Baris asal",
}
SCREEN_COLUMNS = (Producers.nama_usaha, Producers.nama_pemilik, Producers.produk_utama, Producers.kategori,
                  Producers.kecamatan, Producers.desa, Producers.skala, Producers.nib, Producers.pirt, Producers.halal,
                  Producers.jangkauan_pasar, Producers.pemasaran_online, PELATIHAN, PENJUALAN, TERAKHIR,
                  Producers.nik, Producers.no_hp, Producers.umkm_id)


@dataclass(frozen=True)
class SortKey:
    label: str
    descending: bool  # the direction it starts in: largest sales first, names A to Z


SORTS: dict[str, SortKey] = {
    "nama": SortKey("Nama usaha", False),
    "pemilik": SortKey("Nama pemilik", False),
    "wilayah": SortKey("Kecamatan dan desa", False),
    "penjualan": SortKey("Penjualan dalam periode", True),
    "omzet": SortKey("Omzet tahunan (registri)", True),
    "terakhir": SortKey("Terakhir melapor penjualan", True),
    "mulai": SortKey("Tahun mulai usaha", False),
    "tenaga": SortKey("Tenaga kerja", True),
}
DEFAULT_SORT = "nama"


@dataclass(frozen=True)
class Query:
    """What the directory is asked, besides the sidebar filters. Empty selections mean "all"."""

    text: str = ""  # words, each found in the name, owner, product, desa, kecamatan or id (synonyms too)
    desa: str = ""  # part of the desa (or address) as written, case, accents and spaces aside
    legal: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (column, states) for nib, pirt, halal
    online: tuple[str, ...] = ()
    pasar: tuple[str, ...] = ()  # jangkauan_pasar values, PASAR_UNKNOWN for not recorded
    done: tuple[str, ...] = ()  # jenis attended, every one of them (ANY_TRAINING: at least one training)
    not_done: tuple[str, ...] = ()  # jenis never attended (ANY_TRAINING: no training at all)
    sort: str = DEFAULT_SORT
    descending: bool = False

    def states(self, column: str) -> tuple[str, ...]:
        return dict(self.legal).get(column, ())

    def describe(self) -> str:
        """One Indonesian line for the caption and the Excel's parameter sheet."""
        parts = []
        if self.text.strip():
            parts.append(f"cari \u201c{self.text.strip()}\u201d")
        if self.desa.strip():
            parts.append(f"desa \u201c{self.desa.strip()}\u201d")
        for column, states in self.legal:
            if states:
                parts.append(f"{LEGAL_LABELS[column]}: {', '.join(STATE_LABELS[s].lower() for s in states)}")
        if self.online:
            parts.append(f"online: {', '.join(STATE_LABELS[s].lower() for s in self.online)}")
        if self.pasar:
            parts.append(f"jangkauan pasar: {', '.join(self.pasar)}")
        if self.done:
            parts.append(f"sudah ikut pelatihan: {', '.join(self.done)}")
        if self.not_done:
            parts.append(f"belum pernah ikut pelatihan: {', '.join(self.not_done)}")
        return "; ".join(parts) if parts else "semua UMKM"


def make_query(*, text: str = "", desa: str = "", legal: Mapping[str, tuple[str, ...]] | None = None,
               online: tuple[str, ...] = (), pasar: tuple[str, ...] = (), done: tuple[str, ...] = (),
               not_done: tuple[str, ...] = (), sort: str = DEFAULT_SORT, descending: bool | None = None) -> Query:
    """A Query with its legal states in a fixed order (so equal queries are equal cache keys)."""
    states = tuple((column, tuple(s for s in LEGAL_STATES if s in (legal or {}).get(column, ())))
                   for column in Q_LEGAL if (legal or {}).get(column))
    sort = sort if sort in SORTS else DEFAULT_SORT
    return Query(text=text.strip(), desa=desa.strip(), legal=states,
                 online=tuple(s for s in ONLINE_STATES if s in online),
                 pasar=tuple(p for p in PASAR_OPTIONS if p in pasar),
                 done=tuple(j for j in TRAINING_OPTIONS if j in done),
                 not_done=tuple(j for j in TRAINING_OPTIONS if j in not_done),
                 sort=sort, descending=SORTS[sort].descending if descending is None else descending)


def to_query(query: Query) -> dict[str, str]:
    """Query parameters for a shareable link; defaults are left out."""
    params = {}
    if query.text:
        params[Q_TEXT] = query.text
    if query.desa:
        params[Q_DESA] = query.desa
    for column, states in query.legal:
        params[Q_LEGAL[column]] = LIST_SEPARATOR.join(states)
    for key, values in ((Q_ONLINE, query.online), (Q_PASAR, query.pasar), (Q_DONE, query.done),
                        (Q_NOT_DONE, query.not_done)):
        if values:
            params[key] = LIST_SEPARATOR.join(values)
    if query.sort != DEFAULT_SORT:
        params[Q_SORT] = query.sort
    if query.descending != SORTS[query.sort].descending:
        params[Q_DIRECTION] = DESCENDING if query.descending else ASCENDING
    return params


QUERY_KEYS = (Q_TEXT, Q_DESA, *Q_LEGAL.values(), Q_ONLINE, Q_PASAR, Q_DONE, Q_NOT_DONE, Q_SORT, Q_DIRECTION)


def from_query(params: Mapping[str, str]) -> tuple[Query, list[str]]:
    """The Query of a link, and Indonesian notes on values that were ignored. Never raises."""
    notes: list[str] = []

    def choices(key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        values = [v.strip() for v in str(params.get(key) or "").split(LIST_SEPARATOR) if v.strip()]
        unknown = [v for v in values if v not in allowed]
        if unknown:
            notes.append(f"Nilai '{', '.join(unknown)}' pada parameter '{key}' tidak dikenal; diabaikan.")
        return tuple(v for v in values if v in allowed)

    sort = str(params.get(Q_SORT) or DEFAULT_SORT)
    if sort not in SORTS:
        notes.append(f"Urutan '{sort}' tidak dikenal; diurutkan menurut nama usaha.")
        sort = DEFAULT_SORT
    direction = params.get(Q_DIRECTION)
    descending = None if direction not in (ASCENDING, DESCENDING) else direction == DESCENDING
    query = make_query(
        text=str(params.get(Q_TEXT) or ""), desa=str(params.get(Q_DESA) or ""),
        legal={column: choices(key, LEGAL_STATES) for column, key in Q_LEGAL.items()},
        online=choices(Q_ONLINE, ONLINE_STATES), pasar=choices(Q_PASAR, PASAR_OPTIONS),
        done=choices(Q_DONE, TRAINING_OPTIONS), not_done=choices(Q_NOT_DONE, TRAINING_OPTIONS),
        sort=sort, descending=descending)
    return query, notes


def page_from_query(params: Mapping[str, str]) -> int:
    """The page number of a link (1 when missing or not a positive number)."""
    try:
        return max(1, int(str(params.get(Q_PAGE) or 1)))
    except ValueError:
        return 1


# ------------------------------------------------------------------------------------------------ search text


def search_terms(text: str, synonyms: Mapping[str, tuple[str, ...]] | None = None) -> list[tuple[str, ...]]:
    """The query as terms that must all be found, each a tuple of alternatives (compact: folded, letters
    and digits only). A word or phrase of a synonym group stands for its whole group ("VCO" ->
    ("vco", "virgincoconutoil", "minyakkelapamurni", "minyakkelapa")); place words (``STOPWORDS``) are
    dropped unless nothing else is left."""
    synonyms = ref.search_synonyms() if synonyms is None else synonyms
    words = [w for w in re.split(r"[^a-z0-9]+", ref.fold(text)) if w]
    meaningful = [w for w in words if w not in STOPWORDS]
    if meaningful:
        words = [w for w in words if w not in STOPWORDS]
    terms: list[tuple[str, ...]] = []
    position = 0
    while position < len(words):
        for length in range(min(_MAX_PHRASE, len(words) - position), 0, -1):
            phrase = "".join(words[position:position + length])
            if phrase in synonyms:
                terms.append(_shortest_alternatives(synonyms[phrase]))
                position += length
                break
        else:
            terms.append((words[position],))
            position += 1
    return terms


def _shortest_alternatives(terms: tuple[str, ...]) -> tuple[str, ...]:
    """Alternatives without those that contain another (a text holding "minyakkelapamurni" holds
    "minyakkelapa"): fewer substring scans, the same matches."""
    return tuple(t for t in terms if not any(o != t and o in t for o in terms))


def _arrow_text(values: pd.Series) -> pa.Array:
    """The column as one Arrow string array: taken as it is from Arrow-backed text (no Python objects)."""
    array = getattr(values.array, "_pa_array", None)
    if array is None or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = pa.array(values.astype("string").to_numpy(dtype=object, na_value=None), type=pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _compact_array(values: pd.Series) -> pa.Array:
    """``reference.compact`` of every value, vectorised in Arrow (NFKD, lower case, letters and digits)."""
    array = _arrow_text(values)
    return pc.replace_substring_regex(pc.utf8_lower(pc.utf8_normalize(array, "NFKD")), r"[^a-z0-9]+", "")


def _contains_any(haystack, alternatives: tuple[str, ...]) -> np.ndarray:
    found = np.zeros(len(haystack), dtype=bool)
    for alternative in alternatives:
        found |= np.asarray(pc.fill_null(pc.match_substring(haystack, alternative), False), dtype=bool)
    return found


# ------------------------------------------------------------------------------------------------ the index


def _state_codes(values: pd.Series) -> np.ndarray:
    """1 true, 0 false, -1 not recorded."""
    array = values.astype("boolean")
    codes = np.where(array.fillna(False).to_numpy(dtype=bool), 1, 0).astype(np.int8)
    codes[array.isna().to_numpy()] = -1
    return codes


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


class DirectoryIndex:
    """What every query of one data version needs, prepared once (see the module docstring). Read-only:
    one object serves every session of the dashboard; the frames it was given are never modified.

    ``sources``: the ingest's producer_sources (every registry row behind each producer) and
    ``near_duplicates``: the pairs listed for review, both for the profile (analysis/insight/producer.py)."""

    def __init__(self, producers: pd.DataFrame, sales: pd.DataFrame, trainings: pd.DataFrame,
                 participants: pd.DataFrame, *, coded: CodedSales | None = None,
                 sources: pd.DataFrame | None = None, near_duplicates: pd.DataFrame | None = None,
                 synonyms: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.producers = producers.reset_index(drop=True)
        self.sales = sales
        self.trainings = trainings
        self.participants = participants
        self.sources = sources if sources is not None else pd.DataFrame()
        self.near_duplicates = near_duplicates if near_duplicates is not None else pd.DataFrame()
        self.synonyms = dict(ref.search_synonyms() if synonyms is None else synonyms)
        self.n = len(self.producers)
        self.ids = pd.Index(self.producers[Producers.umkm_id].astype("string"))
        given = covers(coded, sales)
        self.coded = coded if given else CodedSales(sales, producers)
        self._memo: dict = {}  # the period's sales per period, the last 16 kept
        self._ranks: dict[str, np.ndarray] = {}

    # ---- text ----------------------------------------------------------------------------------------
    @cached_property
    def _text(self):
        fields = [_compact_array(self.producers[c]).cast(pa.large_string()) if c in self.producers.columns
                  else pa.nulls(self.n, pa.large_string()) for c in SEARCH_FIELDS]
        return pc.binary_join_element_wise(*fields, pa.scalar(_FIELD_SEPARATOR, pa.large_string()),
                                           null_handling="replace", null_replacement="")

    @cached_property
    def _desa(self):
        return _compact_array(self.producers[Producers.desa])

    def text_mask(self, text: str) -> np.ndarray:
        """Producers holding every term of ``text`` (``search_terms``) in a search field."""
        keep = np.ones(self.n, dtype=bool)
        for alternatives in search_terms(text, self.synonyms):
            keep &= _contains_any(self._text, alternatives)
        return keep

    def desa_mask(self, text: str) -> np.ndarray:
        """Producers whose desa (or address) holds ``text``, case, accents, spaces and a "Desa" prefix aside."""
        words = [w for w in re.split(r"[^a-z0-9]+", ref.fold(text)) if w]
        if len(words) > 1 and words[0] in STOPWORDS:
            words = words[1:]
        key = "".join(words)
        return _contains_any(self._desa, (key,)) if key else np.ones(self.n, dtype=bool)

    # ---- coded columns -------------------------------------------------------------------------------
    @cached_property
    def states(self) -> dict[str, np.ndarray]:
        """Per three-valued column (nib, pirt, halal, pemasaran_online): 1 / 0 / -1 (not recorded)."""
        return {c: _frozen(_state_codes(self.producers[c]))
                for c in (*Q_LEGAL, Producers.pemasaran_online)}

    @cached_property
    def pasar(self) -> np.ndarray:
        """Index of each producer's jangkauan_pasar in PASAR_OPTIONS (the last: not recorded)."""
        codes = pd.Categorical(self.producers[Producers.jangkauan_pasar].astype("string"),
                               categories=list(ref.JANGKAUAN_PASAR)).codes.astype(np.int8)
        return _frozen(np.where(codes < 0, len(ref.JANGKAUAN_PASAR), codes).astype(np.int8))

    @cached_property
    def _attendance(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per jenis: (attended at all, start of the first dated training attended; NaT when none)."""
        linked = self.participants[self.participants[Participants.umkm_id].notna()]
        events = self.trainings.drop_duplicates(Trainings.pelatihan_id).set_index(Trainings.pelatihan_id)
        jenis = linked[Participants.pelatihan_id].map(events[Trainings.jenis]).to_numpy(dtype=object)
        starts = pd.to_datetime(linked[Participants.pelatihan_id].map(events[Trainings.tanggal_mulai])).to_numpy()
        position = self.ids.get_indexer(linked[Participants.umkm_id].astype("string"))
        result = {}
        for name in ref.JENIS_PELATIHAN:
            chosen = (jenis == name) & (position >= 0)
            attended = np.zeros(self.n, dtype=bool)
            attended[position[chosen]] = True
            first = np.full(self.n, np.datetime64("NaT"), dtype="datetime64[us]")
            dated = chosen & ~np.isnat(starts)
            if dated.any():
                earliest = pd.Series(starts[dated]).groupby(position[dated]).min()
                first[earliest.index.to_numpy()] = earliest.to_numpy().astype("datetime64[us]")
            result[name] = (_frozen(attended), _frozen(first))
        return result

    def trained(self, jenis: str, before: pd.Timestamp | None) -> np.ndarray:
        """Producers that attended a training of ``jenis`` (ANY_TRAINING: of any jenis) that started before
        ``before`` (None: ever, undated events included), as the indicators count it."""
        if jenis == ANY_TRAINING:
            found = np.zeros(self.n, dtype=bool)
            for name in ref.JENIS_PELATIHAN:
                found |= self.trained(name, before)
            return found
        attended, first = self._attendance[jenis]
        if before is None:
            return attended
        return first < np.datetime64(pd.Timestamp(before), "us")

    @cached_property
    def sales_producer(self) -> np.ndarray:
        """Position in ``producers`` of each sales row's producer (-1: not linked or unknown)."""
        coded = self.coded
        if not len(coded.ids):
            return _frozen(np.full(coded.n_rows, -1, dtype=np.int32))
        of_id = self.ids.get_indexer(coded.ids.astype("string")).astype(np.int32)
        return _frozen(np.where(coded.umkm >= 0, of_id[np.maximum(coded.umkm, 0)], -1).astype(np.int32))

    def sales_rows(self, position: int) -> np.ndarray:
        """Positions of the sales rows of the producer at ``position``."""
        return np.flatnonzero(self.sales_producer == position)

    def period_sales(self, filters: flt.Filters) -> np.ndarray:
        """Per producer, the sales reported in the period of ``filters`` (NaN: no report in it)."""
        key = ("penjualan", filters.start, filters.end)
        if key not in self._memo:
            coded, producer = self.coded, self.sales_producer
            rows = coded.usable & (producer >= 0) & coded.in_period(filters)
            total = np.bincount(producer[rows], weights=coded.nilai[rows], minlength=self.n)
            counted = np.bincount(producer[rows], minlength=self.n)
            self._remember(key, _frozen(np.where(counted > 0, total, np.nan)))
        return self._memo[key]

    @cached_property
    def last_month(self) -> np.ndarray:
        """Per producer, the first day of the last month with a sales report (NaT: none): the greatest month
        code per producer (``np.maximum.at``, where a group-by of the dates took 0.3 s at province size)."""
        coded, producer = self.coded, self.sales_producer
        rows = coded.usable & (producer >= 0)
        latest = np.full(self.n, NO_MONTH, dtype=np.int32)
        np.maximum.at(latest, producer[rows], coded.month[rows])
        return _frozen(first_days(latest))

    def _remember(self, key, value) -> None:
        while len(self._memo) >= 16:
            self._memo.pop(next(iter(self._memo)))
        self._memo[key] = value

    def rank(self, column: str) -> np.ndarray:
        """Each producer's place in the order of the text ``column`` (folded: case, accents and spaces aside);
        -1 where it is missing or holds no letter or digit."""
        if column not in self._ranks:  # a few text columns: kept, never evicted
            folded = _compact_array(self.producers[column])
            empty = pc.fill_null(pc.equal(folded, ""), True)
            folded = pc.if_else(empty, pa.scalar(None, folded.type), folded)
            ranks = np.asarray(pc.rank(folded, sort_keys=[("", "ascending")], tiebreaker="dense"), dtype=np.int64)
            self._ranks[column] = _frozen(np.where(np.asarray(empty, dtype=bool), -1, ranks))
        return self._ranks[column]

    @cached_property
    def sales_origin(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Where each sales row is, as codes (the profile lists a producer's rows without touching the
        million-row text columns): file codes and names, sheet codes and names, Excel rows (NaN: unknown)."""
        def coded(column: str) -> tuple[np.ndarray, np.ndarray]:
            codes, names = self.coded.text_codes(column)  # from the version's file, or the frame given
            return _frozen(codes.astype(np.int32)), names.to_numpy(dtype=object)

        files, file_names = coded(Sales.sumber_file)
        sheets, sheet_names = coded(Sales.sumber_sheet)
        return files, file_names, sheets, sheet_names, _frozen(self.coded.numbers_of(Sales.sumber_baris))

    def prepare(self) -> DirectoryIndex:
        """Build every part a search, a page or a profile needs now, not on the first query: the dashboard
        calls this once per data version, so the first search and the first profile are as quick as the next."""
        for name in ("_text", "_desa", "states", "pasar", "_attendance", "last_month", "sales_origin"):
            getattr(self, name)  # a cached_property: built here, kept
        self.period_sales(flt.Filters())
        for column in (Producers.nama_usaha, Producers.nama_pemilik, Producers.kecamatan, Producers.desa):
            self.rank(column)
        self.ids.get_indexer(self.ids[:1])  # the id lookup's hash table
        return self


# ------------------------------------------------------------------------------------------------ a query


@dataclass(frozen=True, eq=False)
class Selection:
    """The answer to one query under one set of sidebar filters: the matching producers' positions in the
    index, in the chosen order, and what the rows of any page need."""

    positions: np.ndarray
    n_total: int  # producers in the data
    sales: np.ndarray  # per producer (whole index), sales in the period; NaN: none reported
    before: pd.Timestamp | None  # trainings counted: those that started before this (None: all)
    query: Query = field(default_factory=Query)
    filters: flt.Filters = field(default_factory=flt.Filters)

    @property
    def n_match(self) -> int:
        return len(self.positions)

    @property
    def n_pages(self) -> int:
        return max(1, -(-self.n_match // PAGE_SIZE))

    def page(self, number: int) -> np.ndarray:
        """Positions on page ``number`` (1-based, clipped to the pages there are)."""
        number = min(max(1, number), self.n_pages)
        return self.positions[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]


def period_end(filters: flt.Filters) -> pd.Timestamp | None:
    """The first day after the period (None: open-ended): trainings up to the end of the period count."""
    return None if filters.end is None else pd.Timestamp(filters.end) + pd.offsets.MonthBegin(1)


def select(index: DirectoryIndex, query: Query, filters: flt.Filters = flt.Filters()) -> Selection:
    """The producers matching the sidebar filters (kecamatan, kategori, skala; the period decides the sales
    shown and the trainings counted) and ``query``, sorted."""
    keep = np.array(flt.select_producers(index.producers, filters), dtype=bool)  # a copy: written below
    if query.text:
        keep &= index.text_mask(query.text)
    if query.desa:
        keep &= index.desa_mask(query.desa)
    for column, states in query.legal:
        keep &= np.isin(index.states[column], [_STATE_CODE[s] for s in states])
    if query.online:
        keep &= np.isin(index.states[Producers.pemasaran_online], [_STATE_CODE[s] for s in query.online])
    if query.pasar:
        keep &= np.isin(index.pasar, [PASAR_OPTIONS.index(p) for p in query.pasar])
    before = period_end(filters)
    for jenis in query.done:
        keep &= index.trained(jenis, before)
    for jenis in query.not_done:
        keep &= ~index.trained(jenis, before)
    sales = index.period_sales(filters)
    positions = _sorted(index, np.flatnonzero(keep), query, sales)
    return Selection(_frozen(positions), index.n, sales, before, query, filters)


_TEXT_SORTS = {"nama": (Producers.nama_usaha,), "pemilik": (Producers.nama_pemilik,),
               "wilayah": (Producers.kecamatan, Producers.desa)}


def _sorted(index: DirectoryIndex, positions: np.ndarray, query: Query, sales: np.ndarray) -> np.ndarray:
    """``positions`` in the query's order; missing values last in either direction, ties by name (A to Z),
    then by position (a stable, repeatable order for paging)."""
    if not len(positions):
        return positions.astype(np.int64)
    priority: list[np.ndarray] = []  # most significant first

    def by(values: np.ndarray, missing: np.ndarray, descending: bool) -> None:
        priority.append(missing.astype(np.int8))
        priority.append(np.where(missing, 0, -values if descending else values))

    if query.sort in _TEXT_SORTS:
        for column in _TEXT_SORTS[query.sort]:
            codes = index.rank(column)[positions]
            by(codes, codes < 0, query.descending)
    else:
        values = _sort_values(index, query.sort, sales)[positions]
        by(values, np.isnan(values), query.descending)
    name = index.rank(Producers.nama_usaha)[positions]
    by(name, name < 0, False)
    return positions[np.lexsort((positions, *reversed(priority)))]


def _sort_values(index: DirectoryIndex, sort: str, sales: np.ndarray) -> np.ndarray:
    """The numbers a numeric sort orders by, for every producer (NaN: missing)."""
    if sort == "penjualan":
        return sales
    if sort == "terakhir":
        last = index.last_month
        return np.where(np.isnat(last), np.nan, last.astype("int64").astype(float))
    column = {"omzet": Producers.omzet_tahunan_rp, "mulai": Producers.tahun_mulai, "tenaga": Producers.tenaga_kerja}[sort]
    return pd.to_numeric(index.producers[column]).to_numpy(dtype=float, na_value=np.nan)


def rows(index: DirectoryIndex, selection: Selection, positions: np.ndarray | None = None) -> pd.DataFrame:
    """The producers at ``positions`` (default: every match, in order) with the period's sales, the last
    month reported and the jenis trained up to the end of the period. Unformatted and unmasked: pass it
    through ``privacy.mask_frame`` (ui.data.masked) before showing it."""
    positions = selection.positions if positions is None else positions
    frame = index.producers.iloc[positions][[c for c in ROW_COLUMNS if c in index.producers.columns]]
    frame = frame.reset_index(drop=True)
    trained = {jenis: index.trained(jenis, selection.before)[positions] for jenis in ref.JENIS_PELATIHAN}
    frame[PELATIHAN] = pd.Series([", ".join(j for j in ref.JENIS_PELATIHAN if trained[j][i]) or None
                                  for i in range(len(positions))], dtype="string")
    frame[PENJUALAN] = selection.sales[positions]
    frame[TERAKHIR] = pd.Series(index.last_month[positions], dtype="datetime64[us]")
    return frame


def _state_text(values: pd.Series, yes: str, short: bool) -> list[str]:
    unknown = fmt.MISSING if short else STATE_LABELS[TIDAK_DIKETAHUI].lower()
    text = {True: yes, False: STATE_LABELS[TIDAK] if short else TIDAK}
    return [unknown if v is pd.NA or v is None else text[bool(v)] for v in values.astype("boolean")]


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (masked) as the page shows them: Indonesian labels and text; a missing value is "–"
    (for NIB, PIRT, halal and online: not recorded, which is not "Tidak")."""
    shown = frame[[c for c in SCREEN_COLUMNS if c in frame.columns]].copy()
    for column in (*Q_LEGAL, Producers.pemasaran_online):
        if column in shown:
            shown[column] = _state_text(frame[column], "Ya" if column == Producers.pemasaran_online else "Ada", True)
    shown[PENJUALAN] = [fmt.rupiah(v) for v in frame[PENJUALAN]]
    shown[TERAKHIR] = [fmt.month_label(v) for v in frame[TERAKHIR]]
    shown = shown.astype(object).where(shown.notna(), fmt.MISSING)
    return shown.rename(columns=_LABELS)


# ------------------------------------------------------------------------------------------------ the export

SHEET_UMKM, SHEET_PARAMETER = "UMKM", "Parameter"
RUPIAH_FORMAT = '"Rp" #,##0'
EXPORT_FORMATS = {SHEET_UMKM: {_LABELS[PENJUALAN]: RUPIAH_FORMAT, _LABELS[Producers.omzet_tahunan_rp]: RUPIAH_FORMAT}}
EXPORT_COLUMNS = (Producers.umkm_id, Producers.nama_usaha, Producers.nama_pemilik, Producers.nik, Producers.no_hp,
                  Producers.jenis_kelamin, Producers.kecamatan, Producers.desa, Producers.kategori,
                  Producers.produk_utama, Producers.skala, Producers.tahun_mulai, Producers.tenaga_kerja,
                  Producers.omzet_tahunan_rp, Producers.nib, Producers.pirt, Producers.halal,
                  Producers.jangkauan_pasar, Producers.pemasaran_online, PELATIHAN, PENJUALAN, TERAKHIR,
                  Producers.sumber_file, Producers.sumber_sheet, Producers.sumber_baris)


def export_sheets(index: DirectoryIndex, selection: Selection, data_until: pd.Timestamp | None, link: str, *,
                  show_personal: bool = False) -> dict[str, pd.DataFrame]:
    """The Excel of the current result, every match in the page's order (for invitations and visits):
    numbers stay numbers, NIK and phone masked unless ``show_personal`` (admin data), and a parameter
    sheet that says which query and filters made it and the link that reopens it."""
    frame = privacy.mask_frame(rows(index, selection), show_personal=show_personal)
    sheet = frame[[c for c in EXPORT_COLUMNS if c in frame.columns]].copy()
    for column in (*Q_LEGAL, Producers.pemasaran_online):
        sheet[column] = _state_text(frame[column], YA if column == Producers.pemasaran_online else ADA, False)
    sheet[TERAKHIR] = [fmt.month_label(v) if not pd.isna(v) else None for v in frame[TERAKHIR]]
    sheet = sheet.rename(columns=_LABELS)
    parameters = pd.DataFrame([
        ("Pencarian dan filter direktori", selection.query.describe()),
        ("Filter samping", selection.filters.describe()),
        ("Urutan", f"{SORTS[selection.query.sort].label}, {'menurun' if selection.query.descending else 'menaik'}"),
        ("UMKM cocok", selection.n_match),
        ("UMKM dalam data", selection.n_total),
        ("Data sampai", fmt.month_label(data_until) if data_until is not None else fmt.MISSING),
        ("NIK dan nomor HP", "lengkap (admin data)" if show_personal else "disamarkan"),
        ("Pelatihan diikuti", "jenis pelatihan yang dimulai sampai akhir periode"),
        ("Tidak diketahui", "NIB, PIRT, halal atau pemasaran online yang tidak tercatat di registri (bukan 'tidak')"),
        ("Tautan direktori", link),
    ], columns=["Parameter", "Nilai"])
    return {SHEET_UMKM: sheet, SHEET_PARAMETER: parameters}


def counts_line(selection: Selection) -> str:
    """"1.234 UMKM cocok dari 2.500" (the data's producers)."""
    return f"{fmt.number(selection.n_match)} UMKM cocok dari {fmt.number(selection.n_total)}"


def page_line(selection: Selection, number: int) -> str:
    """"Baris 51–100 · halaman 2 dari 25"."""
    number = min(max(1, number), selection.n_pages)
    if not selection.n_match:
        return "Tidak ada baris"
    first = (number - 1) * PAGE_SIZE + 1
    last = min(number * PAGE_SIZE, selection.n_match)
    return (f"Baris {fmt.number(first)}–{fmt.number(last)} · halaman {fmt.number(number)} dari "
            f"{fmt.number(selection.n_pages)}")


def with_sort(query: Query, sort: str, descending: bool) -> Query:
    return replace(query, sort=sort if sort in SORTS else DEFAULT_SORT, descending=descending)
