"""Ringkasan cards and sentences on tiny tables: formatted values, deltas only where a previous period
exists, and help text from the catalogue."""
from __future__ import annotations

import pandas as pd

from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight import summary

MONTHS = [pd.Timestamp(f"{y}-{m:02d}-01") for y in (2016, 2017) for m in range(1, 13)]


def _cards(tables, filters):
    return {card.key: card for group in summary.cards(tables, filters, MONTHS).values() for card in group}


def test_cards_cover_every_group_key_once(tiny_tables):
    cards = _cards(tiny_tables, flt.Filters())
    assert set(cards) == {k for keys in summary.CARD_GROUPS.values() for k in keys}
    assert set(cards) <= set(ind.INDICATORS)


def test_whole_period_has_no_previous_period_so_no_deltas(tiny_tables):
    cards = _cards(tiny_tables, flt.Filters())
    assert cards["jumlah_umkm"].value == "3"
    assert cards["porsi_nib"].value == "66,7%"
    assert cards["omzet_tahunan_rp"].value == "Rp 7 jt"
    assert all(card.delta is None and card.delta_description is None for card in cards.values())
    assert "Rumus:" in cards["porsi_nib"].help
    assert cards["porsi_terlatih_kemasan"].label == "Pelatihan Kemasan"  # short on the card,
    assert "Pernah ikut pelatihan Kemasan" in cards["porsi_terlatih_kemasan"].help  # full in the help


def test_a_shorter_period_gets_deltas_for_period_indicators_only(tiny_tables):
    year_2017 = flt.Filters(start=pd.Timestamp("2017-01-01"), end=pd.Timestamp("2017-12-01"))
    cards = _cards(tiny_tables, year_2017)
    assert cards["penjualan_rp"].value == "Rp 407"
    assert cards["penjualan_rp"].delta == "+307,0%"  # 407 against 100 in 2016
    assert cards["penjualan_rp"].delta_description == "dibanding Januari 2016 – Desember 2016"
    assert cards["porsi_terlatih"].delta == "+33,3 poin"  # A by 2016; A and C by 2017
    assert cards["jumlah_umkm"].delta is None  # stock: the registry has no dates


def test_period_note_says_why_there_is_no_change():
    assert "tidak ditampilkan" in summary.period_note(flt.Filters(), MONTHS)
    note = summary.period_note(flt.Filters(start=pd.Timestamp("2017-01-01")), MONTHS)
    assert note.startswith("Periode Januari 2017 – Desember 2017.") and "Januari 2016 – Desember 2016" in note


def test_lines():
    assert summary.data_until_line(pd.Timestamp("2017-10-01")) == "Data sampai Oktober 2017"
    assert summary.n_umkm_line(2500, flt.Filters(skala=("Mikro",))) == "Dihitung dari 2.500 UMKM (skala: Mikro)."


def test_card_rows_are_balanced():
    assert [len(r) for r in summary.card_rows(list(range(6)))] == [3, 3]
    assert [len(r) for r in summary.card_rows(list(range(2)))] == [2]
    assert [len(r) for r in summary.card_rows(list(range(9)))] == [3, 3, 3]
    assert [len(r) for r in summary.card_rows(list(range(5)))] == [3, 2]
    assert summary.card_rows([]) == []


def test_every_card_but_the_count_says_what_it_rests_on(tiny_tables):
    from analysis.insight import filters as flt
    from analysis.insight import summary

    groups = summary.cards(tiny_tables, flt.Filters(), [])
    cards = {card.key: card for group in groups.values() for card in group}
    assert cards["jumlah_umkm"].basis is None
    assert cards["porsi_nib"].basis.startswith("2 dari 3 UMKM") and "belum tercatat" not in cards["porsi_nib"].basis
    assert cards["porsi_halal"].basis == "0 dari 3 UMKM · belum tercatat 100,0% (3)"  # never counted as "no"
    assert cards["penjualan_rp"].basis == "dari 3 UMKM yang melapor"
    assert all(card.basis for key, card in cards.items() if key != "jumlah_umkm" and key != "umkm_per_1000")
