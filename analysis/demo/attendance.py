"""Training events and their attendance lists, participants chosen with the planted selection on size."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from analysis.core import reference as ref
from analysis.demo import population, values
from analysis.demo.specs import (
    ATTENDANCE_HEADERS,
    BULAN,
    BULAN_PENDEK,
    DINAS,
    EVENTS,
    HARI,
    HONORIFIC,
    OUTSIDER_SHARE,
    PARTICIPANTS_RANGE,
    SELECTION_POWER,
    Event,
)
from analysis.demo.values import Grid, Used


def pelatihan_ids() -> list[str]:
    ids, per_year = [], {}
    for event in EVENTS:
        per_year[event.mulai.year] = per_year.get(event.mulai.year, 0) + 1
        ids.append(f"PL-{event.mulai.year}-{per_year[event.mulai.year]:02d}")
    return ids


def _typo(rng: np.random.Generator, name: str) -> str:
    """One letter dropped, doubled or swapped in one longer word."""
    tokens = name.split(" ")
    candidates = [i for i, t in enumerate(tokens) if len(t) >= 4 and t.isalpha()]
    if not candidates:
        return name
    i = values.pick(rng, candidates)
    t = tokens[i]
    j = int(rng.integers(1, len(t) - 1))
    variants = (t[:j] + t[j + 1:], t[:j] + t[j] + t[j:], t[:j] + t[j + 1] + t[j] + t[j + 2:])
    tokens[i] = next(v for v in variants[int(rng.integers(3)):] + variants if v != t)
    return " ".join(tokens)


def _address(rng: np.random.Generator, desa: str, kecamatan: str) -> str:
    return values.pick(rng, (f"Desa {desa}, Kec. {kecamatan}", f"{desa}, {kecamatan}", f"Ds. {desa} Kec. {kecamatan}"))


def _attendee(rng: np.random.Generator, truth: dict) -> dict:
    """How a registered UMKM owner signs a daftar hadir: small variations, NIK ~60%, phone ~70%."""
    female = truth["jenis_kelamin"] == "P"
    nama = truth["nama_pemilik"]
    if rng.random() < 0.18:
        nama = f"{values.pick(rng, HONORIFIC[female])} {nama}"
    if rng.random() < 0.10:
        nama = nama.upper()
    typo = rng.random() < 0.05
    if typo:
        nama = _typo(rng, nama)
    nik = truth["nik"] if truth["nik"] and rng.random() < 0.68 else None
    hp = truth["no_hp"] if truth["no_hp"] and rng.random() < 0.78 else None
    cara = "nik" if nik else "hp" if hp else "fuzzy" if typo else "nama"
    return {"umkm_id": truth["umkm_id"], "nama_peserta": nama,
            "nama_usaha": truth["nama_usaha"].upper() if rng.random() < 0.1 else truth["nama_usaha"],
            "alamat": _address(rng, truth["desa"], truth["kecamatan"]), "nik": nik, "no_hp": hp, "cara_cocok": cara}


def _outsider(rng: np.random.Generator, used: Used) -> dict:
    """A participant in no registry (a guest, a new UMKM): their truth umkm_id is missing."""
    outside = rng.random() < 0.4
    kec = "Kedaton" if outside else values.pick(rng, ref.kecamatan_names())
    p = population.make_producer(rng, "Natar" if outside else kec, used)
    nik = None
    if rng.random() < 0.5:
        nik = population.new_nik(rng, "1871.01" if outside else p["kode_kecamatan"], p["jenis_kelamin"] == "P", used,
                       province="1871" if outside else "1801")
    return {"umkm_id": None, "nama_peserta": p["nama_pemilik"], "nama_usaha": p["nama_usaha"],
            "alamat": _address(rng, "Sukamenanti" if outside else p["desa"], kec), "nik": nik,
            "no_hp": p["no_hp"] if rng.random() < 0.6 else None, "cara_cocok": "tidak cocok"}


def choose_participants(rng: np.random.Generator, truths: list[dict], level: np.ndarray, scale: int,
                         used: Used) -> list[list[dict]]:
    """Invitations favour bigger UMKM (weight level**0.5); some attend several events; ~3% are outsiders."""
    started = np.array([t["tahun_mulai"] for t in truths])
    out = []
    for event in EVENTS:
        n = int(rng.integers(PARTICIPANTS_RANGE[0], PARTICIPANTS_RANGE[1] + 1)) * scale
        n_out = int(rng.binomial(n, OUTSIDER_SHARE))
        eligible = np.flatnonzero(started <= event.mulai.year)
        weights = level[eligible] ** SELECTION_POWER
        chosen = rng.choice(eligible, n - n_out, replace=False, p=weights / weights.sum())
        people = [_attendee(rng, truths[i]) for i in chosen] + [_outsider(rng, used) for _ in range(n_out)]
        out.append([people[k] for k in rng.permutation(len(people))])
    return out


def _date_cells(event: Event, end: date) -> list:
    """The 'Tanggal' title row, in the event's notation (DATA-CONTRACT: day-first dates and ranges)."""
    start, style = event.mulai, event.tanggal
    same_month = (start.year, start.month) == (end.year, end.month)
    long_start = f"{start.day}" if same_month else f"{start.day} {BULAN[start.month - 1]}"
    long_end = f"{end.day} {BULAN[end.month - 1]} {end.year}"
    if style == "hari":
        return [f"Hari/Tanggal : {HARI[start.weekday()]}, {start.day} {BULAN[start.month - 1]} {start.year}"]
    if style in ("sel", "serial"):
        cell = (lambda d: datetime(d.year, d.month, d.day)) if style == "sel" else \
            (lambda d: (d - date(1899, 12, 30)).days)
        return ["Tanggal", ":", cell(start)] + (["s/d", cell(end)] if end != start else [])
    if start == end:
        return [f"Tanggal : {start.day} {BULAN[start.month - 1]} {start.year}"]
    text = {
        "sd": f"{long_start} s/d {long_end}",
        "strip": f"{long_start} - {long_end}",
        "garis_miring": f"{start:%d/%m/%Y} s/d {end:%d/%m/%Y}",
        "angka_strip": f"{start:%d-%m-%Y} s/d {end:%d-%m-%Y}",
        "pendek": f"{start.day} {BULAN_PENDEK[start.month - 1]} {start.year} - "
                  f"{end.day} {BULAN_PENDEK[end.month - 1]} {end.year}",
    }[style]
    return [f"Tanggal : {text}"]


def _penyelenggara(event: Event) -> str:
    return f"{DINAS} bekerja sama dengan {event.mitra}" if event.mitra else DINAS


def _attendance_grid(rng: np.random.Generator, event: Event, name: str, people: list[dict],
                     variant: int) -> tuple[Grid, list[int]]:
    headers = ATTENDANCE_HEADERS[variant]
    width = len(headers)
    grid = Grid(name)
    end = event.mulai + timedelta(days=event.hari - 1)
    titles = [f"DAFTAR HADIR {event.nama.upper()}"] if event.satu_baris else ["DAFTAR HADIR", event.nama.upper()]
    for title in titles:
        grid.title(title, width)
    lines = [_date_cells(event, end), [f"Tempat : {event.lokasi}"], [f"Penyelenggara : {_penyelenggara(event)}"]]
    if event.biaya is not None:
        lines.append([f"Biaya : {values.money_cell(event.biaya, values.pick(rng, ('rp_strip', 'rp_sen', 'singkat')), rng)}"])
    for cells in lines:
        row = grid.add(cells)
        if len(cells) == 1:
            grid.merge(row, 1, row, width)
    grid.add()
    grid.add(headers, bold=True)
    rows = []
    for n, person in enumerate(people, 1):
        nik = person["nik"]
        rows.append(grid.add([
            n, person["nama_peserta"], person["nama_usaha"], person["alamat"],
            values.phone_cell(person["no_hp"], values.pick(rng, ("nol", "strip", "62", "angka"))) if person["no_hp"] else None,
            (int(nik) if rng.random() < 0.5 else nik) if nik else None,
            f"{n}. ........" if variant else None]))
    return grid, rows


def build_attendance(rng: np.random.Generator, participants: list[list[dict]]) -> tuple[
        dict[str, list[Grid]], list[dict], list[dict]]:
    """One sheet per event; the event is described only by the title rows above the participant table."""
    workbooks: dict[str, list[Grid]] = {}
    trainings, rows = [], []
    single = {e.workbook for e in EVENTS if sum(x.workbook == e.workbook for x in EVENTS) == 1}
    for k, (pelatihan_id, event, people) in enumerate(zip(pelatihan_ids(), EVENTS, participants)):
        sheets = workbooks.setdefault(event.workbook, [])
        name = "Daftar Hadir" if event.workbook in single else \
            f"{len(sheets) + 1:02d} {BULAN_PENDEK[event.mulai.month - 1]} {event.jenis}"[:31]
        grid, excel_rows = _attendance_grid(rng, event, name, people, k % 2)
        sheets.append(grid)
        end = event.mulai + timedelta(days=event.hari - 1)
        trainings.append({"pelatihan_id": pelatihan_id, "nama_kegiatan": event.nama, "jenis": event.jenis,
                          "tanggal_mulai": event.mulai, "tanggal_selesai": end, "lokasi": event.lokasi,
                          "penyelenggara": _penyelenggara(event), "biaya_rp": event.biaya,
                          "sumber_file": event.workbook, "sumber_sheet": name})
        for person, row in zip(people, excel_rows):
            rows.append({"pelatihan_id": pelatihan_id, "umkm_id": person["umkm_id"],
                         "nama_peserta": person["nama_peserta"], "nama_usaha": person["nama_usaha"],
                         "cara_cocok": person["cara_cocok"], "skor_cocok": None, "sumber_file": event.workbook,
                         "sumber_sheet": name, "sumber_baris": row})
    return workbooks, trainings, rows
