"""Follow one UMKM: the profile a row of the directory opens.

"How is he doing since our training?" is answered with the producer's own monthly sales, the trainings he
attended marked on them, and beside them the median of the other UMKM of his kategori in his kecamatan
(with how many that median rests on), so a rise that every neighbour had is not read as his. The profile
also shows his record (identity masked per role), legality and market, and where every piece came from:
each registry row he was made of (file, sheet, Excel row), the duplicates merged into him and why, the
sales reports and the attendance lists that name him.

One producer's before-and-after is not an estimate of what training does: the Dampak Pelatihan page
compares participants with non-participants and gives intervals; the profile says so.
Pure functions over a ``directory.DirectoryIndex``; nothing is modified.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core import formatting as fmt
from analysis.core import privacy
from analysis.core.schemas import Participants, Producers, ProducerSources, Sales, Trainings
from analysis.insight import filters as flt
from analysis.insight.directory import LEGAL_LABELS, DirectoryIndex, period_end

# Columns of ``ProducerProfile.monthly`` (the chart's frame).
BULAN, NILAI, MEDIAN, N_SEJENIS = Sales.bulan, Sales.nilai_rp, "median_sejenis_rp", "n_sejenis"
# Columns of ``ProducerProfile.events`` (the trainings marked on the chart).
TANGGAL, LABEL = "tanggal", "label"
BEFORE_MONTHS, AFTER_MONTHS = 6, 12  # the windows around a training, as Dampak Pelatihan uses them
WINDOW_MONTHS = 12  # "sales in the last 12 months" of the comparison
FEW_PEERS = 5  # a median of fewer peers than this moves with any one of them: the note says so
_GENDER = {"L": "Laki-laki", "P": "Perempuan"}
_COLUMN_LABELS = {
    Producers.nama_usaha: "nama usaha", Producers.nama_pemilik: "pemilik", Producers.nik: "NIK",
    Producers.jenis_kelamin: "jenis kelamin", Producers.no_hp: "no. HP", Producers.kecamatan: "kecamatan",
    Producers.desa: "desa", Producers.kategori: "kategori", Producers.produk_utama: "produk utama",
    Producers.tahun_mulai: "tahun mulai", Producers.tenaga_kerja: "tenaga kerja", Producers.aset_rp: "aset",
    Producers.omzet_tahunan_rp: "omzet", Producers.nib: "NIB", Producers.pirt: "PIRT", Producers.halal: "halal",
    Producers.jangkauan_pasar: "jangkauan pasar", Producers.pemasaran_online: "pemasaran online",
}


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    help: str


@dataclass(frozen=True, eq=False)
class ProducerProfile:
    umkm_id: str
    name: str
    subtitle: str  # product, kategori, desa and kecamatan in one line
    cards: list[Card]
    identity: pd.DataFrame  # Keterangan, Nilai (NIK and phone masked unless the caller may see them)
    legality: pd.DataFrame  # Keterangan, Status
    monthly: pd.DataFrame  # BULAN, NILAI (NaN: not reported), MEDIAN, N_SEJENIS: every month of the data
    events: pd.DataFrame  # TANGGAL, LABEL: the dated trainings attended
    trainings: pd.DataFrame  # one row per training attended, with how the attendance was matched
    since_training: pd.DataFrame  # per jenis, the months before and after its first training
    comparison: pd.DataFrame  # Ukuran, UMKM ini, Median UMKM sejenis, n
    peers: str  # "UMKM Olahan Kelapa lain di Kecamatan Candipuro"
    n_peers: int
    peers_note: str  # how many the monthly median rests on
    registry_rows: pd.DataFrame  # every registry row behind the producer, merged duplicates included
    sales_sources: pd.DataFrame  # per file and sheet: rows and months of its sales reports
    attendance_sources: pd.DataFrame  # every attendance-list row that named it
    near: pd.DataFrame  # producers listed as possibly the same (not merged), for review


def profile(index: DirectoryIndex, umkm_id: str, filters: flt.Filters = flt.Filters(), *,
            show_personal: bool = False) -> ProducerProfile | None:
    """The profile of ``umkm_id`` (None when the data has no such producer). The sidebar's producer
    filters do not hide it (a link names one producer); the end of the period ends the comparison
    window and the trainings counted. NIK and phone masked unless ``show_personal``."""
    position = index.ids.get_indexer([str(umkm_id)])[0]
    if position < 0:
        return None
    record = privacy.mask_frame(index.producers.iloc[[position]], show_personal=show_personal).iloc[0]
    own = _own_monthly(index, position)
    peers = _peer_positions(index, position)
    per_peer = _peer_monthly(index, peers)
    months = _all_months(index)
    median = per_peer.groupby(BULAN)[NILAI].agg(["median", "size"])
    monthly = pd.DataFrame({BULAN: months})
    monthly[NILAI] = monthly[BULAN].map(own).astype(float)
    monthly[MEDIAN] = monthly[BULAN].map(median["median"]).astype(float)
    monthly[N_SEJENIS] = monthly[BULAN].map(median["size"]).fillna(0).astype("int64")
    attended = _attended(index, umkm_id)
    end = _window_end(index, filters)
    peers_label = f"UMKM {record[Producers.kategori]} lain di Kecamatan {record[Producers.kecamatan]}"
    comparison = _comparison(index, position, peers, own, per_peer, end)
    counted = attended if period_end(filters) is None else attended[
        attended[Trainings.tanggal_mulai] < period_end(filters)]
    return ProducerProfile(
        umkm_id=str(umkm_id),
        name=_text(record[Producers.nama_usaha], "(nama usaha tidak tercatat)"),
        subtitle=_subtitle(record),
        cards=_cards(record, own, end, comparison, counted),
        identity=_identity(record),
        legality=_legality(record),
        monthly=monthly,
        events=_events(attended),
        trainings=_trainings_table(attended),
        since_training=_since_training(attended, own, monthly.set_index(BULAN)[MEDIAN]),
        comparison=comparison,
        peers=peers_label,
        n_peers=len(peers),
        peers_note=_peers_note(len(peers), peers_label, monthly[N_SEJENIS]),
        registry_rows=_registry_rows(index, umkm_id, record),
        sales_sources=_sales_sources(index, position),
        attendance_sources=_attendance_sources(attended),
        near=_near(index, umkm_id),
    )


# ------------------------------------------------------------------------------------------------ sales


def _all_months(index: DirectoryIndex) -> pd.DatetimeIndex:
    dates = index.coded.dates[index.coded.usable]
    if not len(dates):
        return pd.DatetimeIndex([], dtype="datetime64[us]")
    first, last = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    return pd.date_range(first.to_period("M").to_timestamp(), last.to_period("M").to_timestamp(), freq="MS")


def _own_monthly(index: DirectoryIndex, position: int) -> pd.Series:
    """The producer's sales per month reported (two reports of one month add up)."""
    rows = index.sales_rows(position)
    rows = rows[index.coded.usable[rows]]
    months = pd.to_datetime(index.coded.dates[rows]).to_period("M").to_timestamp()
    return pd.Series(index.coded.nilai[rows], index=months).groupby(level=0).sum().sort_index()


def _peer_positions(index: DirectoryIndex, position: int) -> np.ndarray:
    """The other producers of the same kategori in the same kecamatan."""
    producers = index.producers
    same = ((producers[Producers.kecamatan] == producers[Producers.kecamatan].iloc[position])
            & (producers[Producers.kategori] == producers[Producers.kategori].iloc[position]))
    same = same.fillna(False).to_numpy(dtype=bool)
    same[position] = False
    return np.flatnonzero(same)


def _peer_monthly(index: DirectoryIndex, peers: np.ndarray) -> pd.DataFrame:
    """Per peer and month reported: its sales (columns producer, BULAN, NILAI)."""
    flag = np.zeros(index.n + 1, dtype=bool)
    flag[peers] = True
    producer = index.sales_producer
    rows = np.flatnonzero(flag[producer] & index.coded.usable)  # -1 reads flag[-1], which stays False
    frame = pd.DataFrame({"producer": producer[rows],
                          BULAN: pd.to_datetime(index.coded.dates[rows]).to_period("M").to_timestamp(),
                          NILAI: index.coded.nilai[rows]})
    return frame.groupby(["producer", BULAN], as_index=False)[NILAI].sum()


def _window_end(index: DirectoryIndex, filters: flt.Filters) -> pd.Timestamp | None:
    """The last month of the comparison window: the end of the period, else the data's last month."""
    months = _all_months(index)
    if not len(months):
        return None
    return min(pd.Timestamp(filters.end), months[-1]) if filters.end is not None else months[-1]


def _window(end: pd.Timestamp | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if end is None:
        return None
    return end - pd.offsets.MonthBegin(WINDOW_MONTHS - 1), end


def _comparison(index: DirectoryIndex, position: int, peers: np.ndarray, own: pd.Series, per_peer: pd.DataFrame,
                end: pd.Timestamp | None) -> pd.DataFrame:
    """This UMKM beside the median of its peers, with how many peers each median rests on."""
    rows = []
    window = _window(end)
    if window is not None:
        first, last = window
        mine = own[(own.index >= first) & (own.index <= last)]
        theirs = per_peer[(per_peer[BULAN] >= first) & (per_peer[BULAN] <= last)].groupby("producer")[NILAI].sum()
        label = f"Penjualan {WINDOW_MONTHS} bulan s.d. {fmt.month_label(last)}"
        rows.append((label, mine.sum() if len(mine) else np.nan, theirs, fmt.rupiah,
                     f"UMKM ini melapor {len(mine)} dari {WINDOW_MONTHS} bulan"))
    producers = index.producers
    for column, label, formatter in ((Producers.omzet_tahunan_rp, "Omzet tahunan (registri)", fmt.rupiah),
                                     (Producers.aset_rp, "Aset (registri)", fmt.rupiah),
                                     (Producers.tenaga_kerja, "Tenaga kerja (registri)", fmt.number)):
        values = pd.to_numeric(producers[column])
        theirs = values.iloc[peers].dropna()
        rows.append((label, values.iloc[position], theirs, formatter, ""))
    table = []
    for label, mine, theirs, formatter, note in rows:
        median = float(theirs.median()) if len(theirs) else np.nan
        mine = np.nan if mine is None or pd.isna(mine) else float(mine)
        table.append({
            "Ukuran": label, "UMKM ini": formatter(mine), "Median UMKM sejenis": formatter(median),
            "n": fmt.number(len(theirs)),
            "Selisih dari median": fmt.signed_percent(100 * (mine / median - 1)) if median and not np.isnan(mine)
            and not np.isnan(median) else fmt.MISSING,
            "Catatan": note,
        })
    return pd.DataFrame(table, columns=["Ukuran", "UMKM ini", "Median UMKM sejenis", "n", "Selisih dari median",
                                        "Catatan"])


def _peers_note(n_peers: int, label: str, n_per_month: pd.Series) -> str:
    reporting = n_per_month[n_per_month > 0]
    if not n_peers:
        return f"Tidak ada {label}: tidak ada median pembanding."
    if reporting.empty:
        return f"{fmt.number(n_peers)} {label}, tetapi tidak satu pun melapor penjualan: tidak ada median pembanding."
    low, high = int(reporting.min()), int(reporting.max())
    spread = fmt.number(low) if low == high else f"{fmt.number(low)}–{fmt.number(high)}"
    note = (f"Median: penjualan bulanan tengah dari {fmt.number(n_peers)} {label}, dihitung dari yang melapor di "
            f"bulan itu ({spread} UMKM per bulan).")
    if high < FEW_PEERS:
        note += f" Kurang dari {FEW_PEERS} pembanding: median ini mudah bergeser, baca dengan hati-hati."
    return note


# ------------------------------------------------------------------------------------------------ trainings


def _attended(index: DirectoryIndex, umkm_id: str) -> pd.DataFrame:
    """The producer's attendance rows with their events (start date, jenis, name, place), oldest first."""
    participants = index.participants
    mine = participants[(participants[Participants.umkm_id] == umkm_id).fillna(False).to_numpy(dtype=bool)]
    events = index.trainings.drop_duplicates(Trainings.pelatihan_id)
    joined = mine.merge(events.drop(columns=[c for c in (Trainings.sumber_file, Trainings.sumber_sheet)
                                             if c in events.columns]), on=Participants.pelatihan_id, how="left")
    joined[Trainings.tanggal_mulai] = pd.to_datetime(joined[Trainings.tanggal_mulai])
    return joined.sort_values(Trainings.tanggal_mulai, kind="stable", na_position="last").reset_index(drop=True)


def _events(attended: pd.DataFrame) -> pd.DataFrame:
    dated = attended.dropna(subset=[Trainings.tanggal_mulai])
    return pd.DataFrame({
        TANGGAL: pd.to_datetime(dated[Trainings.tanggal_mulai]).to_numpy(),
        LABEL: [f"{jenis}: {_text(name, 'pelatihan')} ({fmt.date_label(start)})"
                for jenis, name, start in zip(dated[Trainings.jenis], dated[Trainings.nama_kegiatan],
                                              dated[Trainings.tanggal_mulai])],
    })


_MATCHED = {"nik": "NIK", "hp": "nomor HP", "nama": "nama", "fuzzy": "nama mirip"}


def _matched(way: object, score: object) -> str:
    text = _MATCHED.get(str(way), str(way))
    return f"{text} (skor {fmt.number(score, 1)})" if way == "fuzzy" else text


def _trainings_table(attended: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Kegiatan": [_text(v) for v in attended[Trainings.nama_kegiatan]],
        "Jenis": [_text(v) for v in attended[Trainings.jenis]],
        "Mulai": [fmt.date_label(v) for v in attended[Trainings.tanggal_mulai]],
        "Selesai": [fmt.date_label(v) for v in pd.to_datetime(attended[Trainings.tanggal_selesai])],
        "Lokasi": [_text(v) for v in attended[Trainings.lokasi]],
        "Dicocokkan lewat": [_matched(w, s) for w, s in zip(attended[Participants.cara_cocok],
                                                             attended[Participants.skor_cocok])],
    })


def _since_training(attended: pd.DataFrame, own: pd.Series, median: pd.Series) -> pd.DataFrame:
    """Per jenis, from its first dated training: average monthly sales in the BEFORE_MONTHS months before the
    start and the AFTER_MONTHS months after the end (months reported only, each counted), beside the same
    for the peers' monthly median."""
    columns = ["Jenis", "Pelatihan pertama", f"Rata-rata/bulan, {BEFORE_MONTHS} bulan sebelum",
               f"Rata-rata/bulan, {AFTER_MONTHS} bulan sesudah", "Perubahan", "Median UMKM sejenis: perubahan"]
    dated = attended.dropna(subset=[Trainings.tanggal_mulai])
    rows = []
    for jenis, events in dated.groupby(Trainings.jenis, sort=False):
        first = events.iloc[0]
        start = pd.Timestamp(first[Trainings.tanggal_mulai]).to_period("M").to_timestamp()
        finish = pd.to_datetime(first[Trainings.tanggal_selesai])
        finish = start if pd.isna(finish) else max(start, pd.Timestamp(finish).to_period("M").to_timestamp())
        before = (start - pd.offsets.MonthBegin(BEFORE_MONTHS), start - pd.offsets.MonthBegin(1))
        after = (finish + pd.offsets.MonthBegin(1), finish + pd.offsets.MonthBegin(AFTER_MONTHS))
        mine_before, n_before = _mean_in(own, before)
        mine_after, n_after = _mean_in(own, after)
        peer_before, _ = _mean_in(median.dropna(), before)
        peer_after, _ = _mean_in(median.dropna(), after)
        rows.append({
            columns[0]: str(jenis),
            columns[1]: fmt.date_label(first[Trainings.tanggal_mulai]),
            columns[2]: _mean_text(mine_before, n_before),
            columns[3]: _mean_text(mine_after, n_after),
            columns[4]: _change(mine_before, mine_after),
            columns[5]: _change(peer_before, peer_after),
        })
    return pd.DataFrame(rows, columns=columns)


def _mean_in(series: pd.Series, window: tuple[pd.Timestamp, pd.Timestamp]) -> tuple[float, int]:
    chosen = series[(series.index >= window[0]) & (series.index <= window[1])]
    return (float(chosen.mean()) if len(chosen) else np.nan), len(chosen)


def _mean_text(value: float, months: int) -> str:
    if not months:
        return f"{fmt.MISSING} (tidak ada laporan)"
    return f"{fmt.rupiah(value)} ({fmt.number(months)} bulan)"


def _change(before: float, after: float) -> str:
    if np.isnan(before) or np.isnan(after) or before <= 0:
        return fmt.MISSING
    return fmt.signed_percent(100 * (after / before - 1))


# ------------------------------------------------------------------------------------------------ record


def _text(value: object, missing: str = fmt.MISSING) -> str:
    return missing if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) \
        or str(value).strip() == "" else str(value)


def _subtitle(record: pd.Series) -> str:
    place = f"Kecamatan {record[Producers.kecamatan]}"
    if _text(record[Producers.desa], "") != "":
        place = f"Desa/alamat {record[Producers.desa]}, {place}"
    parts = [_text(record[Producers.produk_utama], ""), _text(record[Producers.kategori], ""), place]
    return " · ".join(p for p in parts if p)


def _state(value: object, yes: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "Tidak diketahui (tidak tercatat di registri)"
    return yes if bool(value) else "Tidak"


def _identity(record: pd.Series) -> pd.DataFrame:
    items = [
        ("Kode UMKM", _text(record[Producers.umkm_id])),
        ("Nama usaha", _text(record[Producers.nama_usaha])),
        ("Pemilik", _text(record[Producers.nama_pemilik])),
        ("Jenis kelamin", _GENDER.get(_text(record[Producers.jenis_kelamin]), fmt.MISSING)),
        ("NIK", _text(record[Producers.nik])),
        ("No. HP", _text(record[Producers.no_hp])),
        ("Kecamatan", _text(record[Producers.kecamatan])),
        ("Desa / alamat", _text(record[Producers.desa])),
        ("Kategori", _text(record[Producers.kategori])),
        ("Produk utama", _text(record[Producers.produk_utama])),
        ("Skala", _text(record[Producers.skala])),
        ("Tahun mulai", _text(record[Producers.tahun_mulai])),
        ("Tenaga kerja", fmt.number(record[Producers.tenaga_kerja])),
        ("Aset", fmt.rupiah(record[Producers.aset_rp])),
        ("Omzet tahunan (registri)", fmt.rupiah(record[Producers.omzet_tahunan_rp])),
    ]
    return pd.DataFrame(items, columns=["Keterangan", "Nilai"])


def _legality(record: pd.Series) -> pd.DataFrame:
    items = [(f"{LEGAL_LABELS[c]}", _state(record[c], "Ada")) for c in LEGAL_LABELS]
    items.append(("Jangkauan pasar", _text(record[Producers.jangkauan_pasar],
                                           "Tidak diketahui (tidak tercatat di registri)")))
    items.append(("Pemasaran online", _state(record[Producers.pemasaran_online], "Ya")))
    return pd.DataFrame(items, columns=["Keterangan", "Status"])


def _cards(record: pd.Series, own: pd.Series, end: pd.Timestamp | None, comparison: pd.DataFrame,
           attended: pd.DataFrame) -> list[Card]:
    window = _window(end)
    if window is not None:
        chosen = own[(own.index >= window[0]) & (own.index <= window[1])]
        sales = Card(f"Penjualan {WINDOW_MONTHS} bulan terakhir",
                     fmt.rupiah_short(chosen.sum()) if len(chosen) else fmt.MISSING,
                     f"{fmt.month_label(window[0])} – {fmt.month_label(window[1])}; melapor {len(chosen)} dari "
                     f"{WINDOW_MONTHS} bulan.")
        versus = comparison.iloc[0]
        against = Card("Dibanding median sejenis", versus["Selisih dari median"],
                       f"Penjualan {WINDOW_MONTHS} bulan UMKM ini dibanding median {versus['n']} UMKM sejenis "
                       f"(kategori dan kecamatan yang sama) yang melapor: {versus['Median UMKM sejenis']}.")
    else:
        sales = Card("Penjualan", fmt.MISSING, "Belum ada laporan penjualan dalam data.")
        against = Card("Dibanding median sejenis", fmt.MISSING, "Belum ada laporan penjualan dalam data.")
    jenis = ", ".join(dict.fromkeys(_text(j) for j in attended[Trainings.jenis])) or "belum ada"
    return [
        Card("Skala usaha", _text(record[Producers.skala]), "Menurut omzet (atau aset) di registri."),
        sales,
        against,
        Card("Pelatihan diikuti", fmt.number(len(attended)), f"Sampai akhir periode; jenis: {jenis}."),
    ]


# ------------------------------------------------------------------------------------------------ sources


def _registry_rows(index: DirectoryIndex, umkm_id: str, record: pd.Series) -> pd.DataFrame:
    """Every registry row behind the producer: the kept one and each merged duplicate, why, and what it filled."""
    sources = index.sources
    if len(sources) and ProducerSources.umkm_id in sources.columns:
        mine = sources[(sources[ProducerSources.umkm_id] == umkm_id).fillna(False).to_numpy(dtype=bool)]
        mine = mine.sort_values(ProducerSources.urutan, kind="stable")
    else:  # data without the list: the producer's own first row
        mine = pd.DataFrame([{ProducerSources.peran: "utama", **{c: record.get(c) for c in (
            ProducerSources.sumber_file, ProducerSources.sumber_sheet, ProducerSources.sumber_baris,
            ProducerSources.nama_usaha, ProducerSources.nama_pemilik)}}])
    return pd.DataFrame({
        "Berkas": [_text(v) for v in mine[ProducerSources.sumber_file]],
        "Lembar": [_text(v) for v in mine[ProducerSources.sumber_sheet]],
        "Baris Excel": [fmt.number(v) for v in mine[ProducerSources.sumber_baris]],
        "Peran": ["dipakai (nilainya didahulukan)" if p == "utama" else "digabung ke baris pertama"
                  for p in mine[ProducerSources.peran]],
        "Alasan digabung": [_text(v, "") for v in mine.get(ProducerSources.dasar_gabung, pd.Series([None] * len(mine)))],
        "Mengisi kolom": [", ".join(_COLUMN_LABELS.get(c.strip(), c.strip()) for c in str(v).split(","))
                          if _text(v, "") else "" for v in mine.get(ProducerSources.mengisi,
                                                                      pd.Series([None] * len(mine)))],
        "Nama usaha tertulis": [_text(v) for v in mine[ProducerSources.nama_usaha]],
        "Pemilik tertulis": [_text(v) for v in mine[ProducerSources.nama_pemilik]],
    })


def _sales_sources(index: DirectoryIndex, position: int) -> pd.DataFrame:
    """Per sales file and sheet: the rows (Excel rows), how many, and the months they report."""
    columns = ["Berkas", "Lembar", "Baris Excel", "Jumlah baris", "Bulan"]
    rows = index.sales_rows(position)
    if not len(rows):
        return pd.DataFrame(columns=columns)
    files, file_names, sheets, sheet_names, excel_rows = index.sales_origin
    frame = pd.DataFrame({"file": files[rows], "sheet": sheets[rows], "row": excel_rows[rows],
                          "month": index.coded.dates[rows]})
    out = []
    for (file, sheet), part in frame.groupby(["file", "sheet"], sort=True):
        numbers = part["row"].dropna()
        out.append({
            "Berkas": _text(file_names[file]) if file >= 0 else fmt.MISSING,
            "Lembar": _text(sheet_names[sheet]) if sheet >= 0 else fmt.MISSING,
            "Baris Excel": _row_list(numbers.astype("int64").tolist()),
            "Jumlah baris": fmt.number(len(part)),
            "Bulan": fmt.period_label(part["month"].min(), part["month"].max()),
        })
    return pd.DataFrame(out, columns=columns)


def _row_list(numbers: list[int], shown: int = 6) -> str:
    """"12, 13, 40" or "12–40 (18 baris)" when they do not fit."""
    numbers = sorted(set(numbers))
    if not numbers:
        return fmt.MISSING
    if len(numbers) <= shown:
        return ", ".join(fmt.number(n) for n in numbers)
    return f"{fmt.number(numbers[0])}–{fmt.number(numbers[-1])} ({fmt.number(len(numbers))} baris)"


def _attendance_sources(attended: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Berkas": [_text(v) for v in attended.get(Participants.sumber_file, pd.Series([None] * len(attended)))],
        "Lembar": [_text(v) for v in attended.get(Participants.sumber_sheet, pd.Series([None] * len(attended)))],
        "Baris Excel": [fmt.number(v) for v in attended.get(Participants.sumber_baris,
                                                            pd.Series([None] * len(attended)))],
        "Kegiatan": [_text(v) for v in attended[Trainings.nama_kegiatan]],
        "Nama tertulis": [_text(v) for v in attended[Participants.nama_peserta]],
        "Dicocokkan lewat": [_matched(w, s) for w, s in zip(attended[Participants.cara_cocok],
                                                             attended[Participants.skor_cocok])],
    })


def _near(index: DirectoryIndex, umkm_id: str) -> pd.DataFrame:
    """Producers the ingest listed as possibly the same as this one (not merged: a person decides)."""
    columns = ["Kode UMKM", "Nama usaha", "Pemilik", "Skor kemiripan"]
    near = index.near_duplicates
    if not len(near) or "umkm_id_a" not in near.columns:
        return pd.DataFrame(columns=columns)
    rows = []
    for side, other in (("a", "b"), ("b", "a")):
        chosen = near[(near[f"umkm_id_{side}"] == umkm_id).fillna(False).to_numpy(dtype=bool)]
        for row in chosen.to_dict("records"):
            rows.append({"Kode UMKM": row[f"umkm_id_{other}"], "Nama usaha": _text(row[f"nama_usaha_{other}"]),
                         "Pemilik": _text(row[f"nama_pemilik_{other}"]), "Skor kemiripan": fmt.number(row["skor"])})
    return pd.DataFrame(rows, columns=columns)
