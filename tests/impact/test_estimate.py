"""Training impact (analysis/impact.py): helpers on tiny frames, the planted demo effects recovered from the
INGESTED demo tables (as the command line sees them), a placebo, synthetic panels with selection on size
and on growth, too few participants, and the command line itself."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core.paths import DEMO_RAW_DIR, DEMO_TRUTH_DIR, ROOT
from analysis.impact import estimate as impact_estimate
from analysis.impact import fitting as impact_fitting
from analysis.impact import panel as impact_panel
from analysis.impact import result as impact_result
from analysis.ingest import ingest_paths, write_outputs

N_BOOT = 199
JSON_KEYS = {"jenis", "efek_persen", "ci_bawah", "ci_atas", "n_peserta", "n_pembanding", "peringatan"}
CLAIMS = ("meningkatkan", "lebih tinggi", "kenaikan", "menurunkan", "lebih rendah")


# ---------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def ingested():
    """The demo spreadsheets through the real ingest, once for the module."""
    return ingest_paths([DEMO_RAW_DIR])


@pytest.fixture(scope="module")
def demo_results(ingested) -> dict[str, impact_result.ImpactResult]:
    results = impact_estimate.estimate_all(ingested.producers, ingested.sales, ingested.trainings, ingested.participants,
                                  seed=7, n_boot=N_BOOT)
    return {r.jenis: r for r in results}


@pytest.fixture(scope="module")
def planted() -> dict[str, float]:
    effects = json.loads((DEMO_TRUTH_DIR / "effects.json").read_text(encoding="utf-8"))["efek"]
    return {jenis: 100 * value for jenis, value in effects.items()}


def synthetic(seed: int, *, n: int = 900, n_treated: int = 180, effect: float = 0.10, select: str = "size",
              extra_growth: float = 0.0) -> dict[str, pd.DataFrame]:
    """A producer x month panel with a known Pemasaran effect, as the four canonical tables.

    select="size": participants drawn with probability proportional to their sales level (large ones
    invited); select="growth": participants are the producers with the fastest own trend, `extra_growth`
    log points per month faster than the rest. Three staggered trainings, category trends and a Lebaran
    peak, 15% monthly noise, 5% of months unreported.
    """
    rng = np.random.default_rng(seed)
    months = pd.date_range("2015-01-01", "2017-12-01", freq="MS")
    t = np.arange(len(months))
    kategori = rng.choice(["Makanan Olahan", "Kerajinan", "Minuman"], n)
    trend = pd.Series(kategori).map({"Makanan Olahan": 0.004, "Kerajinan": -0.003, "Minuman": 0.008}).to_numpy()
    level = rng.normal(np.log(4_500_000), 1.0, n)
    own_growth = rng.normal(0, 0.002, n)
    if select == "size":
        p = np.exp(level) / np.exp(level).sum()
        chosen = rng.choice(n, n_treated, replace=False, p=p)
    else:
        chosen = rng.choice(n, n_treated, replace=False)
        own_growth[chosen] += extra_growth
    ends = [pd.Timestamp("2016-03-16"), pd.Timestamp("2016-07-20"), pd.Timestamp("2016-11-09")]
    event = rng.integers(0, len(ends), n_treated)
    start = np.full(n, 10**6)
    for person, e in zip(chosen, event):
        start[person] = months.get_loc(ends[e].to_period("M").to_timestamp()) + 1
    season = np.where(months.month == 7, 0.3, 0.0)
    log_y = (level[:, None] + trend[:, None] * t + own_growth[:, None] * t + season[None, :]
             + rng.normal(0, 0.15, (n, len(t))) + effect * (t[None, :] >= start[:, None]))
    report = rng.random((n, len(t))) > 0.05
    ids = [f"S{i:04d}" for i in range(n)]
    rows, cols = np.nonzero(report)
    sales = pd.DataFrame({"umkm_id": np.array(ids)[rows], "bulan": months[cols],
                          "nilai_rp": np.round(np.exp(log_y[rows, cols]), -3)})
    producers = pd.DataFrame({"umkm_id": ids, "kategori": kategori})
    trainings = pd.DataFrame({"pelatihan_id": [f"P{e}" for e in range(len(ends))], "jenis": "Pemasaran",
                              "tanggal_mulai": [d - pd.Timedelta(days=2) for d in ends], "tanggal_selesai": ends})
    participants = pd.DataFrame({"pelatihan_id": [f"P{e}" for e in event], "umkm_id": np.array(ids)[chosen]})
    return {"producers": producers, "sales": sales, "trainings": trainings, "participants": participants}


def _estimate(tables: dict[str, pd.DataFrame], seed: int = 3) -> impact_result.ImpactResult:
    results = impact_estimate.estimate_all(tables["producers"], tables["sales"], tables["trainings"], tables["participants"],
                                  seed=seed, n_boot=N_BOOT)
    assert [r.jenis for r in results] == ["Pemasaran"]
    return results[0]


# ---------------------------------------------------------------------------------------------- helpers
def test_treatment_starts_the_first_full_month_after_the_training_ended():
    trainings = pd.DataFrame({"pelatihan_id": ["A", "B", "C"], "jenis": ["Pemasaran", "Pemasaran", "Kemasan"],
                              "tanggal_mulai": pd.to_datetime(["2017-03-14", "2017-06-01", "2017-01-31"]),
                              "tanggal_selesai": pd.to_datetime(["2017-03-16", "2017-06-02", None])})
    participants = pd.DataFrame({"pelatihan_id": ["B", "A", "C", "A"], "umkm_id": ["U1", "U1", "U1", None]})
    out = impact_panel.treatment_months(trainings, participants)
    assert out.to_dict("records") == [
        {"umkm_id": "U1", "jenis": "Kemasan", "bulan_perlakuan": pd.Timestamp("2017-02-01")},  # no end: start date
        {"umkm_id": "U1", "jenis": "Pemasaran", "bulan_perlakuan": pd.Timestamp("2017-04-01")},  # first training
    ]


def test_treatment_months_names_a_missing_column():
    with pytest.raises(ValueError, match="tanggal_selesai"):
        impact_panel.treatment_months(pd.DataFrame({"pelatihan_id": ["A"], "jenis": ["Pemasaran"],
                                              "tanggal_mulai": [pd.Timestamp("2017-01-01")]}),
                                pd.DataFrame({"pelatihan_id": ["A"], "umkm_id": ["U1"]}))


def test_panel_sums_a_month_drops_unlinked_and_zero_and_leaves_gaps_missing():
    sales = pd.DataFrame({"umkm_id": ["U1", "U1", "U1", None, "U2", "U9"],
                          "bulan": pd.to_datetime(["2017-01-01", "2017-01-15", "2017-03-01", "2017-01-01",
                                                   "2017-01-01", "2017-01-01"]),
                          "nilai_rp": [1_000_000.0, 1_000_000.0, 3_000_000.0, 5_000_000.0, 0.0, 1_000.0]})
    producers = pd.DataFrame({"umkm_id": ["U1", "U2"], "kategori": ["Minuman", "Kerajinan"]})
    before = sales.copy()
    panel = impact_panel.monthly_panel(sales, producers)
    assert panel[["umkm_id", "bulan", "kategori"]].to_dict("records") == [
        {"umkm_id": "U1", "bulan": pd.Timestamp("2017-01-01"), "kategori": "Minuman"},
        {"umkm_id": "U1", "bulan": pd.Timestamp("2017-03-01"), "kategori": "Minuman"},  # February stays missing
    ]
    assert np.allclose(panel["log_omzet"], np.log([2_000_000, 3_000_000]))
    pd.testing.assert_frame_equal(sales, before)  # the input is not mutated


def test_panel_names_a_missing_column():
    with pytest.raises(ValueError, match="nilai_rp"):
        impact_panel.monthly_panel(pd.DataFrame({"umkm_id": ["U1"], "bulan": [pd.Timestamp("2017-01-01")]}),
                             pd.DataFrame({"umkm_id": ["U1"], "kategori": ["Minuman"]}))


def test_fit_equals_dense_weighted_least_squares_on_a_tiny_panel():
    """The concentrated solver must give the fitted values of plain dummy-variable least squares."""
    rng = np.random.default_rng(0)
    n, t, k = 14, 6, 2
    group = np.repeat([0, 1], n // 2)
    untreated = rng.random((n, t)) < 0.8
    untreated[:, 0] = True
    y = rng.normal(size=(n, t))
    x = (rng.random((n, t, k)) < 0.3).astype(float)
    weights = np.vstack([np.ones(n), rng.integers(1, 4, n)]).astype(float)
    gamma, beta, alpha = impact_fitting.fit(untreated, y, x, group, 2, weights)
    ii, tt = np.nonzero(untreated)
    design = np.hstack([np.eye(n)[ii], np.eye(2 * t)[group[ii] * t + tt], x[ii, tt]])
    for b, w in enumerate(weights):
        root = np.sqrt(w[ii])[:, None]
        coef = np.linalg.lstsq(design * root, y[ii, tt] * root[:, 0], rcond=None)[0]
        fitted = alpha[b, ii] + gamma[b, group[ii], tt] + x[ii, tt] @ beta[b]
        assert np.allclose(fitted, design @ coef)
        assert np.allclose(beta[b], coef[-k:])


@pytest.mark.parametrize(("x", "df"), [(3.841459, 1), (5.991465, 2), (7.814728, 3), (12.591587, 6)])
def test_chi_square_tail_matches_the_5_percent_critical_values(x, df):
    assert impact_fitting.chi2_sf(x, df) == pytest.approx(0.05, abs=1e-5)


def test_verdict_never_claims_an_effect_when_the_interval_includes_zero():
    result = impact_result.ImpactResult("Pemasaran", 6.0, -1.0, 13.5, 120, 900, [], 0.5, None, True, False)
    text = impact_result.verdict(result)
    assert text.startswith("Belum cukup bukti")
    assert not any(word in text for word in CLAIMS)


def test_verdict_says_a_narrow_interval_around_zero_rules_out_a_large_effect():
    narrow = impact_result.ImpactResult("Kelembagaan", 0.3, -0.4, 1.0, 303, 1824, [], 0.5, None, True, False)
    text = impact_result.verdict(narrow)
    assert text.startswith("Belum cukup bukti") and "kalaupun ada, kecil" in text and "1,0%" in text
    assert not any(word in text for word in CLAIMS)
    wide = impact_result.ImpactResult("Kelembagaan", 2.0, -4.0, 8.0, 303, 1824, [], 0.5, None, True, False)
    assert "kecil" not in impact_result.verdict(wide)


def test_verdict_states_the_interval_when_it_excludes_zero():
    result = impact_result.ImpactResult("Pemasaran", 15.2, 12.0, 18.5, 120, 900, [], 0.5, None, True, False)
    text = impact_result.verdict(result)
    assert "15,2%" in text and "12,0%" in text and "18,5%" in text and "lebih tinggi" in text


# ---------------------------------------------------------------------------------------------- demo data
@pytest.mark.parametrize("jenis", ["Pemasaran", "Kemasan", "Kelembagaan"])
def test_demo_interval_covers_the_planted_effect(demo_results, planted, jenis):
    result, truth = demo_results[jenis], planted[jenis]
    assert result.ci_bawah <= truth <= result.ci_atas, (result.as_dict(), truth)
    assert abs(result.efek_persen - truth) <= 5, (result.as_dict(), truth)
    assert result.n_peserta >= impact_estimate.MIN_PESERTA and result.n_pembanding >= impact_estimate.MIN_PEMBANDING


def test_demo_kelembagaan_is_not_claimed(demo_results):
    result = demo_results["Kelembagaan"]
    assert result.ci_bawah <= 0 <= result.ci_atas
    assert impact_result.verdict(result).startswith("Belum cukup bukti")


def test_demo_has_no_pretrend_warning(demo_results):
    for result in demo_results.values():
        assert not result.pratren_berbeda, result.as_dict()
        assert result.peringatan == [], result.as_dict()


def test_demo_event_study_spans_six_months_before_to_twelve_after(demo_results):
    frame = demo_results["Kemasan"].per_bulan
    assert list(frame.columns) == ["bulan_relatif", "efek_persen", "ci_bawah", "ci_atas", "n_obs"]
    assert frame["bulan_relatif"].tolist() == list(range(-6, 13))
    assert (frame["ci_bawah"] <= frame["efek_persen"]).all() and (frame["efek_persen"] <= frame["ci_atas"]).all()


def test_placebo_trainings_for_untrained_producers_show_no_effect(ingested):
    """Fake 'Lainnya' trainings for producers who never attended one; the real trainings stay as controls."""
    rng = np.random.default_rng(11)
    trained = set(ingested.participants["umkm_id"].dropna())
    untrained = sorted(set(ingested.producers["umkm_id"]) - trained)
    chosen = rng.choice(untrained, 150, replace=False)
    ends = pd.to_datetime(["2015-11-20", "2016-05-12", "2016-09-08", "2017-02-23"])
    event = rng.integers(0, len(ends), len(chosen))
    fake_trainings = pd.DataFrame({"pelatihan_id": [f"PLACEBO-{e}" for e in range(len(ends))], "jenis": "Lainnya",
                                   "tanggal_mulai": ends, "tanggal_selesai": ends})
    fake_people = pd.DataFrame({"pelatihan_id": [f"PLACEBO-{e}" for e in event], "umkm_id": chosen})
    trainings = pd.concat([ingested.trainings, fake_trainings], ignore_index=True)
    participants = pd.concat([ingested.participants, fake_people], ignore_index=True)
    [result] = impact_estimate.estimate_all(ingested.producers, ingested.sales, trainings, participants, seed=5,
                                   n_boot=N_BOOT, jenis=["Lainnya"])
    assert result.ci_bawah <= 0 <= result.ci_atas, result.as_dict()
    assert not result.pratren_berbeda
    assert not any(word in impact_result.verdict(result) for word in CLAIMS)


# ---------------------------------------------------------------------------------------------- synthetic
def test_selection_on_size_is_absorbed():
    tables = synthetic(21, effect=0.10, select="size")
    result = _estimate(tables)
    assert result.ci_bawah <= 10 <= result.ci_atas, result.as_dict()
    assert abs(result.efek_persen - 10) <= 5
    assert not result.pratren_berbeda
    # The selection is real: participants' raw sales are far above the others', so a naive comparison
    # of levels would be badly wrong.
    sales = tables["sales"].assign(peserta=tables["sales"]["umkm_id"].isin(tables["participants"]["umkm_id"]))
    raw = sales.groupby("peserta")["nilai_rp"].median()
    assert raw[True] > 2 * raw[False]


@pytest.mark.parametrize("extra_growth", [0.01, 0.003])  # 0.3%/month: only the pre-training slope sees it
def test_selection_on_growth_trips_the_pretrend_check(extra_growth):
    result = _estimate(synthetic(22, effect=0.0, select="growth", extra_growth=extra_growth))
    assert result.pratren_berbeda, result.as_dict()
    assert any("sudah bergerak berbeda" in w for w in result.peringatan)
    # plain words for a department head, no test statistics
    assert not any("p =" in w or "p=" in w for w in result.peringatan), result.peringatan
    text = impact_result.verdict(result)
    assert "belum dapat dipercaya" in text
    assert not any(word in text for word in CLAIMS)


def test_too_few_participants_says_not_enough_evidence():
    result = _estimate(synthetic(23, effect=0.10, n_treated=12))
    assert result.n_peserta == 12
    assert any("terlalu sedikit" in w for w in result.peringatan)
    text = impact_result.verdict(result)
    assert text.startswith("Belum cukup bukti")
    assert not any(word in text for word in CLAIMS)


def test_a_jenis_nobody_attended_is_reported_without_numbers():
    tables = synthetic(24, n=200, n_treated=40)
    people = tables["participants"].iloc[0:0]
    [result] = impact_estimate.estimate_all(tables["producers"], tables["sales"], tables["trainings"], people, n_boot=19)
    assert result.efek_persen is None and result.n_peserta == 0 and result.peringatan
    assert impact_result.verdict(result).startswith("Belum cukup bukti")
    assert result.as_dict().keys() == JSON_KEYS


def test_event_study_is_the_chart_of_the_same_estimate():
    tables = synthetic(25, n=400, n_treated=80)
    frame = impact_estimate.event_study(tables["producers"], tables["sales"], tables["trainings"], tables["participants"],
                               "Pemasaran", seed=4, n_boot=49)
    [result] = impact_estimate.estimate_all(tables["producers"], tables["sales"], tables["trainings"],
                                   tables["participants"], seed=4, n_boot=49)
    pd.testing.assert_frame_equal(frame, result.per_bulan)
    assert frame["bulan_relatif"].min() == -6 and frame["bulan_relatif"].max() == 12
    assert impact_estimate.event_study(tables["producers"], tables["sales"], tables["trainings"], tables["participants"],
                              "Kemasan", n_boot=9).empty


# ---------------------------------------------------------------------------------------------- CLI
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis.impact", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_prints_json_per_jenis(ingested, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tabel")
    write_outputs(ingested, folder)
    done = _cli("--data", str(folder), "--json", "--boot", "49")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["jenis"] for r in rows] == ["Kelembagaan", "Pemasaran", "Kemasan", "Produksi & Mutu", "Keuangan"]
    for row in rows:
        assert set(row) == JSON_KEYS
        assert isinstance(row["peringatan"], list)
        assert row["ci_bawah"] <= row["efek_persen"] <= row["ci_atas"]
    table = _cli("--data", str(folder), "--boot", "19")
    assert table.returncode == 0 and "Jenis pelatihan" in table.stdout and "Pemasaran" in table.stdout


def test_cli_missing_folder_exits_2_in_indonesian(tmp_path: Path):
    done = _cli("--data", str(tmp_path / "tidak-ada"), "--json")
    assert done.returncode == 2
    assert "tidak ditemukan" in done.stderr and done.stdout == ""


# ---------------------------------------------------------------------------------------------- singular blocks
def test_every_demo_kecamatan_is_estimated(ingested):
    """Four demo kecamatan (Jati Agung, Ketapang, Sidomulyo, Tanjung Sari) failed with "Singular matrix":
    a bootstrap draw of a small kategori whose months fall apart in unlinked groups. Each kecamatan alone
    now gives a result for every training type, with the point estimate of the sample itself."""
    from analysis.insight import filters as flt

    tables = flt.Tables(ingested.producers, ingested.sales, ingested.trainings, ingested.participants)
    for kecamatan in ("Jati Agung", "Ketapang", "Sidomulyo", "Tanjung Sari"):
        scoped = flt.apply(tables, flt.Filters(kecamatan=(kecamatan,)))
        results = impact_estimate.estimate_all(scoped.producers, scoped.sales, scoped.trainings, scoped.participants)
        assert len(results) == 5, kecamatan
        assert any(r.efek_persen is not None for r in results), kecamatan
        for r in results:
            assert not r.cukup_data or (np.isfinite(r.ci_bawah) and np.isfinite(r.ci_atas)), r.as_dict()
            assert "nan" not in impact_result.verdict(r).lower().split(), impact_result.verdict(r)


def test_a_singular_block_gets_the_smallest_least_squares_solution():
    rng = np.random.default_rng(3)
    t, r = 6, 3
    x = rng.normal(size=(4, t, 10))
    a = x @ x.transpose(0, 2, 1) + np.eye(t)  # four regular blocks
    # Block 2: months {0, 1, 2} and {3, 4, 5} in two groups, each known only up to a constant.
    group = np.zeros((t, t))
    group[:3, :3] = np.eye(3) * 3 - 1
    group[3:, 3:] = np.eye(3) * 3 - 1
    a[2] = group
    b = rng.normal(size=(4, t, r))
    b[2] = group @ rng.normal(size=(t, r))  # right-hand sides the block can reach, as normal equations have
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.solve(a, b)
    got = impact_fitting.solve_blocks(a, b)
    for i in (0, 1, 3):
        np.testing.assert_allclose(got[i], np.linalg.solve(a[i], b[i]), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(group @ got[2], b[2], atol=1e-10)  # it solves the equations
    np.testing.assert_allclose(got[2], np.linalg.pinv(group) @ b[2], atol=1e-10)  # the smallest solution
    np.testing.assert_allclose(got[2][:3].sum(0), 0, atol=1e-10)  # no constant added to either group
    np.testing.assert_allclose(got[2][3:].sum(0), 0, atol=1e-10)
    # Regular blocks only: exactly np.linalg.solve.
    np.testing.assert_array_equal(impact_fitting.solve_blocks(a[[0, 1, 3]], b[[0, 1, 3]]), np.linalg.solve(a[[0, 1, 3]], b[[0, 1, 3]]))


def test_verdict_without_an_interval_says_so():
    result = impact_result.ImpactResult("Kemasan", 23.2, float("nan"), float("nan"), 2, 27, [], cukup_data=False)
    text = impact_result.verdict(result)
    assert text.startswith("Belum cukup bukti") and "tidak dapat dihitung" in text
    assert "–%" not in text and "nan" not in text.lower()
