"""What the Kelola Data page shows about an upload before and after it is applied: per file and sheet
what it was read as and what happened to its rows, how each column was mapped (and the choices for
correcting it), kecamatan names that matched none of the 17, and the version history. Pure functions
over the ingest report and the store's version list; the page only renders them.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import excel, privacy
from analysis.core import formatting as fmt
from analysis.engine import row_count, stored_months
from analysis.ingest import REJECT_NO_KECAMATAN, STATUS_ERROR, IngestResult
from analysis.ingest import layout as lay
from analysis.office.store import MODE_ADD, ORIGIN_ACTIVE, ORIGIN_UPLOAD, Preview, VersionInfo

KIND_LABELS = {
    lay.KIND_PRODUCERS: "Data pelaku UMKM",
    lay.KIND_SALES: "Laporan penjualan",
    lay.KIND_TRAINING: "Daftar hadir pelatihan",
    lay.KIND_UNKNOWN: "Bukan data (tidak dimuat)",
}
IGNORE = ""  # a column mapped to nothing
FIELD_LABELS = {
    IGNORE: "(abaikan kolom ini)",
    "no": "Nomor urut", "tanda_tangan": "Tanda tangan", "keterangan": "Keterangan", "nik": "NIK",
    "nib": "NIB", "pirt": "PIRT", "halal": "Sertifikat halal", "no_hp": "Nomor HP", "jenis_kelamin": "Jenis kelamin",
    "pemasaran_online": "Pemasaran online", "jangkauan_pasar": "Jangkauan pasar", "tahun_mulai": "Tahun mulai / tahun",
    "tenaga_kerja": "Tenaga kerja", "aset_rp": "Aset (Rp)", "volume": "Volume", "satuan": "Satuan",
    "bulan": "Bulan", "agregat": "Jumlah rekap (bukan data per UMKM)", "omzet": "Omzet / penjualan (Rp)",
    "skala": "Skala usaha", "kategori": "Kategori", "produk": "Produk / jenis usaha", "kecamatan": "Kecamatan",
    "desa": "Desa / kelurahan", "alamat": "Alamat", "nama_pemilik": "Nama pemilik / peserta",
    "nama_usaha": "Nama usaha", "nilai_produksi": "Nilai produksi (bukan omzet)",
    "biaya": "Biaya / gaji (tidak dipakai)", "wilayah": "Provinsi / kabupaten (tidak dipakai)",
    "harga": "Harga satuan (nilai = harga x jumlah)",
    "lintang": "Lintang (koordinat)", "bujur": "Bujur (koordinat)",
}
COUNTS = (("rows_read", "Dibaca"), ("rows_kept", "Dipakai"), ("rows_fixed", "Diperbaiki"), ("rows_merged", "Digabung"),
          ("rows_rejected", "Ditolak"), ("rows_skipped", "Dilewati"))
COL_HEADER, COL_FIELD = "Judul kolom", "Dibaca sebagai"
# Lampung keeps Western Indonesia Time; the version history shows when something happened there.
OFFICE_TIMEZONE, OFFICE_TIMEZONE_NAME = "Asia/Jakarta", "WIB"


def sheet_table(result: IngestResult) -> pd.DataFrame:
    """One row per file and sheet: kind, header row, status and message, and the row counts (which
    add up: read = kept + merged + rejected + skipped; fixed is part of kept). Text with Indonesian
    separators in every column: a column of numbers and dashes would not convert for the table."""
    rows = []
    for entry in result.report["files"]:
        row = {
            "Berkas": entry["path"], "Lembar": entry["sheet"] or "–",
            "Jenis": "Gagal dibaca" if entry["status"] == STATUS_ERROR else (
                "Dilewati" if entry["sheet"] is None else KIND_LABELS.get(entry["kind"], entry["kind"])),
            "Baris judul": fmt.number(entry["header_row"]) if entry["header_row"] is not None else "–",
        }
        row.update({label: fmt.number(entry[key]) for key, label in COUNTS})
        row["Keterangan"] = entry["message"] or ""
        rows.append(row)
    return pd.DataFrame(rows, columns=["Berkas", "Lembar", "Jenis", "Baris judul", *(label for _, label in COUNTS), "Keterangan"])


def totals(result: IngestResult) -> dict[str, int]:
    """{label: count} of the whole upload, for the metric cards."""
    report = result.report["totals"]
    return {label: int(report[key]) for key, label in COUNTS}


def balanced_sentence(result: IngestResult) -> str:
    t = result.report["totals"]
    ok = t["rows_read"] == t["rows_kept"] + t["rows_merged"] + t["rows_rejected"] + t["rows_skipped"]
    n = fmt.number
    numbers = (f"{n(t['rows_read'])} dibaca = {n(t['rows_kept'])} dipakai + {n(t['rows_merged'])} digabung + "
               f"{n(t['rows_rejected'])} ditolak + {n(t['rows_skipped'])} dilewati")
    return f"Setiap baris tercatat: {numbers}." if ok and t.get("balanced", True) else f"Perhitungan tidak seimbang: {numbers}."


def loaded_sheets(result: IngestResult) -> list[dict]:
    """Report entries of sheets with a header row (the ones whose mapping can be corrected)."""
    return [e for e in result.report["files"] if e["sheet"] is not None and e.get("signature")]


def sheet_label(entry: dict) -> str:
    return f"{entry['path']} › {entry['sheet']} ({KIND_LABELS.get(entry['kind'], entry['kind'])})"


def mapping_table(entry: dict) -> pd.DataFrame:
    """Every header of a sheet with the field it was read as (IGNORE for none), for the correction
    editor. Month columns of a wide sales sheet read as "bulan"."""
    columns = entry.get("columns") or {}
    headers = [h for h in entry.get("headers") or [] if h]
    return pd.DataFrame({COL_HEADER: headers, COL_FIELD: [columns.get(h, IGNORE) for h in headers]})


def notes_text(entry: dict) -> str:
    """What the ingest decided on its own for a sheet (a column read by its cells rather than its header, a
    money unit, workers added up), as one line a person can check against the table above; "" when none."""
    notes = entry.get("notes") or []
    if not notes:
        return ""
    return "Diputuskan saat membaca (periksa, lalu koreksi di tabel bila keliru): " + "; ".join(notes) + "."


def mapping_edits(before: pd.DataFrame, edits: dict) -> dict[str, str]:
    """The headers whose field a person changed in the editor, {header text: field or IGNORE}, from
    st.data_editor's record of edits ({"edited_rows": {row: {column: value}}})."""
    changed = {}
    for row, values in (edits or {}).get("edited_rows", {}).items():
        if COL_FIELD in values:
            header = before[COL_HEADER].iloc[int(row)]
            value = values[COL_FIELD] or IGNORE
            if value != before[COL_FIELD].iloc[int(row)]:
                changed[header] = value
    return changed


def reasons_table(result: IngestResult) -> pd.DataFrame:
    """Why rows were rejected, skipped or merged, and what was fixed, over the whole upload."""
    counts: dict[tuple[str, str], int] = {}
    for entry in result.report["files"]:
        for reason, n in (entry.get("reasons") or {}).items():
            key = ("Ditolak / dilewati / digabung", reason)
            counts[key] = counts.get(key, 0) + int(n)
        for fix, n in (entry.get("fixes") or {}).items():
            key = ("Diperbaiki / dicatat", fix.replace("_", " "))
            counts[key] = counts.get(key, 0) + int(n)
    frame = pd.DataFrame([(k[0], k[1], n) for k, n in counts.items()], columns=["Jenis", "Alasan", "Baris / sel"])
    frame = frame.sort_values(["Jenis", "Baris / sel"], ascending=[True, False], kind="stable").reset_index(drop=True)
    return frame.assign(**{"Baris / sel": [fmt.number(n) for n in frame["Baris / sel"]]})


def unmatched_kecamatan(result: IngestResult) -> pd.DataFrame:
    """Rejections for a kecamatan that matched none of the region's (a typo too far, another region, or no
    kecamatan anywhere), with how many rows each: these are fixed at the source or in the reference."""
    rejected = result.rejected
    if rejected.empty:
        return pd.DataFrame(columns=["Alasan", "Baris"])
    reason = rejected["alasan"].astype(str)
    chosen = reason[reason.str.contains("kecamatan", case=False) | reason.str.contains("di luar wilayah")
                    | reason.eq(REJECT_NO_KECAMATAN)]
    counts = chosen.value_counts()
    return pd.DataFrame({"Alasan": counts.index.astype(str), "Baris": [fmt.number(n) for n in counts.to_numpy()]})


# The Kelola Data download says in words what the command line's rejected.xlsx names with its column keys.
_REJECTED_SHEETS = {"Ditolak dan dilewati": "rejected", "Masalah sel": "cell_problems",
                    "Duplikat mirip": "near_duplicates"}
_REJECTED_HEADERS = {
    "berkas": "Berkas", "lembar": "Lembar", "baris": "Baris", "status": "Status", "alasan": "Alasan",
    "nilai_asli": "Nilai asli", "kolom": "Kolom", "nilai": "Nilai", "masalah": "Masalah", "kecamatan": "Kecamatan",
    "umkm_id_a": "ID UMKM A", "nama_usaha_a": "Nama usaha A", "nama_pemilik_a": "Pemilik A",
    "umkm_id_b": "ID UMKM B", "nama_usaha_b": "Nama usaha B", "nama_pemilik_b": "Pemilik B", "skor": "Kemiripan",
}


def near_duplicates_table(result: IngestResult) -> pd.DataFrame:
    """The near-duplicate pairs for the screen, with Indonesian column names (the caller masks them)."""
    frame = result.near_duplicates.rename(columns=lambda c: _REJECTED_HEADERS.get(str(c), str(c)))
    if "Kemiripan" in frame:
        frame["Kemiripan"] = [fmt.number(v, 0) for v in frame["Kemiripan"]]
    return frame


def rejected_workbook(result: IngestResult, *, show_personal: bool) -> bytes:
    """The rejected and skipped rows, the cell problems and the near duplicates of the preview, in memory
    (what the ingest writes to rejected.xlsx, with Indonesian sheet and column names), with NIK and phone
    numbers inside the quoted cells masked unless ``show_personal``."""
    return excel.workbook_bytes({
        sheet: privacy.mask_frame(getattr(result, frame), show_personal=show_personal)
        .rename(columns=lambda c: _REJECTED_HEADERS.get(str(c), str(c).replace("_", " ").capitalize()))
        for sheet, frame in _REJECTED_SHEETS.items()
    })


def version_label(version: str, created: str | None = None) -> str:
    """"28 Nov 2026 10.15 WIB", when a version was applied, in the office's time (the id holds it in UTC)."""
    stamp = created or version.split("-")[0]
    try:
        when = pd.Timestamp(stamp)
        when = (when.tz_localize("UTC") if when.tzinfo is None else when).tz_convert(OFFICE_TIMEZONE)
    except ValueError:
        return version
    return f"{when.day} {fmt.month_label(when).split()[0][:3]} {when.year} {when:%H.%M} {OFFICE_TIMEZONE_NAME}"


def versions_table(versions: list[VersionInfo]) -> pd.DataFrame:
    """The history of applied versions, newest first, with what each holds."""
    rows = [{
        "Aktif": "✓" if v.active else "",
        "Diterapkan": version_label(v.id, v.created),
        "Oleh": v.user,
        "Cara": "ditambahkan" if v.mode == MODE_ADD else "mengganti",
        "Berkas": fmt.number(v.files),
        "UMKM": fmt.number(v.totals.get("producers", 0)),
        "Baris penjualan": fmt.number(v.totals.get("sales_rows", 0)),
        "Pelatihan": fmt.number(v.totals.get("trainings", 0)),
        "Baris ditolak": fmt.number(v.totals.get("rows_rejected", 0)),
    } for v in versions]
    return pd.DataFrame(rows, columns=["Aktif", "Diterapkan", "Oleh", "Cara", "Berkas", "UMKM", "Baris penjualan",
                                       "Pelatihan", "Baris ditolak"])


# ---------------------------------------------------------------------------------------------- before / after

@dataclass(frozen=True)
class DataSummary:
    """What one body of data holds, as a person compares two: the active data and the preview."""

    label: str
    producers: int
    sales_rows: int
    trainings: int
    participants: int
    first_month: pd.Timestamp | None
    last_month: pd.Timestamp | None

    @classmethod
    def of(cls, label: str, result: IngestResult | None, months: list | None = None) -> DataSummary:
        """``months``: the months with sales, when the caller has them (the dashboard's result holds its
        sales on disk: ``analysis.engine.without_rows``)."""
        if result is None:
            return cls(label, 0, 0, 0, 0, None, None)
        if months is None and len(result.sales):
            months = list(pd.to_datetime(result.sales["bulan"]).dropna())
        elif months is None and row_count(result.sales) and result.folder is not None:  # the rows are in its file
            months = stored_months(result.folder)
        return cls(label, len(result.producers), row_count(result.sales), len(result.trainings),
                   len(result.participants), min(months) if months else None, max(months) if months else None)

    def period(self) -> str:
        return fmt.period_label(self.first_month, self.last_month) if self.first_month is not None else "tidak ada"


def change_table(before: DataSummary, after: DataSummary) -> pd.DataFrame:
    """The active data now and what it will hold once the preview is applied, side by side."""
    return pd.DataFrame({
        "": ["UMKM", "Baris penjualan", "Pelatihan", "Peserta pelatihan", "Periode penjualan"],
        f"Sekarang: {before.label}": [fmt.number(before.producers), fmt.number(before.sales_rows),
                                      fmt.number(before.trainings), fmt.number(before.participants), before.period()],
        "Sesudah diterapkan": [fmt.number(after.producers), fmt.number(after.sales_rows), fmt.number(after.trainings),
                               fmt.number(after.participants), after.period()],
    })


def change_notes(preview: Preview, before: DataSummary, after: DataSummary) -> list[str]:
    """What applying replaces, in sentences, with a warning where the new data holds much less."""
    active_files = [f for f in preview.files if f.origin == ORIGIN_ACTIVE]
    new_files = [f for f in preview.files if f.origin == ORIGIN_UPLOAD and f.used]
    notes = []
    if preview.base_version is None:
        notes.append(f"Belum ada data kantor yang diterapkan: yang tampil sekarang adalah {before.label.lower()}, dan "
                     f"data itu tidak ikut. Sesudah diterapkan, dasbor hanya berisi {fmt.number(len(new_files))} "
                     "berkas yang diunggah ini.")
    elif preview.mode == MODE_ADD:
        notes.append(f"Berkas yang diunggah ditambahkan ke data aktif ({fmt.number(len(active_files))} berkas tetap "
                     "dipakai); berkas bernama sama diganti.")
    else:
        notes.append(f"Seluruh data aktif ({before.label}) diganti oleh {fmt.number(len(new_files))} berkas yang "
                     "diunggah ini.")
    if after.sales_rows == 0:
        notes.append("Sesudah diterapkan tidak ada data penjualan: Tren Kategori, Dampak Pelatihan, dan Prioritas "
                     "Anggaran akan kosong.")
    if after.producers == 0:
        notes.append("Sesudah diterapkan tidak ada data pelaku UMKM: indikator, peta, dan daftar UMKM akan kosong.")
    elif before.producers and after.producers < before.producers / 2:
        notes.append(f"Jumlah UMKM turun dari {fmt.number(before.producers)} menjadi {fmt.number(after.producers)}.")
    return notes


def files_table(files) -> pd.DataFrame:
    """The files of a preview: name, where it comes from, size and why a new file was left out."""
    return pd.DataFrame([{"Berkas": f.name, "Asal": f.origin, "Ukuran": f"{fmt.number(f.size / 1024, 1)} KB",
                          "Catatan": f.note or "dibaca"} for f in files],
                        columns=["Berkas", "Asal", "Ukuran", "Catatan"])
