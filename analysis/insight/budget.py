"""Prioritas Anggaran: where next year's training budget should go, and what it may buy.

A planner sets the total budget, the cost of one seat per training type and weights for six criteria per
kecamatan. Out come (1) kecamatan ranked by a score whose parts are visible (each criterion's points), (2)
whole seats per training type per kecamatan that never cost more than the budget, (3) the extra sales per
year those seats may bring, as a range from the training-impact intervals, with a warning where the
estimate is weak, and (4) the producers to invite first.

Choices, so the plan can be defended in a meeting:
- Criteria are shares (0..1) of a kecamatan's UMKM, used as they are, so a point means the same in every
  kecamatan; the number of UMKM is divided by the largest kecamatan's and sales growth is rescaled from the
  lowest (0) to the highest (1). Score = sum of weight share x criterion value x 100 (0..100 points).
- The budget is split over training types by the planner's shares; seats are handed out one at a time to
  the type furthest below its share and, within a type, to the kecamatan with the highest
  score x trainable UMKM / (2 x seats already given + 1) (Sainte-Laguë, in whole seats): a kecamatan
  trains a part of its trainable UMKM (active, not yet trained in that type) in proportion to its score,
  so a kecamatan that scores twice as high trains twice the share. Never more seats than trainable UMKM. Money a type
  cannot use (no one left to train) goes to the others. A seat is added only if it fits the money left,
  so the plan never exceeds the budget.
- Extra sales per seat = the type's estimated effect (percent, with its 95% interval) x the average
  yearly sales of the UMKM that could take the seat in that kecamatan. Only the effect's uncertainty is
  carried into the range; the note says so.

Pure functions (frames in, new frames out); the page, the Excel export and the PowerPoint deck share them.
"""
from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis.core import excel, privacy
from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Sales, Trainings
from analysis.impact import ImpactResult
from analysis.insight import filters as flt
from analysis.insight import indicators as ind
from analysis.insight import training
from analysis.insight.coded import NO_MONTH, CodedSales, covers, mask_or_all

# ---------------------------------------------------------------------------------------------- criteria


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    definition: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion("jumlah_umkm", "Jumlah UMKM", "UMKM terdaftar ÷ UMKM di kecamatan terbanyak."),
    Criterion("belum_pemasaran", "Belum pernah pelatihan pemasaran",
              "Bagian UMKM yang belum pernah hadir di pelatihan Pemasaran."),
    Criterion("pasar_lokal", "Pasar hanya desa/kecamatan",
              "Bagian UMKM yang menjual hanya di desa atau kecamatannya (dari UMKM yang jangkauannya tercatat)."),
    Criterion("tanpa_izin", "Tanpa PIRT/halal",
              "Bagian UMKM yang belum tercatat memiliki PIRT maupun sertifikat halal."),
    Criterion("tanpa_online", "Belum berjualan online", "Bagian UMKM yang belum tercatat memasarkan secara online."),
    Criterion("pertumbuhan", "Pertumbuhan penjualan",
              "Pertumbuhan penjualan tahunan, diskalakan dari terendah (0) ke tertinggi (1) antar kecamatan."),
)
CRITERION_KEYS = tuple(c.key for c in CRITERIA)
CRITERION_LABELS = {c.key: c.label for c in CRITERIA}
DEFAULT_WEIGHTS = {"jumlah_umkm": 1.0, "belum_pemasaran": 3.0, "pasar_lokal": 2.0, "tanpa_izin": 1.0,
                   "tanpa_online": 2.0, "pertumbuhan": 1.0}
# Marketing networks and packaging: the gap the article behind this project names.
DEFAULT_SHARES = {"Pemasaran": 60.0, "Kemasan": 40.0}
FUNDABLE = tuple(j for j in ref.JENIS_PELATIHAN if j != ref.JENIS_LAINNYA)
DEFAULT_BUDGET_RP = 500_000_000.0
LOCAL_MARKETS = ref.JANGKAUAN_PASAR[:ref.JANGKAUAN_PASAR.index("Kabupaten")]  # Desa, Kecamatan
ACTIVE_MONTHS = 6  # "active sales": at least one sales report in the last six months of the data
MARKETING = "Pemasaran"
MARKETING_SHARE = "porsi_terlatih_pemasaran"  # the indicator catalogue's key for the share trained in it

KECAMATAN = Producers.kecamatan
N_UMKM = ind.N_UMKM
SKOR = "skor"
PERINGKAT = "peringkat"
JENIS = "jenis"
KURSI = "kursi"
BIAYA = "biaya_rp"
KAPASITAS = "umkm_bisa_dilatih"  # active UMKM not yet trained in the type
PENJUALAN_TAHUNAN = "penjualan_tahunan_rp"  # average yearly sales of those UMKM
TAMBAHAN_BAWAH, TAMBAHAN, TAMBAHAN_ATAS = "tambahan_bawah_rp", "tambahan_rp", "tambahan_atas_rp"
PERINGATAN = "peringatan"


COL_KECAMATAN = "Kecamatan"  # the kecamatan column of the Indonesian tables (pages take it from here)


def contribution_column(key: str) -> str:
    return f"poin_{key}"


# ---------------------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class PlanParams:
    """Everything the planner chooses; kept in the URL and in the export's parameter sheet."""

    anggaran_rp: float = DEFAULT_BUDGET_RP
    bobot: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    biaya: Mapping[str, float] = field(default_factory=dict)  # rupiah per participant, per jenis
    porsi: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SHARES))  # relative, per jenis

    def weight(self, key: str) -> float:
        return max(0.0, float(self.bobot.get(key, 0.0)))

    def share(self, jenis: str) -> float:
        return max(0.0, float(self.porsi.get(jenis, 0.0)))


Q_BUDGET, Q_WEIGHTS, Q_COSTS, Q_SHARES = "anggaran", "bobot", "biaya", "porsi"
QUERY_KEYS = (Q_BUDGET, Q_WEIGHTS, Q_COSTS, Q_SHARES)


def _pairs(values: Mapping[str, float], order: Sequence[str]) -> str:
    return ",".join(f"{key}:{_plain(values[key])}" for key in order if key in values)


def _plain(value: float) -> str:
    """A number for the link: whole rupiah and counts as integers, a weight of 1,5 as 1.5."""
    value = round(float(value), 1)
    return str(int(value)) if value.is_integer() else repr(value)


def to_query(params: PlanParams) -> dict[str, str]:
    """Query parameters that reopen the plan: ?anggaran=500000000&bobot=jumlah_umkm:3,...&porsi=Pemasaran:60."""
    return {
        Q_BUDGET: _plain(params.anggaran_rp),
        Q_WEIGHTS: _pairs(params.bobot, CRITERION_KEYS),
        Q_COSTS: _pairs(params.biaya, FUNDABLE),
        Q_SHARES: _pairs(params.porsi, FUNDABLE),
    }


def from_query(query: Mapping[str, str], default_costs: Mapping[str, float]) -> tuple[PlanParams, list[str]]:
    """The plan's parameters from a link, and Indonesian notes on values that were ignored. Never raises:
    a bad value falls back to its default. Costs missing from the link come from the data."""
    notes: list[str] = []

    def number(text: str, what: str) -> float | None:
        try:
            value = float(text)
        except (TypeError, ValueError):
            notes.append(f"Nilai '{text}' untuk {what} bukan angka; diabaikan.")
            return None
        if not math.isfinite(value) or value < 0:
            notes.append(f"Nilai '{text}' untuk {what} harus angka nol atau lebih; diabaikan.")
            return None
        return value

    def pairs(key: str, allowed: Sequence[str]) -> dict[str, float] | None:
        text = query.get(key)
        if text is None:
            return None
        found: dict[str, float] = {}
        for part in (p for p in str(text).split(",") if p.strip()):
            name, _, raw = part.partition(":")
            name = name.strip()
            if name not in allowed:
                notes.append(f"'{name}' pada parameter '{key}' tidak dikenal; diabaikan.")
                continue
            value = number(raw.strip(), f"{key} {name}")
            if value is not None:
                found[name] = value
        return found

    budget = number(query[Q_BUDGET], Q_BUDGET) if Q_BUDGET in query else None
    weights = pairs(Q_WEIGHTS, CRITERION_KEYS)
    costs = pairs(Q_COSTS, FUNDABLE)
    shares = pairs(Q_SHARES, FUNDABLE)
    params = PlanParams(
        anggaran_rp=DEFAULT_BUDGET_RP if budget is None else budget,
        # a link that names some weights means the others are 0 (to_query writes them all)
        bobot=dict(DEFAULT_WEIGHTS) if weights is None else {k: weights.get(k, 0.0) for k in CRITERION_KEYS},
        biaya={**{k: float(v) for k, v in default_costs.items()}, **(costs or {})},
        porsi=dict(DEFAULT_SHARES) if shares is None else shares,
    )
    return params, notes


# ---------------------------------------------------------------------------------------------- inputs


def default_costs(trainings: pd.DataFrame, participants: pd.DataFrame) -> dict[str, float]:
    """Cost per participant per jenis from past events (total cost ÷ everyone on their attendance lists),
    the same figure the Dampak Pelatihan page shows, in whole rupiah."""
    return {jenis: float(round(cost)) for jenis, cost in
            training.cost_per_participant(training.events_frame(trainings, participants)).items()}


def _data_end(sales: pd.DataFrame, filters: flt.Filters) -> pd.Timestamp | None:
    months = pd.to_datetime(sales[Sales.bulan]).dropna()
    if months.empty:
        return None
    last = months.max().to_period("M").to_timestamp()
    return min(last, filters.end) if filters.end is not None else last


def _trained_ids(trainings: pd.DataFrame, participants: pd.DataFrame, jenis: str) -> set:
    events = trainings.loc[trainings[Trainings.jenis] == jenis, Trainings.pelatihan_id]
    came = participants[participants[Participants.pelatihan_id].isin(events)]
    return set(came[Participants.umkm_id].dropna())


def _yearly_sales(sales: pd.DataFrame, end: pd.Timestamp | None) -> pd.DataFrame:
    """Per producer: whether it reported sales in the last ACTIVE_MONTHS months up to ``end``, and its
    yearly sales (average reported month of the last 12 x 12; an unreported month is missing, not zero)."""
    columns = [Sales.umkm_id, "aktif", PENJUALAN_TAHUNAN]
    if end is None:
        return pd.DataFrame(columns=columns)
    rows = pd.DataFrame({Sales.umkm_id: sales[Sales.umkm_id].astype("string"),
                         "bulan": pd.to_datetime(sales[Sales.bulan]).dt.to_period("M").dt.to_timestamp(),
                         "nilai": pd.to_numeric(sales[Sales.nilai_rp]).astype("float64")}).dropna()
    rows = rows[(rows["bulan"] <= end) & (rows["bulan"] > end - pd.DateOffset(months=12))]
    monthly = rows.groupby([Sales.umkm_id, "bulan"], as_index=False)["nilai"].sum()
    per = monthly.groupby(Sales.umkm_id).agg(terakhir=("bulan", "max"), rata=("nilai", "mean")).reset_index()
    per["aktif"] = per["terakhir"] > end - pd.DateOffset(months=ACTIVE_MONTHS)
    per[PENJUALAN_TAHUNAN] = per["rata"] * 12
    return per[columns]


def _yearly_sales_coded(coded: CodedSales, rows: np.ndarray, filters: flt.Filters) -> pd.DataFrame:
    """``_yearly_sales`` of the rows ``rows`` of ``coded``, up to their data end (``_data_end``)."""
    columns = [Sales.umkm_id, "aktif", PENJUALAN_TAHUNAN]
    dated = rows & (coded.month != NO_MONTH)
    if not dated.any():
        return pd.DataFrame(columns=columns)
    end = int(coded.month[dated].max())
    if filters.end is not None:
        end = min(end, (filters.end.year - 1970) * 12 + filters.end.month - 1)
    take = rows & coded.usable & (coded.umkm >= 0) & (coded.month <= end) & (coded.month > end - 12)
    if not take.any():
        return pd.DataFrame(columns=columns)
    # (producer, month of the last 12) as one integer below 12 x producers: its sums and counts by bincount,
    # the reported (producer, month) pairs in order, so each producer's months are together, the last one last
    pair = coded.umkm[take].astype(np.int64) * 12 + (coded.month[take] - (end - 11))
    size = 12 * len(coded.ids)
    reported = np.flatnonzero(np.bincount(pair, minlength=size))
    monthly = np.bincount(pair, weights=coded.nilai[take], minlength=size)[reported]
    producer, month = reported // 12, reported % 12
    last = np.flatnonzero(np.r_[producer[1:] != producer[:-1], True])  # each producer's last reported month
    first = np.r_[0, last[:-1] + 1]
    mean = np.add.reduceat(monthly, first) / (last - first + 1)
    return pd.DataFrame({Sales.umkm_id: coded.ids.array.take(producer[last]),
                         "aktif": month[last] > 11 - ACTIVE_MONTHS,
                         PENJUALAN_TAHUNAN: mean * 12}, columns=columns)


def criteria(tables, filters: flt.Filters = flt.Filters(), *, per_kecamatan: pd.DataFrame | None = None,
             producers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The raw value of every criterion per kecamatan (17 rows), with the number of UMKM behind it.

    ``tables`` are the unfiltered tables: growth looks a year back. Shares whose base is empty are missing.
    When the caller has them: ``per_kecamatan`` (``indicators.compute(tables, filters, by_kecamatan=True)``)
    and ``producers`` (the producers under the filters without the period, e.g. ``reach().producers``)."""
    if per_kecamatan is None:
        per_kecamatan = ind.compute(tables, filters, by_kecamatan=True)
    per = per_kecamatan.set_index(KECAMATAN)
    if producers is None:
        producers = flt.apply(tables, replace(filters, start=None, end=None)).producers
    names = list(ref.kecamatan_names())
    key = producers[KECAMATAN]
    known = producers[Producers.jangkauan_pasar].notna()
    local = producers[Producers.jangkauan_pasar].isin(LOCAL_MARKETS).fillna(False).astype(bool)
    certified = (producers[Producers.pirt].astype("boolean").fillna(False)
                 | producers[Producers.halal].astype("boolean").fillna(False)).astype(bool)
    n = per[N_UMKM].reindex(names).astype(int)
    local_share = local.groupby(key).sum().reindex(names, fill_value=0) / \
        known.groupby(key).sum().reindex(names, fill_value=0).where(lambda s: s > 0)
    frame = pd.DataFrame({
        N_UMKM: n,
        "jumlah_umkm": n.astype(float),
        "belum_pemasaran": 1 - per[MARKETING_SHARE].reindex(names),
        "pasar_lokal": local_share.astype(float),
        "tanpa_izin": 1 - (certified.groupby(key).sum().reindex(names, fill_value=0) / n.where(n > 0)).astype(float),
        "tanpa_online": 1 - per["porsi_online"].reindex(names),
        "pertumbuhan": per["pertumbuhan_penjualan"].reindex(names).astype(float),
    }, index=pd.Index(names, name=KECAMATAN))
    return frame.reset_index()


def normalised(values: pd.DataFrame) -> pd.DataFrame:
    """Each criterion on 0..1: shares as they are, UMKM ÷ the largest count, growth rescaled min..max.
    Kecamatan without UMKM are left out."""
    frame = values[values[N_UMKM] > 0].copy()
    largest = frame["jumlah_umkm"].max()
    frame["jumlah_umkm"] = frame["jumlah_umkm"] / largest if largest and largest > 0 else 0.0
    growth = frame["pertumbuhan"]
    low, high = growth.min(), growth.max()
    frame["pertumbuhan"] = (growth - low) / (high - low) if pd.notna(low) and high > low else \
        growth.where(growth.isna(), 0.0)
    return frame.reset_index(drop=True)


def score(values: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Kecamatan ranked by score (0..100), with each criterion's value and its points (poin_<key>) so the
    score can be read as a sum. A missing criterion value gives 0 points for that criterion."""
    frame = normalised(values)
    total = sum(max(0.0, float(weights.get(k, 0.0))) for k in CRITERION_KEYS)
    frame[SKOR] = 0.0
    for key in CRITERION_KEYS:
        share = max(0.0, float(weights.get(key, 0.0))) / total if total > 0 else 0.0
        points = (100.0 * share * frame[key]).fillna(0.0)
        frame[contribution_column(key)] = points
        frame[SKOR] = frame[SKOR] + points
    frame[PERINGKAT] = frame[SKOR].rank(method="min", ascending=False).astype("int64")
    return frame.sort_values([PERINGKAT, KECAMATAN], kind="stable").reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class Reach:
    """Per producer under the producer filters (kecamatan, kategori, skala; not the period): whether it
    reported sales in the last ACTIVE_MONTHS months up to the data end, its yearly sales, and whether it
    was never trained in each jenis. What capacity() and candidates() share; depends on the producer
    filters and ``filters.end`` only, so a period change that keeps the end can reuse it."""

    producers: pd.DataFrame
    ids: pd.Series  # umkm_id as string, index of ``producers``
    active: pd.Series  # bool
    sales_per_year: pd.Series  # float64, missing when no sales in the last 12 months
    untrained: Mapping[str, pd.Series]  # jenis -> bool


def reach(tables, filters: flt.Filters = flt.Filters(), coded: CodedSales | None = None) -> Reach:
    """Who a training could reach under the producer filters, up to the data end (``coded``: the sales as
    the dashboard keeps them; the sales rows are then read from it)."""
    producer_filters = replace(filters, start=None, end=None)
    selected = flt.apply(tables, producer_filters)
    producers = selected.producers
    if covers(coded, tables.sales):
        rows = mask_or_all(coded, coded.rows(tables.producers, producer_filters))
        yearly = _yearly_sales_coded(coded, rows, filters).set_index(Sales.umkm_id)
    else:
        yearly = _yearly_sales(selected.sales, _data_end(selected.sales, filters)).set_index(Sales.umkm_id)
    ids = producers[Producers.umkm_id].astype("string")
    untrained = {jenis: ~flt.isin(ids, _trained_ids(selected.trainings, selected.participants, jenis))
                 for jenis in dict.fromkeys((*FUNDABLE, MARKETING))}
    # Each producer's row of ``yearly`` (one per producer with sales), looked up once for both columns
    at = yearly.index.get_indexer(ids)
    found = at >= 0
    active = np.zeros(len(ids), dtype=bool)
    active[found] = yearly["aktif"].to_numpy(dtype=bool)[at[found]]
    per_year = np.full(len(ids), np.nan)
    per_year[found] = yearly[PENJUALAN_TAHUNAN].to_numpy(dtype="float64")[at[found]]
    return Reach(producers, ids, active=pd.Series(active, index=ids.index, name=ids.name),
                 sales_per_year=pd.Series(per_year, index=ids.index, name=ids.name), untrained=untrained)


def capacity(tables, filters: flt.Filters = flt.Filters(), *, reached: Reach | None = None) -> pd.DataFrame:
    """Per kecamatan and jenis: active UMKM not yet trained in that jenis (the most seats worth offering)
    and their average yearly sales (what a training's effect in percent applies to). ``reached``:
    ``reach(tables, filters)`` when the caller has it."""
    reached = reach(tables, filters) if reached is None else reached
    producers, active, sales_per_year = reached.producers, reached.active, reached.sales_per_year
    rows = []
    for jenis in FUNDABLE:
        untrained = reached.untrained[jenis]
        eligible = pd.DataFrame({KECAMATAN: producers[KECAMATAN].to_numpy(), "ok": (active & untrained).to_numpy(),
                                 "nilai": sales_per_year.to_numpy()})
        eligible = eligible[eligible["ok"]]
        grouped = eligible.groupby(KECAMATAN)["nilai"].agg(["size", "mean"])
        for name in ref.kecamatan_names():
            rows.append({KECAMATAN: name, JENIS: jenis,
                         KAPASITAS: int(grouped["size"].get(name, 0)),
                         PENJUALAN_TAHUNAN: float(grouped["mean"].get(name, float("nan")))})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------- allocation


def allocate(scored: pd.DataFrame, room: pd.DataFrame, params: PlanParams) -> pd.DataFrame:
    """Whole seats per kecamatan and jenis, never costing more than ``params.anggaran_rp``.

    One seat at a time: the jenis furthest below its share of the budget (after the seat) that still fits the
    money left and has someone to train; within it the kecamatan with the highest
    score x trainable UMKM / (2 x seats + 1) that still has room (Sainte-Laguë), so each kecamatan trains a
    part of its trainable UMKM in proportion to its score. Returns rows with at least one seat: kecamatan, jenis, kursi, biaya_rp."""
    columns = [KECAMATAN, JENIS, KURSI, BIAYA]
    shares = {j: params.share(j) for j in FUNDABLE}
    costs = {j: float(params.biaya.get(j) or 0.0) for j in FUNDABLE}
    funded = [j for j in FUNDABLE if shares[j] > 0 and costs[j] > 0]
    left = float(params.anggaran_rp)
    if not funded or left <= 0:
        return pd.DataFrame(columns=columns)
    score_of = dict(zip(scored[KECAMATAN], scored[SKOR]))
    rank_of = dict(zip(scored[KECAMATAN], scored[PERINGKAT]))
    limit = {(r[KECAMATAN], r[JENIS]): int(r[KAPASITAS]) for r in room.to_dict("records")}
    seats: dict[tuple[str, str], int] = {}
    spent = dict.fromkeys(funded, 0.0)
    # one priority queue of kecamatan per jenis: (-score/(2s+1), rank, name)
    def weight(k: str, j: str) -> float:
        return score_of[k] * limit.get((k, j), 0)

    queues = {j: [(-weight(k, j), rank_of[k], k) for k in score_of if weight(k, j) > 0] for j in funded}
    for queue in queues.values():
        heapq.heapify(queue)
    share_total = sum(shares[j] for j in funded)
    while True:
        open_types = [j for j in funded if queues[j] and costs[j] <= left + 1e-6]
        if not open_types:
            break
        jenis = min(open_types, key=lambda j: ((spent[j] + costs[j]) / (shares[j] / share_total), FUNDABLE.index(j)))
        _, rank, name = heapq.heappop(queues[jenis])
        given = seats.get((name, jenis), 0) + 1
        seats[(name, jenis)] = given
        spent[jenis] += costs[jenis]
        left -= costs[jenis]
        if given < limit[(name, jenis)]:
            heapq.heappush(queues[jenis], (-weight(name, jenis) / (2 * given + 1), rank, name))
    rows = [{KECAMATAN: k, JENIS: j, KURSI: n, BIAYA: n * costs[j]} for (k, j), n in seats.items()]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    frame[KURSI] = frame[KURSI].astype("int64")
    order = {k: rank_of[k] for k in frame[KECAMATAN]}
    return frame.sort_values([KECAMATAN, JENIS], key=lambda s: s.map(order) if s.name == KECAMATAN
                             else s.map(FUNDABLE.index), kind="stable").reset_index(drop=True)


def no_seats_reason(params: PlanParams, room: pd.DataFrame) -> str:
    """Why ``allocate`` gave no seat, in one Indonesian sentence a planner can act on."""
    shares = {j: params.share(j) for j in FUNDABLE}
    costs = {j: float(params.biaya.get(j) or 0.0) for j in FUNDABLE}
    chosen = [j for j in FUNDABLE if shares[j] > 0]
    if params.anggaran_rp <= 0:
        return "anggaran total masih nol."
    if not chosen:
        return "porsi anggaran semua jenis pelatihan nol."
    no_cost = [j for j in chosen if costs[j] <= 0]
    if len(no_cost) == len(chosen):
        return f"biaya per peserta {', '.join(no_cost)} belum diisi."
    capacity = room.groupby(JENIS)[KAPASITAS].sum() if not room.empty else pd.Series(dtype="int64")
    trainable = [j for j in chosen if costs[j] > 0 and int(capacity.get(j, 0)) > 0]
    if not trainable:
        return (f"tidak ada UMKM yang dapat dilatih {' atau '.join(j for j in chosen if costs[j] > 0)}: UMKM yang dapat "
                f"dilatih melapor penjualan dalam {ACTIVE_MONTHS} bulan terakhir data dan belum pernah ikut pelatihan "
                "jenis itu. Periksa apakah data penjualan terbaru sudah dimuat, atau ubah filter.")
    cheapest = min(costs[j] for j in trainable)
    return (f"anggaran {fmt.rupiah(params.anggaran_rp)} lebih kecil dari biaya satu kursi "
            f"({fmt.rupiah(cheapest)}).")


# ---------------------------------------------------------------------------------------------- expected sales


def weak_reason(result: ImpactResult | None) -> str | None:
    """Why an effect estimate should not carry a budget decision on its own, or None when it is sound."""
    if result is None or result.efek_persen is None or result.ci_bawah is None or result.ci_atas is None:
        return "belum ada perkiraan dampak untuk jenis ini"
    if not result.cukup_data:
        return f"peserta yang dapat diukur terlalu sedikit ({fmt.number(result.n_peserta)} UMKM)"
    if result.pratren_berbeda:
        return "sebelum pelatihan, penjualan peserta sudah bergerak berbeda dari pembanding"
    if result.ci_bawah <= 0 <= result.ci_atas:
        return "selang kepercayaan 95% mencakup nol (dampaknya bisa saja nol)"
    if result.peringatan:
        return result.peringatan[0]
    return None


def expected_sales(seats: pd.DataFrame, room: pd.DataFrame, results: Sequence[ImpactResult]) -> pd.DataFrame:
    """Per jenis in the plan: seats, cost, and extra sales per year (low / central / high from the effect's
    95% interval) with the reason the estimate is weak, if it is. Missing amounts where there is no
    estimate, never zero."""
    by_jenis = {r.jenis: r for r in results}
    columns = [JENIS, KURSI, BIAYA, TAMBAHAN_BAWAH, TAMBAHAN, TAMBAHAN_ATAS, "efek_persen", "ci_bawah", "ci_atas",
               "n_peserta", PERINGATAN]
    if seats.empty:
        return pd.DataFrame(columns=columns)
    base = seats.merge(room[[KECAMATAN, JENIS, PENJUALAN_TAHUNAN]], on=[KECAMATAN, JENIS], how="left")
    base["_omzet"] = base[KURSI] * base[PENJUALAN_TAHUNAN].fillna(0.0)
    rows = []
    for jenis in [j for j in FUNDABLE if j in set(base[JENIS])]:
        part = base[base[JENIS] == jenis]
        result = by_jenis.get(jenis)
        money = float(part["_omzet"].sum())
        has = result is not None and result.efek_persen is not None and result.ci_bawah is not None \
            and result.ci_atas is not None
        rows.append({
            JENIS: jenis, KURSI: int(part[KURSI].sum()), BIAYA: float(part[BIAYA].sum()),
            TAMBAHAN_BAWAH: money * result.ci_bawah / 100 if has else None,
            TAMBAHAN: money * result.efek_persen / 100 if has else None,
            TAMBAHAN_ATAS: money * result.ci_atas / 100 if has else None,
            "efek_persen": result.efek_persen if has else None,
            "ci_bawah": result.ci_bawah if has else None, "ci_atas": result.ci_atas if has else None,
            "n_peserta": result.n_peserta if result is not None else 0,
            PERINGATAN: weak_reason(result),
        })
    frame = pd.DataFrame(rows, columns=columns)
    # object, not str: pandas 3 would turn a missing warning into NaN, which reads as true
    frame[PERINGATAN] = pd.Series([r[PERINGATAN] for r in rows], dtype=object)
    return frame


# ---------------------------------------------------------------------------------------------- candidates

COL_PRIORITAS = "Prioritas kecamatan"
COL_JENIS_PELATIHAN = "Jenis pelatihan"
COL_URUTAN = "Undangan"  # "1", "2", ... for the seats, "cadangan 1", ... for the reserves
COL_NIK, COL_HP = "NIK", "No. HP"
COL_ID = "Kode UMKM"  # the producer's umkm_id: its profile on Direktori UMKM, and a key for the invitation list
COL_PENJUALAN = "Penjualan setahun (perkiraan)"
_CANDIDATE_COLUMNS = {
    KECAMATAN: COL_KECAMATAN, Producers.desa: "Desa", Producers.nama_usaha: "Nama usaha",
    Producers.nama_pemilik: "Pemilik", Producers.produk_utama: "Produk utama",
    Producers.jangkauan_pasar: "Jangkauan pasar", PENJUALAN_TAHUNAN: COL_PENJUALAN,
    Producers.nik: COL_NIK, Producers.no_hp: COL_HP, Producers.umkm_id: COL_ID,
}
RESERVE_SHARE = 0.2  # reserves invited per kecamatan and jenis beyond its seats: not everyone invited comes
_FIRST = "_dahulu"  # 0 for the producers a jenis serves first (see _serves_first), else 1
# Whom each training serves first, among the producers that could take its seat.
CANDIDATE_RULES = {
    MARKETING: "UMKM yang hanya berjualan di desa/kecamatannya didahulukan",
    "Kemasan": "UMKM yang belum punya PIRT atau sertifikat halal didahulukan",
}


def _serves_first(jenis: str, producers: pd.DataFrame) -> pd.Series:
    """True for the producers a training of ``jenis`` serves first: marketing for those selling only in
    their desa or kecamatan (the gap the Dinas names), packaging for those without PIRT or halal."""
    if jenis == MARKETING:
        return producers[Producers.jangkauan_pasar].isin(LOCAL_MARKETS).fillna(False).astype(bool)
    if jenis == "Kemasan":
        licensed = (producers[Producers.pirt].astype("boolean").fillna(False)
                    | producers[Producers.halal].astype("boolean").fillna(False))
        return ~licensed.astype(bool)
    return pd.Series(True, index=producers.index)


def candidate_pool(reached: Reach, *, show_personal: bool = False) -> pd.DataFrame:
    """Everyone who could take a seat, one row per producer and jenis: active and never trained in that
    jenis (the same rule as capacity(), so every seat has someone), with its yearly sales and whether the
    jenis serves it first; NIK and phone masked unless ``show_personal``. Does not depend on the ranking or
    the seats, so it can be kept while the weights or the budget move."""
    # Only the columns an invitation shows, masked once (not once per jenis): a province's pool is four
    # times its producers, and taking every column of them took most of a second.
    shown = [c for c in _CANDIDATE_COLUMNS if c in reached.producers.columns and c != PENJUALAN_TAHUNAN]
    producers = privacy.mask_frame(reached.producers[shown], show_personal=show_personal)
    frames = []
    for jenis in FUNDABLE:
        keep = (reached.active & reached.untrained[jenis]).to_numpy()
        first = _serves_first(jenis, reached.producers).to_numpy()[keep]
        frames.append(producers[keep].assign(**{JENIS: jenis, PENJUALAN_TAHUNAN: reached.sales_per_year[keep],
                                                _FIRST: np.where(first, 0, 1)}))
    return pd.concat(frames, ignore_index=True) if frames else producers.iloc[:0]


def invitations(pool: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The producers to invite for the plan's seats: per kecamatan and jenis as many as it has seats, then
    RESERVE_SHARE more as reserves, those the jenis serves first before the others, then the largest
    sales (most to gain). Jenis in order, kecamatan by priority. Numbers, for Excel and the page text."""
    rank = dict(zip(plan.ranking[KECAMATAN], plan.ranking[PERINGKAT]))
    seats = {(r[KECAMATAN], r[JENIS]): int(r[KURSI]) for r in plan.seats.to_dict("records")}
    first = pool[_FIRST].to_numpy(dtype=np.int64)
    sales = pd.to_numeric(pool[PENJUALAN_TAHUNAN]).to_numpy(dtype=float, na_value=np.nan)
    parts = []
    # Only the (kecamatan, jenis) groups with seats are ordered (a plan funds a few of a province's many),
    # on the two sort keys alone: those the jenis serves first, then the largest sales (missing last),
    # ties in the pool's order; the rows taken are then read from the pool at once.
    for (kecamatan, jenis), positions in pool.groupby([KECAMATAN, JENIS], sort=False).indices.items():
        n = seats.get((kecamatan, jenis), 0)
        if n == 0:
            continue
        reserves = math.ceil(n * RESERVE_SHARE)
        taken = positions[np.lexsort((-sales[positions], first[positions]))[:n + reserves]]
        labels = [str(i + 1) if i < n else f"cadangan {i - n + 1}" for i in range(len(taken))]
        place = rank.get(kecamatan)
        order = (FUNDABLE.index(jenis), math.inf if place is None or pd.isna(place) else place, kecamatan)
        parts.append((order, taken, labels, place))
    columns = [COL_JENIS_PELATIHAN, COL_PRIORITAS, COL_URUTAN, *_CANDIDATE_COLUMNS.values()]
    if not parts:
        return pd.DataFrame(columns=columns)
    parts.sort(key=lambda item: item[0])
    table = pool.iloc[np.concatenate([taken for _, taken, _, _ in parts])].assign(**{
        COL_URUTAN: [label for _, _, labels, _ in parts for label in labels],
        COL_PRIORITAS: pd.array([place for _, taken, _, place in parts for _ in taken], dtype="Int64"),
    })
    return table.rename(columns={JENIS: COL_JENIS_PELATIHAN, **_CANDIDATE_COLUMNS})[columns].reset_index(drop=True)


def candidates(tables, plan: Plan, filters: flt.Filters = flt.Filters(), *, show_personal: bool = False,
               reached: Reach | None = None) -> pd.DataFrame:
    """``invitations`` from the unfiltered tables. ``reached``: ``reach(tables, filters)`` when the caller has it."""
    reached = reach(tables, filters) if reached is None else reached
    return invitations(candidate_pool(reached, show_personal=show_personal), plan)


# ---------------------------------------------------------------------------------------------- the plan


@dataclass(frozen=True, eq=False)
class Plan:
    params: PlanParams
    ranking: pd.DataFrame  # score(): kecamatan, criteria, poin_<key>, skor, peringkat
    seats: pd.DataFrame  # allocate(): kecamatan, jenis, kursi, biaya_rp
    room: pd.DataFrame  # capacity()
    sales: pd.DataFrame  # expected_sales()

    @property
    def spent_rp(self) -> float:
        return float(self.seats[BIAYA].sum()) if not self.seats.empty else 0.0

    @property
    def n_seats(self) -> int:
        return int(self.seats[KURSI].sum()) if not self.seats.empty else 0

    def total(self, column: str) -> float | None:
        """Sum of an expected-sales column over the jenis that have an estimate (None when none has)."""
        values = pd.to_numeric(self.sales[column], errors="coerce").dropna() if not self.sales.empty else []
        return float(values.sum()) if len(values) else None

    @property
    def warnings(self) -> list[str]:
        return [f"{row[JENIS]}: {row[PERINGATAN]}" for row in self.sales.to_dict("records") if row[PERINGATAN]]


def make_plan(tables, filters: flt.Filters, params: PlanParams, results: Sequence[ImpactResult], *,
              values: pd.DataFrame | None = None, reached: Reach | None = None,
              room: pd.DataFrame | None = None) -> Plan:
    """The whole plan from the unfiltered tables, the sidebar filters, the planner's parameters and the
    impact estimates (analysis.impact.estimate_all under the same producer filters). ``values``
    (``criteria(tables, filters)``), ``reached`` (``reach(tables, filters)``) and ``room``
    (``capacity(tables, filters)``): when the caller has them."""
    ranked = score(criteria(tables, filters) if values is None else values, params.bobot)
    room = capacity(tables, filters, reached=reached) if room is None else room
    seats = allocate(ranked, room, params)
    return Plan(params, ranked, seats, room, expected_sales(seats, room, results))


def seats_table(plan: Plan) -> pd.DataFrame:
    """Per kecamatan in ranking order: score, seats per jenis (whole numbers), seats and cost in total."""
    names = list(plan.ranking[KECAMATAN])
    jenis = [j for j in FUNDABLE if not plan.seats.empty and j in set(plan.seats[JENIS])]
    wide = (plan.seats.pivot_table(index=KECAMATAN, columns=JENIS, values=KURSI, aggfunc="sum", fill_value=0)
            .reindex(index=names, columns=jenis, fill_value=0) if jenis else pd.DataFrame(index=names))
    frame = pd.DataFrame({"Peringkat": plan.ranking[PERINGKAT].to_numpy(), COL_KECAMATAN: names,
                          "Skor": plan.ranking[SKOR].round(1).to_numpy()})
    for j in jenis:
        frame[f"Kursi {j}"] = wide[j].astype("int64").to_numpy()
    cost = plan.seats.groupby(KECAMATAN)[BIAYA].sum().reindex(names, fill_value=0.0) if not plan.seats.empty \
        else pd.Series(0.0, index=names)
    frame["Total kursi"] = frame[[f"Kursi {j}" for j in jenis]].sum(axis=1).astype("int64") if jenis else 0
    frame["Biaya (Rp)"] = cost.to_numpy()
    return frame


def contributions_table(plan: Plan) -> pd.DataFrame:
    """Per kecamatan: each criterion's points and the score, labelled in Indonesian (for the stacked chart
    and the per-kecamatan sheet)."""
    frame = pd.DataFrame({COL_KECAMATAN: plan.ranking[KECAMATAN]})
    for c in CRITERIA:
        frame[c.label] = plan.ranking[contribution_column(c.key)].round(2)
    frame["Skor"] = plan.ranking[SKOR].round(2)
    return frame


def criteria_table(plan: Plan) -> pd.DataFrame:
    """The raw criterion values behind the points: counts and percents, as the Dinas reads them."""
    r = plan.ranking
    frame = pd.DataFrame({COL_KECAMATAN: r[KECAMATAN], "Jumlah UMKM": r[N_UMKM].astype("int64")})
    for c in CRITERIA[1:-1]:
        frame[f"{c.label} (%)"] = (r[c.key] * 100).round(1)
    return frame


def criteria_display(plan: Plan) -> pd.DataFrame:
    """criteria_table as Indonesian text for the page: "1.250" UMKM and "93,5%"."""
    r = plan.ranking
    frame = pd.DataFrame({COL_KECAMATAN: r[KECAMATAN], "Jumlah UMKM": [fmt.number(v) for v in r[N_UMKM]]})
    for c in CRITERIA[1:-1]:
        frame[c.label] = [fmt.percent(v) for v in r[c.key]]
    return frame


def sales_table(plan: Plan) -> pd.DataFrame:
    """Expected extra sales per jenis as Indonesian text, with the range and the warning."""
    rows = []
    for row in plan.sales.to_dict("records"):
        rows.append({
            "Jenis pelatihan": row[JENIS], "Kursi": fmt.number(row[KURSI]), "Biaya": fmt.rupiah(row[BIAYA]),
            "Efek (selang 95%)": (f"{fmt.signed_percent(row['efek_persen'])} ({fmt.signed_percent(row['ci_bawah'])} "
                                  f"s.d. {fmt.signed_percent(row['ci_atas'])})") if row["efek_persen"] is not None
            else fmt.MISSING,
            "Tambahan penjualan per tahun": range_text(row[TAMBAHAN_BAWAH], row[TAMBAHAN_ATAS]),
            "Perkiraan tengah": fmt.rupiah_short(row[TAMBAHAN]),
            "Catatan": row[PERINGATAN] or "perkiraan cukup kuat",
        })
    return pd.DataFrame(rows, columns=["Jenis pelatihan", "Kursi", "Biaya", "Efek (selang 95%)",
                                       "Tambahan penjualan per tahun", "Perkiraan tengah", "Catatan"])


def range_text(low: float | None, high: float | None) -> str:
    if low is None or high is None or (isinstance(low, float) and math.isnan(low)):
        return fmt.MISSING
    return f"{fmt.rupiah_short(low)} s.d. {fmt.rupiah_short(high)}"


def range_short(low: float | None, high: float | None) -> str:
    """The range for a card: "Rp 4,6–5,9 M" when both ends share a unit, else "Rp 800 jt–Rp 1,2 M"."""
    if low is None or high is None or (isinstance(low, float) and math.isnan(low)):
        return fmt.MISSING
    first, second = fmt.rupiah_short(low), fmt.rupiah_short(high)
    unit_first, unit_second = first.rsplit(" ", 1)[-1], second.rsplit(" ", 1)[-1]
    if unit_first == unit_second and first.startswith("Rp ") and second.startswith("Rp "):
        return f"{first.rsplit(' ', 1)[0]}–{second.removeprefix('Rp ')}"
    return f"{first}–{second}"


RANGE_NOTE = ("Rentang dari selang kepercayaan 95% dampak tiap jenis pelatihan dikali rata-rata penjualan setahun "
              "UMKM yang dapat mengisi kursi di tiap kecamatan. Ketidakpastian rata-rata penjualan itu sendiri "
              "tidak dimasukkan, dan dampak diukur sampai 12 bulan sesudah pelatihan.")


def summary_frame(plan: Plan) -> pd.DataFrame:
    """The Ringkasan sheet: budget, spent, seats, expected extra sales with its range, warnings."""
    p = plan.params
    rows = [
        ("Anggaran", p.anggaran_rp, "Rp"), ("Terpakai", plan.spent_rp, "Rp"),
        ("Sisa", p.anggaran_rp - plan.spent_rp, "Rp"), ("Jumlah kursi", plan.n_seats, "kursi"),
        ("Kecamatan mendapat kursi", int(plan.seats[KECAMATAN].nunique()) if not plan.seats.empty else 0, "kecamatan"),
        ("Tambahan penjualan per tahun, batas bawah 95%", plan.total(TAMBAHAN_BAWAH), "Rp"),
        ("Tambahan penjualan per tahun, perkiraan tengah", plan.total(TAMBAHAN), "Rp"),
        ("Tambahan penjualan per tahun, batas atas 95%", plan.total(TAMBAHAN_ATAS), "Rp"),
    ]
    for row in plan.sales.to_dict("records"):
        rows.append((f"Kursi {row[JENIS]}", row[KURSI], "kursi"))
    for warning in plan.warnings:
        rows.append(("Peringatan", warning, ""))
    rows.append(("Catatan", RANGE_NOTE, ""))
    return pd.DataFrame(rows, columns=["Butir", "Nilai", "Satuan"])


def parameters_frame(plan: Plan, filters: flt.Filters, data_until: pd.Timestamp | None, link: str) -> pd.DataFrame:
    """Every choice behind the plan, so it can be audited and reopened (the link holds the same values)."""
    p = plan.params
    rows = [("Anggaran (Rp)", p.anggaran_rp)]
    rows += [(f"Bobot: {c.label}", p.weight(c.key)) for c in CRITERIA]
    rows += [(f"Biaya per peserta: {j}", p.biaya.get(j)) for j in FUNDABLE]
    rows += [(f"Porsi anggaran: {j}", p.share(j)) for j in FUNDABLE]
    rows += [("Filter", filters.describe()), ("Data sampai", fmt.month_label(data_until)),
             ("UMKM aktif", f"melapor penjualan dalam {ACTIVE_MONTHS} bulan terakhir data"),
             ("Pasar lokal", "jangkauan pasar " + " atau ".join(LOCAL_MARKETS)),
             ("Pembagian kursi", "per kursi: jenis paling jauh di bawah porsinya, lalu kecamatan dengan skor × UMKM "
                                 "yang dapat dilatih ÷ (2 × kursi + 1) tertinggi (Sainte-Laguë); tidak melebihi "
                                 "UMKM yang dapat dilatih"),
             ("Tautan rencana", link)]
    rows += [(f"Definisi: {c.label}", c.definition) for c in CRITERIA]
    return pd.DataFrame(rows, columns=["Parameter", "Nilai"])


SHEET_CANDIDATES = "Kandidat"  # the one sheet with individual producers (left out of the public view)


def export_sheets(plan: Plan, tables, filters: flt.Filters, data_until: pd.Timestamp | None, link: str, *,
                  show_personal: bool = False, reached: Reach | None = None) -> dict[str, pd.DataFrame]:
    """The Excel download: ringkasan, per kecamatan (score parts, raw values, seats, cost), kandidat,
    parameter."""
    points = contributions_table(plan).drop(columns="Skor").rename(columns={c.label: f"Poin {c.label}"
                                                                            for c in CRITERIA})
    per_kecamatan = seats_table(plan).merge(points, on=COL_KECAMATAN).merge(criteria_table(plan), on=COL_KECAMATAN)
    return {
        "Ringkasan": summary_frame(plan),
        "Per kecamatan": per_kecamatan,
        SHEET_CANDIDATES: candidates(tables, plan, filters, show_personal=show_personal, reached=reached),
        "Parameter": parameters_frame(plan, filters, data_until, link),
    }


# Excel number formats of numeric cells per sheet and column (text cells keep theirs).
RUPIAH_FORMAT = excel.RUPIAH_FORMAT
EXPORT_FORMATS = {
    "Ringkasan": {"Nilai": excel.INTEGER_FORMAT},
    "Per kecamatan": {"Biaya (Rp)": RUPIAH_FORMAT, "Skor": "0.0"},
    SHEET_CANDIDATES: {COL_PENJUALAN: RUPIAH_FORMAT},
}


# ---------------------------------------------------------------------------------------------- page text


def seats_display(plan: Plan) -> pd.DataFrame:
    """seats_table as Indonesian text for the page."""
    table = seats_table(plan)
    shown = table.copy()
    shown["Peringkat"] = [fmt.number(v) for v in table["Peringkat"]]
    shown["Skor"] = [fmt.number(v, 1) for v in table["Skor"]]
    for column in [c for c in table.columns if c.startswith("Kursi ") or c == "Total kursi"]:
        shown[column] = [fmt.number(v) for v in table[column]]
    shown = shown.rename(columns={"Biaya (Rp)": "Biaya"})
    shown["Biaya"] = [fmt.rupiah(v) for v in table["Biaya (Rp)"]]
    return shown


def _each_once(values, formatter) -> list[str]:
    """``[formatter(v) for v in values]``, calling ``formatter`` once per distinct value (a pure function)."""
    done: dict = {}
    texts = []
    for value in values:
        text = done.get(value)
        if text is None:
            text = done[value] = formatter(value)
        texts.append(text)
    return texts


def candidates_display(table: pd.DataFrame) -> pd.DataFrame:
    """The invitations as page text: rupiah and the priority as text, missing as a dash."""
    shown = table.copy()
    shown[COL_PENJUALAN] = fmt.rupiahs(table[COL_PENJUALAN])
    shown[COL_PRIORITAS] = _each_once(table[COL_PRIORITAS], fmt.number)
    return shown.fillna(fmt.MISSING)


def invitation_counts(table: pd.DataFrame) -> str:
    """"167 diundang dan 40 cadangan (Pemasaran 98 + 21, Kemasan 69 + 19)"."""
    if table.empty:
        return "tidak ada undangan"
    reserve = table[COL_URUTAN].str.startswith("cadangan")
    per = []
    for jenis, flags in reserve.groupby(table[COL_JENIS_PELATIHAN], sort=False):
        per.append(f"{jenis} {fmt.number(int((~flags).sum()))} + {fmt.number(int(flags.sum()))}")
    return (f"{fmt.number(int((~reserve).sum()))} diundang dan {fmt.number(int(reserve.sum()))} cadangan "
            f"({', '.join(per)})")


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    help: str


def headlines(plan: Plan) -> list[Headline]:
    """The four cards above the plan: budget used, seats, kecamatan reached, extra sales as a range."""
    p = plan.params
    low, mid, high = plan.total(TAMBAHAN_BAWAH), plan.total(TAMBAHAN), plan.total(TAMBAHAN_ATAS)
    reached = int(plan.seats[KECAMATAN].nunique()) if not plan.seats.empty else 0
    return [
        Headline("Anggaran terpakai", fmt.rupiah_short(plan.spent_rp),
                 f"Dari {fmt.rupiah(p.anggaran_rp)}; sisa {fmt.rupiah(p.anggaran_rp - plan.spent_rp)} (kurang dari "
                 "satu kursi lagi, atau tidak ada lagi UMKM yang dapat dilatih)."),
        Headline("Kursi pelatihan", fmt.number(plan.n_seats), "Jumlah peserta yang dapat dibiayai, bilangan bulat."),
        Headline("Kecamatan terjangkau", f"{fmt.number(reached)} dari {fmt.number(len(plan.ranking))}",
                 "Kecamatan yang mendapat minimal satu kursi."),
        Headline("Tambahan penjualan/tahun (95%)", range_short(low, high),
                 f"Selang 95%: {range_text(low, high)}; perkiraan tengah {fmt.rupiah_short(mid)}. {RANGE_NOTE}"),
    ]
