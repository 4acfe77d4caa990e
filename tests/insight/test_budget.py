"""Budget priorities (analysis/budget.py): the score and its parts, the allocation of whole seats within the
budget (a property test over random plans), the expected-sales range, the candidate list with masked NIK and
phone, the URL round trip, and the Excel export opened with openpyxl (sheets, values, number formats,
formula-like text kept as text)."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import excel
from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.impact import ImpactResult
from analysis.insight import budget
from analysis.insight import filters as flt

NAMES = list(ref.kecamatan_names())


# ---------------------------------------------------------------------------------------------- helpers
def _values(**columns) -> pd.DataFrame:
    """Criterion values for three kecamatan (others get no UMKM)."""
    base = {"kecamatan": NAMES[:3], "n_umkm": [100, 50, 10], "jumlah_umkm": [100.0, 50.0, 10.0],
            "belum_pemasaran": [0.5, 0.5, 0.5], "pasar_lokal": [0.5, 0.5, 0.5], "tanpa_izin": [0.5, 0.5, 0.5],
            "tanpa_online": [0.5, 0.5, 0.5], "pertumbuhan": [0.1, 0.1, 0.1]}
    base.update(columns)
    return pd.DataFrame(base)


def _only(key: str) -> dict[str, float]:
    return {k: (1.0 if k == key else 0.0) for k in budget.CRITERION_KEYS}


def _room(capacity: dict[tuple[str, str], int], sales: float = 12_000_000.0) -> pd.DataFrame:
    rows = [{budget.KECAMATAN: k, budget.JENIS: j, budget.KAPASITAS: capacity.get((k, j), 0),
             budget.PENJUALAN_TAHUNAN: sales} for k in NAMES for j in budget.FUNDABLE]
    return pd.DataFrame(rows)


def _result(jenis: str, effect: float | None, low: float | None, high: float | None, *, enough: bool = True,
            pretrend: bool = False, warnings: list[str] | None = None) -> ImpactResult:
    return ImpactResult(jenis=jenis, efek_persen=effect, ci_bawah=low, ci_atas=high, n_peserta=100 if enough else 5,
                        n_pembanding=500, peringatan=warnings or [], cukup_data=enough, pratren_berbeda=pretrend)


# ---------------------------------------------------------------------------------------------- score
def test_score_is_the_sum_of_visible_points_and_ranks_highest_first():
    scored = budget.score(_values(tanpa_online=[0.2, 0.9, 0.4]), budget.DEFAULT_WEIGHTS)
    points = scored[[budget.contribution_column(k) for k in budget.CRITERION_KEYS]].sum(axis=1)
    assert points.round(9).tolist() == scored[budget.SKOR].round(9).tolist()
    assert scored[budget.SKOR].is_monotonic_decreasing
    assert scored[budget.PERINGKAT].tolist() == [1, 2, 3]
    assert len(scored) == 3  # kecamatan without UMKM are not ranked


def test_weights_change_the_ranking_as_they_should():
    values = _values(tanpa_online=[0.1, 0.5, 0.9])  # the largest kecamatan sells online most
    by_size = budget.score(values, _only("jumlah_umkm"))
    by_offline = budget.score(values, _only("tanpa_online"))
    assert by_size[budget.KECAMATAN].tolist() == NAMES[:3]
    assert by_offline[budget.KECAMATAN].tolist() == NAMES[:3][::-1]
    # a single criterion with all the weight gives 100 x its value
    assert by_offline[budget.SKOR].round(6).tolist() == [90.0, 50.0, 10.0]


def test_growth_is_rescaled_and_a_missing_value_scores_zero_points():
    scored = budget.score(_values(pertumbuhan=[-0.2, 0.3, float("nan")]), _only("pertumbuhan")).set_index("kecamatan")
    assert scored.loc[NAMES[1], budget.SKOR] == pytest.approx(100.0)
    assert scored.loc[NAMES[0], budget.SKOR] == pytest.approx(0.0)
    assert scored.loc[NAMES[2], budget.SKOR] == 0.0


def test_all_weights_zero_scores_every_kecamatan_zero():
    scored = budget.score(_values(), dict.fromkeys(budget.CRITERION_KEYS, 0.0))
    assert (scored[budget.SKOR] == 0).all()


# ---------------------------------------------------------------------------------------------- allocation
def _scored() -> pd.DataFrame:
    return budget.score(_values(), _only("jumlah_umkm"))  # scores 100, 50, 10


def test_zero_budget_gives_an_empty_plan():
    room = _room({(k, "Pemasaran"): 50 for k in NAMES[:3]})
    seats = budget.allocate(_scored(), room, budget.PlanParams(anggaran_rp=0, biaya={"Pemasaran": 1e6},
                                                               porsi={"Pemasaran": 1}))
    assert seats.empty and list(seats.columns) == [budget.KECAMATAN, budget.JENIS, budget.KURSI, budget.BIAYA]


def test_no_share_or_no_cost_funds_nothing():
    room = _room({(k, "Pemasaran"): 50 for k in NAMES[:3]})
    assert budget.allocate(_scored(), room, budget.PlanParams(1e8, biaya={"Pemasaran": 1e6}, porsi={})).empty
    assert budget.allocate(_scored(), room, budget.PlanParams(1e8, biaya={"Pemasaran": 0}, porsi={"Pemasaran": 1})).empty


def test_seats_follow_score_times_trainable_umkm_in_whole_numbers():
    room = _room({(k, "Pemasaran"): 100 for k in NAMES[:3]})
    seats = budget.allocate(_scored(), room, budget.PlanParams(16e6, biaya={"Pemasaran": 1e6}, porsi={"Pemasaran": 1}))
    got = dict(zip(seats[budget.KECAMATAN], seats[budget.KURSI]))
    assert got == {NAMES[0]: 10, NAMES[1]: 5, NAMES[2]: 1}  # 100 : 50 : 10 of 16 seats
    assert seats[budget.KURSI].dtype == "int64"
    assert seats[budget.BIAYA].sum() == 16e6


def test_a_kecamatan_never_gets_more_seats_than_it_has_trainable_umkm():
    room = _room({(NAMES[0], "Pemasaran"): 3, (NAMES[1], "Pemasaran"): 100, (NAMES[2], "Pemasaran"): 100})
    seats = budget.allocate(_scored(), room, budget.PlanParams(1e9, biaya={"Pemasaran": 1e6}, porsi={"Pemasaran": 1}))
    got = dict(zip(seats[budget.KECAMATAN], seats[budget.KURSI]))
    assert got[NAMES[0]] == 3 and sum(got.values()) == 203  # everybody trainable is seated, money is left


def test_budget_is_split_by_share_and_unusable_money_moves_on():
    room = _room({**{(k, "Pemasaran"): 1000 for k in NAMES[:3]}, **{(k, "Kemasan"): 1000 for k in NAMES[:3]}})
    seats = budget.allocate(_scored(), room, budget.PlanParams(100e6, biaya={"Pemasaran": 1e6, "Kemasan": 1e6},
                                                               porsi={"Pemasaran": 3, "Kemasan": 1}))
    per = seats.groupby(budget.JENIS)[budget.KURSI].sum()
    assert per["Pemasaran"] == 75 and per["Kemasan"] == 25
    small = _room({**{(k, "Pemasaran"): 1000 for k in NAMES[:3]}, (NAMES[0], "Kemasan"): 5})
    seats = budget.allocate(_scored(), small, budget.PlanParams(100e6, biaya={"Pemasaran": 1e6, "Kemasan": 1e6},
                                                                porsi={"Pemasaran": 1, "Kemasan": 1}))
    per = seats.groupby(budget.JENIS)[budget.KURSI].sum()
    assert per["Kemasan"] == 5 and per["Pemasaran"] == 95  # Kemasan had only five to train


@settings(max_examples=60, deadline=None)
@given(total=st.floats(0, 5e8), costs=st.lists(st.floats(1e4, 5e6), min_size=5, max_size=5),
       shares=st.lists(st.sampled_from([0.0, 1.0, 2.5, 10.0]), min_size=5, max_size=5),
       capacity=st.lists(st.integers(0, 60), min_size=3, max_size=3),
       scores=st.lists(st.floats(0, 1000), min_size=3, max_size=3))
def test_never_over_budget_whole_seats_within_capacity(total, costs, shares, capacity, scores):
    scored = budget.score(_values(jumlah_umkm=scores), _only("jumlah_umkm"))
    room = _room({(k, j): capacity[i] for i, k in enumerate(NAMES[:3]) for j in budget.FUNDABLE})
    params = budget.PlanParams(total, biaya=dict(zip(budget.FUNDABLE, costs)), porsi=dict(zip(budget.FUNDABLE, shares)))
    seats = budget.allocate(scored, room, params)
    assert seats[budget.BIAYA].sum() <= total + 1e-6
    assert (seats[budget.KURSI] > 0).all() and all(isinstance(v, int) for v in seats[budget.KURSI].tolist())
    limit = room.set_index([budget.KECAMATAN, budget.JENIS])[budget.KAPASITAS]
    assert all(row[budget.KURSI] <= limit[(row[budget.KECAMATAN], row[budget.JENIS])] for row in seats.to_dict("records"))
    assert set(seats[budget.JENIS]) <= {j for j, s in zip(budget.FUNDABLE, shares) if s > 0}
    # nothing affordable left undone: no funded type with room could still take one more seat
    left = total - seats[budget.BIAYA].sum()
    given_seats = seats.groupby([budget.KECAMATAN, budget.JENIS])[budget.KURSI].sum()
    for j, cost, share in zip(budget.FUNDABLE, costs, shares):
        open_room = any(limit[(k, j)] > given_seats.get((k, j), 0) for k, s in zip(scored[budget.KECAMATAN],
                                                                                scored[budget.SKOR]) if s > 0)
        assert not (share > 0 and open_room and cost <= left - 1e-6), (j, cost, left)


# ---------------------------------------------------------------------------------------------- expected sales
def test_expected_sales_is_a_range_from_the_interval_and_flags_weak_estimates():
    seats = pd.DataFrame({budget.KECAMATAN: [NAMES[0], NAMES[1], NAMES[0]], budget.JENIS: ["Pemasaran"] * 2 + ["Kemasan"],
                          budget.KURSI: [10, 5, 4], budget.BIAYA: [10e6, 5e6, 4e6]})
    room = _room({}, sales=12_000_000.0)
    results = [_result("Pemasaran", 15.0, 10.0, 20.0), _result("Kemasan", 2.0, -1.0, 5.0)]
    sales = budget.expected_sales(seats, room, results).set_index(budget.JENIS)
    # 15 seats x Rp 12 jt x 10% .. 20%
    assert sales.loc["Pemasaran", budget.TAMBAHAN_BAWAH] == pytest.approx(15 * 12e6 * 0.10)
    assert sales.loc["Pemasaran", budget.TAMBAHAN] == pytest.approx(15 * 12e6 * 0.15)
    assert sales.loc["Pemasaran", budget.TAMBAHAN_ATAS] == pytest.approx(15 * 12e6 * 0.20)
    assert sales.loc["Pemasaran", budget.PERINGATAN] is None
    assert "mencakup nol" in sales.loc["Kemasan", budget.PERINGATAN]
    assert sales.loc["Kemasan", budget.TAMBAHAN_BAWAH] < 0  # honest: the low end may be a loss


@pytest.mark.parametrize(("result", "words"), [
    (None, "belum ada perkiraan"),
    (_result("Keuangan", 5.0, 1.0, 9.0, enough=False), "terlalu sedikit"),
    (_result("Keuangan", 5.0, 1.0, 9.0, pretrend=True), "sebelum pelatihan"),
    (_result("Keuangan", None, None, None), "belum ada perkiraan"),
])
def test_weak_reasons(result, words):
    assert words in budget.weak_reason(result)


def test_a_jenis_without_estimate_has_no_amount_not_zero():
    seats = pd.DataFrame({budget.KECAMATAN: [NAMES[0]], budget.JENIS: ["Keuangan"], budget.KURSI: [3],
                          budget.BIAYA: [3e6]})
    sales = budget.expected_sales(seats, _room({}), [])
    assert sales[budget.TAMBAHAN].isna().all() and "belum ada perkiraan" in sales[budget.PERINGATAN].iloc[0]


# ---------------------------------------------------------------------------------------------- URL
def test_parameters_survive_the_link():
    params = budget.PlanParams(250_000_000, {"jumlah_umkm": 2.5, "tanpa_online": 4},
                               {"Pemasaran": 1_400_000.5, "Kemasan": 1_000_000}, {"Pemasaran": 70, "Kemasan": 30})
    back, notes = budget.from_query(budget.to_query(params), {"Keuangan": 800_000})
    assert notes == []
    assert back.anggaran_rp == 250_000_000
    assert back.weight("jumlah_umkm") == 2.5 and back.weight("tanpa_online") == 4 and back.weight("pasar_lokal") == 0
    assert back.biaya["Pemasaran"] == 1_400_000.5 and back.biaya["Keuangan"] == 800_000
    assert dict(back.porsi) == {"Pemasaran": 70, "Kemasan": 30}


def test_a_bad_link_falls_back_with_notes():
    params, notes = budget.from_query({"anggaran": "banyak", "bobot": "jumlah_umkm:-1,warna:3", "porsi": "Pemasaran:x"},
                                      {"Pemasaran": 1e6})
    assert params.anggaran_rp == budget.DEFAULT_BUDGET_RP
    assert len(notes) == 4 and any("warna" in n for n in notes)
    assert params.porsi == {} and params.biaya == {"Pemasaran": 1e6}


# ---------------------------------------------------------------------------------------------- on tables
@pytest.fixture
def small_tables() -> flt.Tables:
    """Natar: A (trained in Pemasaran), B, C (local market, active), D (national market); Kalianda: E (local,
    no sales in the last six months)."""
    producers = Producers.conform(pd.DataFrame({
        "umkm_id": list("ABCDE"), "kecamatan": ["Natar"] * 4 + ["Kalianda"],
        "kode_kecamatan": ["18.01.04"] * 4 + ["18.01.06"], "kategori": ["Minuman"] * 5,
        "nama_usaha": ["Kopi A", "=HYPERLINK(\"http://x\")", "Kopi C", "Kopi D", "Kopi E"],
        "nik": ["1801012345670001", "1801012345670002", "1801012345670003", None, "1801012345670005"],
        "no_hp": ["+6281200000001", "+6281200000002", "+6281200000003", None, None],
        "jangkauan_pasar": ["Desa", "Kecamatan", "Desa", "Nasional", "Desa"],
        "pirt": [True, False, None, True, False], "halal": [False, True, None, False, False],
        "pemasaran_online": [True, False, False, True, None],
    }))
    month = lambda text: pd.Timestamp(f"{text}-01")  # noqa: E731
    sales = Sales.conform(pd.DataFrame({
        "umkm_id": ["A", "B", "B", "C", "D", "E"],
        "bulan": [month("2017-10"), month("2017-09"), month("2017-10"), month("2017-08"), month("2017-10"),
                  month("2017-01")],
        "nilai_rp": [1e6, 2e6, 4e6, 1e6, 5e6, 9e6],
    }))
    trainings = Trainings.conform(pd.DataFrame({
        "pelatihan_id": ["P1"], "nama_kegiatan": ["Pelatihan Pemasaran"], "jenis": ["Pemasaran"],
        "tanggal_mulai": [pd.Timestamp("2017-02-01")], "tanggal_selesai": [pd.Timestamp("2017-02-03")],
        "biaya_rp": [3e6],
    }))
    participants = Participants.conform(pd.DataFrame({"pelatihan_id": ["P1", "P1"], "umkm_id": ["A", None],
                                                      "cara_cocok": ["nik", "tidak cocok"]}))
    return flt.Tables(producers, sales, trainings, participants)


def test_criteria_on_a_small_registry(small_tables):
    values = budget.criteria(small_tables).set_index("kecamatan")
    natar = values.loc["Natar"]
    assert natar["n_umkm"] == 4
    assert natar["belum_pemasaran"] == pytest.approx(0.75)
    assert natar["pasar_lokal"] == pytest.approx(0.75)
    assert natar["tanpa_izin"] == pytest.approx(0.25)  # C has neither (missing counts as not recorded)
    assert natar["tanpa_online"] == pytest.approx(0.5)
    assert values.loc["Sragi", "n_umkm"] == 0


def test_default_cost_is_cost_over_everyone_on_the_list(small_tables):
    assert budget.default_costs(small_tables.trainings, small_tables.participants) == {"Pemasaran": 1.5e6}


def test_capacity_counts_active_untrained_umkm(small_tables):
    room = budget.capacity(small_tables).set_index([budget.KECAMATAN, budget.JENIS])
    assert room.loc[("Natar", "Pemasaran"), budget.KAPASITAS] == 3  # B, C, D (A already trained)
    assert room.loc[("Natar", "Kemasan"), budget.KAPASITAS] == 4
    assert room.loc[("Kalianda", "Kemasan"), budget.KAPASITAS] == 0  # E reported nothing in six months
    # B: (2 + 4) / 2 months x 12; C: 1 x 12; D: 5 x 12
    assert room.loc[("Natar", "Pemasaran"), budget.PENJUALAN_TAHUNAN] == pytest.approx((36e6 + 12e6 + 60e6) / 3)


def test_invitations_follow_the_seats_serve_the_local_first_and_mask_identifiers(small_tables):
    """Three Pemasaran seats in Natar: three invitations there (no reserve can be found: the three are all
    Natar's trainable UMKM), local sellers before the others, then the larger sales."""
    params = budget.PlanParams(10e6, dict(budget.DEFAULT_WEIGHTS), {"Pemasaran": 1.5e6}, {"Pemasaran": 1})
    plan = budget.make_plan(small_tables, flt.Filters(), params, [])
    table = budget.candidates(small_tables, plan)
    assert (table[budget.COL_JENIS_PELATIHAN] == "Pemasaran").all() and len(table) == plan.n_seats == 3
    assert table[budget.COL_URUTAN].tolist() == ["1", "2", "3"]
    local = table["Jangkauan pasar"].isin(budget.LOCAL_MARKETS).tolist()
    assert local == sorted(local, reverse=True)  # the ones selling only locally come first
    assert table["Nama usaha"].tolist()[:2] == ["=HYPERLINK(\"http://x\")", "Kopi C"]  # larger sales first
    assert table[budget.COL_NIK].tolist()[:2] == ["1801********0002", "1801********0003"]
    assert table[budget.COL_HP].tolist()[:2] == ["+62812****0002", "+62812****0003"]
    shown = budget.candidates(small_tables, plan, show_personal=True)
    assert shown[budget.COL_NIK].tolist()[:2] == ["1801012345670002", "1801012345670003"]


def test_invitations_add_reserves_and_say_how_many():
    reached_producers = pd.DataFrame({
        "umkm_id": [f"U{i}" for i in range(12)], "kecamatan": ["Natar"] * 12,
        "jangkauan_pasar": ["Desa"] * 6 + ["Provinsi"] * 6, "pirt": [True] * 12, "halal": [None] * 12,
        "nama_usaha": [f"Usaha {i}" for i in range(12)], "nik": [None] * 12, "no_hp": [None] * 12,
        "nama_pemilik": [None] * 12, "desa": [None] * 12, "produk_utama": [None] * 12})
    ids = reached_producers["umkm_id"].astype("string")
    reached = budget.Reach(reached_producers, ids, active=pd.Series(True, index=ids.index),
                           sales_per_year=pd.Series(range(12), index=ids.index, dtype="float64"),
                           untrained={j: pd.Series(True, index=ids.index) for j in budget.FUNDABLE})
    pool = budget.candidate_pool(reached)
    ranking = pd.DataFrame({budget.KECAMATAN: ["Natar"], budget.PERINGKAT: [1]})
    seats = pd.DataFrame({budget.KECAMATAN: ["Natar", "Natar"], budget.JENIS: ["Pemasaran", "Kemasan"],
                          budget.KURSI: [5, 2], budget.BIAYA: [5e6, 2e6]})
    plan = budget.Plan(budget.PlanParams(), ranking, seats, pd.DataFrame(), pd.DataFrame())
    table = budget.invitations(pool, plan)
    marketing = table[table[budget.COL_JENIS_PELATIHAN] == "Pemasaran"]
    assert marketing[budget.COL_URUTAN].tolist() == ["1", "2", "3", "4", "5", "cadangan 1"]
    assert marketing["Jangkauan pasar"].tolist() == ["Desa"] * 6  # local sellers first, largest sales first
    assert marketing["Nama usaha"].tolist()[0] == "Usaha 5"
    assert budget.invitation_counts(table) == "7 diundang dan 2 cadangan (Pemasaran 5 + 1, Kemasan 2 + 1)"


def test_plan_on_small_tables_and_the_excel_export(small_tables):
    params = budget.PlanParams(10e6, dict(budget.DEFAULT_WEIGHTS), {"Pemasaran": 1.5e6}, {"Pemasaran": 1})
    plan = budget.make_plan(small_tables, flt.Filters(), params, [_result("Pemasaran", 10.0, 5.0, 15.0)])
    assert plan.n_seats == 3 and plan.spent_rp == 4.5e6  # only three Natar UMKM can take a Pemasaran seat
    sheets = budget.export_sheets(plan, small_tables, flt.Filters(), pd.Timestamp("2017-10-01"),
                                  "?anggaran=10000000")
    book = openpyxl.load_workbook(io.BytesIO(excel.workbook_bytes(sheets, budget.EXPORT_FORMATS)))
    assert book.sheetnames == ["Ringkasan", "Per kecamatan", "Kandidat", "Parameter"]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Anggaran"] == 10e6 and summary["Terpakai"] == 4.5e6 and summary["Jumlah kursi"] == 3
    assert summary["Tambahan penjualan per tahun, batas bawah 95%"] == pytest.approx(3 * 36e6 * 0.05)
    per = book["Per kecamatan"]
    header = [c.value for c in per[1]]
    natar = next(r for r in per.iter_rows(min_row=2) if r[header.index("Kecamatan")].value == "Natar")
    assert natar[header.index("Kursi Pemasaran")].value == 3
    assert natar[header.index("Biaya (Rp)")].number_format == budget.RUPIAH_FORMAT
    assert "Poin Jumlah UMKM" in header
    kandidat = book["Kandidat"]
    header = [c.value for c in kandidat[1]]
    names = [row[header.index("Nama usaha")] for row in kandidat.iter_rows(min_row=2)]
    cell = next(c for c in names if str(c.value).startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix and names[0].value == "=HYPERLINK(\"http://x\")"
    assert all(c.data_type != "f" for row in book["Kandidat"].iter_rows() for c in row)
    assert "********" in kandidat.cell(row=2, column=header.index(budget.COL_NIK) + 1).value  # masked in the file
    parameters = {row[0]: row[1] for row in book["Parameter"].iter_rows(min_row=2, values_only=True)}
    assert parameters["Anggaran (Rp)"] == 10e6 and parameters["Biaya per peserta: Pemasaran"] == 1.5e6
    assert parameters["Bobot: Jumlah UMKM"] == budget.DEFAULT_WEIGHTS["jumlah_umkm"]
    assert parameters["Tautan rencana"] == "?anggaran=10000000"


@pytest.mark.parametrize(("low", "high", "text"), [
    (4.6e9, 5.9e9, "Rp 4,6–5,9 M"), (8e8, 1.2e9, "Rp 800 jt–Rp 1,2 M"), (None, None, "–"),
    (-2e8, 9e8, "-Rp 200 jt–Rp 900 jt"),
])
def test_range_short_for_the_card(low, high, text):
    assert budget.range_short(low, high) == text


@pytest.mark.parametrize("text", ["=1+1", "+62812", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"klik\")"])
def test_formatted_sheets_still_store_formula_like_text_as_text(text):
    frame = pd.DataFrame({"Nama usaha": [text], budget.COL_PENJUALAN: [1_500_000.0]})
    book = openpyxl.load_workbook(io.BytesIO(excel.workbook_bytes({"Kandidat": frame}, budget.EXPORT_FORMATS)))
    name, money = book["Kandidat"]["A2"], book["Kandidat"]["B2"]
    assert name.value == text and name.data_type == "s" and name.quotePrefix
    assert money.value == 1_500_000 and money.number_format == budget.RUPIAH_FORMAT


def test_no_seats_says_the_reason_a_planner_can_act_on():
    from analysis.insight import budget

    room = pd.DataFrame({budget.KECAMATAN: ["Natar", "Natar"], budget.JENIS: ["Pemasaran", "Kemasan"],
                         budget.KAPASITAS: [10, 0], budget.PENJUALAN_TAHUNAN: [1e7, float("nan")]})
    costs = {"Pemasaran": 1_000_000.0, "Kemasan": 800_000.0}
    reason = budget.no_seats_reason
    assert reason(budget.PlanParams(anggaran_rp=0, biaya=costs), room) == "anggaran total masih nol."
    assert "porsi" in reason(budget.PlanParams(biaya=costs, porsi={}), room)
    assert "biaya per peserta" in reason(budget.PlanParams(biaya={}), room)
    nobody = room.assign(**{budget.KAPASITAS: 0})
    assert "tidak ada UMKM yang dapat dilatih" in reason(budget.PlanParams(biaya=costs), nobody)
    assert "lebih kecil dari biaya satu kursi (Rp 1.000.000)" in reason(
        budget.PlanParams(anggaran_rp=500_000, biaya=costs, porsi={"Pemasaran": 1}), room)
