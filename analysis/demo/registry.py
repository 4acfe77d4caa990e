"""Registry workbooks per kecamatan, with the same UMKM in two registries, rejects and a recap sheet."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core import reference as ref
from analysis.demo import population, values
from analysis.demo.specs import (
    BOOL_FIELDS,
    BOOL_STYLES,
    BROKEN_NIK_SHARE,
    CAFE,
    DATA_YEAR,
    DUPLICATE_SHARE,
    GENDER_STYLES,
    KEC_SPELLING_RATE,
    KEC_SPELLINGS,
    PESISIR_DUPLICATE_SHARE,
    PREFIXES_TO_DROP,
    REGISTRY_FILES,
    REJECTS,
    RegistryFile,
    RegistryLayout,
)
from analysis.demo.values import Grid, Used


@dataclass(frozen=True)
class SheetRef:
    file: RegistryFile
    position: int
    name: str
    kecamatan: str

    @property
    def order(self) -> tuple[str, int]:
        """Files sorted by relative path (Python str order), then sheets in workbook order."""
        return (self.file.path, self.position)

    @property
    def has_kecamatan_column(self) -> bool:
        return any(f == "kecamatan" for f, _ in self.file.layout.columns)


@dataclass
class Entry:
    record: dict  # the values as this occurrence writes them
    producer: int | None = None  # None: a planted reject
    row: int = 0  # Excel row once rendered


def _sheets() -> list[SheetRef]:
    return sorted((SheetRef(f, i, name, kec) for f in REGISTRY_FILES for i, (name, kec) in enumerate(f.sheets)),
                  key=lambda s: s.order)


def _implied(p: dict, layout: RegistryLayout) -> dict:
    """The truth is what the first occurrence states: a missing column or a checklist blank is missing."""
    truth = dict(p)
    present = {f for f, _ in layout.columns}
    for name in ("nik", "jenis_kelamin", "no_hp", "desa", "tahun_mulai", "tenaga_kerja", "aset_rp",
                 "omzet_tahunan_rp", "jangkauan_pasar", *BOOL_FIELDS):
        if name not in present:
            truth[name] = None
    for name in BOOL_FIELDS:
        if BOOL_STYLES[layout.bools][1] is None and truth[name] is False:
            truth[name] = None
    truth["skala"] = values.skala(truth["omzet_tahunan_rp"], truth["aset_rp"])
    return truth


def _nearest_hosts(sheets: list[SheetRef]) -> dict[str, list[SheetRef]]:
    """Sheets with a kecamatan column, nearest first, per kecamatan: where a neighbour lists the UMKM again."""
    seats = ref.kecamatan().set_index("kecamatan")[["ibukota_lat", "ibukota_lon"]]
    hosts = [s for s in sheets if s.has_kecamatan_column]
    out = {}
    for kec in ref.kecamatan_names():
        here = seats.loc[kec].to_numpy()
        out[kec] = sorted(hosts, key=lambda s: (float(np.hypot(*(seats.loc[s.kecamatan].to_numpy() - here))),
                                                 s.order))
    return out


def _respell(rng: np.random.Generator, text: str) -> str:
    """Same name after normalisation: other case or spacing only."""
    return values.pick(rng, (text.upper(), text.lower(), text.replace(" ", "  ", 1), text + " ", text.title()))


def _alias(p: dict, used: Used) -> tuple[str, str]:
    """A different-looking name for the same NIK: a dropped 'UD '-style prefix or a Haji title."""
    usaha, owner = p["nama_usaha"], p["nama_pemilik"]
    prefix = next((x for x in PREFIXES_TO_DROP if usaha.startswith(x)), None)
    if prefix and values.key(usaha[len(prefix):], owner) not in used.keys:
        return usaha[len(prefix):], owner
    return usaha, ("Hj. " if p["jenis_kelamin"] == "P" else "H. ") + owner


def _second_occurrence(rng: np.random.Generator, truth: dict, kind: str, used: Used) -> dict:
    """A duplicate row: the same UMKM typed again, with some fields left out and never new information."""
    rec = dict(truth)
    if kind == "nama":
        rec["nama_usaha"], rec["nama_pemilik"] = _respell(rng, truth["nama_usaha"]), truth["nama_pemilik"]
        if rng.random() < 0.4:
            rec["nama_pemilik"] = _respell(rng, truth["nama_pemilik"])
        rec["nik"] = None
    else:
        rec["nama_usaha"], rec["nama_pemilik"] = _alias(truth, used)
    for name, share in (("no_hp", 0.4), ("aset_rp", 0.3), ("tahun_mulai", 0.2), ("jangkauan_pasar", 0.3)):
        if rng.random() < share:
            rec[name] = None
    return rec


def _kecamatan_text(rng: np.random.Generator, kecamatan: str, rate: float = KEC_SPELLING_RATE) -> str:
    spellings = KEC_SPELLINGS.get(kecamatan)
    return values.pick(rng, spellings) if spellings and rng.random() < rate else kecamatan


@dataclass
class Registries:
    truths: list[dict]  # canonical producers, sorted by umkm_id, with umkm_id and sumber_*
    workbooks: dict[str, list[Grid]]
    planted: dict[str, list]


def build_registries(rng: np.random.Generator, producers: list[dict], near: list[tuple], used: Used) -> Registries:
    """Place every producer in its home sheet (and ~3% in a second one), plant traps, render, assign ids."""
    sheets = _sheets()
    home = {s.kecamatan: s for s in sheets if s.name not in s.file.duplicates_only}
    pesisir_kalianda = next(s for s in sheets if s.name in s.file.duplicates_only)
    hosts = _nearest_hosts(sheets)
    near_members = {i for a, b, _ in near for i in (a, b)}

    # Duplicates: a quarter are Kalianda UMKM in the Pesisir workbook, the rest in a neighbour's registry.
    n_dup = round(DUPLICATE_SHARE * len(producers))
    free = [i for i in range(len(producers)) if i not in near_members and producers[i]["nama_usaha"] != CAFE[0]]
    kalianda = [i for i in free if producers[i]["kecamatan"] == "Kalianda"]
    n_pk = round(n_dup * PESISIR_DUPLICATE_SHARE)
    dup_hosts: dict[int, SheetRef] = {int(i): pesisir_kalianda for i in rng.choice(kalianda, n_pk, replace=False)}
    rest = [i for i in free if i not in dup_hosts]
    for i in rng.choice(rest, n_dup - n_pk, replace=False):
        options = [s for s in hosts[producers[i]["kecamatan"]] if s is not home[producers[i]["kecamatan"]]][:2]
        dup_hosts[int(i)] = values.pick(rng, options)
    dup_kind = {i: "nik" if producers[i]["nik"] and rng.random() < 0.5 else "nama" for i in sorted(dup_hosts)}

    # Broken NIKs: only where NIKs are number cells, which is how "1.80104E+15" happens.
    breakable = [i for i in free if i not in dup_hosts and producers[i]["nik"]
                 and home[producers[i]["kecamatan"]].file.layout.nik in ("angka", "campur")
                 and home[producers[i]["kecamatan"]].file.csv is None]
    broken = {int(i) for i in rng.choice(breakable, max(5, round(BROKEN_NIK_SHARE * len(producers))), replace=False)}

    entries: dict[SheetRef, list[Entry]] = {s: [] for s in sheets}
    first: dict[int, SheetRef] = {}
    truths = []
    for i, p in enumerate(producers):
        places = [home[p["kecamatan"]]] + ([dup_hosts[i]] if i in dup_hosts else [])
        first[i] = min(places, key=lambda s: s.order)
        truth = _implied(p, first[i].file.layout)
        if i in broken:
            truth["nik"] = None
        truths.append(truth)
        for sheet in places:
            if sheet is first[i]:
                rec = dict(truth, nik_text=f"{int(p['nik']):.5E}" if i in broken else None)
                rate = KEC_SPELLING_RATE
            else:
                rec, rate = _second_occurrence(rng, truth, dup_kind[i], used), 0.4
            rec["kecamatan_text"] = _kecamatan_text(rng, p["kecamatan"], rate)
            entries[sheet].append(Entry(rec, i))

    rejects = []
    by_path = {s.file.path: s for s in sheets}
    for path, kecamatan_text, reason, what in REJECTS:
        sheet = by_path[path]
        rec = _implied(population.make_producer(rng, sheet.kecamatan, used), sheet.file.layout)
        rec["kecamatan_text"] = kecamatan_text or sheet.kecamatan
        if kecamatan_text is None:
            rec["nama_usaha"] = rec["nama_pemilik"] = None
        entry = Entry(rec)
        entries[sheet].append(entry)
        rejects.append((sheet, entry, reason, what))

    workbooks: dict[str, list[Grid]] = {}
    for sheet in sheets:
        entries[sheet] = [entries[sheet][k] for k in rng.permutation(len(entries[sheet]))]
        grid, rows = _registry_grid(rng, sheet, [e.record for e in entries[sheet]])
        workbooks.setdefault(sheet.file.path, []).append(grid)
        for entry, row in zip(entries[sheet], rows):
            entry.row = row

    rows_of = {(e.producer, s): e.row for s in sheets for e in entries[s] if e.producer is not None}
    location = {i: (sheet, rows_of[(i, sheet)]) for i, sheet in first.items()}
    ids = sorted(range(len(producers)), key=lambda i: (location[i][0].order, location[i][1]))
    umkm_id = {i: f"LS-{n + 1:05d}" for n, i in enumerate(ids)}
    for i, truth in enumerate(truths):
        sheet, row = location[i]
        truth.update(umkm_id=umkm_id[i], sumber_file=sheet.file.path, sumber_baris=row,
                     sumber_sheet=sheet.name or None)
    natar = next(s for s in sheets if s.file.recap)
    workbooks[natar.file.path].append(_recap_grid([t for t in truths if t["kecamatan"] == natar.kecamatan]))

    def where(sheet: SheetRef, row: int) -> dict:
        return {"file": sheet.file.path, "sheet": sheet.name or None, "row": row}

    planted = {
        "duplicates": [
            {"umkm_id": umkm_id[i], "kind": dup_kind[i],
             "first": where(*location[i]),
             "duplicate": where(second := dup_hosts[i] if first[i] is not dup_hosts[i]
                                else home[producers[i]["kecamatan"]], rows_of[(i, second)]),
             "what": "NIK sama, nama ditulis lain" if dup_kind[i] == "nik"
             else "nama usaha, pemilik dan kecamatan sama (beda huruf besar/spasi), tanpa NIK",
             "expected": "digabung menjadi satu pelaku usaha"}
            for i in sorted(dup_hosts, key=lambda i: umkm_id[i])],
        "near_duplicates": [
            {"umkm_ids": [umkm_id[a], umkm_id[b]], "kind": kind, "rows": [where(*location[a]), where(*location[b])],
             "what": f"{truths[a]['nama_usaha']!r} / {truths[b]['nama_usaha']!r}, pemilik berbeda",
             "expected": "dua pelaku usaha; boleh didaftar untuk ditinjau, tidak digabung"}
            for a, b, kind in sorted(near, key=lambda t: umkm_id[t[0]])],
        "rejects": [dict(where(s, e.row), reason=reason, what=what, expected="ditolak")
                    for s, e, reason, what in rejects],
        "broken_nik": [dict(where(*location[i]), umkm_id=umkm_id[i], written=f"{int(producers[i]['nik']):.5E}",
                            expected="nik kosong dengan peringatan")
                       for i in sorted(broken, key=lambda i: umkm_id[i])],
    }
    return Registries(sorted(truths, key=lambda t: t["umkm_id"]), workbooks, planted)


def _header_rows(grid: Grid, layout: RegistryLayout) -> list:
    """Write the header (one row, or two with merged group titles); return the one-row header for repeats."""
    fields = [f for f, _ in layout.columns]
    texts = [h for _, h in layout.columns]
    if not layout.groups:
        grid.add(texts, bold=True)
        return texts
    grouped = {f: title for title, members in layout.groups for f in members}
    top, previous = [], None
    for f, h in layout.columns:
        group = grouped.get(f)
        top.append(h if group is None else None if group == previous else group)
        previous = group
    r1 = grid.add(top, bold=True)
    r2 = grid.add([h if f in grouped else None for f, h in layout.columns], bold=True)
    for c, f in enumerate(fields, 1):
        if f not in grouped:
            grid.merge(r1, c, r2, c)
    for _title, members in layout.groups:
        cols = [fields.index(m) + 1 for m in members]
        assert cols == list(range(cols[0], cols[-1] + 1)), "a header group must be contiguous"
        grid.merge(r1, cols[0], r1, cols[-1])
    return []


def _registry_cell(name: str, rec: dict, no: int, layout: RegistryLayout, rng: np.random.Generator):
    if name == "no":
        return no
    if name == "kecamatan":
        return rec["kecamatan_text"]
    value = rec.get(name)
    if name in BOOL_FIELDS:
        yes, no_text, missing = BOOL_STYLES[layout.bools]
        return missing if value is None else yes if value else no_text
    if name == "nik":
        if rec.get("nik_text"):
            return rec["nik_text"]
        if value is None:
            return "-" if rng.random() < 0.3 else None
        as_number = layout.nik == "angka" or (layout.nik == "campur" and rng.random() < 0.5)
        return int(value) if as_number else value
    if value is None:
        return None
    if name == "no_hp":
        return values.phone_cell(value, values.pick(rng, layout.phones))
    if name == "jenis_kelamin":
        style = values.pick(rng, tuple(GENDER_STYLES)) if layout.gender == "campur" else layout.gender
        return GENDER_STYLES[style][value]
    if name == "aset_rp":
        return values.money_cell(value, layout.money, rng)
    if name == "omzet_tahunan_rp":
        return values.money_cell(value // 12 if layout.omzet_bulanan else value, layout.money, rng)
    if name == "tahun_mulai":
        return str(value) if layout.tahun_teks else value
    if name == "jangkauan_pasar" and layout.jangkauan_caps:
        return value.upper()
    return value


def _registry_grid(rng: np.random.Generator, sheet: SheetRef, records: list[dict]) -> tuple[Grid, list[int]]:
    layout = sheet.file.layout
    fields = [f for f, _ in layout.columns]
    merge = sheet.file.csv is None
    grid = Grid(sheet.name)
    for title in layout.titles:
        grid.title(title.format(KEC=sheet.kecamatan.upper(), kec=sheet.kecamatan, tahun=DATA_YEAR),
                   len(fields) if merge else 0)
    grid.add()
    header = _header_rows(grid, layout)
    rows = []
    for n, record in enumerate(records, 1):
        if rng.random() < layout.blank_rate:
            grid.add()
        if header and layout.repeat_header_every and n > 1 and (n - 1) % layout.repeat_header_every == 0:
            grid.add(header, bold=True)
        rows.append(grid.add([_registry_cell(f, record, n, layout, rng) for f in fields]))
    if layout.jumlah:
        per = 12 if layout.omzet_bulanan else 1
        totals = {"tenaga_kerja": sum(r["tenaga_kerja"] or 0 for r in records),
                  "aset_rp": sum(r["aset_rp"] or 0 for r in records),
                  "omzet_tahunan_rp": sum((r["omzet_tahunan_rp"] or 0) // per for r in records)}
        row = grid.add([layout.jumlah if c == 0 else totals.get(f) for c, f in enumerate(fields)], bold=True)
        if merge:
            grid.merge(row, 1, row, 3)
    return grid, rows


def _recap_grid(truths: list[dict]) -> Grid:
    """An aggregate table beside the registry: the ingest must report it, not read it as producers."""
    grid = Grid("Rekap per Desa")
    kec = truths[0]["kecamatan"]
    for title in ("REKAPITULASI JUMLAH UMKM PER DESA", f"KECAMATAN {kec.upper()} TAHUN {DATA_YEAR}"):
        grid.title(title, 6)
    grid.add()
    grid.add(["No", "Desa", "Jumlah UMKM", "Mikro", "Kecil", "Menengah"], bold=True)
    frame = pd.DataFrame(truths)
    for n, (desa, rows) in enumerate(frame.groupby("desa", sort=True), 1):
        counts = rows["skala"].value_counts()
        grid.add([n, desa, len(rows), *(int(counts.get(s, 0)) for s in ref.SKALA[:3])])
    counts = frame["skala"].value_counts()
    grid.add(["JUMLAH", None, len(frame), *(int(counts.get(s, 0)) for s in ref.SKALA[:3])], bold=True)
    return grid
