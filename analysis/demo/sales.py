"""Monthly sales with the planted training effects, written as long and wide sales files."""
from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from analysis.core import reference as ref
from analysis.demo import population, values
from analysis.demo.specs import (
    BULAN,
    BULAN_PENDEK,
    DECIMAL_UNITS,
    EFFECTS,
    EVENTS,
    GAP_RATE,
    KATEGORI_PROFILES,
    LATE_START_SHARE,
    MONTH_EN,
    MONTH_NOISE,
    MONTHS,
    PRICE_GROWTH,
    SALES_FILES,
    SALES_SHARE,
    STOP_SHARE,
    WILAYAH,
    SalesFile,
)
from analysis.demo.values import Grid, Used


def effect_matrix(n: int, participants: list[list[dict]], index: dict[str, int]) -> np.ndarray:
    """Each jenis lifts sales once, from the month after the end month of the first such event attended."""
    first_end: dict[tuple[int, str], int] = {}
    for event, people in zip(EVENTS, participants):
        end = values.month_index(event.mulai + timedelta(days=event.hari - 1))
        for person in people:
            if person["umkm_id"] is not None:
                key = (index[person["umkm_id"]], event.jenis)
                first_end[key] = min(first_end.get(key, end), end)
    effect = np.ones((n, len(MONTHS)))
    for (i, jenis), end in sorted(first_end.items()):
        effect[i, end + 1:] *= 1 + EFFECTS[jenis]
    return effect


def _season(kategori: list[str]) -> np.ndarray:
    """Lebaran peaks: the Idul Fitri month and (60% of the lift) the Ramadan month before it."""
    lift = np.array([KATEGORI_PROFILES[k].lebaran for k in kategori]) - 1
    season = np.ones((len(kategori), len(MONTHS)))
    lebaran = ref.lebaran_dates()
    for year in sorted(set(MONTHS.year)):
        t = values.month_index(lebaran[year].date())
        season[:, t] += lift
        season[:, t - 1] += 0.6 * lift
    return season


def simulate_sales(rng: np.random.Generator, producers: pd.DataFrame, level: np.ndarray,
                    effect: np.ndarray) -> pd.DataFrame:
    """Monthly omzet = level x category trend x Lebaran x noise x training effect, in whole thousands."""
    n, m = len(producers), len(MONTHS)
    t = np.arange(m)
    growth = producers["kategori"].map(lambda k: KATEGORI_PROFILES[k].growth).to_numpy()
    value = (level[:, None] * (1 + growth[:, None]) ** (t[None, :] / 12) * _season(list(producers["kategori"]))
             * rng.lognormal(-MONTH_NOISE ** 2 / 2, MONTH_NOISE, (n, m)) * effect)
    begun = np.clip((producers["tahun_mulai"].to_numpy() - MONTHS[0].year) * 12, 0, None)
    start = np.where(begun > 0, begun + rng.integers(0, 10, n), 0)
    start = np.where(rng.random(n) < LATE_START_SHARE, np.maximum(start, rng.integers(1, 30, n)), start)
    start = np.maximum(start, producers["mulai_paling_awal"].to_numpy())
    always = producers["selalu_lapor"].to_numpy()
    stop = np.where((rng.random(n) < STOP_SHARE) & ~always, rng.integers(12, m - 1, n), m - 1)
    reports = (rng.random(n) < SALES_SHARE) | always
    span = reports[:, None] & (t[None, :] >= start[:, None]) & (t[None, :] <= stop[:, None])
    gap = span & (rng.random((n, m)) < GAP_RATE) & (t[None, :] != start[:, None])
    pid, month = np.nonzero(span)
    nilai = np.maximum(1000, np.round(value[pid, month] / 1000) * 1000).astype(np.int64)
    price = (producers["harga"].to_numpy() * rng.lognormal(0, 0.1, n))[pid] * (1 + PRICE_GROWTH) ** (month / 12)
    decimal = producers["satuan"].isin(DECIMAL_UNITS).to_numpy()[pid]
    volume = np.where(decimal, np.maximum(0.1, np.round(nilai / price, 1)), np.maximum(1, np.round(nilai / price)))
    return pd.DataFrame({"pid": pid, "t": month, "nilai": nilai, "volume": volume,
                         "gap": gap[pid, month]}).reset_index(drop=True)


def unlinked_producers(rng: np.random.Generator, n: int, used: Used) -> list[dict]:
    """UMKM that report sales but are in no registry (a new officer's list): sales truth has no umkm_id."""
    out = []
    for _ in range(n):
        p = population.make_producer(rng, values.pick(rng, WILAYAH["Utara"][:2]), used)
        p.update(umkm_id=None, tahun_mulai=min(p["tahun_mulai"], 2016))
        out.append(p)
    return out


def _month_label(month: pd.Timestamp, style: str):
    y, m = month.year, month.month
    return {"Jan-15": lambda: f"{MONTH_EN[m - 1]}-{y % 100:02d}",
            "Jan-17": lambda: f"{BULAN_PENDEK[m - 1]}-{y % 100:02d}",
            "Januari 2016": lambda: f"{BULAN[m - 1]} {y}", "teks": lambda: f"{BULAN[m - 1]} {y}",
            "2016-01": lambda: f"{y}-{m:02d}", "tanggal": lambda: datetime(y, m, 1)}[style]()


def _written_names(rng: np.random.Generator, producers: pd.DataFrame) -> dict[int, tuple[str, str]]:
    """A clerk copies names from the registry, now and then in capitals or with a doubled space."""
    out = {}
    for pid, usaha, owner, r in zip(producers.index, producers["nama_usaha"], producers["nama_pemilik"],
                                    rng.random(len(producers))):
        if r < 0.04:
            usaha = usaha.upper()
        elif r < 0.07:
            owner = owner.replace(" ", "  ", 1) if " " in owner else owner + " "
        out[int(pid)] = (usaha, owner)
    return out


def _sales_titles(grid: Grid, spec: SalesFile, where: str) -> None:
    for title in (f"LAPORAN OMZET BULANAN UMKM BINAAN TAHUN {spec.year}", where, "(dalam Rupiah)"):
        grid.title(title)
    grid.add()


def _omzet_cell(rng: np.random.Generator, value: int, share_text: float):
    return f"Rp {values.dots(value)}" if share_text and rng.random() < share_text else int(value)


def _long_grid(rng: np.random.Generator, spec: SalesFile, rows: pd.DataFrame, producers: pd.DataFrame,
               names: dict[int, tuple[str, str]]) -> tuple[Grid, np.ndarray]:
    grid = Grid(spec.sheet.format(tahun=spec.year), date_format="mmmm yyyy")
    if not spec.csv:
        _sales_titles(grid, spec, f"WILAYAH {spec.wilayah.upper()}")
    header = ["No", "Nama Usaha", "Nama Pemilik"] + (["NIK"] if spec.nik else []) + \
             ["Kecamatan", "Bulan", "Produk", "Omzet (Rp)", "Volume", "Satuan"]
    grid.add(header, bold=True)
    excel_rows = np.zeros(len(rows), dtype=np.int64)
    months = {t: _month_label(MONTHS[t], spec.months) for t in sorted(set(rows["t"]))}
    nik, kec, produk, satuan = (producers[c].to_dict() for c in ("nik", "kecamatan", "produk_utama", "satuan"))
    for k, (pid, t, nilai, volume, gap) in enumerate(zip(rows["pid"], rows["t"], rows["nilai"], rows["volume"],
                                                         rows["gap"])):
        usaha, owner = names[pid]
        reported = not gap
        cells = [k + 1, usaha, owner] + ([nik[pid]] if spec.nik else []) + [
            kec[pid], months[t], produk[pid], _omzet_cell(rng, nilai, spec.money_text) if reported else "-",
            (float(volume) if satuan[pid] in DECIMAL_UNITS else int(volume)) if reported else None,
            satuan[pid] if reported else None]
        excel_rows[k] = grid.add(cells)
    return grid, excel_rows


def _wide_grid(spec: SalesFile, name: str, where: str, rows: pd.DataFrame, producers: pd.DataFrame,
               names: dict[int, tuple[str, str]]) -> tuple[Grid, np.ndarray]:
    grid = Grid(name, date_format="mmm-yy")
    _sales_titles(grid, spec, where)
    months = [t for t in range(len(MONTHS)) if MONTHS[t].year == spec.year]
    header = ["No", "Nama Usaha", "Nama Pemilik"] + (["NIK"] if spec.nik else []) + \
             ([] if spec.per_sheet else ["Kecamatan"]) + ["Produk"] + \
             [_month_label(MONTHS[t], spec.months) for t in months] + (["Jumlah"] if spec.total_column else [])
    grid.add(header, bold=True)
    reported = rows[~rows["gap"]]
    table = reported.pivot(index="pid", columns="t", values="nilai").reindex(columns=months)
    producer_rows = {}
    for no, pid in enumerate(sorted(set(rows["pid"])), 1):
        usaha, owner = names[pid]
        values = table.loc[pid].tolist() if pid in table.index else [np.nan] * len(months)
        cells = [no, usaha, owner] + ([producers.at[pid, "nik"]] if spec.nik else []) + \
                ([] if spec.per_sheet else [producers.at[pid, "kecamatan"]]) + [producers.at[pid, "produk_utama"]]
        cells += [spec.missing if np.isnan(v) else int(v) for v in values]
        if spec.total_column:
            cells.append(int(np.nansum(values)))
        producer_rows[pid] = grid.add(cells)
    offset = len(header) - len(months) - spec.total_column
    sums = table.sum().astype(np.int64).tolist()
    grid.add([None, "JUMLAH"] + [None] * (offset - 2) + sums + ([int(sum(sums))] if spec.total_column else []),
             bold=True)
    return grid, rows["pid"].map(producer_rows).to_numpy()


def build_sales(rng: np.random.Generator, sales: pd.DataFrame, producers: pd.DataFrame) -> tuple[
        dict[str, list[Grid]], dict[str, tuple[str, str]], pd.DataFrame]:
    """Split the sales over per-year, per-wilayah files; record where each truth row is written."""
    sales = sales.assign(year=MONTHS.year.to_numpy()[sales["t"]], kecamatan=producers["kecamatan"].to_numpy()[
        sales["pid"]], sumber_file=None, sumber_sheet=None, sumber_baris=0)
    workbooks, csv_files = {}, {}
    for spec in SALES_FILES:
        members = WILAYAH[spec.wilayah]
        mask = (sales["year"] == spec.year) & sales["kecamatan"].isin(members)
        if not spec.unlinked:
            mask &= producers["umkm_id"].notna().to_numpy()[sales["pid"]]
        subset = sales[mask]
        names = _written_names(rng, producers.loc[sorted(set(subset["pid"]))])
        if spec.shape == "long":
            subset = subset[~subset["gap"] | (rng.random(len(subset)) < 0.5)].sort_values(["t", "pid"])
            for path, part in long_parts(spec.path, subset, members):
                grid, excel_rows = _long_grid(rng, spec, part, producers, names)
                _place(sales, path, spec, [(grid, part, excel_rows)], workbooks, csv_files)
            continue
        else:
            groups = [(k, subset[subset["kecamatan"] == k]) for k in members] if spec.per_sheet else [("", subset)]
            placed = []
            for kec, part in groups:
                name = spec.sheet.format(kec=kec, KEC=kec.upper(), tahun=spec.year)
                where = f"KECAMATAN {kec.upper()}" if spec.per_sheet else f"WILAYAH {spec.wilayah.upper()}"
                grid, excel_rows = _wide_grid(spec, name, where, part, producers, names)
                placed.append((grid, part, excel_rows))
        _place(sales, spec.path, spec, placed, workbooks, csv_files)
    return workbooks, csv_files, sales[~sales["gap"]]


def _place(sales: pd.DataFrame, path: str, spec: SalesFile, placed: list, workbooks: dict, csv_files: dict) -> None:
    """Record the file ``path`` (its sheets ``placed``: grid, truth rows, Excel rows) and where each truth row went."""
    for grid, part, excel_rows in placed:
        keep = ~part["gap"].to_numpy()
        index = part.index[keep]
        sales.loc[index, "sumber_file"] = path
        sales.loc[index, "sumber_sheet"] = None if spec.csv else grid.name
        sales.loc[index, "sumber_baris"] = excel_rows[keep]
    if spec.csv:
        csv_files[path] = ("utf-8-sig", ",")
    workbooks[path] = [g for g, _, _ in placed]


# Rows of a long report per file: an office splits a report long before Excel's 1,048,576 rows a sheet and the
# upload limit (50 MB). Only the province scale (100) reaches it; smaller scales keep one file per report.
LONG_ROWS_PER_FILE = 400_000


def long_parts(path: str, rows: pd.DataFrame, members: list[str]) -> list[tuple[str, pd.DataFrame]]:
    """``rows`` of one long report as the files it is written to: itself while it holds at most
    LONG_ROWS_PER_FILE rows, else one file per group of whole kecamatan ("... - bagian 2.xlsx")."""
    if len(rows) <= LONG_ROWS_PER_FILE:
        return [(path, rows)]
    groups, current, size = [], [], 0
    per_kecamatan = rows["kecamatan"].value_counts()
    for kecamatan in members:
        count = int(per_kecamatan.get(kecamatan, 0))
        if current and size + count > LONG_ROWS_PER_FILE:
            groups.append(current)
            current, size = [], 0
        current.append(kecamatan)
        size += count
    groups.append(current)
    stem, dot, suffix = path.rpartition(".")
    return [(f"{stem} - bagian {i}.{suffix}", rows[rows["kecamatan"].isin(group)]) for i, group in enumerate(groups, 1)]
