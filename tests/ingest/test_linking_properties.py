"""Properties of the ingest's global steps (analysis/ingest/linking.py and merge.py), stated directly: near
duplicates are the pairs of one kecamatan whose names score at least NEAR_DUPLICATE_SCORE (the upper
triangle of rapidfuzz's cdist, the documented definition), whatever the order of the producers and the
size of the scoring chunks; a fuzzy link is the one name scoring at least FUZZY_MIN_SCORE and ahead of
every other by FUZZY_MIN_MARGIN; linking many identities at once, sales rows by identity and participants
in a batch gives what linking each one alone gives. (The demo's links are pinned by tests/golden.)"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from analysis.core.schemas import Sales
from analysis.ingest import cleaning, linking, merge
from analysis.ingest.cleaning import name_key

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Few words, so that generated names collide, differ by a letter or a suffix, or repeat exactly.
FIRST = ["Siti", "Sri", "Siti Aminah", "Bu Sri", "Bu Sri 2", "Ibu Hj. Siti", "Sukardi", "Sukardy", "Suparmi", "Murni"]
BUSINESS = ["Keripik Tempe", "Keripik Tempe Barokah", "Keripik Tempe Barokh", "UD Barokah", "UD. Barokah",
            "Bibit Durian", "Bibit Durian Jati Baru", "Warung Bu Sri", "Warung Bu Sri 2", "Kopi"]
NAME = st.one_of(st.sampled_from(FIRST + BUSINESS),
                 st.builds(lambda a, b: f"{a} {b}", st.sampled_from(BUSINESS), st.sampled_from(FIRST)),
                 st.text(alphabet="abcdeiu .", max_size=14), st.none(), st.just(""),
                 st.text(alphabet="ab", min_size=120, max_size=140))  # long: a one-letter typo rounds to 100
KECAMATAN = st.one_of(st.sampled_from(["Natar", "Kalianda", "Jati Agung"]), st.none())
PRODUCER = st.tuples(NAME, NAME, KECAMATAN)


def _producers(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["nama_usaha", "nama_pemilik", "kecamatan"], dtype=object)
    return frame.assign(umkm_id=[f"UMKM-{i}" for i in range(len(frame))])


def _near_duplicates_in_chunks(producers: pd.DataFrame, chunk: int, monkeypatch) -> pd.DataFrame:
    monkeypatch.setattr(linking, "_CHUNK", chunk)  # the binding linking._similar_pairs reads
    return linking.near_duplicates(producers)


def _near_pairs_by_definition(producers: pd.DataFrame) -> set[tuple]:
    """(kecamatan, id a, id b, score) of every pair a < b of one kecamatan whose usaha + pemilik names, or
    whose usaha names alone when not identical, score at least NEAR_DUPLICATE_SCORE: the upper triangle
    of cdist(names, names) with the scores rounded as cdist rounds them (uint8)."""
    usaha = producers["nama_usaha"].map(name_key)
    both = usaha + " " + producers["nama_pemilik"].map(name_key)
    found = set()
    for kecamatan, group in producers.groupby("kecamatan"):
        def scores(names):
            return process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=linking.NEAR_DUPLICATE_SCORE,
                                 dtype=np.uint8)
        combined = scores(both.loc[group.index].tolist())
        alike = scores(usaha.loc[group.index].tolist())
        best = np.maximum(combined, np.where(alike < 100, alike, 0))
        ids = group["umkm_id"].tolist()
        for a, b in zip(*np.nonzero(np.triu(best, k=1))):
            found.add((kecamatan, ids[a], ids[b], float(best[a, b])))
    return found


def _as_pairs(found: pd.DataFrame) -> set[tuple]:
    return set(zip(found["kecamatan"], found["umkm_id_a"], found["umkm_id_b"], found["skor"])) if len(found) else set()


@FAST
@given(rows=st.lists(PRODUCER, max_size=60), chunk=st.sampled_from([1, 2, 3, 7, 256]))
def test_near_duplicates_are_the_pairs_scoring_high_enough(rows, chunk):
    """Also with tiny chunks of names, so that length bands cross chunk borders as in a large kecamatan;
    listed kecamatan by kecamatan (in name order), each pair once, the earlier producer first."""
    producers = _producers(rows)
    with pytest.MonkeyPatch.context() as monkeypatch:
        found = _near_duplicates_in_chunks(producers, chunk, monkeypatch)
    assert _as_pairs(found) == _near_pairs_by_definition(producers)
    assert len(found) == len(_as_pairs(found))
    if len(found):
        position = {umkm: i for i, umkm in enumerate(producers["umkm_id"])}
        assert (found["umkm_id_a"].map(position) < found["umkm_id_b"].map(position)).all()
        assert found["kecamatan"].is_monotonic_increasing


@FAST
@given(rows=st.lists(PRODUCER, max_size=40), seed=st.integers(0, 2**32 - 1))
def test_near_duplicates_do_not_depend_on_the_order_of_the_producers(rows, seed):
    producers = _producers(rows)
    shuffled = producers.sample(frac=1, random_state=seed % 2**32)
    unordered = lambda found: {(k, frozenset((a, b)), s) for k, a, b, s in _as_pairs(found)}  # noqa: E731
    assert unordered(linking.near_duplicates(shuffled)) == unordered(linking.near_duplicates(producers))


@pytest.mark.parametrize("seed", [1, 2])
def test_near_duplicates_in_a_large_kecamatan_are_the_pairs_scoring_high_enough(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    words = FIRST + BUSINESS
    rows = [(f"{rng.choice(BUSINESS)}{rng.choice(['', ' ', 'a', ' 2'])}", str(rng.choice(words)),
             str(rng.choice(["Natar", "Kalianda"]))) for _ in range(400)]
    producers = _producers(rows)
    expected = _near_pairs_by_definition(producers)
    assert len(expected) > 100
    for chunk in (4, 256):
        assert _as_pairs(_near_duplicates_in_chunks(producers, chunk, monkeypatch)) == expected


def test_near_duplicates_sees_a_typo_and_a_suffix_but_not_a_common_name(monkeypatch):
    producers = _producers([("Keripik Tempe Barokah", "Suparmi", "Natar"), ("Keripik Tempe Barokh", "Suparmi", "Natar"),
                            ("UD Barokah", "Siti", "Natar"), ("UD Barokah", "Murni", "Natar"),
                            ("Warung Bu Sri", "Sri", "Kalianda"), ("Warung Bu Sri 2", "Murni", "Kalianda")])
    for chunk in (1, 2, 256):
        found = _near_duplicates_in_chunks(producers, chunk, monkeypatch)
        assert list(zip(found["kecamatan"], found["umkm_id_a"], found["umkm_id_b"], found["skor"])) == [
            ("Kalianda", "UMKM-4", "UMKM-5", 91.0), ("Natar", "UMKM-0", "UMKM-1", 98.0)]


# ---------------------------------------------------------------- linking sales rows and participants

NIK = st.one_of(st.sampled_from(["1801", "1802", "1803", "1804"]), st.none(), st.just(""), st.just(np.nan))
HP = st.one_of(st.sampled_from(["0812", "0813", "0814"]), st.none(), st.just(pd.NA))
REGISTERED = st.tuples(NIK, HP, NAME, NAME, st.sampled_from(["Natar", "Kalianda", "Jati Agung"]))
IDENTITY = st.tuples(NIK, HP, NAME, NAME, st.one_of(KECAMATAN, st.just("Sragi"), st.just(np.nan)))


IDENTITY_COLUMNS = ["nik", "no_hp", "nama_usaha", "nama_pemilik", "kecamatan"]


def _registry(rows: list[tuple], unique_ids: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=IDENTITY_COLUMNS, dtype=object)
    ids = [f"UMKM-{i if unique_ids or i % 5 != 4 else i % 7}" for i in range(len(frame))]  # else some ids twice
    return frame.assign(umkm_id=ids, kategori=[["Kuliner", "Kerajinan", None][i % 3] for i in range(len(frame))])


@given(keys=st.lists(st.sampled_from(["a", "b", "c", "", None]), max_size=30),
       ids=st.lists(st.sampled_from(["1", "2", "3", None]), max_size=30))
def test_unique_map_keeps_exactly_the_keys_of_one_producer(keys, ids):
    """A key (not missing, not empty) that points at one id links it; a key of two ids links nobody."""
    n = min(len(keys), len(ids))
    keys, ids = pd.Series(keys[:n], dtype=object), pd.Series(ids[:n], dtype=object)
    pairs = pd.DataFrame({"key": keys, "id": ids}).dropna()
    pairs = pairs[pairs["key"] != ""]
    per_key = pairs.groupby("key")["id"].agg(["nunique", "first"])
    expected = dict(per_key.loc[per_key["nunique"] == 1, "first"])
    assert linking._unique_map(keys, ids) == expected


def test_unique_map_keeps_only_unambiguous_keys():
    keys = pd.Series(["a", "b", "a", "c", None, "", "b"])
    ids = pd.Series(["1", "2", "1", "3", "4", "5", "6"])
    assert linking._unique_map(keys, ids) == {"a": "1", "c": "3"}


@FAST
@given(registered=st.lists(REGISTERED, min_size=1, max_size=40), identities=st.lists(IDENTITY, max_size=40))
def test_link_many_is_link_one_by_one(registered, identities):
    index = linking.ProducerIndex(_registry(registered))
    assert index.link_many(identities) == [index.link(*identity) for identity in identities]


def _fuzzy_by_definition(producers: pd.DataFrame, query: str, kecamatan: str) -> linking.Link:
    """The producer (of the kecamatan, or of all when the kecamatan has none) whose usaha + pemilik name,
    words sorted, scores at least FUZZY_MIN_SCORE against the query and FUZZY_MIN_MARGIN more than any other."""
    names = (producers["nama_usaha"].map(name_key) + " " + producers["nama_pemilik"].map(name_key))
    names = names.map(linking._sorted_words)
    here = producers["kecamatan"].astype(str) == kecamatan
    if here.any():
        producers, names = producers[here], names[here]
    scores = process.cdist([linking._sorted_words(query)], names.tolist(), scorer=fuzz.ratio, dtype=np.float64)[0]
    if not len(scores):
        return linking.NO_LINK
    best = int(scores.argmax())
    runner_up = np.delete(scores, best).max(initial=0.0)
    if scores[best] < linking.FUZZY_MIN_SCORE or scores[best] - runner_up < linking.FUZZY_MIN_MARGIN:
        return linking.NO_LINK
    return linking.Link(producers["umkm_id"].iloc[best], "fuzzy", round(float(scores[best]), 1))


QUERY = st.one_of(NAME.filter(lambda n: bool(n and name_key(n))),
                  st.builds(lambda a, b: f"{a} {b}", st.sampled_from(BUSINESS), st.sampled_from(FIRST)),
                  st.builds(lambda a, b: f"{a}{b}", st.sampled_from(BUSINESS), st.sampled_from(["", "h", " 2", "a"])))


@FAST
@given(registered=st.lists(REGISTERED, min_size=1, max_size=40), queries=st.lists(QUERY, min_size=1, max_size=20),
       kecamatan=st.sampled_from(["Natar", "Kalianda", "Sragi", ""]))
def test_a_fuzzy_link_is_the_one_name_ahead_by_the_margin(registered, queries, kecamatan):
    """One query at a time (a band of names by length) and many at once (a matrix in chunks of queries)."""
    producers = _registry(registered, unique_ids=True)
    index = linking.ProducerIndex(producers)
    keys = [name_key(q) for q in queries]
    expected = [_fuzzy_by_definition(producers, key, kecamatan) for key in keys]
    assert [index._fuzzy(key, kecamatan) for key in keys] == expected
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(linking, "_QUERY_CHUNK", 3)  # several chunks of queries
        assert index._fuzzy_many(keys, kecamatan) == expected


def test_fuzzy_links_of_many_queries_without_kecamatan_are_those_of_one_query_at_a_time(monkeypatch):
    """Queries scored in chunks against every producer (no kecamatan), with names of many lengths."""
    rng = np.random.default_rng(8)
    words = ["siti", "sri", "aminah", "keripik", "tempe", "barokah", "warung", "kopi", "durian", "bibit", "jaya",
             "maju"]

    def name(n):
        return " ".join(rng.choice(words, n))

    producers = _registry([(None, None, name(rng.integers(1, 4)), name(rng.integers(1, 3)), "Natar")
                           for _ in range(400)])
    queries = [(None, None, f"{name(rng.integers(1, 4))}{rng.choice(['', 'x', 'h'])}", name(rng.integers(0, 3)),
                rng.choice([None, "Natar", "Sragi"])) for _ in range(300)]
    index = linking.ProducerIndex(producers)
    alone = [index.link(*q) for q in queries]
    assert {link.cara for link in alone} >= {"fuzzy", "tidak cocok", "nama"}
    monkeypatch.setattr(linking, "_QUERY_CHUNK", 7)
    assert index.link_many(queries) == alone


PRODUK = st.one_of(st.sampled_from(["Keripik Pisang", "Kopi Bubuk", "Tapis", "Bibit Durian", "barang"]), st.none(),
                   st.just(np.nan))
MONTH = st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2018, 12, 1)) \
    .map(lambda d: pd.Timestamp(d.replace(day=1)))


def _plain(value: object) -> object:
    return None if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else value


@FAST
@given(registered=st.lists(REGISTERED, min_size=1, max_size=25),
       sheets=st.lists(st.tuples(st.lists(st.tuples(IDENTITY, MONTH, PRODUK, st.floats(0, 1e7)), min_size=1,
                                          max_size=25), st.booleans()), min_size=1, max_size=4))
def test_each_sales_row_is_linked_by_its_own_identity(registered, sheets):
    """Every row keeps its place and its values, and gets the link of its own (nik, hp, usaha, pemilik,
    kecamatan); its kategori is its producer's, or the product's when no producer was found."""
    producers = _registry(registered, unique_ids=True)
    index = linking.ProducerIndex(producers)
    frames = []
    for number, (rows, wide) in enumerate(sheets):
        frame = pd.DataFrame([(*identity, month, produk, value) for identity, month, produk, value in rows],
                             columns=[*IDENTITY_COLUMNS, "bulan", "produk", "nilai_rp"], dtype=object)
        frame = frame.assign(volume=None, satuan="kg", sumber_file=f"f{number}.xlsx", sumber_baris=range(len(frame)),
                             sumber_sheet="S")
        if wide:  # a wide sheet's months are dates already
            frame["bulan"] = pd.to_datetime(frame["bulan"]).astype("datetime64[us]")
        frames.append(frame)
    found = merge.linked_sales([merge.sales_part(f.copy()) for f in frames], producers, index)
    joined = pd.concat(frames, ignore_index=True)
    assert len(found) == len(joined)
    source = ["sumber_file", "sumber_baris"]
    assert found[source].values.tolist() == joined[source].values.tolist()
    assert pd.api.types.is_datetime64_any_dtype(found["bulan"])
    assert (found["bulan"].to_numpy() == pd.to_datetime(joined["bulan"]).to_numpy()).all()
    kategori = producers.set_index("umkm_id")["kategori"]
    for row, got_id, got_kategori in zip(joined.itertuples(index=False), found["umkm_id"], found["kategori"]):
        identity = tuple(_plain(getattr(row, key)) for key in IDENTITY_COLUMNS)
        expected = index.link(*identity).umkm_id
        assert _plain(got_id) == expected
        wanted = kategori[expected] if expected is not None else merge._kategori_of_product(row.produk)
        assert _plain(got_kategori) == _plain(wanted)
    Sales.conform(found[Sales.names()])  # the canonical table's types


ADDRESS = st.one_of(st.sampled_from(["Desa Sidoreno, Kec. Way Panji", "Natar", "Kec. Natar", "Kalianda",
                                     "Bandar Lampung", "Jati Agung", "Sragi", "jl. mawar"]), st.none(), st.just(""))
PEOPLE_COLUMNS = ["nik", "no_hp", "nama_usaha", "nama_peserta", "kecamatan_teks", "alamat"]
MATCHER = cleaning.KecamatanMatcher()


@FAST
@given(registered=st.lists(REGISTERED, min_size=1, max_size=25),
       people=st.lists(st.tuples(IDENTITY, ADDRESS, ADDRESS), max_size=30))
def test_participants_linked_together_are_linked_as_each_alone(registered, people):
    """The kecamatan named in an address is looked up once per text and the links made in one batch (with
    a second batch without the kecamatan for those not found in it): each person gets what linking that
    person alone gives."""
    index = linking.ProducerIndex(_registry(registered))
    frame = pd.DataFrame([(nik, hp, usaha, nama, teks, alamat) for (nik, hp, usaha, nama, _), teks, alamat in people],
                         columns=PEOPLE_COLUMNS, dtype=object)
    found = merge.link_participants(frame, index, MATCHER)
    pd.testing.assert_frame_equal(found[frame.columns], frame)
    links = lambda people: [[_plain(v) for v in row]  # noqa: E731 - a missing id is None or NaN by dtype
                            for row in people[["umkm_id", "cara_cocok", "skor_cocok"]].values.tolist()]
    for position in range(len(frame)):
        assert links(merge.link_participants(frame.iloc[[position]], index, MATCHER)) == links(found.iloc[[position]])


def test_a_participant_named_in_another_kecamatan_is_looked_for_everywhere():
    """Named in Natar but registered (only) in Kalianda under the same names: found without the kecamatan."""
    producers = _registry([(None, None, "Keripik Tempe Barokah", "Suparmi", "Kalianda")], unique_ids=True)
    frame = pd.DataFrame([(None, None, "Keripik Tempe Barokah", "Suparmi", "Kec. Natar", None)],
                         columns=PEOPLE_COLUMNS, dtype=object)
    found = merge.link_participants(frame, linking.ProducerIndex(producers), MATCHER)
    assert found[["umkm_id", "cara_cocok"]].values.tolist() == [["UMKM-0", "nama"]]


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
