"""Who is who: merging duplicate producers and linking sales rows and training participants to them.

Registries overlap (a producer listed by two kecamatan officers), and sales reports and attendance
lists name people the way they were written on the day ("Ibu Siti Aminah", a typo, no NIK). Exact
evidence is used first (NIK, phone, normalised names); fuzzy matching only within a kecamatan and only
with a clear margin over the next candidate, so a wrong link is rarer than a missing one.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from analysis.core.reference import fold
from analysis.ingest.cleaning import name_key, parse_values

FUZZY_MIN_SCORE = 88.0
FUZZY_MIN_MARGIN = 4.0
NEAR_DUPLICATE_SCORE = 90.0


def stable_id(prefix: str, key: str) -> str:
    """An id that stays the same when the same producer or event is ingested again."""
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10].upper()}"


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = np.arange(size)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return int(root)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the earliest row stays the representative


@dataclass
class Dedup:
    producers: pd.DataFrame  # one row per group, values coalesced in source order
    group_of_row: pd.Series  # input index -> umkm_id
    is_first: pd.Series  # input index -> True for the row that represents its group
    near_duplicates: pd.DataFrame  # pairs to review, not merged
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)  # every input row of every group: see _sources


# What ``Dedup.sources`` says of each input row: the row kept (its values win) or a row merged into it,
# and the evidence that merged it.
PERAN_UTAMA, PERAN_DIGABUNG = "utama", "digabung"
DASAR_NIK = "NIK sama"
DASAR_NAMA = "nama usaha, pemilik dan kecamatan sama"
# Columns of an input row copied into the sources (those present): where it is, and the names as written.
SOURCE_COLUMNS = ("sumber_file", "sumber_sheet", "sumber_baris", "nama_usaha", "nama_pemilik")
_NOT_VALUES = {"_input_index", "umkm_id", "_sheet", "sumber_file", "sumber_sheet", "sumber_baris"}


def dedupe_producers(rows: pd.DataFrame, *, find_near: bool = True) -> Dedup:
    """Merge rows with the same NIK, or the same normalised (nama_usaha, nama_pemilik, kecamatan) when both
    names are present, generic names (a generic or one-word business name of a one-word owner name) also
    share a phone number, and no phone, desa or RT/RW conflicts (see _name_matches).

    `rows` must be in source order with columns nik, nama_usaha, nama_pemilik, kecamatan. The first row
    of a group is kept; later rows only fill its missing values. ``find_near=False`` leaves the
    near-duplicate list empty (the caller runs ``near_duplicates`` on the producers itself).
    """
    rows = rows.reset_index(drop=False).rename(columns={"index": "_input_index"})
    keys_usaha = name_keys(rows["nama_usaha"])
    keys_pemilik = name_keys(rows["nama_pemilik"])
    row_keys = keys_usaha + "|" + keys_pemilik + "|" + rows["kecamatan"].astype(str)
    union = _UnionFind(len(rows))
    firsts: dict[str, int] = {}
    for position, key in enumerate(rows["nik"]):
        if key is None or key is pd.NA or (isinstance(key, float) and np.isnan(key)) or key == "":
            continue
        if key in firsts:
            union.union(firsts[key], position)
        else:
            firsts[key] = position
    for a, b in _name_matches(rows, keys_usaha, keys_pemilik, row_keys):
        union.union(a, b)
    roots = np.array([union.find(i) for i in range(len(rows))])
    first_nik = rows.groupby(roots)["nik"].first()  # index: the distinct roots, sorted
    keys = row_keys.to_numpy(dtype=object)
    # Groups left apart although their names are the same (a generic name, a conflict) keep ids of their
    # own: the second such group's key gets "#2", and so on, in source order.
    seen: dict[str, int] = defaultdict(int)
    id_keys = []
    for root, nik, present in zip(first_nik.index, first_nik.to_numpy(dtype=object), first_nik.notna()):
        key = str(nik) if present else keys[root]
        seen[key] += 1
        id_keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    ids = np.array([stable_id("UMKM", key) for key in id_keys], dtype=object)
    group = pd.Series(ids[np.searchsorted(first_nik.index.to_numpy(), roots)], index=rows.index, dtype=object)
    merged = rows.assign(umkm_id=group).groupby("umkm_id", sort=False).first()
    producers = merged.reset_index().drop(columns="_input_index")
    is_first = pd.Series(roots == np.arange(len(rows)), index=rows["_input_index"])
    sources = _sources(rows, group.to_numpy(dtype=object), roots, row_keys)
    group.index = rows["_input_index"]
    return Dedup(
        producers=producers,
        group_of_row=group,
        is_first=is_first,
        near_duplicates=near_duplicates(producers) if find_near else pd.DataFrame(),
        sources=sources,
    )


# Words of a business name that say what or where it sells, not whose it is: a name made only of them
# ("Warung Kelontong", "Toko Sembako", "Keripik Pisang") is shared by many shops.
GENERIC_NAME_WORDS = frozenset(
    "warung toko kios kedai depot usaha dagang jualan rumah makan rm kelontong sembako jajanan pracangan grosir "
    "eceran klontong kantin kopi bakso mie mi soto sate nasi goreng pecel lele ayam bebek ikan roti kue keripik "
    "kripik kerupuk krupuk tahu tempe jamu sayur sayuran buah pisang singkong jagung es jus minuman makanan snack "
    "cemilan camilan gorengan pulsa cell fotocopy laundry bengkel motor las salon cukur pangkas jahit penjahit "
    "konveksi batik tapis kerajinan anyaman bambu mebel meubel tani ternak kambing sapi lampung dan baru "
    "jaya makmur abadi sentosa berkah barokah sejahtera mandiri maju".split())


@lru_cache(maxsize=1 << 16)
def generic_name(name: object) -> bool:
    """A business name that cannot tell one shop from another: one word (a legal form such as "UD" counts:
    "UD Saburai" is a name, "Saburai" alone is not enough), or generic words only ("Warung Kelontong")."""
    key = name_key(name)
    words = key.split()
    legal = re.match(r"\s*(ud|cv|pt|koperasi|kub)\b", fold(str(name))) is not None if isinstance(name, str) else False
    return len(words) + legal < 2 or all(word in GENERIC_NAME_WORDS or word.isdigit() for word in words)


_PLACE_PREFIX = re.compile(r"^(desa|ds|kelurahan|kel|dusun|dsn|pekon)\s+")
_RT_RW = re.compile(r"\brt\s*\.?\s*(\d+)|\brw\s*\.?\s*(\d+)")


def _place_key(value: object) -> str:
    """A desa or address as compared for a conflict: folded, without "Desa"/"Kel." and punctuation."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = re.sub(r"[^a-z0-9]+", " ", fold(str(value))).strip()
    return _PLACE_PREFIX.sub("", text)


def _conflict(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
    """Two rows' (phone, place, RT/RW) disagree: both known and different in any of them."""
    return any(x and y and x != y for x, y in zip(a, b))


def _name_matches(rows: pd.DataFrame, keys_usaha: pd.Series, keys_pemilik: pd.Series,
                  row_keys: pd.Series) -> list[tuple[int, int]]:
    """Pairs of row positions to merge on names: the same normalised business AND owner name (both present)
    in the same kecamatan, with no conflicting phone, desa or address, or RT/RW, and a business name that
    can tell one shop from another. A generic or one-word business name ("Warung Kelontong", "Barokah",
    "UD Maju Jaya") is no evidence, whoever the owner: such rows merge only on the same NIK, and
    near_duplicates lists them for a person to decide, as it lists rows kept apart by a conflict."""
    usaha, pemilik = keys_usaha.to_numpy(dtype=object), keys_pemilik.to_numpy(dtype=object)
    keys = row_keys.to_numpy(dtype=object)
    names = rows["nama_usaha"].to_numpy(dtype=object)
    eligible = [i for i in range(len(rows)) if usaha[i] and pemilik[i] and not generic_name(names[i])]
    repeated = pd.Series(keys[eligible], dtype=object).duplicated(keep=False).to_numpy() if eligible else []
    candidates = [i for i, again in zip(eligible, repeated) if again]
    if not candidates:
        return []
    phones = rows["no_hp"].to_numpy(dtype=object) if "no_hp" in rows.columns else np.full(len(rows), None)
    places = rows["desa"].to_numpy(dtype=object) if "desa" in rows.columns else np.full(len(rows), None)
    clusters: dict[str, list[tuple[int, list[tuple[str, str, str]]]]] = defaultdict(list)
    pairs: list[tuple[int, int]] = []
    for i in candidates:
        phone = "" if phones[i] is None or phones[i] is pd.NA or (isinstance(phones[i], float) and np.isnan(phones[i])) \
            else str(phones[i])
        place = _place_key(places[i])
        rt_rw = " ".join("".join(m) for m in _RT_RW.findall(place))
        place = _RT_RW.sub(" ", place).split(",")[0].strip()
        facts = (phone, place, rt_rw)
        for first, members in clusters[keys[i]]:
            if not any(_conflict(facts, other) for other in members):
                pairs.append((first, i))
                members.append(facts)
                break
        else:
            clusters[keys[i]].append((i, [facts]))
    return pairs


def _sources(rows: pd.DataFrame, ids: np.ndarray, roots: np.ndarray, row_keys: pd.Series) -> pd.DataFrame:
    """One row per input row, in source order: its producer (umkm_id), its place in the group (urutan 0 is
    the row kept, whose values win), peran (utama / digabung), the evidence that merged it (dasar_gabung:
    the same NIK, or the same names in the same kecamatan, as another row of the group), the columns whose
    value came from it (mengisi: a later row fills only what the earlier ones left empty), and where it is
    (file, sheet, Excel row) with the names as written there.

    A producer's own sumber_file / sumber_baris name its first row only; this keeps the others, so a
    profile can show every row a producer was made of and why they were taken for one."""
    positions = np.arange(len(rows))
    first = roots == positions
    frame = pd.DataFrame({"umkm_id": ids}, index=rows.index)
    frame["urutan"] = frame.groupby("umkm_id", sort=False).cumcount()  # the root is a group's earliest row
    frame["peran"] = np.where(first, PERAN_UTAMA, PERAN_DIGABUNG)
    nik = rows["nik"]
    has_nik = (nik.notna() & (nik.astype("string") != "")).to_numpy(dtype=bool, na_value=False)
    same_nik = has_nik & pd.DataFrame({"g": roots, "k": nik}).duplicated(keep=False).to_numpy()
    same_names = pd.DataFrame({"g": roots, "k": row_keys}).duplicated(keep=False).to_numpy()
    frame["dasar_gabung"] = pd.Series(np.where(first, None, np.where(same_nik, DASAR_NIK, np.where(
        same_names, DASAR_NAMA, None))), index=rows.index, dtype=object)
    frame["mengisi"] = pd.Series(_filled(rows, roots, first), index=rows.index, dtype=object)
    for column in SOURCE_COLUMNS:
        if column in rows.columns:
            frame[column] = rows[column].to_numpy()
    return frame.reset_index(drop=True)


def _filled(rows: pd.DataFrame, roots: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Per input row, the value columns (comma-separated) whose merged value came from it although it is
    not its group's first row: groupby.first takes a group's first non-missing value. None elsewhere."""
    filled = np.full(len(rows), None, dtype=object)
    sizes = np.bincount(roots, minlength=len(rows))
    in_group = sizes[roots] > 1  # only groups of several rows can borrow a value
    if not in_group.any():
        return filled
    positions = np.flatnonzero(in_group)
    group_roots = roots[positions]
    found: dict[int, list[str]] = {}
    for column in (c for c in rows.columns if c not in _NOT_VALUES):
        present = rows[column].iloc[positions].notna().to_numpy(dtype=bool)
        supplier = pd.Series(positions[present]).groupby(group_roots[present]).min().to_numpy()
        for position in supplier[~first[supplier]].tolist():
            found.setdefault(position, []).append(column)
    for position, columns in found.items():
        filled[position] = ", ".join(columns)
    return filled


NEAR_COLUMNS = ["kecamatan", "umkm_id_a", "nama_usaha_a", "nama_pemilik_a", "umkm_id_b", "nama_usaha_b", "nama_pemilik_b",
                "skor"]


def near_duplicates(producers: pd.DataFrame, workers: int = -1) -> pd.DataFrame:
    """Pairs of different producers in the same kecamatan whose names are nearly the same: listed for a
    person to review, never merged automatically. ``workers``: scoring threads (-1: one per core). The
    search is one task per kecamatan (``near_groups``, ``near_pairs``, ``near_frame``), which the ingest
    shares between its reading worker and this process (merge.search_near)."""
    groups = near_groups(producers)
    return near_frame(producers, groups, [near_pairs(*near_names(producers, group), workers) for group in groups])


def near_groups(producers: pd.DataFrame) -> list[np.ndarray]:
    """The positions of each kecamatan's producers, kecamatan in sorted order, those with two or more."""
    codes, names = pd.factorize(producers["kecamatan"], sort=True)  # the order of groupby(sort=True)
    groups = [np.flatnonzero(codes == code) for code in range(len(names))]
    return [group for group in groups if len(group) >= 2]


def near_names(producers: pd.DataFrame, group: np.ndarray) -> tuple[list, list]:
    """A group's business and owner names, as a task takes them."""
    return (producers["nama_usaha"].iloc[group].astype(object).tolist(),
            producers["nama_pemilik"].iloc[group].astype(object).tolist())


def near_pairs(nama_usaha: list, nama_pemilik: list, workers: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, score) of the near-duplicate pairs among one kecamatan's producers, by position in the lists."""
    usaha = name_keys(pd.Series(nama_usaha, dtype=object))
    combined = (usaha + " " + name_keys(pd.Series(nama_pemilik, dtype=object))).tolist()
    # A business name that differs only by a typo or a suffix ("Bu Sri" / "Bu Sri 2") is worth a look
    # even with another owner; an identical common name ("UD Barokah") with another owner is not.
    a_both, b_both, s_both = _similar_pairs(combined, True, workers)
    a_alike, b_alike, s_alike = _similar_pairs(usaha.tolist(), False, workers)
    return _max_by_pair(np.concatenate([a_both, a_alike]), np.concatenate([b_both, b_alike]),
                        np.concatenate([s_both, s_alike]), len(nama_usaha))


def near_frame(producers: pd.DataFrame, groups: list[np.ndarray], pairs: list[tuple]) -> pd.DataFrame:
    """The near-duplicate table from each group's pairs (``near_pairs``), in the groups' order."""
    kecamatan, ids = producers["kecamatan"].to_numpy(dtype=object), producers["umkm_id"].to_numpy(dtype=object)
    nama_usaha, nama_pemilik = producers["nama_usaha"].to_numpy(dtype=object), producers["nama_pemilik"].to_numpy(dtype=object)
    found = []
    for positions, (a_idx, b_idx, scores) in zip(groups, pairs):
        pa, pb = positions[a_idx], positions[b_idx]
        found.extend(zip(kecamatan[pa], ids[pa], nama_usaha[pa], nama_pemilik[pa], ids[pb], nama_usaha[pb],
                         nama_pemilik[pb], scores.astype(float).tolist()))
    return pd.DataFrame([list(row) for row in found], columns=NEAR_COLUMNS)


# fuzz.ratio(a, b) is 200 * LCS / (len a + len b) <= 200 * shorter / (len a + len b): two strings can only
# reach NEAR_DUPLICATE_SCORE when the longer is at most 200 / score - 1 times the shorter (1.22 at 90).
# The band is taken a little wider: it only decides which pairs are scored, never a score.
_LENGTH_BAND = 200.0 / NEAR_DUPLICATE_SCORE - 1.0 + 0.03
_CHUNK = 256


def _similar_pairs(names: list[str], keep_identical: bool, workers: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, score) for every pair a < b of `names` with fuzz.ratio >= NEAR_DUPLICATE_SCORE (as uint8, as
    rapidfuzz's cdist rounds it), without pairs scoring 100 unless `keep_identical`.

    The same numbers as the upper triangle of cdist(names, names), with less scoring: each distinct name
    is scored once, and only against the names that can reach the score: of many names, the candidates
    of ``_candidate_pairs``; of a few, all names whose lengths allow it (``_banded_pairs``)."""
    codes, distinct = pd.factorize(pd.Series(names, dtype=object))
    distinct = [str(n) for n in distinct]
    members = np.argsort(codes, kind="stable")  # positions of distinct name 0, then 1, ...
    starts = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=len(distinct)))])
    found_a, found_b, found_s = [], [], []

    def keep(values: np.ndarray) -> np.ndarray:
        return (values > 0) & (keep_identical | (values < 100))

    # Pairs inside one distinct name: a name scored against itself (100, also for two empty names).
    repeated = np.flatnonzero(starts[1:] - starts[:-1] > 1)
    if len(repeated):
        repeated_names = [distinct[u] for u in repeated]
        self_scores = process.cpdist(repeated_names, repeated_names, scorer=fuzz.ratio,
                                     score_cutoff=NEAR_DUPLICATE_SCORE, dtype=np.uint8, workers=workers)
        for u, score in zip(repeated[keep(self_scores)], self_scores[keep(self_scores)]):
            group = members[starts[u]:starts[u + 1]]
            a, b = np.triu_indices(len(group), k=1)
            found_a.append(group[a])
            found_b.append(group[b])
            found_s.append(np.full(len(a), score, dtype=np.uint8))

    # Pairs of different distinct names, as positions p < q in the names sorted by length, in that order.
    lengths = np.fromiter((len(n) for n in distinct), dtype=np.int64, count=len(distinct))
    order = np.argsort(lengths, kind="stable")
    ordered = [distinct[i] for i in order]
    if len(ordered) >= _PRUNE_MIN_NAMES:
        rows, cols = _candidate_pairs(ordered, None, NEAR_DUPLICATE_SCORE, rounded=True)
        named = np.array(ordered, dtype=object)
        values = process.cpdist(named[rows], named[cols], scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE_SCORE,
                                dtype=np.uint8, workers=workers)
        wanted = keep(values)
        rows, cols, values = rows[wanted], cols[wanted], values[wanted]
    else:
        rows, cols, values = _banded_pairs(ordered, lengths[order], keep, workers)
    for u, v, score in zip(order[rows], order[cols], values):
        group_u, group_v = members[starts[u]:starts[u + 1]], members[starts[v]:starts[v + 1]]
        a, b = np.repeat(group_u, len(group_v)), np.tile(group_v, len(group_u))
        found_a.append(np.minimum(a, b))
        found_b.append(np.maximum(a, b))
        found_s.append(np.full(len(a), score, dtype=np.uint8))
    if not found_a:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.uint8)
    return np.concatenate(found_a), np.concatenate(found_b), np.concatenate(found_s)


# Pruning (below) pays only when a group is large: under this many names the scoring is all-pairs (in the
# length band) as above; both ways give the same pairs and scores.
_PRUNE_MIN_NAMES = 500
_LETTER_CLASSES = 16  # characters counted by code point mod 16: half the bytes of 32 classes to compare
# A fuzzy search is pruned only among many names: at the fuzzy cutoff (84) a name of 30 characters has 10
# segments of 3, so the lookups cost each query about as much as scoring 30,000 names (measured with
# bench.fuzzy_prune); under that, the queries are scored against every name in their length band.
_PRUNE_MIN_CANDIDATES = 30_000
_HASH_BASE = 0x9E3779B97F4A7C15  # odd: substrings hashed as polynomials mod 2**64 (a collision only adds a candidate)


def _max_indel(score: float, total_length: int, rounded: bool) -> int:
    """The most insertions + deletions two strings of `total_length` characters together can differ by and
    still score `score` (fuzz.ratio = 100 * (1 - indel / total_length)). ``rounded``: the scores are
    rounded to whole numbers (uint8), and the bound is taken at score - 0.5, as if a score rounded up to
    the cutoff passed it (rapidfuzz tests the cutoff before rounding: looser than needed, never tighter);
    a hair of slack covers the floating point of the score."""
    return int(np.floor((100.0 - score + (0.5 if rounded else 0.0)) / 100.0 * total_length + 1e-6))


class _SameLength:
    """The names of one length (their positions in a list) with the hashes of their prefixes, so that the
    hash of the substring at one start, or at several, of every name is two array operations."""

    def __init__(self, names: list[str], positions: np.ndarray, length: int) -> None:
        self.positions, self.length = positions, length
        self._sorted: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        codes = np.array(names, dtype=f"<U{max(length, 1)}").view(np.uint32).reshape(len(names), -1)
        self.prefix = np.zeros((len(names), length + 1), dtype=np.uint64)
        for j in range(length):  # uint64 arithmetic wraps around: mod 2**64
            self.prefix[:, j + 1] = self.prefix[:, j] * np.uint64(_HASH_BASE) + codes[:, j]
        classes = codes[:, :length].astype(np.int64) % _LETTER_CLASSES + _LETTER_CLASSES * np.arange(len(names))[:, None]
        self.counts = np.bincount(classes.reshape(-1), minlength=_LETTER_CLASSES * len(names)).reshape(
            len(names), -1).astype(np.uint8 if length < 256 else np.int64)

    def hashes(self, starts: np.ndarray | int, width: int) -> np.ndarray:
        power = np.uint64(pow(_HASH_BASE, width, 1 << 64))
        return self.prefix[:, np.add(starts, width)] - self.prefix[:, starts] * power

    def sorted_hashes(self, start: int, width: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, hashes) of the substring at `start` of every name, in hash order (kept: several groups
        of other names look up the same segments)."""
        if (start, width) not in self._sorted:
            keys = self.hashes(start, width)
            order = np.argsort(keys, kind="stable")
            self._sorted[start, width] = order, keys[order]
        return self._sorted[start, width]


def _by_length(names: list[str]) -> dict[int, _SameLength]:
    """The names grouped by their length (in characters, as rapidfuzz counts them)."""
    lengths = np.fromiter((len(n) for n in names), dtype=np.int64, count=len(names))
    groups = {}
    for length in np.unique(lengths).tolist():
        positions = np.flatnonzero(lengths == length)
        groups[length] = _SameLength([names[i] for i in positions], positions, length)
    return groups


def _candidate_pairs(left: list[str], right: list[str] | None, score: float, rounded: bool,
                     right_groups: dict[int, _SameLength] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(i, j): positions in `left` and `right` of every pair that can score `score` with fuzz.ratio, and
    some more, in order; with ``right=None`` the pairs i < j within `left`.

    Exact by the pigeonhole principle (PassJoin, Li et al. 2011): two strings of lengths la and lb can
    score `score` only within k = _max_indel(la + lb) insertions + deletions (so |la - lb| <= k). Cut one
    of them into k + 1 segments: each edit breaks at most one, so one is found unchanged in the other.
    Take the first segment s (from 0) before which fewer edits fell than there are segments (one exists,
    as k edits cannot reach k + 1): no edit falls in it, at most s before it and k - s after it, so it is
    found shifted by t with |t| <= s and |(length of the other - length of the cut one) - t| <= k - s.
    The candidates are the pairs where some segment of one is the substring of the other at one of those
    shifts (compared by hash), and whose character counts differ by at most k in all (each edit changes
    one count by one; characters are counted in classes, which can only make the differences smaller).
    The strings cut are those of the larger group of one length (the longer on a tie): the other group
    is the one whose substrings are looked up. ``right_groups``: ``_by_length(right)`` made before (kept with
    their sorted segments for several calls against the same names)."""
    groups_left = _by_length(left)
    groups_right = groups_left if right is None else (right_groups if right_groups is not None else _by_length(right))
    found_i, found_j = [], []
    for la, a in groups_left.items():
        for lb, b in groups_right.items():
            k = _max_indel(score, la + lb, rounded)
            if abs(la - lb) > k or (right is None and la > lb):
                continue
            cut_b = (len(b.positions), lb) >= (len(a.positions), la)
            probe, cut = (a, b) if cut_b else (b, a)
            at_probe, at_cut = _segment_matches(probe, cut, k)
            close = _counts_within(probe.counts[at_probe], cut.counts[at_cut], k, la + lb)
            i, j = probe.positions[at_probe[close]], cut.positions[at_cut[close]]
            if not cut_b:
                i, j = j, i
            if right is None:
                i, j = np.minimum(i, j), np.maximum(i, j)
                wanted = i < j
                i, j = i[wanted], j[wanted]
            found_i.append(i)
            found_j.append(j)
    if not found_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    size = len(left) if right is None else len(right)
    key = np.sort(np.concatenate(found_i).astype(np.int64) * size + np.concatenate(found_j))
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]  # a pair found by several segments once
    key = key[first]
    return key // size, key % size


_BYTE_ONES = np.uint64(0x0101010101010101)


def _counts_within(counts_a: np.ndarray, counts_b: np.ndarray, k: int, total_length: int) -> np.ndarray:
    """Rows whose character-class counts differ by at most ``k`` in all (the sum of the differences). Counts
    of one byte each are summed eight at a time, as the top byte of a word times 0x0101...01: exact while a
    row's differences sum to less than 256, which they do when the two names are shorter than that together
    (a province's linking compares a hundred million rows: numpy's row sums of 16 bytes were most of it)."""
    diff = np.maximum(counts_a, counts_b) - np.minimum(counts_a, counts_b)
    if diff.dtype != np.uint8 or total_length >= 256 or diff.shape[1] % 8:
        return diff.sum(axis=1) <= k
    words = diff.view(np.uint64)  # (rows, classes / 8), C-contiguous: a new array
    total = (words[:, 0] * _BYTE_ONES) >> np.uint64(56)
    for column in range(1, words.shape[1]):
        total += (words[:, column] * _BYTE_ONES) >> np.uint64(56)
    return total <= k


def _segment_matches(probe: _SameLength, cut: _SameLength, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows (in `probe`, in `cut`) where a segment of the cut name is found in the probe name at a shift
    ``_candidate_pairs`` allows; every pair when a segment would be empty (k + 1 > length)."""
    n_probe, n_cut = len(probe.positions), len(cut.positions)
    if cut.length < k + 1:
        return np.repeat(np.arange(n_probe), n_cut), np.tile(np.arange(n_cut), n_probe)
    bounds = np.arange(k + 2) * cut.length // (k + 1)
    delta = probe.length - cut.length
    found_p, found_c = [], []
    for s in range(k + 1):
        start, width = int(bounds[s]), int(bounds[s + 1] - bounds[s])
        starts = start + np.arange(max(-s, delta - (k - s)), min(s, delta + (k - s)) + 1)
        starts = starts[(starts >= 0) & (starts + width <= probe.length)]
        if not len(starts):
            continue
        order, keys = cut.sorted_hashes(start, width)
        probes = probe.hashes(starts, width).reshape(-1)
        low = np.searchsorted(keys, probes, side="left")
        counts = np.searchsorted(keys, probes, side="right") - low
        hit = np.flatnonzero(counts)
        counts, low = counts[hit], low[hit]
        ends = np.cumsum(counts)
        found_p.append(np.repeat(hit // len(starts), counts))
        found_c.append(order[np.repeat(low - ends + counts, counts) + np.arange(ends[-1] if len(ends) else 0)])
    if not found_p:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(found_p), np.concatenate(found_c)


def _banded_pairs(ordered: list[str], lengths: np.ndarray, keep, workers: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p, q, score) kept by `keep` for p < q of the names sorted by length, p then q ascending: each chunk
    of names scored against itself and the longer names in its length band."""
    found_p, found_q, found_s = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.uint8)]
    for start in range(0, len(ordered), _CHUNK):
        stop = min(start + _CHUNK, len(ordered))
        reach = int(np.searchsorted(lengths, lengths[stop - 1] * (1.0 + _LENGTH_BAND) + 1, side="right"))
        if reach - start < 2:
            continue
        scores = process.cdist(ordered[start:stop], ordered[start:reach], scorer=fuzz.ratio,
                               score_cutoff=NEAR_DUPLICATE_SCORE, dtype=np.uint8, workers=workers)
        flat = np.flatnonzero(scores)
        rows, cols = np.divmod(flat, scores.shape[1])  # column j is sorted position start + j
        values = scores.reshape(-1)[flat]
        wanted = (cols > rows) & keep(values)
        found_p.append(start + rows[wanted])
        found_q.append(start + cols[wanted])
        found_s.append(values[wanted])
    return np.concatenate(found_p), np.concatenate(found_q), np.concatenate(found_s)


def _max_by_pair(a: np.ndarray, b: np.ndarray, scores: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The highest score of each pair, pairs in row-major order (a, then b) as np.nonzero lists them."""
    key = a.astype(np.int64) * size + b.astype(np.int64)
    order = np.lexsort((-scores.astype(np.int64), key))
    key, scores = key[order], scores[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, scores = key[first], scores[first]
    return key // size, key % size, scores


@dataclass(frozen=True)
class Link:
    umkm_id: str | None
    cara: str  # nik / hp / nama / fuzzy / tidak cocok
    skor: float


NO_LINK = Link(None, "tidak cocok", 0.0)


class ProducerIndex:
    """Lookup of producers by NIK, phone, exact normalised names and fuzzy names within a kecamatan."""

    def __init__(self, producers: pd.DataFrame) -> None:
        self._by_nik = _unique_map(producers["nik"], producers["umkm_id"])
        self._by_hp = _unique_map(producers["no_hp"], producers["umkm_id"])
        usaha = name_keys(producers["nama_usaha"])
        pemilik = name_keys(producers["nama_pemilik"])
        kecamatan = producers["kecamatan"].astype(str)
        ids = producers["umkm_id"]
        self._by_names_kec = _unique_map(usaha + "|" + pemilik + "|" + kecamatan, ids)
        self._by_names = _unique_map(usaha + "|" + pemilik, ids)
        self._by_pemilik_kec = _unique_map(pemilik + "|" + kecamatan, ids)
        self._by_usaha_kec = _unique_map(usaha + "|" + kecamatan, ids)
        self._candidates: dict[str, _Candidates] = {}
        # Candidates are kept with their words sorted once: token_sort_ratio(q, c) is ratio(sorted q,
        # sorted c), and sorting 50,000 names again for every query was most of the linking time.
        combined = (usaha + " " + pemilik).map(_sorted_words)
        for kec, index in producers.groupby(kecamatan).groups.items():
            self._candidates[str(kec)] = _Candidates(combined.loc[index].tolist(), ids.loc[index].tolist())
        self._all = _Candidates(combined.tolist(), ids.tolist())

    def link(self, nik: object = None, hp: object = None, usaha: object = None, pemilik: object = None,
             kecamatan: object = None) -> Link:
        found = self._exact(nik, hp, usaha, pemilik, kecamatan)
        return found if isinstance(found, Link) else self._fuzzy(*found)

    def link_many(self, identities: Iterable[tuple]) -> list[Link]:
        """link(*identity) for each (nik, hp, usaha, pemilik, kecamatan); the fuzzy searches of a
        kecamatan are scored together (one cdist instead of one extract per name)."""
        links: list[Link | None] = []
        fuzzy: dict[str, list[tuple[int, str]]] = defaultdict(list)
        keys: dict = {}  # each distinct name (and kecamatan) keyed once: a province's sales name 300,000 identities
        places: dict = {}
        for position, (nik, hp, usaha, pemilik, kecamatan) in enumerate(identities):
            ku, kp, kec = keys.get(usaha), keys.get(pemilik), places.get(kecamatan)
            if ku is None:
                ku = keys[usaha] = _name_key_or_empty(usaha)
            if kp is None:
                kp = keys[pemilik] = _name_key_or_empty(pemilik)
            if kec is None:
                kec = places[kecamatan] = str(kecamatan) if _present(kecamatan) else ""
            found = self._exact_keyed(nik, hp, ku, kp, kec)
            if isinstance(found, Link):
                links.append(found)
            else:
                links.append(None)
                fuzzy[found[1]].append((position, found[0]))
        for kecamatan, asked in fuzzy.items():
            for (position, _), link in zip(asked, self._fuzzy_many([query for _, query in asked], kecamatan)):
                links[position] = link
        return links  # type: ignore[return-value]

    def _exact(self, nik: object = None, hp: object = None, usaha: object = None, pemilik: object = None,
               kecamatan: object = None) -> Link | tuple[str, str]:
        """The link by NIK, phone or exact names, or else the (query, kecamatan) of the fuzzy search."""
        return self._exact_keyed(nik, hp, _name_key_or_empty(usaha), _name_key_or_empty(pemilik),
                                 str(kecamatan) if _present(kecamatan) else "")

    def _exact_keyed(self, nik: object, hp: object, ku: str, kp: str, kec: str) -> Link | tuple[str, str]:
        """``_exact`` with the names as their keys and the kecamatan as text ("" where missing)."""
        # (The maps' keys are non-empty text: a missing NIK or phone is never found in them.)
        if nik in self._by_nik:
            return Link(self._by_nik[nik], "nik", 100.0)
        if hp in self._by_hp:
            return Link(self._by_hp[hp], "hp", 100.0)
        if not ku and not kp:
            return NO_LINK
        for lookup, key in ((self._by_names_kec, f"{ku}|{kp}|{kec}"), (self._by_names, f"{ku}|{kp}")):
            if key in lookup:
                return Link(lookup[key], "nama", 100.0)
        if kec and kp and f"{kp}|{kec}" in self._by_pemilik_kec and not ku:
            return Link(self._by_pemilik_kec[f"{kp}|{kec}"], "nama", 100.0)
        if kec and ku and f"{ku}|{kec}" in self._by_usaha_kec and not kp:
            return Link(self._by_usaha_kec[f"{ku}|{kec}"], "nama", 100.0)
        return f"{ku} {kp}".strip(), kec

    def _fuzzy(self, query: str, kecamatan: str) -> Link:
        candidates = self._candidates.get(kecamatan, self._all)
        if not candidates.names:
            return NO_LINK
        # Candidates under FUZZY_MIN_SCORE - FUZZY_MIN_MARGIN can neither win nor spoil a winner's
        # margin, so the scorer may stop early on them, and is not even shown the names whose length
        # rules such a score out. The outcome depends only on the two best scores and, when they differ
        # by the margin, on the one best name: not on the order the names are scored in.
        query = _sorted_words(query)
        low, high = candidates.band(len(query))
        best = process.extract(query, candidates.names[low:high], scorer=fuzz.ratio, limit=2,
                               score_cutoff=FUZZY_MIN_SCORE - FUZZY_MIN_MARGIN)
        if not best or best[0][1] < FUZZY_MIN_SCORE:
            return NO_LINK
        runner_up = best[1][1] if len(best) > 1 else 0.0
        if best[0][1] - runner_up < FUZZY_MIN_MARGIN:
            return NO_LINK
        return Link(candidates.ids[low + best[0][2]], "fuzzy", round(float(best[0][1]), 1))

    def _fuzzy_many(self, queries: list[str], kecamatan: str) -> list[Link]:
        """_fuzzy(query, kecamatan) for each query: the same two best scores from a matrix of scores."""
        candidates = self._candidates.get(kecamatan, self._all)
        if not candidates.names:
            return [NO_LINK] * len(queries)
        if len(candidates.names) >= _PRUNE_MIN_CANDIDATES and len(queries) >= _PRUNE_MIN_NAMES:
            return self._fuzzy_pruned(queries, candidates)
        links: list[Link] = [NO_LINK] * len(queries)
        # Queries in order of length, so that each chunk is scored only against the names whose length
        # allows a score at the cutoff for one of its queries (the others score 0 in a full matrix too).
        sorted_queries = [_sorted_words(q) for q in queries]
        order = sorted(range(len(queries)), key=lambda i: len(sorted_queries[i]))
        for start in range(0, len(order), _QUERY_CHUNK):
            chunk = order[start:start + _QUERY_CHUNK]
            low, _ = candidates.band(len(sorted_queries[chunk[0]]))
            _, high = candidates.band(len(sorted_queries[chunk[-1]]))
            if high <= low:
                continue
            scores = process.cdist([sorted_queries[i] for i in chunk], candidates.names[low:high], scorer=fuzz.ratio,
                                   dtype=np.float64, score_cutoff=FUZZY_MIN_SCORE - FUZZY_MIN_MARGIN, workers=-1)
            rows = np.arange(len(chunk))
            best_at = scores.argmax(axis=1)
            best = scores[rows, best_at]
            scores[rows, best_at] = 0.0  # under the cutoff scores 0, as no runner-up does in _fuzzy
            runner_up = scores.max(axis=1)
            for i, at, score, second in zip(chunk, best_at.tolist(), best.tolist(), runner_up.tolist()):
                if score >= FUZZY_MIN_SCORE and score - second >= FUZZY_MIN_MARGIN:
                    links[i] = Link(candidates.ids[low + at], "fuzzy", round(float(score), 1))
        return links

    @staticmethod
    def _fuzzy_pruned(queries: list[str], candidates: _Candidates) -> list[Link]:
        """_fuzzy_many scoring only the pairs of ``_candidate_pairs`` (the others score under the cutoff,
        0 in the matrix): per query the best score (the first such name on a tie, as argmax takes it)
        and the next best."""
        sorted_queries = [_sorted_words(q) for q in queries]
        cutoff = FUZZY_MIN_SCORE - FUZZY_MIN_MARGIN
        asked, at = _candidate_pairs(sorted_queries, candidates.names, cutoff, rounded=False,
                                     right_groups=candidates.length_groups)
        scores = process.cpdist(np.array(sorted_queries, dtype=object)[asked], np.array(candidates.names, dtype=object)[at],
                                scorer=fuzz.ratio, dtype=np.float64, score_cutoff=cutoff, workers=-1)
        order = np.lexsort((at, -scores, asked))
        asked, at, scores = asked[order], at[order], scores[order]
        first, second = np.ones(len(asked), dtype=bool), np.zeros(len(asked), dtype=bool)
        first[1:] = asked[1:] != asked[:-1]
        second[1:] = first[:-1] & ~first[1:]
        best, best_at, runner_up = np.zeros(len(queries)), np.zeros(len(queries), dtype=np.int64), np.zeros(len(queries))
        best[asked[first]], best_at[asked[first]] = scores[first], at[first]
        runner_up[asked[second]] = scores[second]
        links: list[Link] = [NO_LINK] * len(queries)
        for i, j, score, second_score in zip(range(len(queries)), best_at.tolist(), best.tolist(), runner_up.tolist()):
            if score >= FUZZY_MIN_SCORE and score - second_score >= FUZZY_MIN_MARGIN:
                links[i] = Link(candidates.ids[j], "fuzzy", round(float(score), 1))
        return links


_QUERY_CHUNK = 64  # queries scored together: 64 x 50,000 scores are 25 MB


# fuzz.ratio(q, c) <= 200 * shorter / (len q + len c): it reaches FUZZY_MIN_SCORE - FUZZY_MIN_MARGIN (84)
# only when the longer is at most 200 / 84 - 1 = 1.38 times the shorter. Taken a little wider.
_FUZZY_LENGTH_RATIO = 200.0 / (FUZZY_MIN_SCORE - FUZZY_MIN_MARGIN) - 1.0 + 0.03


class _Candidates:
    """The names of one kecamatan (words sorted) and their ids, ordered by the names' length."""

    def __init__(self, names: list[str], ids: list[str]) -> None:
        lengths = np.fromiter((len(n) for n in names), dtype=np.int64, count=len(names))
        order = np.argsort(lengths, kind="stable")
        self.names = [names[i] for i in order]
        self.ids = [ids[i] for i in order]
        self.lengths = lengths[order]

    @cached_property
    def length_groups(self) -> dict[int, _SameLength]:
        """``_by_length(names)``, made once: a province's whole-area names are searched twice (participants
        without a kecamatan, then those not found in theirs), and their segments' hashes sorted once."""
        return _by_length(self.names)

    def band(self, length: int) -> tuple[int, int]:
        """The slice of names long enough and short enough to score a query of `length` at 84 or more."""
        low = int(np.searchsorted(self.lengths, length / _FUZZY_LENGTH_RATIO - 1, side="left"))
        high = int(np.searchsorted(self.lengths, length * _FUZZY_LENGTH_RATIO + 1, side="right"))
        return low, high


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


def _name_key_or_empty(value: object) -> str:
    return name_key(value) if _present(value) else ""


def _present(value: object) -> bool:
    return value is not None and value is not pd.NA and not (isinstance(value, float) and np.isnan(value)) and str(value) != ""


def _unique_map(keys: pd.Series, ids: pd.Series) -> dict[str, str]:
    """key -> id for keys that point at exactly one producer (an ambiguous key links nobody)."""
    keys = keys.astype("string")
    usable = (keys.notna() & ids.notna() & (keys.str.len() > 0)).to_numpy(dtype=bool, na_value=False)
    pairs = pd.DataFrame({"key": keys[usable].to_numpy(dtype=object), "id": ids[usable].to_numpy(dtype=object)})
    pairs = pairs.drop_duplicates()
    single = ~pairs["key"].duplicated(keep=False).to_numpy()  # a key with two different ids is ambiguous
    return dict(zip(pairs["key"].to_numpy(dtype=object)[single].tolist(), pairs["id"].to_numpy(dtype=object)[single].tolist()))


def name_keys(values: pd.Series) -> pd.Series:
    """``values.map(name_key)`` (object dtype, same index) with each distinct name keyed once
    (``parse_values``; 1, 1.0 and True stay apart): a province's registry keys the same 50,000 names for
    merging, linking and review, and a Python call per row through ``Series.map`` cost more than the keys."""
    return parse_values(values, name_key)[0]
