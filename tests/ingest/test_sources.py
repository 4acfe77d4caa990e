"""Every registry row behind a producer (producer_sources): the row kept and the duplicates merged into it,
with the evidence that merged them and the values they filled in; kept through the ingest, its output
folder and the office store."""
from __future__ import annotations

import pandas as pd

from analysis.core.schemas import ProducerSources
from analysis.ingest import ingest_paths, write_outputs
from analysis.ingest.linking import DASAR_NAMA, DASAR_NIK, PERAN_DIGABUNG, PERAN_UTAMA, dedupe_producers
from analysis.office.store import MODE_REPLACE, Store, Upload


def _rows(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns).astype("string")


def test_a_group_lists_each_row_with_its_evidence_and_what_it_filled():
    rows = _rows(
        nik=["1801010101010001", "1801010101010001", None, None],
        nama_usaha=["Keripik Bu Sri", "KERIPIK BU SRI", "keripik bu sri", "Tapis Indah"],
        nama_pemilik=["Sri Wahyuni", "Sri W.", "sri w", "Rina"],
        kecamatan=["Natar", "Natar", "Natar", "Natar"],
        no_hp=[None, "+6281234567890", None, None],
        desa=[None, None, "Merak Batin", None],
        sumber_file=["a.xlsx", "b.xlsx", "c.csv", "a.xlsx"],
        sumber_baris=["2", "5", "9", "3"],
    )
    dedup = dedupe_producers(rows, find_near=False)
    assert len(dedup.producers) == 2
    sources = dedup.sources
    assert list(sources["sumber_file"]) == ["a.xlsx", "b.xlsx", "c.csv", "a.xlsx"]  # source order, every row
    sri = sources[sources["umkm_id"] == sources["umkm_id"].iloc[0]].reset_index(drop=True)
    assert list(sri["urutan"]) == [0, 1, 2]
    assert list(sri["peran"]) == [PERAN_UTAMA, PERAN_DIGABUNG, PERAN_DIGABUNG]
    # the second row shares the NIK; the third shares only the names of the second (a chain)
    assert pd.isna(sri.loc[0, "dasar_gabung"]) and list(sri["dasar_gabung"][1:]) == [DASAR_NIK, DASAR_NAMA]
    assert list(sri["mengisi"][1:]) == ["no_hp", "desa"]  # the first row's values win; later rows fill gaps
    merged = dedup.producers.set_index("umkm_id").loc[sri.loc[0, "umkm_id"]]
    assert (merged["no_hp"], merged["desa"]) == ("+6281234567890", "Merak Batin")
    tapis = sources.iloc[3]
    assert (tapis["urutan"], tapis["peran"]) == (0, PERAN_UTAMA) and pd.isna(tapis["mengisi"])


def test_single_rows_are_each_their_own_kept_row():
    rows = _rows(nik=[None, None], nama_usaha=["A", "B"], nama_pemilik=["x", "y"], kecamatan=["Natar", "Palas"])
    sources = dedupe_producers(rows, find_near=False).sources
    assert list(sources["peran"]) == [PERAN_UTAMA, PERAN_UTAMA]
    assert sources["dasar_gabung"].isna().all() and sources["mengisi"].isna().all()


def _two_registries(make_workbook):
    header = ["Nama Usaha", "Nama Pemilik", "NIK", "No HP", "Kecamatan", "Produk"]
    first = make_workbook("data/natar.xlsx", {"Registri": [
        header,
        ["Keripik Bu Sri", "Sri Wahyuni", 1801010101010001, None, "Natar", "Keripik"],
        ["Tapis Indah", "Rina", None, None, "Natar", "Tapis"],
    ]})
    make_workbook("data/ulang.xlsx", {"Lembar 2": [
        ["DATA ULANG"],
        header,
        ["KERIPIK  BU SRI", "sri wahyuni", "1801010101010001", "0812-7234-5678", "Natar", "Keripik"],
    ]})
    return first.parent


def test_the_ingest_keeps_the_merged_rows_file_sheet_and_excel_row(make_workbook, tmp_path):
    result = ingest_paths([_two_registries(make_workbook)])
    assert ProducerSources.problems(result.producer_sources) == []
    sri_id = result.producers.set_index("nama_usaha").loc["Keripik Bu Sri", "umkm_id"]
    rows = result.producer_sources[result.producer_sources["umkm_id"] == sri_id]
    found = list(zip(rows["sumber_file"], rows["sumber_sheet"], rows["sumber_baris"], rows["peran"]))
    assert found == [("natar.xlsx", "Registri", 2, PERAN_UTAMA), ("ulang.xlsx", "Lembar 2", 3, PERAN_DIGABUNG)]
    assert list(rows["dasar_gabung"])[1] == DASAR_NIK and list(rows["mengisi"])[1] == "no_hp"
    totals = result.report["totals"]  # registries only: every row kept or merged is a source row
    assert len(result.producer_sources) == totals["rows_kept"] + totals["rows_merged"] == 3
    out = tmp_path / "keluar"
    write_outputs(result, out)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "producer_sources.parquet"), result.producer_sources)


def test_the_office_store_keeps_them_and_reads_a_version_without_them(make_workbook, tmp_path):
    folder = _two_registries(make_workbook)
    store = Store(tmp_path / "kelola")
    uploads = [Upload(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    version = store.apply(store.preview(uploads, mode=MODE_REPLACE), user="rina")
    loaded = store.load(version)
    assert (loaded.producer_sources["peran"] == PERAN_DIGABUNG).sum() == 1
    # A version applied before the file existed: each producer's own first row, no merged rows.
    (store.version_dir(version) / "producer_sources.parquet").unlink()
    older = store.load(version).producer_sources
    assert ProducerSources.problems(older) == []
    assert list(older["umkm_id"]) == list(loaded.producers["umkm_id"])
    assert set(older["peran"]) == {PERAN_UTAMA}
    assert list(older["sumber_baris"]) == list(loaded.producers["sumber_baris"])
