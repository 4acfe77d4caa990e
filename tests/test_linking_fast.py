"""The faster global steps of the ingest (near duplicates, merging, linking) give exactly what the
straightforward code gave: each test keeps the former implementation as a reference and compares on
generated producers, sales and participants. (Speed itself is measured by `python -m bench`.)"""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from analysis import linking
from analysis.cleaning import name_key

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
