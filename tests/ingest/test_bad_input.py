"""The bad-input corpus (tests/bad_input/README.md) through the Kelola Data code path: Store.preview,
then Store.apply. Every file gets its Indonesian message, nothing raises, and the active version stays
exactly as it was (pointer and every byte of its folder)."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis.core.paths import ROOT
from analysis.engine import read_sales
from analysis.ingest import readers
from analysis.office.store import MODE_ADD, MODE_REPLACE, ApplyRefused, Store, Upload

CORPUS = ROOT / "tests" / "bad_input"

# file -> a phrase its preview must show (a read error, a sheet message, or the refusal)
REFUSED = {
    "kosong.xlsx": "Berkas kosong",
    "kosong.csv": "Berkas kosong",
    "lembar_kosong.xlsx": "Lembar kosong",
    "hanya_judul_kolom.xlsx": "tidak ada baris data di bawahnya",
    "terpotong.xlsx": "terpotong atau rusak",
    "zip_bukan_workbook.xlsx": "bukan workbook Excel",
    "gambar_bernama_xlsx.xlsx": "bukan workbook Excel .xlsx",
    "halaman_html.xls": "halaman HTML/XML",
    "berkata_sandi.xlsx": "dilindungi kata sandi",
    "csv_biner.csv": "bukan teks (berisi data biner)",
    "rekap_jumlah.xlsx": "bukan data pelaku UMKM",
    "bom_zip.xlsx": "kali lipat saat dibuka",
    "bom_zip_ukuran_palsu.xlsx": "terpotong atau rusak",
    "sel_jauh.xlsx": "Lembar terlalu luas",
}
READ = ("csv_utf16.csv", "csv_cp1252.csv", "rumus_dan_galat.xlsx", "tanggal_sebagai_teks.xlsx")


def _snapshot(store: Store) -> tuple[str, dict[str, str]]:
    """The active pointer and a hash of every file of the active version's folder."""
    version = store.active_id()
    folder = store.version_dir(version)
    return version, {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                     for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def store(tmp_path, make_workbook) -> Store:
    """A store with one applied version: a small registry of two UMKM in Natar."""
    good = make_workbook("baik/Data UMKM Natar.xlsx", {"Natar": [
        ["DATA UMKM KECAMATAN NATAR"], ["No", "Nama Usaha", "Nama Pemilik", "NIK", "Produk"],
        [1, "Keripik Bu Sri", "Sri", "1801014506800001", "Keripik pisang"], [2, "Kopi Darto", "Darto", None, "Kopi bubuk"]]})
    store = Store(tmp_path / "kelola")
    store.apply(store.preview([Upload(good.name, good.read_bytes())], mode=MODE_REPLACE), user="uji")
    assert len(store.load(store.active_id()).producers) == 2
    return store


def _messages(preview) -> str:
    entries = preview.result.report["files"] if preview.result is not None else []
    parts = [e["message"] for e in entries] + preview.notes + [preview.refusal() or ""]
    return " | ".join(parts)


def test_the_corpus_is_listed_completely():
    files = {p.name for p in CORPUS.iterdir() if p.suffix not in (".py", ".md")}
    assert files == set(REFUSED) | set(READ)
    assert all((CORPUS / name).stat().st_size < 200 * 1024 for name in files)


@pytest.mark.parametrize("mode", [MODE_REPLACE, MODE_ADD])
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_bad_file_gets_its_message_and_the_active_data_stays(store, name, mode):
    before = _snapshot(store)
    tables_before = store.load(before[0]).producers
    preview = store.preview([Upload(name, (CORPUS / name).read_bytes())], mode=mode)
    assert REFUSED[name] in _messages(preview), _messages(preview)
    # Alone (replace) or added to the active data, the file adds no usable row: applying is refused
    # even when the admin chose to leave unreadable files out.
    with pytest.raises(ApplyRefused):
        store.apply(preview, user="uji", include_failed=True)
    assert _snapshot(store) == before
    pd.testing.assert_frame_equal(store.load(store.active_id()).producers, tables_before)


@pytest.mark.parametrize("name", READ)
def test_odd_but_valid_file_is_read_without_touching_the_active_data(store, name):
    before = _snapshot(store)
    preview = store.preview([Upload(name, (CORPUS / name).read_bytes())], mode=MODE_REPLACE)
    assert preview.refusal() is None
    assert preview.result.report["totals"]["balanced"]
    assert _snapshot(store) == before


def test_csv_in_other_encodings_keeps_the_names(store):
    for name, expected in (("csv_utf16.csv", "Nyoman Ayu"), ("csv_cp1252.csv", "Nyomån Ayu")):
        result = store.preview([Upload(name, (CORPUS / name).read_bytes())], mode=MODE_REPLACE).result
        assert len(result.producers) == 3
        assert expected in set(result.producers["nama_pemilik"])


def test_formula_values_are_used_and_error_cells_are_listed(store):
    result = store.preview([Upload("rumus_dan_galat.xlsx", (CORPUS / "rumus_dan_galat.xlsx").read_bytes())],
                           mode=MODE_REPLACE).result
    omzet = result.producers.set_index("nama_usaha")["omzet_tahunan_rp"]
    assert omzet["Keripik Pisang Bu Sri"] == 12 * 2_000_003  # "Omzet per Bulan" x 12 = the cached formula value
    problems = result.cell_problems
    assert set(problems["nilai"]) == {"#N/A", "#REF!", "#DIV/0!"}
    assert all(p.startswith("sel berisi galat Excel") for p in problems["masalah"])
    assert pd.isna(result.producers.set_index("nama_usaha").at["Gula Aren Pak Min", "nik"])


def test_dates_stored_as_text_are_read(store):
    result = store.preview([Upload("t.xlsx", (CORPUS / "tanggal_sebagai_teks.xlsx").read_bytes())],
                           mode=MODE_REPLACE).result
    assert sorted(read_sales(result.folder)["bulan"].dt.month) == [3, 4, 5]  # a preview's sales are in its folder
    event = result.trainings.iloc[0]
    assert (event["tanggal_mulai"], event["tanggal_selesai"]) == (pd.Timestamp("2017-03-14"), pd.Timestamp("2017-03-16"))


def test_a_file_over_the_upload_limit_is_refused_unread(store, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    before = _snapshot(store)
    content = (CORPUS / "rumus_dan_galat.xlsx").read_bytes()
    preview = store.preview([Upload("besar.xlsx", content)], mode=MODE_REPLACE)
    assert preview.files[0].note.startswith("Terlalu besar")
    assert preview.refusal() is not None
    with pytest.raises(ApplyRefused):
        store.apply(preview, user="uji")
    assert _snapshot(store) == before


def test_the_reader_refuses_a_large_file_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    path = tmp_path / "besar.csv"
    path.write_text("Nama Usaha;Nama Pemilik\n" + "Keripik;Sri\n" * 20)
    with pytest.raises(readers.ReadError, match="Berkas terlalu besar"):
        readers.read_file(path)


def test_a_workbook_over_the_uncompressed_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_UNCOMPRESSED_BYTES", 2000)
    path = tmp_path / "biasa.xlsx"
    path.write_bytes((CORPUS / "rumus_dan_galat.xlsx").read_bytes())
    with pytest.raises(readers.ReadError, match="terlalu besar setelah dibuka"):
        readers.read_file(path)


def test_the_zip_bomb_is_refused_before_inflating(monkeypatch):
    """Refused on the declared sizes alone: the bounded inflation is never reached."""
    import zipfile

    def explode(*args, **kwargs):
        raise AssertionError("the member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", explode)
    problem = readers._inspect_zip((CORPUS / "bom_zip.xlsx").read_bytes()).problem
    assert problem and "kali lipat" in problem


def test_a_far_cell_hidden_behind_other_whitespace_is_found_too():
    """Attributes separated by a tab or a line break instead of a space still reveal the far cell."""
    import io
    import zipfile

    data = (CORPUS / "sel_jauh.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(b' r="XFD', b'\n\tr="XFD')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    assert "Lembar terlalu luas" in readers._inspect_zip(buffer.getvalue()).problem


def test_a_tall_but_narrow_sheet_is_not_refused():
    """200.000 rows in one column is 200.000 cells: far under the limit, read normally."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Nama Usaha"
    book.active["A200000"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    assert readers._inspect_zip(buffer.getvalue()).problem is None


def test_a_csv_with_one_very_wide_line_is_refused(tmp_path, monkeypatch):
    """One line of separators would pad every other row to its width: refused before padding."""
    monkeypatch.setattr(readers, "MAX_CELLS", 10_000)
    path = tmp_path / "lebar.csv"
    path.write_text("Nama Usaha;Nama Pemilik\n" + ";" * 5_000 + "\n" + "Keripik;Sri\n" * 10)
    with pytest.raises(readers.ReadError, match="Tabel CSV terlalu luas"):
        readers.read_file(path)
