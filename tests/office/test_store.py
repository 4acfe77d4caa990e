"""Versions of the office's data: apply, a broken upload that changes nothing, rollback, deduplicated
raw uploads, the atomic switch, and remembered mapping corrections."""
from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from analysis.office import store as st_
from analysis.office.store import MODE_ADD, MODE_REPLACE, ApplyRefused, Store, Upload, safe_name

REGISTRY = [["DATA UMKM KECAMATAN NATAR"], ["No", "Nama Usaha", "Nama Pemilik", "NIK", "Produk"],
            [1, "Keripik Bu Sri", "Sri", "1801014506800001", "Keripik pisang"],
            [2, "Kopi Darto", "Darto", None, "Kopi bubuk"]]
SALES = [["LAPORAN PENJUALAN BULANAN KECAMATAN NATAR"], ["No", "Nama Usaha", "Nama Pemilik", "Bulan", "Nilai Penjualan"],
         [1, "Keripik Bu Sri", "Sri", "Maret 2017", "2.000.000"], [2, "Kopi Darto", "Darto", "Maret 2017", "1.500.000"]]


@pytest.fixture
def uploads(make_workbook):
    def upload(name: str, rows: list[list[object]]) -> Upload:
        path = make_workbook(name, {"Natar": rows})
        return Upload(path.name, path.read_bytes())
    return upload


def _state(store: Store) -> tuple[str | None, dict[str, bytes]]:
    version = store.active_id()
    folder = store.version_dir(version)
    return version, {p.name: p.read_bytes() for p in folder.iterdir()}


def test_apply_makes_a_version_with_its_manifest_report_and_tables(tmp_path, uploads):
    store = Store(tmp_path)
    registry = uploads("Data UMKM Natar.xlsx", REGISTRY)
    preview = store.preview([registry], mode=MODE_REPLACE)
    assert store.active_id() is None  # a preview changes nothing
    version = store.apply(preview, user="admin1")
    assert store.active_id() == version
    folder = store.version_dir(version)
    assert {"manifest.json", "report.json", "rejected.xlsx", "producers.parquet", "sales.parquet"} <= {p.name for p in folder.iterdir()}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["user"] == "admin1" and manifest["files"][0]["name"] == "Data UMKM Natar.xlsx"
    blob = store.uploads / manifest["files"][0]["blob"]
    assert blob.read_bytes() == registry.content  # stored unchanged
    assert blob.name.startswith(manifest["files"][0]["sha256"])
    loaded = store.load(version)
    pd.testing.assert_frame_equal(loaded.producers, preview.result.producers)
    assert loaded.report == json.loads(json.dumps(preview.result.report, default=str))
    assert not preview.staging.exists()  # the preview's files were cleaned up


def test_a_preview_keeps_its_sales_in_its_staging_folder_and_the_version_gets_them(tmp_path, uploads):
    """A preview holds no sales frame (an office's upload may hold millions of rows): its sales are in its
    staging folder's engine file; the before/after summary reads their months there, and the applied
    version holds the same rows."""
    from analysis.engine import SALES_FILE, read_sales, row_count
    from analysis.office import review

    store = Store(tmp_path)
    preview = store.preview([uploads("a.xlsx", REGISTRY), uploads("b.xlsx", SALES)], mode=MODE_REPLACE)
    sales = preview.result.sales
    assert len(sales) == 0 and row_count(sales) == 2
    assert (preview.result.folder / SALES_FILE).is_file() and preview.result.folder.parent == preview.staging
    stored = read_sales(preview.result.folder)
    summary = review.DataSummary.of("", preview.result)
    assert summary.sales_rows == 2 and summary.first_month == summary.last_month == pd.Timestamp("2017-03-01")
    assert preview.refusal() is None
    version = store.apply(preview, user="admin")
    pd.testing.assert_frame_equal(store.load(version).sales, stored)
    assert stored["umkm_id"].notna().all()  # linked to the registry uploaded with them


def test_a_broken_upload_leaves_the_previous_version_active_and_intact_then_rollback(tmp_path, uploads):
    store = Store(tmp_path)
    first = store.apply(store.preview([uploads("a.xlsx", REGISTRY)], mode=MODE_REPLACE), user="admin")
    second = store.apply(store.preview([uploads("b.xlsx", SALES)], mode=MODE_ADD), user="admin")
    assert len(store.load(second).sales) == 2 and len(store.load(second).producers) == 2
    before = _state(store)

    broken = store.preview([Upload("rusak.xlsx", b"PK\x03\x04 bukan zip lengkap")], mode=MODE_REPLACE)
    assert broken.failed_files[0]["message"].startswith("Berkas Excel terpotong")
    with pytest.raises(ApplyRefused):
        store.apply(broken, user="admin", include_failed=True)
    assert _state(store) == before

    store.rollback(first, user="admin")
    assert store.active_id() == first
    assert store.load(first).sales.empty
    assert [v.id for v in store.versions()] == [second, first]
    assert [v.active for v in store.versions()] == [False, True]
    log = [json.loads(line) for line in store.log_file.read_text().splitlines()]
    assert [entry["aksi"] for entry in log] == ["terapkan", "terapkan", "kembalikan"]
    assert log[-1]["sebelumnya"] == second


def test_a_failure_while_building_a_version_changes_nothing(tmp_path, uploads, monkeypatch):
    store = Store(tmp_path)
    store.apply(store.preview([uploads("a.xlsx", REGISTRY)], mode=MODE_REPLACE), user="admin")
    before = _state(store)
    preview = store.preview([uploads("b.xlsx", SALES)], mode=MODE_ADD)

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(st_, "write_outputs", disk_full)
    with pytest.raises(OSError):
        store.apply(preview, user="admin")
    assert _state(store) == before
    assert not [p for p in store.versions_dir.iterdir() if p.name.startswith(".")]  # no half-built version


def test_a_failure_while_switching_the_pointer_keeps_the_old_pointer(tmp_path, uploads, monkeypatch):
    store = Store(tmp_path)
    first = store.apply(store.preview([uploads("a.xlsx", REGISTRY)], mode=MODE_REPLACE), user="admin")
    preview = store.preview([uploads("b.xlsx", SALES)], mode=MODE_ADD)
    real_replace = os.replace

    def fail_on_pointer(source, target):
        if str(target).endswith("active"):
            raise OSError("power cut")
        return real_replace(source, target)

    monkeypatch.setattr(st_.os, "replace", fail_on_pointer)
    with pytest.raises(OSError):
        store.apply(preview, user="admin")
    assert store.pointer.read_text().strip() == first
    assert not [p for p in store.root.iterdir() if p.name.startswith(".active")]


def test_applying_the_same_files_twice_stores_no_new_blob(tmp_path, uploads):
    store = Store(tmp_path)
    files = [uploads("a.xlsx", REGISTRY), uploads("b.xlsx", SALES)]
    store.apply(store.preview(files, mode=MODE_REPLACE), user="admin")
    assert store.blob_count() == 2
    store.apply(store.preview(files, mode=MODE_REPLACE), user="admin")
    assert store.blob_count() == 2 and len(store.versions()) == 2


def test_same_content_under_another_name_is_read_once(tmp_path, uploads):
    store = Store(tmp_path)
    registry = uploads("a.xlsx", REGISTRY)
    preview = store.preview([registry, Upload("salinan a.xlsx", registry.content)], mode=MODE_REPLACE)
    assert [f.used for f in preview.files] == [True, False]
    assert "sudah ada" in preview.files[1].note
    assert preview.result.report["totals"]["files"] == 1


def test_adding_keeps_the_active_files_and_replaces_one_of_the_same_name(tmp_path, uploads):
    store = Store(tmp_path)
    store.apply(store.preview([uploads("registri.xlsx", REGISTRY), uploads("jual.xlsx", SALES)], mode=MODE_REPLACE),
                user="admin")
    fewer = REGISTRY[:3]
    preview = store.preview([uploads("registri.xlsx", fewer)], mode=MODE_ADD)
    assert {(f.name, f.origin) for f in preview.files} == {("registri.xlsx", "unggahan"), ("jual.xlsx", "versi aktif")}
    assert any("menggantikan" in note for note in preview.notes)
    version = store.apply(preview, user="admin")
    assert len(store.load(version).producers) == 1 and len(store.load(version).sales) == 2


def test_unreadable_files_block_until_left_out_on_purpose(tmp_path, uploads):
    store = Store(tmp_path)
    preview = store.preview([uploads("a.xlsx", REGISTRY), Upload("rusak.xlsx", b"PK\x03\x04 potong")], mode=MODE_REPLACE)
    with pytest.raises(ApplyRefused, match="gagal dibaca"):
        store.apply(preview, user="admin")
    version = store.apply(preview, user="admin", include_failed=True)
    files = {f["name"]: f for f in store.manifest(version)["files"]}
    assert files["a.xlsx"]["stored"] and not files["rusak.xlsx"]["stored"]
    assert store.blob_count() == 1


def test_a_preview_made_before_another_apply_is_refused(tmp_path, uploads):
    store = Store(tmp_path)
    store.apply(store.preview([uploads("a.xlsx", REGISTRY)], mode=MODE_REPLACE), user="admin")
    stale = store.preview([uploads("b.xlsx", SALES)], mode=MODE_ADD)
    store.apply(store.preview([uploads("c.xlsx", SALES[:3])], mode=MODE_ADD), user="admin2")
    with pytest.raises(ApplyRefused, match="berubah sejak pratinjau"):
        store.apply(stale, user="admin")


def test_rolling_back_to_a_missing_or_damaged_version_is_refused(tmp_path, uploads):
    store = Store(tmp_path)
    first = store.apply(store.preview([uploads("a.xlsx", REGISTRY)], mode=MODE_REPLACE), user="admin")
    second = store.apply(store.preview([uploads("b.xlsx", SALES)], mode=MODE_ADD), user="admin")
    with pytest.raises(ApplyRefused, match="tidak ditemukan"):
        store.rollback("20170101T000000Z-000000", user="admin")
    (store.version_dir(first) / "producers.parquet").write_bytes(b"rusak")
    with pytest.raises(ApplyRefused, match="rusak"):
        store.rollback(first, user="admin")
    assert store.active_id() == second


def test_a_mapping_correction_is_remembered_for_the_next_file_with_the_same_headers(tmp_path, uploads):
    store = Store(tmp_path)
    # "Keterangan" is read as a note column; the office uses it for the product.
    rows = [["DATA UMKM"], ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Keterangan"],
            ["Sri Rejeki", "Sri", "Natar", "keripik pisang"], ["Darto Sentosa", "Darto", "Natar", "kopi bubuk"]]
    # (business names that name no product: without a product column the name's words decide the kategori)
    first = store.preview([uploads("a.xlsx", rows)], mode=MODE_REPLACE)
    entry = first.result.report["files"][0]
    assert set(first.result.producers["kategori"]) == {"Lainnya"}
    store.save_mapping(entry["signature"], kind=None, columns={"Keterangan": "produk"}, headers=entry["headers"], user="a")
    again = store.reread(first)
    assert set(again.result.producers["kategori"]) == {"Makanan Olahan", "Minuman"}
    other = store.preview([uploads("b.xlsx", [["DATA UMKM"], ["NAMA USAHA", "Nama  Pemilik", "KECAMATAN", "keterangan"],
                                              ["Tapis Indah", "Ayu", "Palas", "kain tapis"]])], mode=MODE_REPLACE)
    assert list(other.result.producers["kategori"]) == ["Kerajinan"]
    assert other.result.report["files"][0]["columns"]["keterangan"] == "produk"


def test_a_kind_correction_loads_a_sheet_the_detection_left_out(tmp_path, uploads):
    store = Store(tmp_path)
    rows = [["Nama Usaha", "Nama Pemilik"], ["Keripik Bu Sri", "Sri"]]  # too few fields to call it a registry
    preview = store.preview([uploads("Natar.xlsx", rows)], mode=MODE_REPLACE)
    entry = preview.result.report["files"][0]
    assert entry["kind"] == "lainnya"
    store.save_mapping(entry["signature"], kind="producers", columns={}, headers=entry["headers"], user="a")
    assert len(store.reread(preview).result.producers) == 1


def test_names_lose_folders_and_forbidden_characters():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\Data UMKM.xlsx") == "Data UMKM.xlsx"
    assert safe_name('a<b>:"c?.csv') == "a_b___c_.csv"
    assert safe_name("...") == "berkas"
