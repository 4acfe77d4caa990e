"""The Dampak Pelatihan building blocks (analysis/training.py) on tiny frames, and the event-study chart
(AppTest cannot look inside plotly figures, so the figure is checked here)."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.core.schemas import Participants, Producers, Trainings
from analysis.impact import ImpactResult
from analysis.impact import estimate as impact_estimate
from analysis.impact.result import BULAN_RELATIF, CI_ATAS, CI_BAWAH, EFEK_PERSEN, N_OBS
from analysis.insight import filters as flt
from analysis.insight import training
from analysis.output import charts


def _trainings() -> pd.DataFrame:
    return Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P2", "P1", "P3"],
        "nama_kegiatan": ["Pemasaran Online", "Kelembagaan Koperasi", "Pemasaran Digital"],
        "jenis": ["Pemasaran", "Kelembagaan", "Pemasaran"],
        "tanggal_mulai": [pd.Timestamp("2017-03-14"), pd.Timestamp("2016-01-05"), pd.Timestamp("2017-05-02")],
        "tanggal_selesai": [pd.Timestamp("2017-03-16"), pd.Timestamp("2016-01-06"), pd.NaT],
        "lokasi": ["Kalianda", "Natar", None],
        "penyelenggara": ["Dinas", "Dinas", "Dinas"],
        "biaya_rp": [3_000_000.0, 1_000_000.0, None],
    }))


def _participants() -> pd.DataFrame:
    return Participants.conform(pd.DataFrame({
        "pelatihan_id": ["P2", "P2", "P2", "P1", "P1", "P3"],
        "umkm_id": ["A", "B", None, "A", "C", "A"],
        "cara_cocok": ["nik", "hp", "tidak cocok", "nik", "nama", "nik"],
    }))


def _producers() -> pd.DataFrame:
    return Producers.conform(pd.DataFrame({
        "umkm_id": ["A", "B", "C", "D"],
        "kecamatan": ["Natar", "Natar", "Kalianda", "Kalianda"],
        "kode_kecamatan": ["18.01.04", "18.01.04", "18.01.06", "18.01.06"],
        "kategori": ["Minuman", "Minuman", "Kerajinan", "Kerajinan"],
    }))


def _result(jenis="Pemasaran", efek=14.5, low=12.9, high=16.0, warnings=()) -> ImpactResult:
    per_bulan = pd.DataFrame({BULAN_RELATIF: [-1, 0, 1], EFEK_PERSEN: [0.4, 14.1, 14.4],
                              CI_BAWAH: [-2.4, 11.1, 11.1], CI_ATAS: [3.2, 17.2, 17.8],
                              N_OBS: [117, 118, 1150]})
    return ImpactResult(jenis, efek, low, high, 120, 1923, list(warnings), 0.4, per_bulan, True, False)


# ---------------------------------------------------------------------------------------------- events
def test_events_oldest_first_with_linked_and_total_participants_and_cost_per_participant():
    events = training.events_frame(_trainings(), _participants())
    assert list(events[training.COL_KEGIATAN]) == ["Kelembagaan Koperasi", "Pemasaran Online", "Pemasaran Digital"]
    assert list(events[training.COL_PESERTA_TOTAL]) == [2, 3, 1]
    assert list(events[training.COL_PESERTA_TERTAUT]) == [2, 2, 1]
    # The cost pays for everyone on the attendance list, linked or not: 3.000.000 / 3.
    assert events[training.COL_BIAYA_PER_PESERTA].iloc[1] == pytest.approx(1_000_000)
    assert pd.isna(events[training.COL_BIAYA_PER_PESERTA].iloc[2])  # unknown cost stays unknown
    assert training.COL_PESERTA_PILIHAN not in events


def test_events_display_in_indonesian():
    shown = training.events_display(training.events_frame(_trainings(), _participants()))
    row = shown.iloc[1]
    assert row[training.COL_MULAI] == "14 Maret 2017"
    assert row[training.COL_PESERTA] == "2 / 3"
    assert row[training.COL_BIAYA] == "Rp 3.000.000"
    assert row[training.COL_BIAYA_PER_PESERTA] == "Rp 1.000.000"
    assert shown.iloc[2][training.COL_SELESAI] == "–" and shown.iloc[2][training.COL_LOKASI] == "–"


def test_events_count_the_selected_producers_when_a_producer_filter_is_active():
    producers = _producers()
    events = training.events_frame(_trainings(), _participants(), producers[producers["kecamatan"] == "Kalianda"])
    assert list(events[training.COL_PESERTA_PILIHAN]) == [1, 0, 0]
    assert list(events[training.COL_PESERTA_TOTAL]) == [2, 3, 1]  # the list itself is not cut


def test_events_missing_column_is_named():
    with pytest.raises(KeyError, match="biaya_rp"):
        training.events_frame(_trainings().drop(columns=["biaya_rp"]), _participants())


def test_inputs_are_not_modified():
    trainings, participants = _trainings(), _participants()
    before = (trainings.copy(), participants.copy())
    training.events_frame(trainings, participants)
    training.coverage(_producers(), trainings, participants, "Pemasaran")
    pd.testing.assert_frame_equal(trainings, before[0])
    pd.testing.assert_frame_equal(participants, before[1])


# ---------------------------------------------------------------------------------------------- coverage
def test_coverage_counts_each_producer_once_per_kecamatan():
    reach = training.coverage(_producers(), _trainings(), _participants())
    by = reach.set_index(training.KECAMATAN)
    assert by.loc["Natar", training.UMKM_TERLATIH] == 2  # A came three times, counted once
    assert by.loc["Kalianda", training.UMKM_TERLATIH] == 1 and by.loc["Kalianda", training.JUMLAH_UMKM] == 2
    assert list(reach[training.KECAMATAN]) == ["Natar", "Kalianda"]  # highest share first
    assert by.loc["Kalianda", training.PERSEN_TERLATIH] == pytest.approx(50.0)


def test_coverage_of_one_jenis():
    by = training.coverage(_producers(), _trainings(), _participants(), "Kelembagaan").set_index(training.KECAMATAN)
    assert by.loc["Natar", training.UMKM_TERLATIH] == 1 and by.loc["Kalianda", training.UMKM_TERLATIH] == 1


# ---------------------------------------------------------------------------------------------- estimates
def test_effect_card_never_shows_a_bare_number():
    card = training.effect_card(_result())
    assert card.value == "+14,5%"
    assert card.label == "Efek (selang 95%: +12,9% s.d. +16,0%)"
    assert "120 peserta" in card.help and "1.923 UMKM pembanding" in card.help


def test_effect_card_without_an_estimate_says_why():
    empty = ImpactResult("Keuangan", None, None, None, 0, 0, ["Tidak ada peserta Keuangan."])
    card = training.effect_card(empty)
    assert card.value == "Belum cukup data" and "tidak dapat dihitung" in card.label
    assert "Belum cukup bukti" in card.help


def test_too_few_participants_get_words_not_a_number_to_quote():
    """Five participants once gave the headline "+12,2%" with a narrow interval; the number must not be the
    big text when the data cannot support it (it stays in the help, after the reason)."""
    few = replace(_result(efek=12.2, low=8.0, high=16.5), n_peserta=5, cukup_data=False,
                  peringatan=["Peserta terlalu sedikit: 5 UMKM dengan data penjualan sebelum dan sesudah pelatihan."])
    card = training.effect_card(few)
    assert card.value == "Belum cukup data" and "%" not in card.value and "12,2" not in card.label
    assert "5 UMKM" in card.help and "12,2%" in card.help


@pytest.mark.parametrize("change, value", [
    ({"pratren_berbeda": True}, "Belum dapat dipercaya"),
    ({"ci_bawah": -0.4, "ci_atas": 1.0, "efek_persen": 0.3}, "Tidak terbukti"),
    ({"ci_bawah": float("nan"), "ci_atas": float("nan")}, "Tidak terbukti"),
    ({}, "+14,5%"),
    ({"efek_persen": -6.0, "ci_bawah": -9.0, "ci_atas": -3.0}, "-6,0%"),
])
def test_the_headline_is_a_number_only_when_it_can_be_quoted(change, value):
    assert training.effect_card(replace(_result(), **change)).value == value


def test_effects_table_puts_jenis_side_by_side_with_cost_per_participant():
    results = [_result("Kelembagaan", 0.3, -0.4, 1.0), _result()]
    events = training.events_frame(_trainings(), _participants())
    raw = training.effects_frame(results, events)
    assert list(raw[training.COL_JENIS]) == ["Kelembagaan", "Pemasaran"]
    assert raw[training.COL_BIAYA_PER_PESERTA].tolist() == pytest.approx([500_000.0, 1_000_000.0])
    shown = training.effects_display(results, events)
    assert list(shown[training.COL_SELANG]) == ["-0,4% s.d. +1,0%", "+12,9% s.d. +16,0%"]
    assert shown[training.COL_KESIMPULAN].iloc[0].startswith("Belum cukup bukti")


def test_event_study_frame_is_long_over_jenis_and_empty_safe():
    frame = training.event_study_frame([_result("Kemasan"), ImpactResult("Keuangan", None, None, None, 0, 0)])
    assert set(frame[training.COL_JENIS]) == {"Kemasan"} and len(frame) == 3
    assert training.event_study_frame([]).empty
    assert list(training.per_month(ImpactResult("Keuangan", None, None, None, 0, 0)).columns) == [
        BULAN_RELATIF, EFEK_PERSEN, CI_BAWAH, CI_ATAS, N_OBS]


def test_export_has_a_parameter_sheet_without_the_period():
    events = training.events_frame(_trainings(), _participants())
    chosen = flt.Filters(start=pd.Timestamp("2017-01-01"), kecamatan=("Natar",))
    sheets = training.export_sheets([_result()], events, chosen, pd.Timestamp("2017-12-01"), n_boot=299, seed=1)
    assert list(sheets) == ["Perkiraan", "Per bulan", "Kegiatan", "Parameter"]
    values = dict(zip(sheets["Parameter"]["Parameter"], sheets["Parameter"]["Nilai"]))
    assert values["Ulangan bootstrap"] == 299 and values["Filter"] == "kecamatan: Natar"
    assert values["Data sampai"] == "Desember 2017"


def test_method_text_states_the_thresholds_in_use():
    text = training.method_text(299)
    assert "299 kali" in text and f"minimal {impact_estimate.MIN_PESERTA} peserta" in text and "bukan percobaan" in text


# ---------------------------------------------------------------------------------------------- chart
def test_event_study_chart_band_zero_line_event_line_and_hover():
    frame = _result().per_bulan
    figure = charts.event_study(frame, BULAN_RELATIF, EFEK_PERSEN, CI_BAWAH, CI_ATAS,
                                N_OBS)
    upper_before, lower_before, upper_after, lower_after, before, after = figure.data
    # The band is split at the training: joined across it, it would draw a rise nobody measured.
    assert lower_before.fill == "tonexty" and list(upper_before.y) == [3.2] and list(lower_before.y) == [-2.4]
    assert list(upper_after.y) == [17.2, 17.8] and list(lower_after.y) == [11.1, 11.1]
    assert [t.showlegend for t in (lower_before, lower_after)] == [True, False]  # one legend entry for the band
    assert list(before.x) == [-1] and list(after.x) == [0, 1]  # the check months are a separate, grey trace
    assert before.line.color == charts.MUTED and after.line.color == charts.PRIMARY
    assert list(after.customdata[1]) == ["+14,4%", "+11,1%", "+17,8%", "1.150"]
    assert "Selang 95%: %{customdata[1]} s.d. %{customdata[2]}" in after.hovertemplate
    assert figure.layout.xaxis.title.text == "Bulan sejak pelatihan"
    assert figure.layout.yaxis.title.text == "Perubahan penjualan (%)" and figure.layout.yaxis.ticksuffix == "%"
    shapes = {(s.type, s.x0, s.y0) for s in figure.layout.shapes}
    assert ("line", -0.5, 0) in shapes  # the training, between month -1 and month 0
    assert any(s.y0 == 0 and s.y1 == 0 for s in figure.layout.shapes)  # the zero line
    assert figure.layout.separators == ",."


def test_event_study_chart_empty_frame_still_draws():
    empty = training.per_month(ImpactResult("Keuangan", None, None, None, 0, 0))
    figure = charts.event_study(empty, BULAN_RELATIF, EFEK_PERSEN, CI_BAWAH, CI_ATAS)
    assert len(figure.data) == 0 and any("Belum ada data" in a.text for a in figure.layout.annotations)


def test_event_study_chart_missing_column_is_named():
    with pytest.raises(ValueError, match="'n_obs'"):
        charts.event_study(_result().per_bulan.drop(columns=[N_OBS]), BULAN_RELATIF,
                           EFEK_PERSEN, CI_BAWAH, CI_ATAS, N_OBS)
