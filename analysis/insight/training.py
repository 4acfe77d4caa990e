"""What the Dampak Pelatihan page shows besides the estimator itself: the estimates as a comparison table
and as a metric with its interval, the training events with their cost per participant, how many UMKM of
each kecamatan took part, the method in plain Indonesian, and the Excel sheets.

The estimates come from analysis.impact; nothing here estimates anything. Pure functions over the
canonical tables and ImpactResult values; inputs are never modified.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from analysis import impact
from analysis.core import excel
from analysis.core import formatting as fmt
from analysis.core.schemas import Participants, Producers, Trainings
from analysis.impact import ImpactResult
from analysis.insight import filters as flt

# Columns of the frames below (pages and charts take them from here, never as typed strings).
COL_JENIS = "Jenis pelatihan"
COL_EFEK, COL_CI_BAWAH, COL_CI_ATAS = "Efek (%)", "Batas bawah 95% (%)", "Batas atas 95% (%)"
COL_SELANG = "Selang 95%"
COL_PESERTA_DIUKUR, COL_PEMBANDING = "Peserta diukur", "Pembanding"
COL_BIAYA_PER_PESERTA = "Biaya per peserta"
COL_KESIMPULAN, COL_PERINGATAN = "Kesimpulan", "Peringatan"
COL_BULAN = "Bulan sejak pelatihan"
COL_N_OBS = "Pengamatan peserta"
COL_KEGIATAN, COL_MULAI, COL_SELESAI = "Kegiatan", "Mulai", "Selesai"
COL_LOKASI, COL_PENYELENGGARA = "Lokasi", "Penyelenggara"
COL_PESERTA_TOTAL, COL_PESERTA_TERTAUT = "Peserta (daftar hadir)", "Peserta tertaut ke registri"
COL_PESERTA_PILIHAN = "Peserta dari UMKM terpilih"
COL_PESERTA = "Peserta (tertaut / total)"
COL_BIAYA = "Biaya"
KECAMATAN = Producers.kecamatan
JUMLAH_UMKM = "jumlah_umkm"
UMKM_TERLATIH = "umkm_terlatih"
PERSEN_TERLATIH = "persen_terlatih"  # 0..100, for the bar chart

SCOPE_NOTE = ("Filter periode tidak dipakai di halaman ini: perbandingan memerlukan bulan-bulan sebelum dan "
              "sesudah tiap pelatihan. Filter kecamatan, kategori, dan skala membatasi peserta dan pembanding.")


def interval_text(result: ImpactResult) -> str:
    """"+13,0% s.d. +16,0%", the 95% interval as the verdict writes it (en dash when not estimated)."""
    if result.ci_bawah is None or result.ci_atas is None:
        return fmt.MISSING
    return f"{fmt.signed_percent(result.ci_bawah)} s.d. {fmt.signed_percent(result.ci_atas)}"


@dataclass(frozen=True)
class EffectCard:
    """The estimate as st.metric arguments: the interval is in the label, so the number never stands alone.
    The label is short on purpose: st.metric cuts a long label, and the interval is the part to keep."""

    label: str
    value: str
    help: str


def claimable(result: ImpactResult) -> bool:
    """Whether the estimate may be quoted as a number: enough participants and comparison producers, the
    months before training alike, and a 95% interval that excludes zero."""
    low, high = result.ci_bawah, result.ci_atas
    return (result.efek_persen is not None and low is not None and high is not None and result.cukup_data
            and not result.pratren_berbeda and not (math.isnan(low) or math.isnan(high)) and (low > 0 or high < 0))


def headline(result: ImpactResult) -> str:
    """The big text of the effect: the number only when it can be quoted (``claimable``), else plain words."""
    if claimable(result):
        return fmt.signed_percent(result.efek_persen)
    if result.efek_persen is None or not result.cukup_data:
        return "Belum cukup data"
    if result.pratren_berbeda:
        return "Belum dapat dipercaya"
    return "Tidak terbukti"


def effect_card(result: ImpactResult) -> EffectCard:
    """The effect as st.metric arguments. A number that the evidence does not support is never the big
    text: it stays in the help, after the reason."""
    if result.efek_persen is None:
        return EffectCard(label="Dampak (tidak dapat dihitung)", value=headline(result), help=impact.verdict(result))
    if not claimable(result):
        return EffectCard(label=f"Dampak {result.jenis}", value=headline(result), help=impact.verdict(result))
    return EffectCard(
        label=f"Efek (selang 95%: {interval_text(result)})",
        value=fmt.signed_percent(result.efek_persen),
        help=(f"Rata-rata perubahan penjualan bulanan {fmt.number(result.n_peserta)} peserta dalam "
              f"{impact.POST_MONTHS + 1} bulan sesudah pelatihan {result.jenis}, dibanding perkiraan tanpa "
              f"pelatihan dari {fmt.number(result.n_pembanding)} UMKM pembanding. Dengan keyakinan 95% nilai "
              f"sebenarnya antara {interval_text(result)}."),
    )


def effects_frame(results: Sequence[ImpactResult], events: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per jenis with numbers (for Excel): effect and interval in percent, the counts, the cost
    per participant of all its events (from ``events``, see events_frame) and the verdict."""
    cost = cost_per_participant(events) if events is not None else {}
    return pd.DataFrame({
        COL_JENIS: [r.jenis for r in results],
        COL_EFEK: [r.efek_persen for r in results],
        COL_CI_BAWAH: [r.ci_bawah for r in results],
        COL_CI_ATAS: [r.ci_atas for r in results],
        COL_PESERTA_DIUKUR: [r.n_peserta for r in results],
        COL_PEMBANDING: [r.n_pembanding for r in results],
        COL_BIAYA_PER_PESERTA: [cost.get(r.jenis) for r in results],
        COL_KESIMPULAN: [impact.verdict(r) for r in results],
        COL_PERINGATAN: [" ".join(r.peringatan) for r in results],
    })


def effects_display(results: Sequence[ImpactResult], events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The comparison of all jenis as Indonesian text, so Kelembagaan and Pemasaran sit side by side."""
    raw = effects_frame(results, events)
    return pd.DataFrame({
        COL_JENIS: raw[COL_JENIS],
        "Efek": [fmt.signed_percent(v) for v in raw[COL_EFEK]],
        COL_SELANG: [interval_text(r) for r in results],
        COL_PESERTA_DIUKUR: [fmt.number(v) for v in raw[COL_PESERTA_DIUKUR]],
        COL_PEMBANDING: [fmt.number(v) for v in raw[COL_PEMBANDING]],
        COL_BIAYA_PER_PESERTA: [fmt.rupiah(v) for v in raw[COL_BIAYA_PER_PESERTA]],
        COL_KESIMPULAN: raw[COL_KESIMPULAN],
    })


def per_month(result: ImpactResult) -> pd.DataFrame:
    """The result's event-study numbers (impact's column names), empty with those columns when the jenis
    could not be estimated, so the chart can always draw its axes."""
    if result.per_bulan is None:
        return pd.DataFrame(columns=[impact.BULAN_RELATIF, impact.EFEK_PERSEN, impact.CI_BAWAH, impact.CI_ATAS,
                                     impact.N_OBS])
    return result.per_bulan.copy()


def event_study_frame(results: Sequence[ImpactResult]) -> pd.DataFrame:
    """Every jenis' event-study numbers in one long frame (for Excel)."""
    parts = []
    for r in results:
        if r.per_bulan is None or r.per_bulan.empty:
            continue
        part = r.per_bulan.rename(columns={impact.BULAN_RELATIF: COL_BULAN, impact.EFEK_PERSEN: COL_EFEK,
                                           impact.CI_BAWAH: COL_CI_BAWAH, impact.CI_ATAS: COL_CI_ATAS,
                                           impact.N_OBS: COL_N_OBS})
        parts.append(part.assign(**{COL_JENIS: r.jenis})[[COL_JENIS, COL_BULAN, COL_EFEK, COL_CI_BAWAH, COL_CI_ATAS,
                                                          COL_N_OBS]])
    if not parts:
        return pd.DataFrame(columns=[COL_JENIS, COL_BULAN, COL_EFEK, COL_CI_BAWAH, COL_CI_ATAS, COL_N_OBS])
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------------------------------------- events
def events_frame(trainings: pd.DataFrame, participants: pd.DataFrame,
                 producers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per training event, oldest first, with numbers (for Excel and the cost comparison).

    Participants are counted from the whole attendance list: the cost was paid for everyone who came, so
    cost per participant is biaya / all participants, not / those linked to the registry. When
    ``producers`` is given (a producer filter is active), a column counts the participants among them.
    """
    ids = trainings[Trainings.pelatihan_id]
    listed = participants.groupby(Participants.pelatihan_id).size()
    linked = participants.dropna(subset=[Participants.umkm_id]).groupby(Participants.pelatihan_id)[
        Participants.umkm_id].nunique()
    total = ids.map(listed).fillna(0).astype("int64").to_numpy()
    biaya = pd.to_numeric(trainings[Trainings.biaya_rp]).astype("float64").to_numpy()
    frame = pd.DataFrame({
        COL_KEGIATAN: trainings[Trainings.nama_kegiatan].to_numpy(),
        COL_JENIS: trainings[Trainings.jenis].to_numpy(),
        COL_MULAI: pd.to_datetime(trainings[Trainings.tanggal_mulai]).to_numpy(),
        COL_SELESAI: pd.to_datetime(trainings[Trainings.tanggal_selesai]).to_numpy(),
        COL_LOKASI: trainings[Trainings.lokasi].to_numpy(),
        COL_PENYELENGGARA: trainings[Trainings.penyelenggara].to_numpy(),
        COL_PESERTA_TOTAL: total,
        COL_PESERTA_TERTAUT: ids.map(linked).fillna(0).astype("int64").to_numpy(),
        COL_BIAYA: biaya,
        COL_BIAYA_PER_PESERTA: [b / n if n > 0 and pd.notna(b) else None for b, n in zip(biaya, total)],
    })
    if producers is not None:
        chosen = participants[flt.isin(participants[Participants.umkm_id], producers[Producers.umkm_id])
                              .fillna(False).astype(bool)]
        counts = chosen.groupby(Participants.pelatihan_id)[Participants.umkm_id].nunique()
        frame.insert(frame.columns.get_loc(COL_BIAYA), COL_PESERTA_PILIHAN,
                     ids.map(counts).fillna(0).astype("int64").to_numpy())
    return frame.sort_values([COL_MULAI, COL_KEGIATAN], kind="stable", na_position="last").reset_index(drop=True)


def events_display(events: pd.DataFrame) -> pd.DataFrame:
    """events_frame as Indonesian text: dates, "28 / 30" participants, rupiah."""
    shown = pd.DataFrame({
        COL_KEGIATAN: events[COL_KEGIATAN],
        COL_JENIS: events[COL_JENIS],
        COL_MULAI: [fmt.date_label(d) for d in events[COL_MULAI]],
        COL_SELESAI: [fmt.date_label(d) for d in events[COL_SELESAI]],
        COL_LOKASI: events[COL_LOKASI].fillna(fmt.MISSING),
        COL_PENYELENGGARA: events[COL_PENYELENGGARA].fillna(fmt.MISSING),
        COL_PESERTA: [f"{fmt.number(a)} / {fmt.number(b)}"
                      for a, b in zip(events[COL_PESERTA_TERTAUT], events[COL_PESERTA_TOTAL])],
    })
    if COL_PESERTA_PILIHAN in events:
        shown[COL_PESERTA_PILIHAN] = [fmt.number(v) for v in events[COL_PESERTA_PILIHAN]]
    shown[COL_BIAYA] = [fmt.rupiah(v) for v in events[COL_BIAYA]]
    shown[COL_BIAYA_PER_PESERTA] = [fmt.rupiah(v) for v in events[COL_BIAYA_PER_PESERTA]]
    return shown


def cost_per_participant(events: pd.DataFrame) -> dict[str, float]:
    """Per jenis: total cost / total participants of the events whose cost is known (events_frame rows).
    Also the default seat cost of the budget plan (analysis.insight.budget)."""
    known = events[events[COL_BIAYA].notna() & (events[COL_PESERTA_TOTAL] > 0)]
    sums = known.groupby(COL_JENIS)[[COL_BIAYA, COL_PESERTA_TOTAL]].sum()
    return {str(j): float(row[COL_BIAYA] / row[COL_PESERTA_TOTAL]) for j, row in sums.iterrows()}


# ---------------------------------------------------------------------------------------------- coverage
def coverage(producers: pd.DataFrame, trainings: pd.DataFrame, participants: pd.DataFrame,
             jenis: str | None = None) -> pd.DataFrame:
    """Per kecamatan of ``producers``: registered UMKM, how many of them attended a training (of
    ``jenis``, or of any type), and that share in percent; highest share first.

    A producer who came to three events counts once: the question is how far the trainings reach."""
    events = trainings if jenis is None else trainings[trainings[Trainings.jenis] == jenis]
    came = participants[participants[Participants.pelatihan_id].isin(events[Trainings.pelatihan_id])]
    trained = came[Participants.umkm_id].dropna().drop_duplicates()
    flag = flt.isin(producers[Producers.umkm_id], trained).fillna(False).astype(bool)
    grouped = pd.DataFrame({KECAMATAN: producers[KECAMATAN].astype("string"), "_trained": flag.astype("int64")})
    per = grouped.groupby(KECAMATAN)["_trained"].agg(["size", "sum"])
    frame = pd.DataFrame({
        KECAMATAN: pd.Series(per.index, dtype="string"),
        JUMLAH_UMKM: per["size"].astype("int64").to_numpy(),
        UMKM_TERLATIH: per["sum"].astype("int64").to_numpy(),
    })
    frame[PERSEN_TERLATIH] = 100.0 * frame[UMKM_TERLATIH] / frame[JUMLAH_UMKM]
    return frame.sort_values([PERSEN_TERLATIH, KECAMATAN], ascending=[False, True], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- text
def method_text(n_boot: int) -> str:
    """The method in plain Indonesian, with the thresholds the estimator actually uses."""
    alpha = fmt.number(impact.PRETREND_ALPHA, 2)
    return f"""
**Apa yang dibandingkan.** Penjualan bulanan peserta sebelum dan sesudah pelatihan dibandingkan dengan
UMKM serupa yang belum ikut pelatihan jenis itu: kategori produk yang sama, bulan yang sama. Tingkat penjualan
biasa tiap UMKM dikeluarkan lebih dulu, jadi UMKM besar yang lebih sering diundang tidak membuat pelatihan
tampak berhasil; musim (misalnya Lebaran) dan tren kategori juga terhapus karena pembanding mengalami bulan
yang sama. Pelatihan jenis lain yang sudah diikuti peserta diperhitungkan terpisah.

**Angka efek.** Rata-rata selisih antara penjualan peserta dan perkiraan penjualannya seandainya tidak ikut
pelatihan, pada bulan 0 sampai {impact.POST_MONTHS} sesudah pelatihan (bulan 0 = bulan penuh pertama setelah
pelatihan selesai), dalam persen.

**Selang kepercayaan 95%.** UMKM diundi ulang {fmt.number(n_boot)} kali (bootstrap) dan perkiraan dihitung
ulang setiap kali. Bila selang mencakup 0, data belum dapat membedakan dampak pelatihan dari nol.

**Pemeriksaan sebelum pelatihan.** Pada {impact.PRE_MONTHS} bulan sebelum pelatihan, penjualan peserta
seharusnya bergerak sama dengan pembanding (titik abu-abu di grafik dekat garis 0). Diuji juga apakah
peserta sudah tumbuh lebih cepat sejak sebelum pelatihan. Bila salah satu uji gagal (p < {alpha}), hasilnya
diberi peringatan dan tidak boleh dibaca sebagai dampak pelatihan.

**Batas.**
- Ini bukan percobaan: peserta tidak diundi. Perbandingan hanya menghapus perbedaan yang tampak di data;
  alasan lain mengapa seseorang diundang tetap dapat memengaruhi hasil.
- Bulan tanpa laporan penjualan tidak dihitung (bukan dianggap nol). Bila UMKM yang usahanya menurun berhenti
  melapor, efek dapat tampak lebih besar dari sebenarnya.
- Dampak diikuti paling lama {impact.POST_MONTHS} bulan; pelatihan terbaru punya lebih sedikit bulan sesudahnya.
- Perlu minimal {impact.MIN_PESERTA} peserta dengan data penjualan sebelum dan sesudah pelatihan (dan
  {impact.MIN_PEMBANDING} pembanding); di bawah itu tidak ditarik kesimpulan.
- Hanya peserta yang tertaut ke registri UMKM yang dapat diukur.
""".strip()


def export_sheets(results: Sequence[ImpactResult], events: pd.DataFrame, filters: flt.Filters,
                  data_until: pd.Timestamp | None, *, n_boot: int, seed: int) -> dict[str, pd.DataFrame]:
    """The page's Excel download: estimates, event-study numbers, events, and a parameter sheet that says
    how they were made, so a number sent around by e-mail keeps its interval and its limits."""
    parameters = pd.DataFrame({
        "Parameter": ["Metode", "Efek", "Selang kepercayaan", "Ulangan bootstrap", "Benih acak",
                      "Uji sebelum pelatihan", "Minimal peserta", "Minimal pembanding", "Filter",
                      "Filter periode", "Data sampai"],
        "Nilai": [
            "Imputasi (Borusyak, Jaravel & Spiess 2024): log penjualan bulanan, efek UMKM + kategori x bulan",
            f"rata-rata bulan 0–{impact.POST_MONTHS} sesudah pelatihan, persen",
            "95%, bootstrap per UMKM", n_boot, seed,
            f"{impact.PRE_MONTHS} bulan sebelum pelatihan dan tren sebelum pelatihan, tingkat uji "
            f"{fmt.number(impact.PRETREND_ALPHA, 2)}",
            impact.MIN_PESERTA, impact.MIN_PEMBANDING, replace(filters, start=None, end=None).describe(),
            "tidak dipakai (perlu bulan sebelum dan sesudah pelatihan)", fmt.month_label(data_until),
        ],
    })
    money = {COL_BIAYA: excel.RUPIAH_FORMAT, COL_BIAYA_PER_PESERTA: excel.RUPIAH_FORMAT}
    percent = {c: "0.0" for c in (COL_EFEK, COL_CI_BAWAH, COL_CI_ATAS)}  # percent points: 14,5 = +14,5%
    return {"Perkiraan": excel.with_formats(effects_frame(results, events), {**money, **percent}),
            "Per bulan": excel.with_formats(event_study_frame(results), percent),
            "Kegiatan": excel.with_formats(events, money), "Parameter": parameters}
