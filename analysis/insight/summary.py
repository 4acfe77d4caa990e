"""What the Ringkasan page shows, as values ready to render: indicator cards with their formatted value,
change and help text, and the sentences that say which period and which data the numbers describe.

The cards are built from the indicator catalogue (analysis.insight.indicators), so a card, the map and the
exports never disagree on what an indicator means or how it is formatted.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import formatting as fmt
from analysis.insight import filters as flt
from analysis.insight import indicators as ind

# Card groups on the page, in reading order: size, formality and markets, training, sales.
CARD_GROUPS: dict[str, tuple[str, ...]] = {
    "Jumlah dan skala usaha": ("jumlah_umkm", "tenaga_kerja", "omzet_tahunan_rp", "porsi_mikro", "porsi_kecil",
                               "porsi_menengah"),
    "Legalitas dan pasar": ("porsi_nib", "porsi_pirt", "porsi_halal", "porsi_online", "porsi_luar_kecamatan",
                            "porsi_luar_kabupaten", "umkm_per_1000"),
    "Pelatihan": ("porsi_terlatih", *[k for k in ind.INDICATORS if k.startswith("porsi_terlatih_")]),
    "Penjualan": ("penjualan_rp", "pertumbuhan_penjualan"),
}


# Shorter card labels where the catalogue's label does not fit a card (the help text keeps the full one).
SHORT_LABELS = {
    "umkm_per_1000": "UMKM per 1.000 penduduk",
    "pertumbuhan_penjualan": "Pertumbuhan penjualan",
    **{k: "Pelatihan " + ind.INDICATORS[k].label.removeprefix("Pernah ikut pelatihan ")
       for k in ind.INDICATORS if k.startswith("porsi_terlatih_")},
}


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    delta: str | None  # None: no change shown (stock indicator, or no previous period in the data)
    delta_description: str | None
    help: str
    basis: str | None = None  # what the value rests on: "503 dari 2.500 UMKM · belum tercatat 35,0% (874)"


def cards(tables, filters: flt.Filters, months: list[pd.Timestamp], coded=None) -> dict[str, list[Card]]:
    """The cards of every group, from the unfiltered tables and the filters (the change needs the
    months before the period, which filtered tables would no longer hold). ``coded``: see
    ``indicators.compute``."""
    rows = ind.with_change(tables, filters, months, coded=coded).set_index("key")
    previous = flt.previous_period(filters, months)
    against = None if previous is None else f"dibanding {fmt.period_label(previous.start, previous.end)}"
    result: dict[str, list[Card]] = {}
    for group, keys in CARD_GROUPS.items():
        result[group] = []
        for key in keys:
            row = rows.loc[key]
            delta = fmt.indicator_delta(row["kind"], row["change"], row["previous"])
            result[group].append(Card(
                key=key,
                label=SHORT_LABELS.get(key, str(row["label"])),
                value=fmt.indicator_value(row["kind"], row["value"]),
                delta=delta,
                delta_description=against if delta is not None else None,
                help=f"**{row['label']}**\n\n{ind.help_text(key)}",
                basis=row["basis"] if isinstance(row["basis"], str) else None,
            ))
    return result


def period_note(filters: flt.Filters, months: list[pd.Timestamp]) -> str:
    """Which months the period indicators cover and what their change is measured against; says so
    when the data does not reach back a whole period, instead of leaving the reader to wonder why
    there is no change."""
    if not months:
        return "Belum ada data penjualan: indikator periode tidak dapat dihitung."
    start, end = filters.start or min(months), filters.end or max(months)
    text = f"Periode {fmt.period_label(start, end)}."
    previous = flt.previous_period(filters, months)
    if previous is None:
        return (f"{text} Perubahan terhadap periode sebelumnya tidak ditampilkan: data tidak mencakup periode "
                "sama panjang sebelum periode ini (pilih periode yang lebih pendek di filter untuk melihatnya).")
    return (f"{text} Perubahan dibanding {fmt.period_label(previous.start, previous.end)}, periode sama panjang "
            "sebelumnya; indikator stok registri tidak punya perubahan.")


def data_until_line(last_month: pd.Timestamp | None) -> str:
    """"Data sampai Oktober 2017": the last month with sales, so nobody reads old data as current."""
    return "Data sampai " + fmt.month_label(last_month)


def n_umkm_line(n: int, filters: flt.Filters) -> str:
    """How many UMKM the figures rest on, and which selection: a share of 12 UMKM is not a share of 2.500."""
    return f"Dihitung dari {fmt.number(n)} UMKM ({filters.describe()})."


def card_rows(group: list[Card], max_per_row: int = 4) -> list[list[Card]]:
    """Cards split into balanced rows of at most ``max_per_row`` (6 cards -> 3 + 3, not 4 + 2), so a
    group never ends in a short row with a gap beside it."""
    if not group:
        return []
    n_rows = -(-len(group) // max_per_row)
    per_row = -(-len(group) // n_rows)
    return [group[i:i + per_row] for i in range(0, len(group), per_row)]
