"""The candidate pruning of the fuzzy name scorings (analysis/ingest/linking.py, ``_candidate_pairs``) is exact:
it proposes every pair that can reach the cutoff, so near-duplicate pairs and fuzzy links found through it
are those of scoring every pair (rapidfuzz's cdist, the documented definition), in the same order."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from analysis.ingest import linking

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Few words, so that names collide, differ by a typo or two, or repeat exactly.
WORDS = ["siti", "sri", "aminah", "warung", "bu", "keripik", "tempe", "barokah", "ud", "jaya", "sukardi", "murni",
         "kopi", "dewi", "sari", "ibu", "hj"]
EDIT = st.tuples(st.sampled_from("dis"), st.integers(0, 60), st.sampled_from("aiuesrn 2éñ中"))


def _typo(words: list[str], edits: list[tuple[str, int, str]]) -> str:
    """The words joined, then each edit: delete, insert or substitute a character at a position."""
    name = list(" ".join(words))
    for kind, position, char in edits:
        position = position % (len(name) + 1)
        if kind == "i" or not name:
            name.insert(position, char)
        elif kind == "d":
            del name[min(position, len(name) - 1)]
        else:
            name[min(position, len(name) - 1)] = char
    return "".join(name)


NAME = st.one_of(
    st.builds(_typo, st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), st.lists(EDIT, max_size=4)),
    st.text(max_size=6),  # short, empty, any unicode
    st.builds(_typo, st.lists(st.sampled_from(["ab" * 30, "warung bu sri " * 5]), min_size=1, max_size=2),
              st.lists(EDIT, max_size=3)),  # long: one edit rounds to 100
)



@st.composite
def _names(draw, max_size: int) -> list[str]:
    """Names, and names made of them by one to four edits (near pairs at every distance around the cutoff)."""
    names = draw(st.lists(NAME, max_size=max_size // 2))
    variants = draw(st.lists(st.tuples(st.integers(0, max_size), st.lists(EDIT, min_size=1, max_size=4)),
                             max_size=max_size // 2 if names else 0))
    return names + [_typo([names[at % len(names)]], edits) for at, edits in variants]


NAMES = _names(70)
VARIANTS = st.lists(st.tuples(st.integers(0, 100), st.lists(EDIT, max_size=4)), max_size=25)


def _variants(names: list[str], variants: list[tuple], others: list[str]) -> list[str]:
    """Other names made of `names` by edits (as queries of them are), then `others`."""
    return [_typo([names[at % len(names)]], edits) for at, edits in variants if names] + others


def _triangle(names: list[str], keep_identical: bool) -> list[tuple]:
    """(a, b, score) for a < b of the upper triangle of cdist, as _similar_pairs keeps them."""
    scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=linking.NEAR_DUPLICATE_SCORE, dtype=np.uint8)
    return sorted((int(a), int(b), int(scores[a, b])) for a, b in zip(*np.nonzero(np.triu(scores, k=1)))
                  if keep_identical or scores[a, b] < 100)


def _similar(names: list[str], keep_identical: bool, prune_from: int, monkeypatch) -> tuple[np.ndarray, ...]:
    monkeypatch.setattr(linking, "_PRUNE_MIN_NAMES", prune_from)
    return linking._similar_pairs(names, keep_identical, 1)


@FAST
@given(names=NAMES, keep_identical=st.booleans())
def test_pruned_similar_pairs_are_the_triangle_of_cdist_in_the_same_order(names, keep_identical):
    with pytest.MonkeyPatch.context() as monkeypatch:
        pruned = _similar(names, keep_identical, 0, monkeypatch)
        scored_all = _similar(names, keep_identical, 10**9, monkeypatch)
    for got, expected in zip(pruned, scored_all):
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == expected.dtype
    assert sorted(zip(*(array.tolist() for array in pruned))) == _triangle(names, keep_identical)


@FAST
@given(left=_names(40), variants=VARIANTS, others=st.lists(NAME, max_size=10),
       cutoff=st.sampled_from([(linking.NEAR_DUPLICATE_SCORE, True, np.uint8),
                               (linking.FUZZY_MIN_SCORE - linking.FUZZY_MIN_MARGIN, False, np.float64),
                               (60.0, False, np.float64)]))
def test_candidate_pairs_hold_every_pair_reaching_the_cutoff(left, variants, others, cutoff):
    """Stated directly on the filter: also with a low cutoff (many segments, wide shifts)."""
    right = _variants(left, variants, others)
    score, rounded, dtype = cutoff
    scores = process.cdist(left, right, scorer=fuzz.ratio, score_cutoff=score, dtype=dtype)
    candidates = set(zip(*(array.tolist() for array in linking._candidate_pairs(left, right, score, rounded))))
    assert {(int(a), int(b)) for a, b in zip(*np.nonzero(scores))} <= candidates
    within = set(zip(*(array.tolist() for array in linking._candidate_pairs(left, None, score, rounded))))
    scores = process.cdist(left, left, scorer=fuzz.ratio, score_cutoff=score, dtype=dtype)
    assert {(int(a), int(b)) for a, b in zip(*np.nonzero(np.triu(scores, k=1)))} <= within
    assert all(a < b for a, b in within)
    # the names' groups made once and kept (sorted segments and all) give the same pairs on every call
    kept = linking._by_length(right)
    for _ in range(2):
        again = linking._candidate_pairs(left, right, score, rounded, right_groups=kept)
        assert set(zip(*(array.tolist() for array in again))) == candidates


def _index(names: list[str]) -> linking.ProducerIndex:
    producers = pd.DataFrame({"umkm_id": [f"UMKM-{i}" for i in range(len(names))], "nama_usaha": names,
                              "nama_pemilik": "", "kecamatan": "Natar", "nik": None, "no_hp": None}, dtype=object)
    return linking.ProducerIndex(producers)


@FAST
@given(registered=_names(50), variants=VARIANTS, others=st.lists(NAME, max_size=5))
def test_pruned_fuzzy_many_is_fuzzy_one_by_one(registered, variants, others):
    queries = _variants(registered, variants, others)
    index = _index(registered)
    keys = [linking.name_key(query) for query in queries]
    expected = [index._fuzzy(key, "Natar") for key in keys]
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(linking, "_PRUNE_MIN_NAMES", 0)
        monkeypatch.setattr(linking, "_PRUNE_MIN_CANDIDATES", 0)
        assert index._fuzzy_many(keys, "Natar") == expected
        assert index._fuzzy_many(keys, "Lampung") == [index._fuzzy(key, "Lampung") for key in keys]  # all names


def test_a_kecamatan_of_many_names_is_pruned_with_the_same_result(monkeypatch):
    """Over _PRUNE_MIN_NAMES names with typos: the pruned path (the default) gives what scoring all does."""
    rng = np.random.default_rng(7)
    names = [_typo(list(rng.choice(WORDS, size=rng.integers(2, 6))),
                   [(str(rng.choice(list("dis"))), int(rng.integers(0, 40)), str(rng.choice(list("aiu sr"))))
                    for _ in range(rng.integers(0, 3))]) for _ in range(900)]
    assert len(set(names)) >= linking._PRUNE_MIN_NAMES
    for keep_identical in (True, False):
        pruned = linking._similar_pairs(names, keep_identical, 1)
        assert len(pruned[0]) > 30  # the example has pairs to find
        assert sorted(zip(*(array.tolist() for array in pruned))) == _triangle(names, keep_identical)
        monkeypatch.setattr(linking, "_PRUNE_MIN_NAMES", 10**9)
        for got, expected in zip(pruned, linking._similar_pairs(names, keep_identical, 1)):
            np.testing.assert_array_equal(got, expected)
        monkeypatch.undo()
    monkeypatch.setattr(linking, "_PRUNE_MIN_CANDIDATES", linking._PRUNE_MIN_NAMES)
    index = _index(names)
    queries = [_typo(name.split(), [("i", 3, "x")]) for name in names[:600]] + names[600:660]
    pruned = []
    monkeypatch.setattr(linking.ProducerIndex, "_fuzzy_pruned", staticmethod(
        lambda *args, scored=linking.ProducerIndex._fuzzy_pruned: pruned.append(1) or scored(*args)))
    linked = index._fuzzy_many(queries, "Natar")
    assert pruned  # the pruned search answered
    assert linked == [index._fuzzy(query, "Natar") for query in queries]
    assert sum(link.umkm_id is not None for link in linked) > 50


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.tuples(st.lists(st.integers(0, 9), min_size=16, max_size=16),
                                 st.lists(st.integers(0, 9), min_size=16, max_size=16)), min_size=1, max_size=40),
       k=st.integers(0, 40), wide=st.integers(0, 127))
def test_counts_within_is_the_sum_of_the_differences(counts, k, wide):
    """The word-at-a-time sum (names shorter than 256 together) and the plain one agree with the
    definition: at most k in all. Rows whose differences sum past 255 take the plain sum."""
    a = np.array([row[0] for row in counts], dtype=np.uint8)
    b = np.array([row[1] for row in counts], dtype=np.uint8)
    a[0, 15] = wide  # a difference in the last byte of the second word, up to the largest count
    expected = np.abs(a.astype(int) - b.astype(int)).sum(axis=1) <= k
    small = np.abs(a.astype(int) - b.astype(int)).sum(axis=1) < 256
    assert (linking._counts_within(a, b, k, 255)[small] == expected[small]).all()
    assert (linking._counts_within(a, b, k, 256) == expected).all()
    assert (linking._counts_within(a.astype(np.int64), b.astype(np.int64), k, 10) == expected).all()
