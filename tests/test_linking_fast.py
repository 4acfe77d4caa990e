"""The faster global steps of the ingest (near duplicates, merging, linking) give exactly what the
straightforward code gave: each test keeps the former implementation as a reference and compares on
generated producers, sales and participants. (Speed itself is measured by `python -m bench`.)"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from analysis import cleaning, ingest, linking
from analysis.cleaning import name_key
from analysis.schemas import Sales

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Few words, so that generated names collide, differ by a letter or a suffix, or repeat exactly.
FIRST = ["Siti", "Sri", "Siti Aminah", "Bu Sri", "Bu Sri 2", "Ibu Hj. Siti", "Sukardi", "Sukardy", "Suparmi", "Murni"]
BUSINESS = ["Keripik Tempe", "Keripik Tempe Barokah", "Keripik Tempe Barokh", "UD Barokah", "UD. Barokah", "Bibit Durian",
            "Bibit Durian Jati Baru", "Warung Bu Sri", "Warung Bu Sri 2", "Kopi"]
NAME = st.one_of(st.sampled_from(FIRST + BUSINESS), st.builds(lambda a, b: f"{a} {b}", st.sampled_from(BUSINESS), st.sampled_from(FIRST)),
                 st.text(alphabet="abcdeiu .", max_size=14), st.none(), st.just(""),
                 st.text(alphabet="ab", min_size=120, max_size=140))  # long: a one-letter typo rounds to 100
KECAMATAN = st.one_of(st.sampled_from(["Natar", "Kalianda", "Jati Agung"]), st.none())


def _near_duplicates_before(producers: pd.DataFrame) -> pd.DataFrame:
    """analysis.linking.near_duplicates before the length bands and distinct names."""
    columns = ["kecamatan", "umkm_id_a", "nama_usaha_a", "nama_pemilik_a", "umkm_id_b", "nama_usaha_b", "nama_pemilik_b", "skor"]
    found = []
    usaha = producers["nama_usaha"].map(name_key)
    combined = usaha + " " + producers["nama_pemilik"].map(name_key)
    for _, group in producers.groupby("kecamatan", sort=True):
        if len(group) < 2:
            continue
        both = process.cdist(combined.loc[group.index].tolist(), combined.loc[group.index].tolist(), scorer=fuzz.ratio,
                             score_cutoff=linking.NEAR_DUPLICATE_SCORE, dtype=np.uint8, workers=-1)
        names = usaha.loc[group.index].tolist()
        alike = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=linking.NEAR_DUPLICATE_SCORE, dtype=np.uint8, workers=-1)
        scores = np.maximum(both, np.where(alike < 100, alike, 0))
        a_idx, b_idx = np.nonzero(np.triu(scores, k=1))
        for a, b in zip(a_idx, b_idx):
            pa, pb = group.iloc[a], group.iloc[b]
            found.append([pa["kecamatan"], pa["umkm_id"], pa["nama_usaha"], pa["nama_pemilik"],
                          pb["umkm_id"], pb["nama_usaha"], pb["nama_pemilik"], float(scores[a, b])])
    return pd.DataFrame(found, columns=columns)


PRODUCER = st.tuples(NAME, NAME, KECAMATAN)


def _near_duplicates_in_chunks(producers: pd.DataFrame, chunk: int) -> pd.DataFrame:
    saved, linking._CHUNK = linking._CHUNK, chunk
    try:
        return linking.near_duplicates(producers)
    finally:
        linking._CHUNK = saved


def _producers(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["nama_usaha", "nama_pemilik", "kecamatan"], dtype=object)
    return frame.assign(umkm_id=[f"UMKM-{i}" for i in range(len(frame))])


@FAST
@given(rows=st.lists(PRODUCER, max_size=60), chunk=st.sampled_from([1, 2, 3, 7, 256]))
def test_near_duplicates_as_before(rows, chunk):
    """Also with tiny chunks of names, so that length bands cross chunk borders as in a large kecamatan."""
    producers = _producers(rows)
    pd.testing.assert_frame_equal(_near_duplicates_in_chunks(producers, chunk), _near_duplicates_before(producers), check_exact=True)


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_near_duplicates_as_before_in_a_large_kecamatan(seed):
    rng = np.random.default_rng(seed)
    words = FIRST + BUSINESS
    rows = [(f"{rng.choice(BUSINESS)}{rng.choice(['', ' ', 'a', ' 2'])}", str(rng.choice(words)), str(rng.choice(["Natar", "Kalianda"])))
            for _ in range(400)]
    producers = _producers(rows)
    before = _near_duplicates_before(producers)
    for chunk in (4, 256):
        pd.testing.assert_frame_equal(_near_duplicates_in_chunks(producers, chunk), before, check_exact=True)


def test_near_duplicates_sees_a_typo_and_a_suffix_but_not_a_common_name():
    producers = _producers([("Keripik Tempe Barokah", "Suparmi", "Natar"), ("Keripik Tempe Barokh", "Suparmi", "Natar"),
                            ("UD Barokah", "Siti", "Natar"), ("UD Barokah", "Murni", "Natar"),
                            ("Warung Bu Sri", "Sri", "Kalianda"), ("Warung Bu Sri 2", "Murni", "Kalianda")])
    for chunk in (1, 2, 256):
        found = _near_duplicates_in_chunks(producers, chunk)
        assert list(zip(found["kecamatan"], found["umkm_id_a"], found["umkm_id_b"], found["skor"])) == [
            ("Kalianda", "UMKM-4", "UMKM-5", 91.0), ("Natar", "UMKM-0", "UMKM-1", 98.0)]


# ---------------------------------------------------------------- linking sales rows and participants


class _ProducerIndexBefore:
    """analysis.linking.ProducerIndex before link_many, the length bands and the plain _unique_map."""

    def __init__(self, producers: pd.DataFrame) -> None:
        self._by_nik = _unique_map_before(producers["nik"], producers["umkm_id"])
        self._by_hp = _unique_map_before(producers["no_hp"], producers["umkm_id"])
        usaha = producers["nama_usaha"].map(name_key)
        pemilik = producers["nama_pemilik"].map(name_key)
        kecamatan = producers["kecamatan"].astype(str)
        ids = producers["umkm_id"]
        self._by_names_kec = _unique_map_before(usaha + "|" + pemilik + "|" + kecamatan, ids)
        self._by_names = _unique_map_before(usaha + "|" + pemilik, ids)
        self._by_pemilik_kec = _unique_map_before(pemilik + "|" + kecamatan, ids)
        self._by_usaha_kec = _unique_map_before(usaha + "|" + kecamatan, ids)
        combined = (usaha + " " + pemilik).map(linking._sorted_words)
        self._candidates = {str(kec): (combined.loc[index].tolist(), ids.loc[index].tolist())
                            for kec, index in producers.groupby(kecamatan).groups.items()}
        self._all = (combined.tolist(), ids.tolist())

    def link(self, nik=None, hp=None, usaha=None, pemilik=None, kecamatan=None) -> linking.Link:
        present, Link = linking._present, linking.Link
        if present(nik) and nik in self._by_nik:
            return Link(self._by_nik[nik], "nik", 100.0)
        if present(hp) and hp in self._by_hp:
            return Link(self._by_hp[hp], "hp", 100.0)
        ku, kp = name_key(usaha) if present(usaha) else "", name_key(pemilik) if present(pemilik) else ""
        kec = str(kecamatan) if present(kecamatan) else ""
        if not ku and not kp:
            return linking.NO_LINK
        for lookup, key in ((self._by_names_kec, f"{ku}|{kp}|{kec}"), (self._by_names, f"{ku}|{kp}")):
            if key in lookup:
                return Link(lookup[key], "nama", 100.0)
        if kec and kp and f"{kp}|{kec}" in self._by_pemilik_kec and not ku:
            return Link(self._by_pemilik_kec[f"{kp}|{kec}"], "nama", 100.0)
        if kec and ku and f"{ku}|{kec}" in self._by_usaha_kec and not kp:
            return Link(self._by_usaha_kec[f"{ku}|{kec}"], "nama", 100.0)
        names, ids = self._candidates.get(kec, self._all)
        if not names:
            return linking.NO_LINK
        best = process.extract(linking._sorted_words(f"{ku} {kp}".strip()), names, scorer=fuzz.ratio, limit=2,
                               score_cutoff=linking.FUZZY_MIN_SCORE - linking.FUZZY_MIN_MARGIN)
        if not best or best[0][1] < linking.FUZZY_MIN_SCORE:
            return linking.NO_LINK
        runner_up = best[1][1] if len(best) > 1 else 0.0
        if best[0][1] - runner_up < linking.FUZZY_MIN_MARGIN:
            return linking.NO_LINK
        return Link(ids[best[0][2]], "fuzzy", round(float(best[0][1]), 1))


def _unique_map_before(keys: pd.Series, ids: pd.Series) -> dict[str, str]:
    frame = pd.DataFrame({"key": keys.astype("string"), "id": ids}).dropna()
    frame = frame[frame["key"].str.len() > 0]
    counts = frame.groupby("key")["id"].nunique()
    first = frame.drop_duplicates("key")
    kept = first[first["key"].map(counts).to_numpy() == 1]
    return dict(zip(kept["key"], kept["id"]))


NIK = st.one_of(st.sampled_from(["1801", "1802", "1803", "1804"]), st.none(), st.just(""), st.just(np.nan))
HP = st.one_of(st.sampled_from(["0812", "0813", "0814"]), st.none(), st.just(pd.NA))
REGISTERED = st.tuples(NIK, HP, NAME, NAME, st.sampled_from(["Natar", "Kalianda", "Jati Agung"]))
IDENTITY = st.tuples(NIK, HP, NAME, NAME, st.one_of(KECAMATAN, st.just("Sragi"), st.just(np.nan)))


def _registry(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["nik", "no_hp", "nama_usaha", "nama_pemilik", "kecamatan"], dtype=object)
    return frame.assign(umkm_id=[f"UMKM-{i % 7 if i % 5 == 4 else i}" for i in range(len(frame))],  # some ids twice
                        kategori=[["Kuliner", "Kerajinan", None][i % 3] for i in range(len(frame))])


@FAST
@given(registered=st.lists(REGISTERED, min_size=1, max_size=40), identities=st.lists(IDENTITY, max_size=40))
def test_link_many_as_link_before(registered, identities):
    producers = _registry(registered)
    before = _ProducerIndexBefore(producers)
    expected = [before.link(*identity) for identity in identities]
    index = linking.ProducerIndex(producers)
    assert index.link_many(identities) == expected
    assert [index.link(*identity) for identity in identities] == expected
    for keys in (producers["nik"], producers["nama_usaha"].map(name_key) + "|" + producers["kecamatan"]):
        assert linking._unique_map(keys, producers["umkm_id"]) == _unique_map_before(keys, producers["umkm_id"])


def test_fuzzy_search_without_kecamatan_over_many_names_as_before():
    """Queries scored in chunks against every producer (no kecamatan), with names of many lengths."""
    rng = np.random.default_rng(8)
    words = ["siti", "sri", "aminah", "keripik", "tempe", "barokah", "warung", "kopi", "durian", "bibit", "jaya", "maju"]
    def name(n):
        return " ".join(rng.choice(words, n))
    producers = _registry([(None, None, name(rng.integers(1, 4)), name(rng.integers(1, 3)), "Natar") for _ in range(400)])
    queries = [(None, None, f"{name(rng.integers(1, 4))}{rng.choice(['', 'x', 'h'])}", name(rng.integers(0, 3)), rng.choice([None, "Natar", "Sragi"]))
               for _ in range(300)]
    before = _ProducerIndexBefore(producers)
    expected = [before.link(*q) for q in queries]
    assert {link.cara for link in expected} >= {"fuzzy", "tidak cocok", "nama"}
    saved, linking._QUERY_CHUNK = linking._QUERY_CHUNK, 7
    try:
        index = linking.ProducerIndex(producers)
        assert index.link_many(queries) == expected
        assert [index.link(*q) for q in queries] == expected
    finally:
        linking._QUERY_CHUNK = saved


def _sales_before(frames: list[pd.DataFrame], producers: pd.DataFrame) -> pd.DataFrame:
    """analysis.ingest._sales before identities were numbered (drop_duplicates, link, merge)."""
    sales = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    keys = ["nik", "no_hp", "nama_usaha", "nama_pemilik", "kecamatan"]
    identities = sales[keys].astype(object).where(sales[keys].notna(), None).drop_duplicates()
    index = _ProducerIndexBefore(producers)
    identities["umkm_id"] = [index.link(*values).umkm_id for values in identities[keys].itertuples(index=False, name=None)]
    sales = sales.astype({k: object for k in keys}).where(sales.notna(), None).merge(identities, on=keys, how="left")
    kategori = producers.set_index("umkm_id")["kategori"]
    from_product = cleaning.parse_values(sales["produk"], ingest._kategori_of_product)[0]
    sales["kategori"] = sales["umkm_id"].map(kategori).where(sales["umkm_id"].notna(), from_product)
    return sales


PRODUK = st.one_of(st.sampled_from(["Keripik Pisang", "Kopi Bubuk", "Tapis", "Bibit Durian", "barang"]), st.none(), st.just(np.nan))
MONTH = st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2018, 12, 1)).map(lambda d: pd.Timestamp(d.replace(day=1)))  # never missing: such rows are rejected


@FAST
@given(registered=st.lists(REGISTERED, min_size=1, max_size=25),
       sheets=st.lists(st.tuples(st.lists(st.tuples(IDENTITY, MONTH, PRODUK, st.floats(0, 1e7)), min_size=1, max_size=25), st.booleans()),
                       min_size=1, max_size=4))
def test_sales_linked_as_before(registered, sheets):
    producers = _registry(registered)
    producers = producers.assign(umkm_id=[f"UMKM-{i}" for i in range(len(producers))])  # ids are unique after merging
    frames = []
    for number, (rows, wide) in enumerate(sheets):
        frame = pd.DataFrame([(*identity, month, produk, value) for identity, month, produk, value in rows],
                             columns=["nik", "no_hp", "nama_usaha", "nama_pemilik", "kecamatan", "bulan", "produk", "nilai_rp"], dtype=object)
        frame = frame.assign(volume=None, satuan="kg", sumber_file=f"f{number}.xlsx", sumber_baris=range(len(frame)), sumber_sheet="S")
        if wide:  # a wide sheet's months are dates already
            frame["bulan"] = pd.to_datetime(frame["bulan"]).astype("datetime64[us]")
        frames.append(frame)
    expected = _sales_before(frames, producers)
    found = ingest._sales([f.copy() for f in frames], producers, linking.ProducerIndex(producers))
    pd.testing.assert_frame_equal(Sales.conform(found[Sales.names()]), Sales.conform(expected[Sales.names()]), check_exact=True)
    assert ingest._data_year(found, []) == int(pd.to_datetime(expected["bulan"]).max().year)


def _link_participants_before(people: pd.DataFrame, index, matcher) -> pd.DataFrame:
    links = []
    for person in people.itertuples(index=False):
        kecamatan = None
        for text in (person.kecamatan_teks, person.alamat):
            if not ingest._missing(text):
                kecamatan = matcher.find_in_text(str(text))
                if kecamatan:
                    break
        link = index.link(nik=person.nik, hp=person.no_hp, usaha=person.nama_usaha, pemilik=person.nama_peserta, kecamatan=kecamatan)
        if link.umkm_id is None and kecamatan is not None:
            link = index.link(usaha=person.nama_usaha, pemilik=person.nama_peserta)
        links.append(link)
    return people.assign(umkm_id=[link.umkm_id for link in links], cara_cocok=[link.cara for link in links],
                         skor_cocok=[link.skor for link in links])


ADDRESS = st.one_of(st.sampled_from(["Desa Sidoreno, Kec. Way Panji", "Natar", "Kec. Natar", "Kalianda", "Bandar Lampung",
                                     "Jati Agung", "Sragi", "jl. mawar"]), st.none(), st.just(""))
MATCHER = cleaning.KecamatanMatcher()


@FAST
@given(registered=st.lists(REGISTERED, min_size=1, max_size=25),
       people=st.lists(st.tuples(IDENTITY, ADDRESS, ADDRESS), max_size=30))
def test_participants_linked_as_before(registered, people):
    producers = _registry(registered)
    frame = pd.DataFrame([(nik, hp, usaha, nama, teks, alamat) for (nik, hp, usaha, nama, _), teks, alamat in people],
                         columns=["nik", "no_hp", "nama_usaha", "nama_peserta", "kecamatan_teks", "alamat"], dtype=object)
    expected = _link_participants_before(frame, _ProducerIndexBefore(producers), MATCHER)
    found = ingest._link_participants(frame, linking.ProducerIndex(producers), MATCHER)
    pd.testing.assert_frame_equal(found, expected, check_exact=True)


NAME_CELLS = st.one_of(st.sampled_from(["Ibu Siti", "siti", "UD. Maju", "u.d. maju", "Bu", "", "  ", "1", "1.0"]),
                       st.text(max_size=12), st.none(), st.just(float("nan")), st.just(pd.NA),
                       st.integers(-3, 3), st.sampled_from([1.0, 1.5, -0.0, True, False]))


@given(st.lists(NAME_CELLS, max_size=30), st.sampled_from([object, "str"]))
def test_name_keys_equal_row_by_row_keys(cells, dtype):
    """name_keys keys each distinct name once; 1, 1.0 and True (one value to factorize) still key apart."""
    if dtype == "str":
        cells = [c if isinstance(c, str) or c is None else None for c in cells]
    values = pd.Series(cells, dtype=dtype, index=range(10, 10 + len(cells)))
    expected = values.map(name_key)
    found = linking.name_keys(values)
    assert found.index.equals(values.index)
    assert found.tolist() == expected.tolist()
