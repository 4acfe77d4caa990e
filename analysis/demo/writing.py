"""Workbooks, CSV files, the truth tables and the README of the demo folder, written byte-identically."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from analysis.core import schemas
from analysis.demo import attendance
from analysis.demo.specs import BOLD, DINAS, EVENTS, FIXED_TIME, MONTHS, REGISTRY_FILES, SALES_FILES, ZIP_TIME
from analysis.demo.values import Grid


def _save_workbook(path: Path, grids: list[Grid]) -> None:
    """Normal mode where merged cells are needed; write-only (fast, low memory) for the big sales sheets."""
    write_only = not any(g.merges for g in grids)
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    wb.properties.creator = DINAS
    wb.properties.created = wb.properties.modified = FIXED_TIME
    for grid in grids:
        ws = wb.create_sheet(grid.name)
        (_fill_write_only if write_only else _fill_normal)(ws, grid)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _normalise_zip(path)


def _fill_normal(ws, grid: Grid) -> None:
    for r, row in enumerate(grid.rows, 1):
        for c, value in enumerate(row, 1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, datetime):
                cell.number_format = grid.date_format
            if r in grid.bold:
                cell.font = BOLD
    for r1, c1, r2, c2 in grid.merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _fill_write_only(ws, grid: Grid) -> None:
    for r, row in enumerate(grid.rows, 1):
        bold = r in grid.bold
        if bold or any(isinstance(v, datetime) for v in row):
            row = [_styled_cell(ws, v, bold, grid.date_format) for v in row]
        ws.append(row)


def _styled_cell(ws, value, bold: bool, date_format: str):
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    if bold:
        cell.font = BOLD
    if isinstance(value, datetime):
        cell.number_format = date_format
    return cell


def _normalise_zip(path: Path) -> None:
    """openpyxl stamps the save time into core.xml and every zip entry; pin both so bytes are reproducible."""
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp,
                                          entries["docProps/core.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])


def _csv_text(value) -> str:
    """Cells as an Indonesian-locale Excel exports them: day-first dates, comma decimals."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")
    return str(value)


def _save_csv(path: Path, grid: Grid, encoding: str, delimiter: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [_csv_text(v) for v in row] for row in grid.rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_files(raw: Path, workbooks: dict[str, list[Grid]], csv_files: dict[str, tuple[str, str]]) -> None:
    for rel in sorted(workbooks):
        if rel in csv_files:
            _save_csv(raw / rel, workbooks[rel][0], *csv_files[rel])
        else:
            _save_workbook(raw / rel, workbooks[rel])


def write_parquet(path: Path, frame: pd.DataFrame, table: type[schemas.Table]) -> None:
    """Contract columns in contract dtypes; the extra sumber_* columns get the same nullable dtypes."""
    frame = table.validate(table.conform(frame.reset_index(drop=True)))
    for name in frame.columns.difference(table.names()):
        frame[name] = frame[name].astype(schemas.INT if name == "sumber_baris" else schemas.STR)
    frame.to_parquet(path, index=False)


def sales_producers(truths: list[dict], unlinked: list[dict]) -> pd.DataFrame:
    """Every UMKM with a sales history; index = row in the sales arrays (registry ones in umkm_id order)."""
    frame = pd.DataFrame(truths + unlinked)
    registered = frame["umkm_id"].notna()
    frame["mulai_paling_awal"] = np.where(registered, 0, 24)  # unlinked UMKM report from January 2017
    frame["selalu_lapor"] = ~registered
    return frame


def sales_truth(sales: pd.DataFrame, producers: pd.DataFrame) -> pd.DataFrame:
    """Wide files hold no volume: there the truth volume and satuan are missing, as the file implies."""
    long_files = [s.path.rpartition(".")[0] for s in SALES_FILES if s.shape == "long"]  # also their parts
    pid = sales["pid"].to_numpy()
    files = sales["sumber_file"].astype(str)
    is_long = {f: f.rpartition(".")[0].split(" - bagian ")[0] in long_files for f in files.unique()}
    in_long = files.map(is_long).to_numpy(dtype=bool)
    frame = pd.DataFrame({
        "umkm_id": producers["umkm_id"].to_numpy()[pid], "bulan": MONTHS[sales["t"].to_numpy()],
        "kategori": producers["kategori"].to_numpy()[pid], "produk": producers["produk_utama"].to_numpy()[pid],
        "nilai_rp": sales["nilai"].to_numpy(float),
        "volume": np.where(in_long, sales["volume"].to_numpy(float), np.nan),
        "satuan": np.where(in_long, producers["satuan"].to_numpy()[pid], None),
        "sumber_file": sales["sumber_file"].to_numpy(), "sumber_baris": sales["sumber_baris"].to_numpy(),
        "sumber_sheet": sales["sumber_sheet"].to_numpy(),
    })
    return frame.iloc[np.lexsort((sales["t"].to_numpy(), pid))]


def planted_sales(sales: pd.DataFrame, producers: pd.DataFrame) -> list[dict]:
    out = []
    for pid in producers.index[producers["umkm_id"].isna()]:
        rows = sales[sales["pid"] == pid]
        out.append({"nama_usaha": producers.at[pid, "nama_usaha"], "nama_pemilik": producers.at[pid, "nama_pemilik"],
                    "kecamatan": producers.at[pid, "kecamatan"], "file": rows["sumber_file"].iloc[0],
                    "sheet": rows["sumber_sheet"].iloc[0], "rows": sorted(int(r) for r in rows["sumber_baris"]),
                    "what": "penjualan UMKM yang tidak ada di registri mana pun",
                    "expected": "baris penjualan disimpan dengan umkm_id kosong"})
    return out


def readme(scale: int, seed: int, counts: dict[str, int]) -> str:
    """DIR/README.md: which raw file exercises which rule, and what the truth files hold."""
    lines = [
        README_MARKER, "",
        f"Generated by `python -m analysis.demo --scale {scale} --seed {seed} --out DIR` "
        "(analysis/demo.py). Do not edit by hand: regenerate. Files are byte-identical for the same seed and scale.",
        "", "## raw/: spreadsheets as the Dinas keeps them", "",
        "### Producer registries (`raw/registri/`)", "", "| file | sheets | what it exercises |", "|---|---|---|",
    ]
    for f in sorted(REGISTRY_FILES, key=lambda f: f.path):
        lines.append(f"| `{f.path}` | {', '.join(repr(s) for s, _ in f.sheets) if not f.csv else '(csv)'} | {f.note} |")
    lines += ["", "### Sales reports (`raw/penjualan/`)", "", "| file | shape | what it exercises |", "|---|---|---|"]
    lines += [f"| `{s.path}` | {s.shape} | {s.note} |" for s in SALES_FILES]
    lines += ["", "### Training attendance (`raw/pelatihan/`)", "",
              "One sheet per event; name, dates, place, organiser and cost appear only in the title rows.", "",
              "| file | event | date notation |", "|---|---|---|"]
    lines += [f"| `{e.workbook}` | {pid} {e.nama} | {e.tanggal} |" for pid, e in zip(attendance.pelatihan_ids(), EVENTS)]
    lines += ["", "## truth/: the right answer", "", *TRUTH_NOTES, "", "## Planted traps", "",
              *(f"- {k}: {v}" for k, v in counts.items()), "", "## What the ingest must know", "", *INGEST_NOTES, "",
              "## target_indikator.csv: example targets", "", TARGETS_NOTE, ""]
    return "\n".join(lines)


TARGETS_NOTE = (
    "Example Renstra / Perjanjian Kinerja targets for the Target & Realisasi page and the PDF laporan "
    "(analysis/demo/targets.py): every source says 'Contoh'. Counts and amounts are multiplied by the scale. The "
    "dashboard shows them until the office saves its own targets (analysis/office/targets.py).")


README_MARKER = "# Demo data of Dasbor UMKM Lampung Selatan (generated)"


TRUTH_NOTES = (
    "- `producers.parquet`: the canonical producers table plus `sumber_sheet`. `sumber_file` / `sumber_sheet` / "
    "`sumber_baris` point at the FIRST occurrence: files in Python string order of their path relative to raw/, "
    "sheets in workbook order, then the 1-based Excel row (for CSV: the 1-based line). Values are what that "
    "occurrence states: a column the file lacks is missing; a checklist blank is missing; a broken NIK is missing; "
    "omzet from a per-bulan column is 12 x the written value.",
    "- `sales.parquet`: canonical sales plus `sumber_sheet`; every row is written exactly once in raw/. umkm_id is "
    "missing for the planted UMKM that are in no registry. volume and satuan exist only for long files.",
    "- `trainings.parquet`: canonical trainings plus `sumber_sheet`. biaya_rp is missing where the sheet states no cost.",
    "- `participants.parquet`: pelatihan_id, umkm_id (missing for outsiders), nama_peserta and nama_usaha as "
    "written, cara_cocok = the strongest key written on the row (nik, else hp, else nama, fuzzy when the name has "
    "a typo, tidak cocok for outsiders), skor_cocok missing, plus sumber_file / sumber_sheet / sumber_baris.",
    "- `effects.json`: planted multiplicative training effects per jenis.",
    "- `planted.json`: every duplicate, near-duplicate, reject, broken NIK, unlinked sales producer and outside "
    "participant with file, sheet, row, what and the expected outcome.",
)


INGEST_NOTES = (
    "- Duplicates carry either the same NIK (names then differ: 'UD ' prefix dropped or 'H.'/'Hj.' added) or the "
    "same nama usaha + pemilik + kecamatan up to case and spacing (then without NIK). The later occurrence never "
    "adds information: merging into the first occurrence reproduces the truth.",
    "- Per-bulan omzet headers: 'Omzet/bln', 'Omzet per Bulan (Rp)', 'Omzet Perbulan'. Per-year: 'Omzet Per Tahun', "
    "'Omset (Rp)'.",
    "- Booleans: 'Ya'/'Tidak', 'Ada'/'Tidak Ada'/'-' ('-' = missing), checklist 'v' (blank = missing).",
    "- Sales rows identify the producer by nama usaha + nama pemilik exactly as in the registry's first occurrence, "
    "now and then upper-cased or with a doubled space, plus kecamatan (column or sheet name) and sometimes NIK.",
    "- Long sales files contain some rows with '-' as omzet for an unreported month: they are not sales.",
    "- Wide month headers: 'Jan-15' (English abbreviations), 'Jan-17' (Indonesian: Mei, Agt, Okt), "
    "'Januari 2016', '2016-01', real date cells. 'Jumlah' is a total column, not a month. JUMLAH rows are totals.",
    "- Attendance dates: '14 s/d 16 Maret 2017', '28 Februari s/d 2 Maret 2017', '14 - 16 Maret 2017', "
    "'14/03/2017 s/d 16/03/2017', '14-03-2017 s/d 16-03-2017', '14 Mar 2017 - 16 Mar 2017', "
    "'Hari/Tanggal : Selasa, 14 Maret 2017', and 'Tanggal' | ':' | date cell or Excel serial | 's/d' | date cell.",
    "- Participants: honorifics ('Ibu', 'Bu', 'Ny.', 'Bapak', 'Bpk.', 'Pak'), upper case, one-letter typos (~5%); "
    "NIK (~60%, number or text) and phone (~70%) are the strongest keys.",
    "- No .xls file is generated (no writer is installed); test .xls reading with a small fixture.",
)


@dataclass(frozen=True)
class Summary:
    producers: int
    sales_rows: int
    trainings: int
    participants: int
    raw_bytes: int
