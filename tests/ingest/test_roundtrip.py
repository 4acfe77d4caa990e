"""Generate -> ingest -> compare with the ground truth: the loaders must recover what the generator
planted, by the figures of the foundation issue."""
from __future__ import annotations

import json
from pathlib import PurePosixPath

import pandas as pd
import pytest

from analysis.core.paths import DEMO_RAW_DIR, DEMO_TRUTH_DIR
from analysis.ingest import ingest_paths

LOCATION = ["sumber_file", "sumber_sheet", "sumber_baris"]


@pytest.fixture(scope="module")
def result():
    return ingest_paths([DEMO_RAW_DIR])


def _csv_sheet_names(frame: pd.DataFrame) -> pd.DataFrame:
    """The reader names a CSV's single table after the file; the truth leaves its sheet empty."""
    if "sumber_sheet" not in frame:
        return frame
    stems = frame["sumber_file"].map(lambda f: PurePosixPath(f).stem if isinstance(f, str) else None)
    return frame.assign(sumber_sheet=frame["sumber_sheet"].astype(object).where(frame["sumber_sheet"].notna(), stems))


@pytest.fixture(scope="module")
def truth() -> dict:
    tables = {
        name: _csv_sheet_names(pd.read_parquet(DEMO_TRUTH_DIR / f"{name}.parquet"))
        for name in ("producers", "sales", "trainings", "participants")
    }
    tables["planted"] = json.loads((DEMO_TRUTH_DIR / "planted.json").read_text(encoding="utf-8"))
    return tables


@pytest.fixture(scope="module")
def id_map(result, truth) -> pd.Series:
    """Ingested umkm_id -> truth umkm_id, through the row each producer was read from. A merged group's
    kept row may be any of its occurrences, so every planted duplicate location counts too."""
    locations = truth["producers"][["umkm_id", *LOCATION]]
    extra = [
        {"umkm_id": d["umkm_id"], "sumber_file": d["duplicate"]["file"],
         "sumber_sheet": d["duplicate"]["sheet"] or PurePosixPath(d["duplicate"]["file"]).stem,
         "sumber_baris": d["duplicate"]["row"]}
        for d in truth["planted"]["duplicates"]
    ]
    locations = pd.concat([locations, pd.DataFrame(extra)], ignore_index=True).astype({"sumber_baris": "int64"})
    ingested = result.producers[["umkm_id", *LOCATION]].astype({"sumber_baris": "int64", "sumber_file": object, "sumber_sheet": object})
    joined = ingested.merge(locations.astype({"sumber_file": object, "sumber_sheet": object}), on=LOCATION, how="left",
                            suffixes=("", "_truth"))
    return joined.set_index("umkm_id")["umkm_id_truth"]


def test_report_reconciles_for_every_file_and_sheet(result):
    for entry in result.report["files"]:
        assert entry["status"] == "ok", entry
        assert entry["rows_read"] == entry["rows_kept"] + entry["rows_merged"] + entry["rows_rejected"] + entry["rows_skipped"], entry
    totals = result.report["totals"]
    assert totals["balanced"] and totals["files_error"] == 0


def test_at_least_99_percent_of_producers_recovered(id_map, truth):
    recovered = set(id_map.dropna())
    share = len(recovered) / len(truth["producers"])
    assert share >= 0.99, f"{share:.2%} recovered"
    assert not id_map.isna().any(), f"{int(id_map.isna().sum())} ingested producers match no truth producer"
    assert id_map.is_unique, "two ingested producers map to the same truth producer (a missed merge)"


def test_kecamatan_right_for_at_least_99_5_percent(result, truth, id_map):
    ingested = result.producers.set_index("umkm_id")["kecamatan"].rename("ingested")
    expected = truth["producers"].set_index("umkm_id")["kecamatan"]
    compared = ingested.to_frame().assign(expected=id_map.map(expected))
    share = (compared["ingested"] == compared["expected"]).mean()
    assert share >= 0.995, f"{share:.2%}"


def test_producer_counts_per_kecamatan_within_1_percent(result, truth):
    got = result.producers["kecamatan"].value_counts()
    want = truth["producers"]["kecamatan"].value_counts()
    error = (got.reindex(want.index).fillna(0) - want).abs() / want
    assert (error <= 0.01).all(), error[error > 0.01]


def test_sales_per_month_and_kategori_within_half_a_percent(result, truth):
    got = result.sales.groupby(["bulan", "kategori"])["nilai_rp"].sum()
    want = truth["sales"].groupby(["bulan", "kategori"])["nilai_rp"].sum()
    error = (got.reindex(want.index).fillna(0) - want).abs() / want
    assert (error <= 0.005).all(), error[error > 0.005].head()
    assert abs(got.sum() - want.sum()) / want.sum() <= 0.005


def test_every_training_event_found_with_type_and_dates(result, truth):
    key = ["tanggal_mulai", "tanggal_selesai", "jenis"]
    got = result.trainings[key + ["nama_kegiatan"]].astype({"jenis": object})
    want = truth["trainings"][key + ["nama_kegiatan"]].astype({"jenis": object})
    assert len(got) == len(want)
    merged = want.merge(got, on=key, how="left", suffixes=("", "_got"))
    missing = merged[merged["nama_kegiatan_got"].isna()]
    assert missing.empty, missing
    assert (merged["nama_kegiatan"].str.casefold() == merged["nama_kegiatan_got"].str.casefold()).all()


def test_at_least_95_percent_of_participants_linked_to_the_right_producer(result, truth, id_map):
    want = truth["participants"][["umkm_id", *LOCATION]].astype({"sumber_baris": "int64", "sumber_file": object, "sumber_sheet": object})
    got = result.participants[["umkm_id", *LOCATION]].astype(
        {"sumber_baris": "int64", "sumber_file": object, "sumber_sheet": object, "umkm_id": object})
    got = got.assign(truth_id=got["umkm_id"].map(id_map))
    compared = want.merge(got[[*LOCATION, "truth_id"]], on=LOCATION, how="left")
    registered = compared[compared["umkm_id"].notna()]
    right = (registered["umkm_id"] == registered["truth_id"]).mean()
    assert right >= 0.95, f"{right:.2%} linked right"
    outsiders = compared[compared["umkm_id"].isna()]
    assert outsiders["truth_id"].isna().mean() >= 0.9, "people outside the registry were linked to producers"


def test_planted_rejects_are_rejected_with_reasons(result, truth):
    rejected = result.rejected[result.rejected["status"] == "ditolak"]
    found = set(zip(rejected["berkas"], rejected["lembar"], rejected["baris"]))
    for planted in truth["planted"]["rejects"]:
        assert (planted["file"], planted["sheet"], planted["row"]) in found, planted


def test_broken_niks_are_missing_never_invented(result, truth, id_map):
    broken = {b["umkm_id"] for b in truth["planted"]["broken_nik"]}
    producers = result.producers.assign(truth_id=result.producers["umkm_id"].map(id_map))
    assert producers.loc[producers["truth_id"].isin(broken), "nik"].isna().all()
    known = producers.merge(truth["producers"][["umkm_id", "nik"]], left_on="truth_id", right_on="umkm_id", suffixes=("", "_truth"))
    both = known[known["nik"].notna() & known["nik_truth"].notna()]
    assert (both["nik"] == both["nik_truth"]).all()
