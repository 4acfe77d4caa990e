"""The demo-data generator: reproducible bytes, a plausible truth, and every messy rule present in raw/.

The committed data/demo is what the app and the round-trip tests use, so most checks read it; two tests
regenerate (scale 1 for byte identity, scale 2 for scaling) into a temporary folder.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import demo
from analysis.core import reference as ref
from analysis.core import schemas
from analysis.core.paths import DEMO_DIR
from analysis.demo import specs
from analysis.demo import values as cell_values
from analysis.demo.__main__ import main as demo_command

RAW = DEMO_DIR / "raw"
TRUTH = DEMO_DIR / "truth"
SCI_NIK = re.compile(r"\d\.\d{5}E\+15")


# ---------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert demo_command(["--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def truth() -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(TRUTH / f"{name}.parquet") for name in schemas.TABLES}


@pytest.fixture(scope="module")
def planted() -> dict:
    return json.loads((TRUTH / "planted.json").read_text(encoding="utf-8"))


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@lru_cache(maxsize=64)
def _sheet(file: str, sheet: str | None) -> tuple[tuple, ...]:
    """All rows of one raw sheet (or CSV) as value tuples; index 0 is Excel row 1."""
    path = RAW / file
    if path.suffix == ".csv":
        data = path.read_bytes()
        text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
        delimiter = ";" if text.splitlines()[2].count(";") > text.splitlines()[2].count(",") else ","
        return tuple(tuple(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter))
    book = load_workbook(path, read_only=True)
    rows = tuple(book[sheet].iter_rows(values_only=True))
    book.close()
    return rows


def _row(file: str, sheet: str | None, row: int) -> tuple:
    return _sheet(file, sheet)[row - 1]


def _norm(value) -> str:
    """Case, spacing, accents and punctuation ignored: how a name's identity is compared."""
    return re.sub(r"[^0-9a-z]", "", ref.fold(str(value)))


def _classify(text: str, keywords: pd.DataFrame, column: str) -> str | None:
    """First whole-word keyword match in the table's order (reference sorts it by precedence)."""
    folded = ref.fold(text)
    for keyword, target in zip(keywords["kata_kunci"], keywords[column]):
        if re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", folded):
            return target
    return None


# ---------------------------------------------------------------------------------------------- reproducible
def test_regenerating_defaults_gives_byte_identical_files(regenerated):
    committed, fresh = _digests(DEMO_DIR), _digests(regenerated)
    assert sorted(fresh) == sorted(committed)
    assert [name for name in fresh if fresh[name] != committed[name]] == []


def test_scale_two_about_doubles_producers(tmp_path):
    assert demo_command(["--scale", "2", "--out", str(tmp_path)]) == 0
    producers = pd.read_parquet(tmp_path / "truth" / "producers.parquet")
    assert 4600 <= len(producers) <= 5400
    assert json.loads((tmp_path / "truth" / "effects.json").read_text())["scale"] == 2


def test_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "precious.xlsx").write_bytes(b"x")
    with pytest.raises(SystemExit):
        demo.generate(tmp_path)
    assert (tmp_path / "raw" / "precious.xlsx").exists()


# ---------------------------------------------------------------------------------------------- truth
def test_truth_tables_conform_to_the_contract(truth):
    for name, frame in truth.items():
        assert schemas.TABLES[name].problems(frame) == [], name


def test_producers_count_kecamatan_and_population(truth):
    producers = truth["producers"]
    assert 2300 <= len(producers) <= 2700
    counts = producers["kecamatan"].value_counts()
    assert set(counts.index) == set(ref.kecamatan_names())
    population = ref.kecamatan().set_index("kecamatan")["penduduk_2010"]
    assert counts.rank().corr(population.loc[counts.index].rank()) > 0.6
    codes = ref.kecamatan().set_index("kecamatan")["kode_kemendagri"]
    assert (producers["kode_kecamatan"] == producers["kecamatan"].map(codes)).all()


def test_producer_identities_are_unique_and_well_formed(truth):
    p = truth["producers"]
    assert p["umkm_id"].is_unique and p["umkm_id"].str.fullmatch(r"LS-\d{5}").all()
    pairs = p["nama_usaha"].map(_norm) + "|" + p["nama_pemilik"].map(_norm)
    assert pairs.is_unique
    nik = p["nik"].dropna()
    assert nik.is_unique and nik.str.fullmatch(r"1801\d{12}").all()
    assert (nik.str[4:6] == p.loc[nik.index, "kode_kecamatan"].str[-2:]).all()
    assert 0.07 <= p["nik"].isna().mean() <= 0.18
    phones = p["no_hp"].dropna()
    assert phones.is_unique and phones.str.fullmatch(r"\+628\d{8,10}").all()
    assert 0.05 <= p["no_hp"].isna().mean() <= 0.15


def test_products_map_to_their_kategori_through_the_reference_keywords(truth):
    keywords = ref.kategori_keywords()
    p = truth["producers"]
    mapped = p["produk_utama"].map(lambda t: _classify(t, keywords, "kategori") or ref.KATEGORI_LAINNYA)
    assert (mapped == p["kategori"]).all(), p.loc[mapped != p["kategori"], ["produk_utama", "kategori"]]
    assert 0 < (p["kategori"] == ref.KATEGORI_LAINNYA).mean() < 0.05


def test_local_economy_shapes_the_category_mix(truth):
    p = truth["producers"]
    share = pd.crosstab(p["kecamatan"], p["kategori"], normalize="index")
    coastal, others = share.loc[list(specs.COASTAL)], share.drop(index=list(specs.COASTAL))
    for kategori in ("Olahan Perikanan", "Olahan Kelapa"):
        assert coastal[kategori].mean() > 2 * others[kategori].mean()
    peri_urban = share.loc[list(specs.PERI_URBAN)]
    assert peri_urban["Fesyen & Tekstil"].mean() > share.drop(index=list(specs.PERI_URBAN))["Fesyen & Tekstil"].mean()
    food = p[p["kategori"] == "Makanan Olahan"]
    assert (food["jenis_kelamin"] == "P").mean() > 0.6


def test_size_follows_uu_20_2008_and_is_mostly_mikro(truth):
    p = truth["producers"]
    omzet = p["omzet_tahunan_rp"]
    expected = np.select([omzet <= 3e8, omzet <= 2.5e9, omzet <= 5e10], ["Mikro", "Kecil", "Menengah"], "Besar")
    assert (p["skala"] == expected).all()
    shares = p["skala"].value_counts(normalize=True)
    assert shares["Mikro"] > 0.85 and shares["Kecil"] > 0.02 and (p["skala"] == "Menengah").sum() >= 2
    assert (omzet % 12_000 == 0).all()  # per-bulan registries write annual/12 exactly


def test_sales_span_months_and_round_to_thousands(truth):
    sales = truth["sales"]
    assert sales["bulan"].min() == pd.Timestamp("2015-01-01") and sales["bulan"].max() == pd.Timestamp("2017-10-01")
    assert (sales["bulan"].dt.day == 1).all() and sales["bulan"].nunique() == 34
    assert (sales["nilai_rp"] % 1000 == 0).all() and (sales["nilai_rp"] > 0).all()
    producers = truth["producers"]
    share = sales["umkm_id"].dropna().nunique() / len(producers)
    assert 0.78 <= share <= 0.92
    linked = sales.dropna(subset=["umkm_id"]).merge(producers[["umkm_id", "kategori"]], on="umkm_id")
    assert (linked["kategori_x"] == linked["kategori_y"]).all()


def test_lebaran_month_is_above_the_yearly_mean(truth):
    monthly = truth["sales"].groupby("bulan")["nilai_rp"].sum()
    for year, idul_fitri in ref.lebaran_dates().loc[2015:2017].items():
        in_year = monthly[monthly.index.year == year]
        assert monthly[idul_fitri.replace(day=1)] > 1.1 * in_year.mean(), year


def test_category_trends_in_a_balanced_panel(truth):
    sales = truth["sales"].dropna(subset=["umkm_id"])
    sales = sales[sales["bulan"].dt.year.isin([2015, 2016])]
    complete = sales.groupby("umkm_id")["bulan"].transform("size") == 24
    yearly = sales[complete].groupby(["kategori", sales["bulan"].dt.year])["nilai_rp"].sum().unstack()
    growth = yearly[2016] / yearly[2015]
    assert growth["Olahan Kelapa"] > growth["Jasa & Perdagangan"] > growth["Kerajinan"]
    assert growth["Kerajinan"] < 1


def test_trainings_mix_dates_and_names(truth):
    t = truth["trainings"]
    assert 25 <= len(t) <= 35 and t["pelatihan_id"].is_unique
    days = (t["tanggal_selesai"] - t["tanggal_mulai"]).dt.days + 1
    assert days.between(1, 5).all()
    assert t["tanggal_mulai"].min() >= pd.Timestamp("2015-01-01")
    assert t["tanggal_selesai"].max() <= pd.Timestamp("2017-10-31")
    year = t["tanggal_mulai"].dt.year
    early = t.loc[year <= 2016, "jenis"].value_counts()
    assert early.idxmax() == "Kelembagaan" and early["Kelembagaan"] > len(t[year <= 2016]) / 2
    assert t.loc[year == 2017, "jenis"].value_counts().idxmax() == "Pemasaran"
    assert "Pemasaran" not in set(t.loc[year <= 2016, "jenis"])
    keywords = ref.jenis_keywords()
    classified = t["nama_kegiatan"].map(lambda n: _classify(n, keywords, "jenis") or ref.JENIS_LAINNYA)
    assert (classified == t["jenis"]).all(), t.loc[classified != t["jenis"], ["nama_kegiatan", "jenis"]]


def test_effects_json_holds_the_planted_effects():
    effects = json.loads((TRUTH / "effects.json").read_text(encoding="utf-8"))
    assert effects["efek"] == {"Pemasaran": 0.15, "Kemasan": 0.08, "Kelembagaan": 0.0,
                               "Produksi & Mutu": 0.05, "Keuangan": 0.05}
    assert effects["mulai"] == "bulan setelah bulan selesai pelatihan"
    assert effects["seed"] == demo.DEFAULT_SEED and effects["scale"] == 1


def test_participants_are_bigger_producers_and_some_outsiders(truth):
    parts, producers = truth["participants"], truth["producers"]
    sizes = parts.groupby("pelatihan_id").size()
    assert sizes.between(20, 40).all() and set(sizes.index) == set(truth["trainings"]["pelatihan_id"])
    assert set(parts["umkm_id"].dropna()) <= set(producers["umkm_id"])
    assert 0.01 <= parts["umkm_id"].isna().mean() <= 0.06
    assert (parts.loc[parts["umkm_id"].isna(), "cara_cocok"] == "tidak cocok").all()
    assert parts.dropna(subset=["umkm_id"]).groupby("umkm_id").size().max() >= 3
    attended = producers["umkm_id"].isin(parts["umkm_id"])
    omzet = producers["omzet_tahunan_rp"]
    assert omzet[attended].mean() > 1.5 * omzet[~attended].mean()
    assert not parts.duplicated(["pelatihan_id", "umkm_id"]).loc[parts["umkm_id"].notna()].any()


def test_pemasaran_effect_is_visible_in_a_simple_difference_in_differences(truth):
    """Jul-Oct 2017 over Jul-Oct 2016, attendees of a Pemasaran event ending by May 2017 versus producers
    with no training in that window: the planted +15% shows (within noise and other trainings)."""
    sales, parts, t = truth["sales"].dropna(subset=["umkm_id"]), truth["participants"], truth["trainings"]
    attended = parts.dropna(subset=["umkm_id"]).merge(t, on="pelatihan_id")
    window = attended["tanggal_selesai"].between("2016-06-01", "2017-10-31")
    treated = set(attended.loc[window & (attended["jenis"] == "Pemasaran")
                               & (attended["tanggal_selesai"] <= "2017-05-31"), "umkm_id"])
    control = set(sales["umkm_id"]) - set(attended.loc[window, "umkm_id"])
    months = sales["bulan"].dt.month.between(7, 10)
    before = sales[months & (sales["bulan"].dt.year == 2016)].groupby("umkm_id")["nilai_rp"].mean()
    after = sales[months & (sales["bulan"].dt.year == 2017)].groupby("umkm_id")["nilai_rp"].mean()
    ratio = (after / before).dropna()
    effect = ratio[ratio.index.isin(treated)].median() / ratio[ratio.index.isin(control)].median() - 1
    assert ratio.index.isin(treated).sum() >= 50
    assert 0.08 < effect < 0.25


# ---------------------------------------------------------------------------------------------- raw <-> truth
def test_every_producer_source_row_holds_its_names(truth):
    for rec in truth["producers"].itertuples():
        row = _row(rec.sumber_file, rec.sumber_sheet, rec.sumber_baris)
        assert rec.nama_usaha in row and rec.nama_pemilik in row, (rec.umkm_id, row)


def test_sales_rows_are_written_once_where_the_truth_says(truth):
    sales = truth["sales"]
    assert not sales.duplicated(["sumber_file", "sumber_sheet", "sumber_baris", "bulan"]).any()
    assert sales["sumber_file"].str.startswith("penjualan/").all()
    assert set(sales["sumber_file"]) == {s.path for s in specs.SALES_FILES}
    names = truth["producers"].set_index("umkm_id")["nama_usaha"].map(_norm)
    for rec in sales.sample(600, random_state=1).itertuples():
        row = _row(rec.sumber_file, rec.sumber_sheet, rec.sumber_baris)
        values = {v for v in row if isinstance(v, (int, float))} | {str(v) for v in row if isinstance(v, str)}
        written = int(rec.nilai_rp)
        assert written in values or str(written) in values or f"Rp {cell_values.dots(written)}" in values, (rec, row)
        if pd.notna(rec.umkm_id):
            assert names[rec.umkm_id] in {_norm(v) for v in row if isinstance(v, str)}, (rec, row)


def test_long_files_carry_volume_and_wide_files_do_not(truth):
    sales = truth["sales"]
    long_files = {s.path for s in specs.SALES_FILES if s.shape == "long"}
    in_long = sales["sumber_file"].isin(long_files)
    assert sales.loc[in_long, ["volume", "satuan"]].notna().all().all()
    assert sales.loc[~in_long, ["volume", "satuan"]].isna().all().all()


def test_participant_rows_hold_the_written_names(truth):
    for rec in truth["participants"].itertuples():
        row = _row(rec.sumber_file, rec.sumber_sheet, rec.sumber_baris)
        assert rec.nama_peserta in row and rec.nama_usaha in row, (rec, row)


def test_planted_duplicates_share_a_nik_or_a_normalised_name(truth, planted):
    producers = truth["producers"].set_index("umkm_id")
    assert 0.02 <= len(planted["duplicates"]) / len(producers) <= 0.04
    kinds = {d["kind"] for d in planted["duplicates"]}
    assert kinds == {"nik", "nama"}
    for dup in planted["duplicates"]:
        p = producers.loc[dup["umkm_id"]]
        first = _row(dup["first"]["file"], dup["first"]["sheet"], dup["first"]["row"])
        second = _row(dup["duplicate"]["file"], dup["duplicate"]["sheet"], dup["duplicate"]["row"])
        assert dup["first"]["file"] < dup["duplicate"]["file"]  # files are read in path order
        assert p["nama_usaha"] in first and p["sumber_baris"] == dup["first"]["row"]
        if dup["kind"] == "nik":
            assert p["nik"] in {str(v) for v in second}
            assert p["nama_usaha"] not in second or p["nama_pemilik"] not in second
        else:
            assert p["nik"] is pd.NA or p["nik"] not in {str(v) for v in second}
            assert _norm(p["nama_usaha"]) in {_norm(v) for v in second if isinstance(v, str)}
            assert _norm(p["nama_pemilik"]) in {_norm(v) for v in second if isinstance(v, str)}
    pesisir = [d for d in planted["duplicates"] if d["duplicate"]["file"].endswith("Wilayah Pesisir.xlsx")
               or d["first"]["file"].endswith("Wilayah Pesisir.xlsx")]
    assert pesisir, "some duplicates pair the Pesisir workbook with a kecamatan registry"


def test_planted_near_duplicates_are_two_producers(truth, planted):
    producers = truth["producers"].set_index("umkm_id")
    assert len(planted["near_duplicates"]) >= 5
    for near in planted["near_duplicates"]:
        a, b = (producers.loc[i] for i in near["umkm_ids"])
        assert a["kecamatan"] == b["kecamatan"] and a["nama_pemilik"] != b["nama_pemilik"]
        assert b["nama_usaha"] in (a["nama_usaha"], a["nama_usaha"] + " 2")


def test_planted_rejects_are_in_the_raw_and_not_in_the_truth(truth, planted):
    reasons = {r["reason"] for r in planted["rejects"]}
    assert reasons == {"kecamatan_luar", "kecamatan_tidak_dikenal", "tanpa_nama"}
    pairs = set(zip(truth["producers"]["nama_usaha"], truth["producers"]["nama_pemilik"]))
    luar = set(ref.kecamatan_luar()["kecamatan"])
    for reject in planted["rejects"]:
        row = _row(reject["file"], reject["sheet"], reject["row"])
        texts = [v for v in row if isinstance(v, str)]
        if reject["reason"] == "tanpa_nama":
            assert row[1] is None and row[2] is None and len(texts) > 3
        elif reject["reason"] == "kecamatan_luar":
            assert luar & set(texts)
        else:
            assert "Sukamaju Raya" in texts
        assert (row[1], row[2]) not in pairs


def test_broken_niks_are_written_in_scientific_notation_and_missing_in_truth(truth, planted):
    producers = truth["producers"].set_index("umkm_id")
    assert len(planted["broken_nik"]) >= 5
    for broken in planted["broken_nik"]:
        assert SCI_NIK.fullmatch(broken["written"])
        assert broken["written"] in _row(broken["file"], broken["sheet"], broken["row"])
        assert pd.isna(producers.loc[broken["umkm_id"], "nik"])


def test_unlinked_sales_and_outside_participants(truth, planted):
    sales = truth["sales"]
    unlinked = sales[sales["umkm_id"].isna()]
    assert len(planted["unlinked_sales"]) >= 1
    assert len(unlinked) == sum(len(u["rows"]) for u in planted["unlinked_sales"])
    assert not (set(u["nama_usaha"] for u in planted["unlinked_sales"]) & set(truth["producers"]["nama_usaha"]))
    outsiders = truth["participants"]["umkm_id"].isna().sum()
    assert outsiders == len(planted["outside_participants"])


# ---------------------------------------------------------------------------------------------- raw features
@pytest.fixture(scope="module")
def registries() -> dict[str, object]:
    return {p.name: load_workbook(p) for p in sorted((RAW / "registri").glob("*.xlsx"))}


def test_registries_have_merged_titles_and_a_two_row_header(registries):
    natar = registries["Data UMKM Binaan Kec. Natar 2017.xlsx"]["UMKM Natar"]
    assert any(r.min_row == r.max_row == 1 and r.max_col > 10 for r in natar.merged_cells.ranges)
    jati = registries["Data Pelaku UMKM Jati Agung 2017.xlsx"]["Data"]
    header = [c.value for c in jati[4]], [c.value for c in jati[5]]
    assert "Legalitas" in header[0] and {"NIB", "PIRT", "Halal"} <= set(header[1])
    assert any(r.min_row == 4 and r.max_row == 5 for r in jati.merged_cells.ranges)
    assert any(r.min_row == r.max_row == 4 and r.max_col - r.min_col == 2 for r in jati.merged_cells.ranges)


def test_registries_vary_where_the_kecamatan_is(registries):
    headers = {}
    for name, book in registries.items():
        for ws in book.worksheets:
            rows = list(ws.iter_rows(max_row=8, values_only=True))
            header = next((r for r in rows if r[0] in ("No", "No.")), None)
            if header:
                headers[(name, ws.title)] = {str(v) for v in header if v}
    with_column = [k for k, h in headers.items() if h & {"Kecamatan", "Kec."}]
    without = [k for k, h in headers.items() if not h & {"Kecamatan", "Kec."}]
    assert len(with_column) >= 4 and len(without) >= 4
    pesisir = registries["Data UMKM Wilayah Pesisir.xlsx"]
    assert {"Kec. Rajabasa", "KETAPANG", "Bakauheni"} <= set(pesisir.sheetnames)
    titles = " ".join(str(c.value) for c in pesisir["KETAPANG"][1] + pesisir["KETAPANG"][2] if c.value)
    assert "KETAPANG" not in titles.upper()
    spellings = {str(v) for (name, sheet) in with_column for r in registries[name][sheet].iter_rows(values_only=True)
                 for v in r if isinstance(v, str)}
    assert {"Jatiagung", "Tj. Bintang", "kec. natar", "Kalianda ", "Penengahn", "Merbau Mataran"} <= spellings
    assert "Raja Basa" in spellings


def test_registries_hold_every_messy_value_notation(registries):
    texts, numbers = set(), []
    for book in registries.values():
        for ws in book.worksheets:
            for row in ws.iter_rows(values_only=True):
                texts.update(v for v in row if isinstance(v, str))
                numbers.extend(v for v in row if isinstance(v, int))
    assert any(re.fullmatch(r"Rp \d{1,3}(\.\d{3})+,-", t) for t in texts)
    assert any(re.fullmatch(r"Rp\d{1,3}(\.\d{3})+,00", t) for t in texts)
    assert any(re.fullmatch(r"\d+(,\d+)? (jt|juta)", t) for t in texts)
    assert any(re.fullmatch(r"\d+ rb", t) for t in texts)
    assert any(re.fullmatch(r"\d+(,\d+)? M", t) for t in texts)
    assert any(SCI_NIK.fullmatch(t) for t in texts)
    assert any(re.fullmatch(r"1801\d{12}", t) for t in texts) and any(10**15 < n < 10**16 for n in numbers)
    assert any(8 * 10**9 < n < 9 * 10**11 for n in numbers)  # phone as a number without the leading 0
    assert any(re.fullmatch(r"08\d{2}-\d{4}-\d{3,4}", t) for t in texts)
    assert any(re.fullmatch(r"628\d{8,10}", t) for t in texts)
    assert any(re.fullmatch(r"\+62 8\d{2}-\d{4}-\d{3,4}", t) for t in texts)
    assert {"Ya", "Tidak", "Ada", "-", "v", "Laki-laki", "Perempuan", "L", "P", "JUMLAH", "TOTAL"} <= texts
    assert {"Omzet/bln", "Omzet Per Tahun", "Omset (Rp)", "NAMA UMKM", "Nama Unit Usaha", "Pemilik",
            "Nama Pelaku Usaha", "No Telp/HP", "Telepon", "Jml Tenaga Kerja", "TK", "Desa/Kel."} <= texts


def test_a_long_registry_repeats_its_header_and_has_blank_rows(registries):
    rows = list(registries["Data UMKM Binaan Kec. Natar 2017.xlsx"]["UMKM Natar"].iter_rows(values_only=True))
    headers = [i for i, r in enumerate(rows) if r[0] == "No"]
    assert len(headers) >= 2
    blank = [i for i, r in enumerate(rows) if all(v is None for v in r)]
    assert any(headers[0] < i < len(rows) - 1 for i in blank)
    assert "Rekap per Desa" in registries["Data UMKM Binaan Kec. Natar 2017.xlsx"].sheetnames


def test_cp1252_semicolon_csv_registry():
    data = (RAW / "registri" / "data_umkm_candipuro.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    assert "Café" in text
    header = next(line for line in text.splitlines() if line.startswith("No;"))
    assert "Nama Usaha;Nama Pemilik" in header


def test_sales_files_use_every_month_header_style_and_both_shapes():
    styles, date_headers, long_text, long_date, jumlah = set(), False, False, False, False
    for path in sorted((RAW / "penjualan").rglob("*.xlsx")):
        book = load_workbook(path, read_only=True)
        for ws in book.worksheets:
            rows = list(ws.iter_rows(max_row=8, values_only=True))
            header = next(r for r in rows if r and r[0] == "No")
            for v in header:
                if isinstance(v, datetime):
                    date_headers = True
                elif isinstance(v, str):
                    styles.update(s for s, rx in (("Mon-yy", r"[A-Z][a-z]{2}-\d{2}"), ("yyyy-mm", r"20\d{2}-\d{2}"),
                                                   ("Bulan yyyy", r"(Januari|Juli) 20\d{2}")) if re.fullmatch(rx, v))
            if "Bulan" in header:
                month = rows[rows.index(header) + 1][header.index("Bulan")]
                long_text |= isinstance(month, str)
                long_date |= isinstance(month, datetime)
            else:
                jumlah |= "JUMLAH" in list(ws.iter_rows(values_only=True))[-1]
        book.close()
    assert styles == {"Mon-yy", "yyyy-mm", "Bulan yyyy"} and date_headers
    assert long_text and long_date and jumlah
    csv_bytes = (RAW / "penjualan" / "2017" / "laporan_omzet_2017_pesisir.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and b",Januari 2017," in csv_bytes


def test_attendance_sheets_describe_events_only_in_titles(truth):
    trainings = truth["trainings"]
    notations = set()
    for rec in trainings.itertuples():
        rows = _sheet(rec.sumber_file, rec.sumber_sheet)
        header = next(i for i, r in enumerate(rows) if r[0] in ("No", "No."))
        title = " ".join(str(v) for r in rows[:header] for v in r if v is not None)
        assert rec.nama_kegiatan.upper() in title.upper()
        assert "Tempat :" in title and "Penyelenggara :" in title
        assert ("Biaya :" in title) == pd.notna(rec.biaya_rp)
        notations.update(n for n, rx in (("s/d", r"\d{1,2} s/d \d{1,2} [A-Z][a-z]+ 20\d\d"),
                                         ("bulan beda", r"\d{1,2} [A-Z][a-z]+ s/d \d{1,2} [A-Z][a-z]+ 20\d\d"),
                                         ("strip", r"\d{1,2} - \d{1,2} [A-Z][a-z]+ 20\d\d"),
                                         ("hari", r"Hari/Tanggal : [A-Z][a-z]+, \d{1,2} [A-Z][a-z]+ 20\d\d"),
                                         ("dd/mm/yyyy", r"\d\d/\d\d/20\d\d"), ("dd-mm-yyyy", r"\d\d-\d\d-20\d\d"),
                                         ("sel", r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d"), ("serial", r": 4\d{4}"))
                         if re.search(rx, title))
    assert notations == {"s/d", "bulan beda", "strip", "hari", "dd/mm/yyyy", "dd-mm-yyyy", "sel", "serial"}
    books = {f for f in trainings["sumber_file"]}
    assert any((trainings["sumber_file"] == f).sum() >= 5 for f in books)
    assert any((trainings["sumber_file"] == f).sum() == 1 for f in books)


def test_readme_lists_every_raw_file():
    readme = (DEMO_DIR / "README.md").read_text(encoding="utf-8")
    for path in sorted(RAW.rglob("*")):
        if path.is_file():
            assert f"`{path.relative_to(RAW).as_posix()}`" in readme, path
