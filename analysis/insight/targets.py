"""Indicator targets (Renstra, RPJMD, Perjanjian Kinerja) against realisasi: the table a planner edits,
checked row by row, and the capaian of every target the way LKjIP reports it.

The targets table has one row per indicator and year: ``indikator`` (a key or a label of the catalogue in
analysis.insight.indicators), ``tahun``, ``target`` in the unit the page shows (percent for shares and
growth: 40 means 40%; rupiah; counts), ``sumber`` (the document that set it) and ``arah`` (naik: higher is
better; turun: lower is better; empty: the catalogue's). ``parse`` checks every row at once and names
each problem with its row, in Indonesian; a table with any problem is refused whole, so the last good
table stays in force.

Capaian (LKjIP): for "higher is better" realisasi ÷ target × 100%; for "lower is better"
(target − (realisasi − target)) ÷ target × 100% = (2 − realisasi ÷ target) × 100%. Status: tercapai from
100%, hampir tercapai from 90% to under 100%, belum tercapai under 90%.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.insight import indicators as ind
from analysis.insight import yearly

# Columns of the targets table (the CSV and the editor), in order.
INDIKATOR, TAHUN, TARGET, SUMBER, ARAH = "indikator", "tahun", "target", "sumber", "arah"
COLUMNS = (INDIKATOR, TAHUN, TARGET, SUMBER, ARAH)
REQUIRED = (INDIKATOR, TAHUN, TARGET)
SOURCES = ("Renstra", "RPJMD", "PK", "RKPD", "Renja")  # suggestions; any text is accepted
MIN_YEAR = 2000
MAX_YEARS_AHEAD = 10  # an RPJMD runs five years; a target further than ten years out is a typo
MAX_SOURCE = 200

# Columns of the achievement frame.
CAPAIAN, STATUS, LABEL, KIND = "capaian", "status", "label", "jenis_nilai"

TERCAPAI, HAMPIR, BELUM = "Tercapai", "Hampir tercapai", "Belum tercapai"
NO_DATA, NOT_COMPARED = "Belum ada data", "Tidak dibandingkan"
PROVISIONAL = " (sementara)"
THRESHOLD_MET, THRESHOLD_NEAR = 100.0, 90.0
STATUS_NOTE = (f"Status: {TERCAPAI.lower()} bila capaian ≥ 100%, {HAMPIR.lower()} bila 90% sampai di bawah 100%, "
               f"{BELUM.lower()} bila di bawah 90%.")
METHOD = (
    "Capaian dihitung dengan rumus yang lazim dalam LKjIP pemerintah daerah (Bab III, pengukuran capaian "
    "kinerja): untuk indikator yang makin tinggi makin baik, capaian = realisasi ÷ target × 100%; untuk indikator "
    "yang makin rendah makin baik, capaian = (target − (realisasi − target)) ÷ target × 100%, yaitu "
    "(2 − realisasi ÷ target) × 100%; rumus yang sama tertulis sebagai (1 + (1 − realisasi ÷ target)) × 100% "
    "untuk indikator \"kondisi khusus\" di lampiran PermenPANRB No. 8 Tahun 2021 tentang Sistem Manajemen "
    "Kinerja PNS. Capaian tidak dihitung bila target 0 atau realisasi belum ada. " + STATUS_NOTE
)
COMPARED_NOTE = ("Target ditetapkan untuk seluruh kabupaten: dengan filter kecamatan, kategori atau skala, capaian "
                 "indikator jumlah dan nilai tidak dihitung (sebagian UMKM tidak sebanding dengan target kabupaten).")

# Indonesian headers of the tables shown and exported.
COL_INDIKATOR, COL_TAHUN, COL_TARGET, COL_REALISASI = "Indikator", "Tahun", "Target", "Realisasi"
COL_CAPAIAN, COL_STATUS, COL_SUMBER, COL_ARAH, COL_CATATAN = "Capaian", "Status", "Sumber target", "Arah", "Catatan"
ARAH_LABELS = {ind.NAIK: "makin tinggi makin baik", ind.TURUN: "makin rendah makin baik"}


class TargetError(ValueError):
    """The targets table was refused; ``problems`` lists every row's problem in Indonesian."""

    def __init__(self, problems: list[str]):
        super().__init__("Tabel target tidak disimpan:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Parsed:
    table: pd.DataFrame  # COLUMNS: indikator as a key, tahun int, target float (page unit), sumber, arah
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def empty() -> pd.DataFrame:
    return pd.DataFrame({INDIKATOR: pd.Series(dtype="string"), TAHUN: pd.Series(dtype="Int64"),
                         TARGET: pd.Series(dtype=float), SUMBER: pd.Series(dtype="string"),
                         ARAH: pd.Series(dtype="string")})


def max_year(today: date | None = None) -> int:
    return (today or date.today()).year + MAX_YEARS_AHEAD


def percent_unit(key: str) -> bool:
    """Whether the target of this indicator is written in percent (40 = 40%)."""
    return ind.INDICATORS[key].kind in (ind.SHARE, ind.GROWTH)


def unit_text(key: str) -> str:
    kind = ind.INDICATORS[key].kind
    return {ind.SHARE: "persen", ind.GROWTH: "persen", ind.RUPIAH: "rupiah", ind.RATE: "per 1.000 penduduk"}.get(
        kind, "jumlah")


def _lookup() -> dict[str, str]:
    """Catalogue keys and labels, folded (case, accents and spacing aside), to keys."""
    names = {}
    for key, indicator in ind.INDICATORS.items():
        names[ref.fold(key)] = key
        names[ref.fold(indicator.label)] = key
    return names


_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.250.000 or 1.250,5: dots group thousands


def parse_number(value) -> float | None:
    """A number typed the Indonesian way: ``1.250.000``, ``40,5``, ``40%``, ``Rp 500.000``; plain numbers
    (``40.5``, ``1250``) too. None when the text is not a number."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("\u00a0", " ")
    text = re.sub(r"(?i)^rp\.?\s*", "", text).removesuffix("%").strip().replace(" ", "")
    if not text:
        return None
    if _GROUPED.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or not str(value).strip()


def parse(frame: pd.DataFrame, *, today: date | None = None) -> Parsed:
    """Check every row of a targets table (from the CSV or the editor) and return it normalised, with
    every problem found (all at once, each naming its row as the page numbers them: 1 = first row).
    Blank rows are dropped."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        return Parsed(empty(), [f"Kolom {', '.join(missing)} tidak ada (kolom yang diperlukan: "
                                f"{', '.join(COLUMNS)})."])
    names, last_year = _lookup(), max_year(today)
    rows, problems, seen = [], [], {}
    for number, record in enumerate(frame.to_dict("records"), start=1):
        cells = [record.get(c) for c in COLUMNS]
        if all(_blank(v) for v in cells):
            continue
        where = f"Baris {number}"
        raw_key, raw_year, raw_target = record.get(INDIKATOR), record.get(TAHUN), record.get(TARGET)
        key = None if _blank(raw_key) else names.get(ref.fold(str(raw_key)))
        if _blank(raw_key):
            problems.append(f"{where}: indikator kosong.")
        elif key is None:
            problems.append(f"{where}: indikator '{str(raw_key).strip()}' tidak dikenal; pakai kunci atau nama "
                            "indikator dari katalog (mis. jumlah_umkm, porsi_nib, umkm_dilatih).")
        year = parse_number(raw_year)
        if _blank(raw_year):
            problems.append(f"{where}: tahun kosong.")
        elif year is None or year != int(year):
            problems.append(f"{where}: tahun '{str(raw_year).strip()}' bukan angka tahun (contoh: 2025).")
            year = None
        elif not MIN_YEAR <= year <= last_year:
            problems.append(f"{where}: tahun {int(year)} di luar rentang {MIN_YEAR}–{last_year}.")
            year = None
        target = parse_number(raw_target)
        if _blank(raw_target):
            problems.append(f"{where}: target kosong.")
        elif target is None:
            problems.append(f"{where}: target '{str(raw_target).strip()}' bukan angka (contoh: 1.250 atau 40,5).")
        elif key is not None:
            problem = _target_problem(key, target)
            if problem:
                problems.append(f"{where}: {problem}.")
                target = None
        arah = "" if _blank(record.get(ARAH)) else ref.fold(str(record.get(ARAH)))
        if arah and arah not in ind.DIRECTIONS:
            problems.append(f"{where}: arah '{str(record.get(ARAH)).strip()}' harus 'naik' atau 'turun' (atau kosong: "
                            "arah dari katalog).")
        source = "" if _blank(record.get(SUMBER)) else str(record.get(SUMBER)).strip()
        if len(source) > MAX_SOURCE:
            problems.append(f"{where}: sumber lebih dari {MAX_SOURCE} huruf.")
        if key is not None and year is not None:
            earlier = seen.get((key, int(year)))
            if earlier is not None:
                problems.append(f"{where}: {ind.INDICATORS[key].label} tahun {int(year)} sudah ada di baris {earlier}.")
            else:
                seen[(key, int(year))] = number
        if key is not None and year is not None and target is not None:
            rows.append({INDIKATOR: key, TAHUN: int(year), TARGET: float(target), SUMBER: source, ARAH: arah})
    if problems:
        return Parsed(empty(), problems)
    table = pd.DataFrame(rows, columns=list(COLUMNS)) if rows else empty()
    table = table.astype({INDIKATOR: "string", TAHUN: "Int64", TARGET: float, SUMBER: "string", ARAH: "string"})
    return Parsed(table.sort_values([INDIKATOR, TAHUN], kind="stable").reset_index(drop=True), [])


def _target_problem(key: str, target: float) -> str | None:
    kind = ind.INDICATORS[key].kind
    if kind != ind.GROWTH and target < 0:
        return f"target {_editor_number(target)} negatif; {ind.INDICATORS[key].label} tidak dapat negatif"
    if kind == ind.SHARE and target > 100:
        return f"target {_editor_number(target)} lebih dari 100 (target porsi ditulis dalam persen, 40 = 40%)"
    return None


def csv_text(table: pd.DataFrame) -> str:
    """The table as the CSV file holds it: comma-separated, numbers written the Indonesian way without
    thousands dots ("1250", "40,5"), so ``parse`` reads back exactly what was written and a planner who
    opens the file reads the numbers as the page shows them."""
    frame = table.reindex(columns=list(COLUMNS)).copy()
    frame[TAHUN] = [str(int(y)) if not pd.isna(y) else "" for y in frame[TAHUN]]
    frame[TARGET] = [_plain(v) for v in frame[TARGET]]
    frame = frame.astype(object).where(frame.notna(), "")
    return frame.to_csv(index=False, lineterminator="\n")


def _plain(value) -> str:
    number = parse_number(value)
    if number is None:
        return "" if _blank(value) else str(value)
    if number == int(number):
        return str(int(number))
    return repr(number).replace(".", ",")


def direction(key: str, override: str | None) -> str:
    return override if override in ind.DIRECTIONS else ind.INDICATORS[key].direction


def capaian(realisasi: float | None, target: float | None, arah: str) -> float:
    """Percent of target reached (LKjIP): realisasi ÷ target × 100 for naik, (2 − realisasi ÷ target) × 100
    for turun; NaN when the target is 0 or either value is missing."""
    if realisasi is None or target is None or pd.isna(realisasi) or pd.isna(target) or target == 0:
        return float("nan")
    ratio = float(realisasi) / float(target)
    return ratio * 100.0 if arah == ind.NAIK else (2.0 - ratio) * 100.0


def status(value: float) -> str:
    if value is None or pd.isna(value):
        return NO_DATA
    if value >= THRESHOLD_MET:
        return TERCAPAI
    if value >= THRESHOLD_NEAR:
        return HAMPIR
    return BELUM


ADDITIVE = (ind.COUNT, ind.SUM, ind.RUPIAH)  # grow with the number of UMKM: a part is not comparable with the whole


def achievement(targets: pd.DataFrame, realised: pd.DataFrame, *, part_of_region: bool = False) -> pd.DataFrame:
    """Every target with its realisasi, capaian and status (one row per indikator and tahun of the
    targets), in catalogue order. ``realised``: analysis.insight.yearly.realisation. ``part_of_region``:
    the filters select part of the UMKM, so counts and amounts are not compared with kabupaten targets.

    Targets of shares and growth are in percent in the table; here they are turned into the catalogue's
    unit (0–1) so target and realisasi share one scale."""
    values = realised.set_index([yearly.INDIKATOR, yearly.TAHUN])
    order = {key: n for n, key in enumerate(ind.INDICATORS)}
    rows = []
    for record in targets.to_dict("records"):
        key, year = str(record[INDIKATOR]), int(record[TAHUN])
        indicator = ind.INDICATORS[key]
        target = float(record[TARGET]) / (100.0 if percent_unit(key) else 1.0)
        found = values.loc[(key, year)] if (key, year) in values.index else None
        value = float(found[yearly.REALISASI]) if found is not None else float("nan")
        note = str(found[yearly.CATATAN]) if found is not None else "belum ada data untuk tahun ini"
        arah = direction(key, record.get(ARAH) or None)
        reached = capaian(value, target, arah)
        state = status(reached)
        if part_of_region and indicator.kind in ADDITIVE and not pd.isna(value):
            reached, state = float("nan"), NOT_COMPARED
        elif not pd.isna(reached) and note.startswith("sebagian tahun"):
            state += PROVISIONAL
        if target == 0 and not pd.isna(value):
            note = "; ".join(n for n in (note, "target 0: capaian tidak dapat dihitung") if n)
        rows.append({INDIKATOR: key, LABEL: indicator.label, KIND: indicator.kind, TAHUN: year, TARGET: target,
                     yearly.REALISASI: value, CAPAIAN: reached, STATUS: state, SUMBER: record.get(SUMBER) or "",
                     ARAH: arah, yearly.DASAR: found[yearly.DASAR] if found is not None else pd.NA,
                     yearly.CATATAN: note, "_order": order[key]})
    columns = [INDIKATOR, LABEL, KIND, TAHUN, TARGET, yearly.REALISASI, CAPAIAN, STATUS, SUMBER, ARAH,
               yearly.DASAR, yearly.CATATAN]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows).sort_values(["_order", TAHUN], kind="stable").drop(columns="_order")
    return frame[columns].reset_index(drop=True)


def keys(achieved: pd.DataFrame) -> list[str]:
    """The indicators that have a target, in catalogue order (one chart each)."""
    return list(dict.fromkeys(achieved[INDIKATOR].astype(str))) if len(achieved) else []


def years(achieved: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in achieved[TAHUN]}) if len(achieved) else []


def default_year(achieved: pd.DataFrame) -> int | None:
    """The year a report looks at first: the latest year with both a target and a realisasi, else the
    latest year with a target."""
    known = achieved[achieved[yearly.REALISASI].notna()] if len(achieved) else achieved
    if len(known):
        return int(known[TAHUN].max())
    return int(achieved[TAHUN].max()) if len(achieved) else None


def display(achieved: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The achievement rows of ``year`` (all years when None) with Indonesian headers and formatted values:
    what the page, the PDF and their tests show."""
    rows = achieved if year is None else achieved[achieved[TAHUN] == year]
    table = pd.DataFrame({
        COL_INDIKATOR: rows[LABEL].astype(str),
        COL_TARGET: [fmt.indicator_value(k, v) for k, v in zip(rows[KIND], rows[TARGET])],
        COL_REALISASI: [fmt.indicator_value(k, v) for k, v in zip(rows[KIND], rows[yearly.REALISASI])],
        COL_CAPAIAN: [capaian_text(v) for v in rows[CAPAIAN]],
        COL_STATUS: rows[STATUS].astype(str),
        COL_SUMBER: [s or fmt.MISSING for s in rows[SUMBER]],
        COL_CATATAN: [n or "" for n in rows[yearly.CATATAN]],
    })
    if year is None:
        table.insert(1, COL_TAHUN, rows[TAHUN].astype(int).astype(str).to_numpy())
    return table.reset_index(drop=True)


def capaian_text(value) -> str:
    return fmt.MISSING if value is None or pd.isna(value) else f"{fmt.number(value, 1)}%"


def editor_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The targets as the page's editor shows them: every cell text, so a planner can type "40,5" or
    "1.250.000" the Indonesian way (a number column would refuse the comma)."""
    frame = table.reindex(columns=list(COLUMNS))
    return pd.DataFrame({
        INDIKATOR: frame[INDIKATOR].astype("string"),
        TAHUN: [str(int(y)) if not pd.isna(y) else None for y in frame[TAHUN]],
        TARGET: [_editor_number(v) for v in frame[TARGET]],
        SUMBER: frame[SUMBER].astype("string"),
        ARAH: frame[ARAH].astype("string"),
    }).astype("string")


def apply_edits(frame: pd.DataFrame, state: Mapping | None) -> pd.DataFrame:
    """The editor's table after the changes st.data_editor keeps in its state: ``edited_rows`` {position:
    {column: value}}, ``added_rows`` [{column: value}], ``deleted_rows`` [position]. The page applies them in
    the save button's callback, which runs before anything else in the script can rerun it."""
    state = state or {}
    rows = frame.reset_index(drop=True).astype(object).to_dict("records")
    for position, changes in (state.get("edited_rows") or {}).items():
        if 0 <= int(position) < len(rows):
            rows[int(position)].update({k: v for k, v in changes.items() if k in frame.columns})
    deleted = {int(p) for p in state.get("deleted_rows") or []}
    rows = [row for position, row in enumerate(rows) if position not in deleted]
    rows += [{c: added.get(c) for c in frame.columns} for added in state.get("added_rows") or []]
    return pd.DataFrame(rows, columns=list(frame.columns))


def _editor_number(value) -> str | None:
    if value is None or pd.isna(value):
        return None
    numeric = float(value)
    if numeric == int(numeric):
        return fmt.number(numeric)
    return fmt.number(numeric, 2).rstrip("0").rstrip(",")


def series(achieved: pd.DataFrame, key: str) -> pd.DataFrame:
    """One indicator over the years (tahun, target, realisasi in the catalogue's unit): the chart data."""
    rows = achieved[achieved[INDIKATOR] == key].sort_values(TAHUN)
    return pd.DataFrame({TAHUN: rows[TAHUN].astype(int).to_numpy(), TARGET: rows[TARGET].to_numpy(dtype=float),
                         yearly.REALISASI: rows[yearly.REALISASI].to_numpy(dtype=float)})


def status_counts(achieved: pd.DataFrame, year: int) -> Mapping[str, int]:
    """How many targets of ``year`` are met, nearly met, not met, or without data (for a summary line)."""
    states = achieved.loc[achieved[TAHUN] == year, STATUS].astype(str).str.replace(PROVISIONAL, "", regex=False)
    return {name: int((states == name).sum()) for name in (TERCAPAI, HAMPIR, BELUM, NO_DATA, NOT_COMPARED)}


def summary_line(achieved: pd.DataFrame, year: int) -> str:
    counts = status_counts(achieved, year)
    total = sum(counts.values())
    parts = [f"{fmt.number(n)} {name.lower()}" for name, n in counts.items() if n]
    return f"Tahun {year}: {fmt.number(total)} target — " + ", ".join(parts) + "." if total else \
        f"Tahun {year}: belum ada target."
