"""Cell forms as officers write them (money, phone numbers, month labels), a grid of cells, names already used."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from analysis.core import reference as ref
from analysis.demo.specs import MONTHS


@dataclass
class Grid:
    """One sheet as it will be written: cell rows (row i is Excel row i+1), merged ranges, bold rows."""

    name: str
    rows: list[list] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2
    bold: set[int] = field(default_factory=set)
    date_format: str = "dd/mm/yyyy"

    def add(self, row: list | tuple = (), bold: bool = False) -> int:
        self.rows.append(list(row))
        if bold:
            self.bold.add(len(self.rows))
        return len(self.rows)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append((r1, c1, r2, c2))

    def title(self, text: str, width: int = 0) -> int:
        """A bold title row, merged across `width` columns (0: unmerged, as in a CSV or a write-only sheet)."""
        row = self.add([text], bold=True)
        if width:
            self.merge(row, 1, row, width)
        return row


@dataclass
class Used:
    """Identifiers already handed out, so names, NIKs and phones stay unique across everything written."""

    keys: set[str] = field(default_factory=set)
    niks: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)


def pick(rng: np.random.Generator, items: tuple | list):
    return items[int(rng.integers(len(items)))]


def key(*parts: str) -> str:
    """Name identity after normalisation (case, accents, spaces and punctuation ignored)."""
    return "|".join(re.sub(r"[^0-9a-z]", "", ref.fold(p)) for p in parts)


def month_index(day: date) -> int:
    return (day.year - MONTHS[0].year) * 12 + day.month - 1


def dots(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _short_money(value: int, rng: np.random.Generator) -> str | None:
    """'2,5 jt', '750 rb', '1,25 M' when the value has at most two decimals in that unit."""
    for unit, labels in ((10**9, ("M",)), (10**6, ("jt", "juta")), (10**3, ("rb",))):
        if value >= unit:
            whole, rest = divmod(value, unit)
            if rest % (unit // 100):
                return None
            decimals = f"{rest // (unit // 100):02d}".rstrip("0")
            return f"{whole}{',' + decimals if decimals else ''} {pick(rng, labels)}"
    return None


def money_cell(value: int, style: str, rng: np.random.Generator):
    if style == "campur":
        style = pick(rng, ("angka", "rp_strip", "singkat", "titik"))
    if style == "titik":
        return dots(value)
    if style == "rp_strip":
        return f"Rp {dots(value)},-"
    if style == "rp_sen":
        return f"Rp{dots(value)},00"
    if style == "singkat":
        return _short_money(value, rng) or dots(value)
    return int(value)


def phone_cell(e164: str, style: str):
    local = e164[3:]  # "812..." after "+62"
    grouped = f"{local[:3]}-{local[3:7]}-{local[7:]}"
    return {"angka": int(local), "nol": "0" + local, "strip": "0" + grouped, "62": "62" + local,
            "plus": "+62 " + grouped}[style]


def skala(omzet: float | None, aset: float | None) -> str | None:
    """UU 20/2008 (the data year is 2017): from omzet, else from aset."""
    criterion = ref.size_criteria()[ref.KRITERIA_UU_2008]
    value, limits = (omzet, criterion.omzet_limits) if omzet is not None else (aset, criterion.aset_limits)
    if value is None:
        return None
    return next((s for s, limit in zip(ref.SKALA, limits) if value <= limit), ref.SKALA[-1])
