"""Desa/kelurahan recognition: the desa column, or the desa named in an address, matched within the
producer's kecamatan against the national code list (data/wilayah/kode_wilayah.parquet).

A recognised desa is stored by its canonical name and Kemendagri code (``kode_desa``, "18.01.17.2005",
a column after the contract's producers columns);
text that names no desa of that kecamatan is kept as written with no code: a desa is never guessed
across kecamatan, and a row is never rejected for its desa.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz, process

from analysis.core import reference as ref
from analysis.core import wilayah

DESA = "desa"
KODE_DESA = "kode_desa"
MIN_SCORE = 90.0
MIN_MARGIN = 6.0
_PREFIX = re.compile(r"^(?:desa|ds|kelurahan|kel|pekon|kampung|kampong|gampong|nagari)\b\.?\s*[:.]?\s*")
# "Desa X", "Ds. X", "Kel. X", "Pekon X" inside an address: the words after it, up to a comma or "Kec."
_NAMED = re.compile(r"(?<![a-z])(?:desa|ds|kelurahan|kel|pekon)\b\.?\s*[:.]?\s*([a-z0-9 '\-]+?)\s*"
                    r"(?:,|$|\bkec\b|\bkecamatan\b|\brt\b|\brw\b)")


class DesaMatcher:
    """Desa of each kecamatan of a region: exact (spacing, case, punctuation aside), then named in an
    address, then a close typo with a clear margin."""

    def __init__(self, code: str | None = None) -> None:
        self.region = wilayah.region(code)
        table = wilayah.desa_of(self.region.kode)
        self._by_kecamatan: dict[str, dict[str, tuple[str, str]]] = {}
        for kode, nama, kecamatan in zip(table["kode_desa"], table["desa"], table["kode_kecamatan"]):
            self._by_kecamatan.setdefault(str(kecamatan), {}).setdefault(ref.compact(nama), (str(nama), str(kode)))
        self._patterns: dict[str, list[tuple[re.Pattern, tuple[str, str]]]] = {}

    def _scan_patterns(self, kecamatan: str) -> list[tuple[re.Pattern, tuple[str, str]]]:
        if kecamatan not in self._patterns:
            found = []
            for name, code in self._by_kecamatan.get(kecamatan, {}).values():
                words = re.sub(r"[^a-z0-9]+", " ", ref.fold(name)).split()
                if words:
                    pattern = re.compile(r"(?<![a-z0-9])" + r"\s*".join(map(re.escape, words)) + r"(?![a-z0-9])")
                    found.append((pattern, (name, code)))
            found.sort(key=lambda item: -len(item[1][0]))  # the longest name first: "Way Galih" before "Galih"
            self._patterns[kecamatan] = found
        return self._patterns[kecamatan]

    def match(self, text: object, kode_kecamatan: object) -> tuple[str, str] | None:
        """(canonical name, kode_desa) of the desa ``text`` names in that kecamatan, or None."""
        if text is None or pd.isna(text) or kode_kecamatan is None or pd.isna(kode_kecamatan):
            return None
        desa = self._by_kecamatan.get(str(kode_kecamatan))
        if not desa:
            return None
        folded = ref.fold(str(text))
        key = ref.compact(_PREFIX.sub("", folded))
        if not key:
            return None
        if key in desa:
            return desa[key]
        named = _NAMED.search(folded)
        if named is not None:
            inner = ref.compact(named.group(1))
            if inner in desa:
                return desa[inner]
        plain = re.sub(r"[^a-z0-9]+", " ", folded)
        hits = [hit for pattern, hit in self._scan_patterns(str(kode_kecamatan)) if pattern.search(plain)]
        if hits:
            return hits[0]
        if len(key) >= 5 and len(folded) <= 30:
            ranked = process.extract(key, list(desa), scorer=fuzz.ratio, limit=2)
            if ranked and ranked[0][1] >= MIN_SCORE and (len(ranked) < 2 or ranked[0][1] - ranked[1][1] >= MIN_MARGIN):
                return desa[ranked[0][0]]
        return None


@lru_cache(maxsize=4)
def _matcher(code: str) -> DesaMatcher:
    return DesaMatcher(code)


def with_desa(producers: pd.DataFrame, code: str | None = None) -> pd.DataFrame:
    """``producers`` with ``desa`` canonical where a desa of its kecamatan is recognised and ``kode_desa``
    (missing otherwise; ``desa`` then stays as written). Unique (text, kecamatan) pairs are matched once."""
    matcher = _matcher(wilayah.region(code).kode)
    out = producers.copy()
    if DESA not in out or out.empty:
        out[KODE_DESA] = pd.Series(pd.NA, index=out.index, dtype="string")
        return out
    pairs = pd.DataFrame({"t": out[DESA].astype("string"), "k": out["kode_kecamatan"].astype("string")})
    unique = pairs.drop_duplicates().reset_index(drop=True)
    hits = [matcher.match(t, k) for t, k in zip(unique["t"], unique["k"])]
    unique["name"] = pd.Series([h[0] if h else None for h in hits], dtype="string")
    unique["code"] = pd.Series([h[1] if h else None for h in hits], dtype="string")
    found = pairs.merge(unique, on=["t", "k"], how="left", validate="many_to_one")
    names = pd.Series(found["name"].to_numpy(), index=out.index, dtype="string")
    out[DESA] = names.where(names.notna(), out[DESA].astype("string"))
    out[KODE_DESA] = pd.Series(found["code"].to_numpy(), index=out.index, dtype="string")
    return out
