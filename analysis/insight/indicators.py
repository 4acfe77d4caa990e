"""The catalogue of indicators shown on Ringkasan and on the map, computed for the kabupaten or per
kecamatan, each with its definition, formula, source and the number of UMKM behind it.

One table of definitions serves the cards, the map's indicator choice, the ranked table, the exports
and the help texts, so a number never appears with two meanings. Stock indicators (how many UMKM, how
formalised) come from the registry, which carries no dates: they have no "previous period". Flow
indicators (sales, training reach) follow the selected period, and their change against the period of
the same length just before is reported where the data reaches back that far.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from analysis.core import excel, wilayah
from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core.schemas import Participants, Producers, Trainings
from analysis.insight import filters as flt
from analysis.insight.coded import NO_MONTH, CodedSales, covers, month_code, month_start

COUNT, SUM, SHARE, RUPIAH, RATE, GROWTH = "jumlah", "total", "porsi", "rupiah", "rasio", "pertumbuhan"
NAIK, TURUN = "naik", "turun"  # direction: higher is better / lower is better
DIRECTIONS = (NAIK, TURUN)
N_UMKM = "n_umkm"  # column with the number of UMKM behind each row
RANK = "peringkat"  # column of ranking(): 1 = highest
KABUPATEN = "kabupaten"  # the group column of compute(..., by_kabupaten=True)
def whole_label() -> str:
    """The name of the one group when ``compute`` is not by kecamatan: the region ("Kabupaten Lampung Selatan")."""
    return wilayah.region().nama

_REGISTRY = "Registri pelaku UMKM"
_SALES = "Laporan penjualan bulanan"
_TRAINING = "Daftar hadir pelatihan"
_CENSUS = "Sensus Penduduk 2010 per kecamatan (data/reference/kecamatan.csv)"
UNRECORDED_SUFFIX = "_tidak_tercatat"
# The shares whose answer a registry may not give, with what the answer is about.
_UNRECORDED = {"porsi_nib": "NIB", "porsi_pirt": "PIRT", "porsi_halal": "Sertifikat halal",
               "porsi_online": "Pemasaran online", "porsi_luar_kecamatan": "Jangkauan pasar"}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    kind: str  # COUNT, SUM, SHARE, RUPIAH, RATE or GROWTH: decides the formatting
    definition: str
    formula: str
    source: str
    follows_period: bool = False  # flow indicator: changes with the selected period
    per_kecamatan: bool = True  # meaningful on the map
    direction: str = NAIK  # NAIK: higher is better; TURUN: lower is better
    per_year: bool = False  # defined per calendar year only (analysis.insight.yearly), not for any period


def _catalogue() -> tuple[Indicator, ...]:
    items = [
        Indicator("jumlah_umkm", "Jumlah UMKM", COUNT, "UMKM terdaftar setelah duplikat digabung.",
                  "banyak UMKM di registri", _REGISTRY),
        Indicator("umkm_per_1000", "UMKM per 1.000 penduduk (SP2010)", RATE,
                  "Kepadatan UMKM dibanding jumlah penduduk hasil Sensus Penduduk 2010 (angka penduduk terbaru "
                  "per kecamatan belum tersedia; penduduk sudah bertambah sejak 2010).",
                  "jumlah UMKM ÷ penduduk 2010 × 1.000", f"{_REGISTRY}; {_CENSUS}"),
        Indicator("tenaga_kerja", "Tenaga kerja", SUM, "Jumlah tenaga kerja yang tercatat di registri.",
                  "jumlah tenaga kerja semua UMKM", _REGISTRY),
        Indicator("omzet_tahunan_rp", "Omzet tahunan", RUPIAH,
                  "Jumlah omzet per tahun yang dilaporkan di registri (omzet per bulan sudah dikali 12).",
                  "jumlah omzet setahun semua UMKM", _REGISTRY),
    ]
    for skala in ref.SKALA[:3]:
        # Fewer mikro means more UMKM have grown into kecil and menengah: the mikro share is meant to fall.
        items.append(Indicator(f"porsi_{skala.lower()}", f"Skala {skala}", SHARE,
                               f"Bagian UMKM berskala {skala} menurut kriteria skala yang dipakai ingest "
                               "(dari omzet, atau aset bila omzet kosong).",
                               f"UMKM skala {skala} ÷ jumlah UMKM", _REGISTRY,
                               direction=TURUN if skala == ref.SKALA[0] else NAIK))
    items += [
        Indicator("porsi_luar_kecamatan", "Pasar di luar kecamatan", SHARE,
                  "Bagian UMKM yang menjual sampai kabupaten, provinsi, nasional, atau ekspor. UMKM yang "
                  "jangkauan pasarnya tidak tercatat tidak dihitung di sini: bagiannya ditampilkan tersendiri.",
                  "UMKM dengan jangkauan pasar di atas Kecamatan ÷ jumlah UMKM", _REGISTRY),
        Indicator("porsi_luar_kabupaten", "Pasar di luar kabupaten", SHARE,
                  "Bagian UMKM yang menjual sampai provinsi, nasional, atau ekspor. UMKM yang jangkauan pasarnya "
                  "tidak tercatat tidak dihitung di sini: bagiannya ditampilkan tersendiri.",
                  "UMKM dengan jangkauan pasar di atas Kabupaten ÷ jumlah UMKM", _REGISTRY),
        Indicator("porsi_online", "Berjualan online", SHARE, "Bagian UMKM yang memasarkan secara online.",
                  "UMKM yang berjualan online ÷ jumlah UMKM", _REGISTRY),
        Indicator("porsi_nib", "Memiliki NIB", SHARE, "Bagian UMKM yang tercatat memiliki Nomor Induk Berusaha.",
                  "UMKM ber-NIB ÷ jumlah UMKM", _REGISTRY),
        Indicator("porsi_pirt", "Memiliki PIRT", SHARE, "Bagian UMKM yang tercatat memiliki izin P-IRT.",
                  "UMKM ber-PIRT ÷ jumlah UMKM", _REGISTRY),
        Indicator("porsi_halal", "Bersertifikat halal", SHARE, "Bagian UMKM yang tercatat bersertifikat halal.",
                  "UMKM bersertifikat halal ÷ jumlah UMKM", _REGISTRY),
    ]
    # What the registry does not say is its own category, never counted as "no": a share of 20% with 35%
    # unrecorded reads differently from 20% of everyone asked.
    for key, subject in _UNRECORDED.items():
        items.append(Indicator(f"{key}{UNRECORDED_SUFFIX}", f"{subject}: belum tercatat", SHARE,
                               f"Bagian UMKM yang registrinya tidak menyebut {subject.lower()} (kosong atau tidak "
                               "terbaca): mereka tidak dihitung sebagai 'ya' maupun 'tidak'.",
                               f"UMKM tanpa keterangan {subject.lower()} ÷ jumlah UMKM", _REGISTRY))
    items += [
        Indicator("porsi_terlatih", "Pernah ikut pelatihan", SHARE,
                  "Bagian UMKM yang pernah hadir di pelatihan yang dimulai sampai akhir periode.",
                  "UMKM yang tercocokkan sebagai peserta ÷ jumlah UMKM", _TRAINING, follows_period=True),
    ]
    for jenis in ref.JENIS_PELATIHAN[:5]:
        items.append(Indicator(f"porsi_terlatih_{_slug(jenis)}", f"Pernah ikut pelatihan {jenis}", SHARE,
                               f"Bagian UMKM yang pernah hadir di pelatihan jenis {jenis} sampai akhir periode.",
                               f"UMKM peserta pelatihan {jenis} ÷ jumlah UMKM", _TRAINING, follows_period=True))
    items += [
        Indicator("penjualan_rp", "Penjualan dalam periode", RUPIAH,
                  "Jumlah nilai penjualan bulanan yang dilaporkan dalam periode terpilih.",
                  "jumlah nilai penjualan bulan-bulan dalam periode", _SALES, follows_period=True),
        Indicator("pertumbuhan_penjualan", "Pertumbuhan penjualan (tahunan)", GROWTH,
                  "Penjualan dalam periode (paling banyak 12 bulan terakhirnya) dibanding bulan-bulan yang sama "
                  "setahun sebelumnya, hanya bulan yang dilaporkan UMKM itu di kedua tahun (agar UMKM yang baru "
                  "mulai melapor, atau yang laporannya bolong, tidak terbaca sebagai pertumbuhan).",
                  "penjualan periode ÷ penjualan bulan yang sama tahun lalu − 1 (bulan yang dilaporkan di kedua tahun)",
                  _SALES, follows_period=True),
    ]
    return tuple(items + _yearly_catalogue())


def _yearly_catalogue() -> list[Indicator]:
    """Indicators defined per calendar year (analysis.insight.yearly computes them): what LKjIP / LKPJ
    tables report against Renstra and Perjanjian Kinerja targets."""
    items = [
        Indicator("umkm_naik_kelas", "UMKM naik kelas", COUNT,
                  "UMKM yang skalanya naik (Mikro → Kecil, Kecil → Menengah, ...) dari tahun sebelumnya. Skala tiap "
                  "tahun dihitung dari jumlah penjualan 12 bulan tahun itu di laporan penjualan, dengan batas omzet "
                  "kriteria skala data (UU 20/2008 atau PP 7/2021). Hanya UMKM yang melapor penjualan 12 bulan penuh "
                  "di kedua tahun yang dibandingkan: tahun yang datanya belum penuh tidak punya nilai. Registri hanya "
                  "mencatat satu omzet per UMKM, jadi skala registri tidak dapat dipakai untuk perubahan per tahun; "
                  "penjualan yang tidak dilaporkan ke Dinas tidak terhitung.",
                  "UMKM yang skala dari penjualan setahunnya naik dibanding tahun sebelumnya (12 bulan melapor di kedua tahun)",
                  _SALES, per_kecamatan=False, per_year=True),
        Indicator("umkm_baru", "UMKM baru (tahun mulai usaha)", COUNT,
                  "UMKM di registri yang mulai berusaha pada tahun itu (kolom tahun mulai). Registri tidak mencatat "
                  "tanggal pendaftaran ke Dinas: UMKM yang terdaftar belakangan terhitung di tahun mulai usahanya, "
                  "dan usaha yang sudah tutup tidak ada lagi di registri. UMKM tanpa tahun mulai tidak terhitung.",
                  "banyak UMKM yang mulai berusaha pada tahun itu", _REGISTRY, per_kecamatan=False, per_year=True),
        Indicator("umkm_dilatih", "UMKM dilatih", COUNT,
                  "UMKM berbeda yang hadir di pelatihan yang dimulai pada tahun itu. Peserta yang tertaut ke registri "
                  "dihitung per UMKM; peserta yang tidak tertaut dihitung per nama usaha (atau nama peserta). Dengan "
                  "filter kecamatan, kategori atau skala hanya peserta tertaut yang terhitung.",
                  "banyak UMKM berbeda di daftar hadir pelatihan yang dimulai pada tahun t", _TRAINING,
                  per_kecamatan=False, per_year=True),
    ]
    for jenis in ref.JENIS_PELATIHAN[:5]:
        items.append(Indicator(trained_key(jenis), f"UMKM dilatih {jenis}", COUNT,
                               f"UMKM berbeda yang hadir di pelatihan jenis {jenis} yang dimulai pada tahun itu "
                               "(dihitung seperti UMKM dilatih).",
                               f"banyak UMKM berbeda di daftar hadir pelatihan {jenis} yang dimulai pada tahun t",
                               _TRAINING, per_kecamatan=False, per_year=True))
    return items


def trained_key(jenis: str | None) -> str:
    """The key of "UMKM dilatih" for one training jenis (None: every jenis)."""
    return "umkm_dilatih" if jenis is None else f"umkm_dilatih_{_slug(jenis)}"


def _slug(text: str) -> str:
    return ref.fold(text).replace(" & ", "_").replace(" ", "_")


INDICATORS: dict[str, Indicator] = {i.key: i for i in _catalogue()}

# Companion columns of ``compute``: how many UMKM a share counts (``<key>__jumlah``), how many people an
# indicator per 1.000 penduduk divides by, how many UMKM a sales figure rests on.
COUNT_SUFFIX = "__jumlah"
PENDUDUK = "penduduk"
N_PELAPOR = "n_pelapor"  # UMKM reporting sales in the period
N_PELAPOR_TAHUNAN = "n_pelapor_tahunan"  # UMKM reporting in the period and the same months a year earlier


def period_keys() -> list[str]:
    """Indicators ``compute`` gives for any period (every indicator that is not yearly only)."""
    return [key for key, indicator in INDICATORS.items() if not indicator.per_year]


def compute(tables, filters: flt.Filters = flt.Filters(), by_kecamatan: bool = False,
            coded: CodedSales | None = None, by_kabupaten: bool = False) -> pd.DataFrame:
    """Every indicator for the region (one row), per kecamatan (every kecamatan of the region, zeros
    kept) or, with ``by_kabupaten``, per kabupaten/kota of a provinsi region (column KABUPATEN, every
    kabupaten/kota in code order); from the unfiltered tables and the filters. Period indicators look one
    year back for growth, so the tables must not be cut to the period beforehand. Column N_UMKM is the
    number of UMKM behind each row.

    The sales figures come from ``coded``'s arrays, summed per group and month once per producer filter
    (``_MonthCube``). ``coded``: ``CodedSales(tables.sales, tables.producers)`` when the caller keeps one
    (the dashboard does, per data version, read from the version's folder): the producer side of each
    filter, its month sums and the producers' first trainings are then kept with it. Built here when not
    given."""
    producer_filters = replace(filters, start=None, end=None)
    given = covers(coded, tables.sales)
    if not given:
        coded = CodedSales(tables.sales, tables.producers)
    if given:  # the dashboard's: the producer side of a filter is kept with it, as the period changes often
        memo = coded.memo("indicator_producers", dict)
        memo_key = (by_kecamatan, by_kabupaten, producer_filters.kecamatan, producer_filters.kategori, producer_filters.skala,
                    len(tables.producers))
        if memo_key not in memo:
            while len(memo) >= 16:
                memo.pop(next(iter(memo)))
            memo[memo_key] = _producer_side(tables, producer_filters, by_kecamatan, coded, by_kabupaten)
        side = memo[memo_key]
        attended = coded.memo("indicator_training", dict)  # one entry: the tables the dashboard passes
        training_key = (len(tables.producers), len(tables.trainings), len(tables.participants))
        first = attended.get(training_key)
        if first is None:
            first = _first_training(tables)
            attended.clear()
            attended[training_key] = first
    else:
        side = _producer_side(tables, producer_filters, by_kecamatan, coded, by_kabupaten)
        first = _first_training(tables)
    frame = side.stock.copy()
    groups = list(frame.index)

    for name, flags in _trained_by(first, side.rows, _period_end(filters)).items():  # cumulative: every event up to the end
        _put_share(frame, name, flags, side.key, groups, side.n)

    figures = _sales_figures(coded, side, filters, groups)
    for column in ("penjualan_rp", N_PELAPOR, "pertumbuhan_penjualan", N_PELAPOR_TAHUNAN):
        frame[column] = figures[column]
    return frame.reset_index()


def kabupaten_by_kecamatan() -> dict[str, str]:
    """The region's kecamatan (canonical names) -> the name of their kabupaten/kota."""
    table = ref.kecamatan()
    return dict(zip(table["kecamatan"], table["kabupaten"]))


def kabupaten_names() -> list[str]:
    """The region's kabupaten/kota, in code order (one for a kabupaten/kota region)."""
    table = ref.kecamatan()
    return list(table.drop_duplicates("kode_kabupaten").sort_values("kode_kabupaten")["kabupaten"])


class _ProducerSide:
    """What ``compute`` takes from the producers, for one producer filter (the period plays no part):
    ``stock``, the stock indicators per group; ``key``, the group of each chosen producer (a categorical
    over the groups); ``n``, their number per group; ``rows``, their positions in the producers table
    (None: every producer); ``keys``, the frame (umkm_no, g) of the chosen producers (their umkm_no:
    ``coded.numbers``) with their group's position; ``every_row``: no producer filter is set. ``cube``:
    their sales per group and month, built on first use."""

    def __init__(self, coded: CodedSales, stock: pd.DataFrame, key: pd.Series, n: pd.Series, rows: np.ndarray | None,
                 keys: pd.DataFrame, every_row: bool, by_place: bool = False):
        self._coded = coded
        self.stock, self.key, self.n, self.rows, self.keys = stock, key, n, rows, keys
        self.every_row = every_row
        self._by_place = by_place  # the groups and the producers chosen follow the producers' kecamatan alone

    @cached_property
    def cube(self) -> _MonthCube:
        if self._by_place:
            found = _cube_from_kecamatan(self._coded, self.keys, self.every_row, len(self.stock))
            if found is not None:
                return found
        return _month_cube(self._coded, self.keys, self.every_row, len(self.stock))


def _producer_side(tables, producer_filters: flt.Filters, by_kecamatan: bool, coded: CodedSales,
                   by_kabupaten: bool = False) -> _ProducerSide:
    """The ``_ProducerSide`` of ``producer_filters``."""
    chosen = flt.select_producers(tables.producers, producer_filters)
    producers = tables.producers if bool(chosen.all()) else flt.take_rows(tables.producers, chosen)
    if by_kabupaten:
        groups = kabupaten_names()
        place = producers[Producers.kecamatan].astype("object").map(kabupaten_by_kecamatan())
    else:
        groups = list(ref.kecamatan_names()) if by_kecamatan else [whole_label()]
        place = producers[Producers.kecamatan]
    # The groups as a categorical: each of the many group sums below would otherwise hash the text again.
    # Values outside ``groups`` become missing, which every sum drops as the reindex to ``groups`` did.
    key = pd.Series(pd.Categorical(place, categories=groups), index=producers.index) \
        if by_kecamatan or by_kabupaten else _one_group(producers.index)

    frame = pd.DataFrame(index=pd.Index(groups, name=KABUPATEN if by_kabupaten else Producers.kecamatan))
    n = (place if by_kecamatan or by_kabupaten else key).value_counts().reindex(groups, fill_value=0)
    frame[N_UMKM] = n
    frame["jumlah_umkm"] = n
    population = ref.kecamatan().set_index("kecamatan")["penduduk_2010"]
    if by_kabupaten:  # a kabupaten's people are known only when every one of its kecamatan has a figure
        of = population.index.map(kabupaten_by_kecamatan())
        known = population.notna().groupby(of).all()
        people = population.groupby(of).sum().where(known).reindex(groups)
    elif by_kecamatan:
        people = population.reindex(groups)
    else:  # the people of the chosen kecamatan, not of the whole kabupaten; unknown when any of them lacks a figure
        chosen_kecamatan = list(producer_filters.kecamatan) or list(population.index)
        known = population.reindex(chosen_kecamatan)
        people = pd.Series(known.sum() if known.notna().all() else np.nan, index=groups, dtype="float64")
    frame[PENDUDUK] = people
    frame["umkm_per_1000"] = n / people * 1000
    for column in (Producers.tenaga_kerja, Producers.omzet_tahunan_rp):  # the sum, and how many UMKM state one
        frame[column] = _sum(producers[column], key, groups)
        frame[column + COUNT_SUFFIX] = _count(producers[column].notna(), key, groups)
    skala = producers[Producers.skala].astype("string")
    for name in ref.SKALA[:3]:
        _put_share(frame, f"porsi_{name.lower()}", skala == name, key, groups, n)
    reach = producers[Producers.jangkauan_pasar]
    for after, name in (("Kecamatan", "porsi_luar_kecamatan"), ("Kabupaten", "porsi_luar_kabupaten")):
        beyond = flt.isin(reach, ref.JANGKAUAN_PASAR[ref.JANGKAUAN_PASAR.index(after) + 1:])
        _put_share(frame, name, beyond, key, groups, n)
    _put_share(frame, f"porsi_luar_kecamatan{UNRECORDED_SUFFIX}", ~flt.isin(reach, ref.JANGKAUAN_PASAR), key,
               groups, n)
    for column, name in ((Producers.pemasaran_online, "porsi_online"), (Producers.nib, "porsi_nib"),
                         (Producers.pirt, "porsi_pirt"), (Producers.halal, "porsi_halal")):
        answer = producers[column].astype("boolean")
        _put_share(frame, name, answer.fillna(False), key, groups, n)
        _put_share(frame, f"{name}{UNRECORDED_SUFFIX}", answer.isna(), key, groups, n)

    # The chosen producers and the position of their group (-1: none of the groups), for the month sums: the
    # filter's meaning stays here, in pandas over the producers; the sums run over the coded rows.
    keys = pd.DataFrame({"umkm_no": coded.numbers(producers[Producers.umkm_id]).astype(np.int32),
                         "g": np.asarray(key.cat.codes, dtype=np.int32)})
    keys = keys[keys["umkm_no"] >= 0].drop_duplicates("umkm_no")
    every_row = not producer_filters.selects_producers
    rows = None if bool(chosen.all()) else np.flatnonzero(chosen.to_numpy(dtype=bool))
    by_place = not by_kabupaten and not producer_filters.kategori and not producer_filters.skala
    return _ProducerSide(coded, frame, key, n, rows, keys, every_row, by_place)


def _one_group(index: pd.Index) -> pd.Series:
    """The kabupaten as the group of every row, as a categorical: grouping a million rows on one
    repeated text cost more than the sums themselves."""
    return pd.Series(pd.Categorical.from_codes(np.zeros(len(index), dtype=np.int8), [whole_label()]), index=index)


def _sum(values: pd.Series, key: pd.Series, groups: list[str]) -> pd.Series:
    return pd.to_numeric(values).groupby(key).sum().reindex(groups, fill_value=0).astype(float)


def _count(flags: pd.Series, key: pd.Series, groups: list[str]) -> pd.Series:
    """UMKM per group whose flag is true."""
    # ``key`` is a categorical over ``groups`` (see compute): counting its codes is the group sum of the
    # flags without grouping the producers again for each share.
    codes = key.cat.codes.to_numpy()
    flagged = np.asarray(flags.fillna(False) if isinstance(flags, pd.Series) else flags, dtype=bool) & (codes >= 0)
    return pd.Series(np.bincount(codes[flagged], minlength=len(groups)).astype(np.int64), index=pd.Index(groups))


def _share(flags: pd.Series, key: pd.Series, groups: list[str], n: pd.Series) -> pd.Series:
    """Share of UMKM per group; missing (not 0) where a group has no UMKM."""
    return (_count(flags, key, groups) / n.where(n > 0)).astype(float)


def _put_share(frame: pd.DataFrame, name: str, flags: pd.Series, key: pd.Series, groups: list[str],
               n: pd.Series) -> None:
    """The share ``name`` and its count (``name`` + COUNT_SUFFIX) into ``frame``."""
    count = _count(flags, key, groups)
    frame[name + COUNT_SUFFIX] = count
    frame[name] = (count / n.where(n > 0)).astype(float)


def _period_end(filters: flt.Filters) -> pd.Timestamp | None:
    """The first day after the period (None: open-ended)."""
    return None if filters.end is None else filters.end + pd.offsets.MonthBegin(1)


@dataclass(frozen=True)
class _FirstTraining:
    """When each producer first attended a training, per jenis (for ``_trained_by``, at any period end).
    Per producer (by position in the producers table): the first start of an event it attended whose
    start is known (int64 microseconds, ``_NEVER`` when none), and whether it attended one at all; per jenis
    the same over every linked participant, producer or not (a jenis gets its column only once someone
    attended it). ``None`` is the key of every jenis together."""

    first: dict[str | None, np.ndarray]
    ever: dict[str | None, np.ndarray]
    jenis_first: dict[str, int]
    jenis_ever: dict[str, bool]


_NEVER = np.iinfo(np.int64).max


def _first_training(tables) -> _FirstTraining:
    """The ``_FirstTraining`` of ``tables``: each linked participant's event's jenis and start, folded once
    per producer and jenis (a participant whose event or jenis is unknown counts for none)."""
    trainings, participants = tables.trainings, tables.participants
    events = trainings.set_index(Trainings.pelatihan_id)
    linked = participants[participants[Participants.umkm_id].notna()]
    jenis = linked[Participants.pelatihan_id].map(events[Trainings.jenis])
    known = jenis.notna().to_numpy(dtype=bool)
    linked, jenis = linked[known], jenis[known].astype(str).to_numpy()
    starts = np.zeros(0, dtype=np.int64)
    if len(linked):
        started = pd.to_datetime(linked[Participants.pelatihan_id].map(events[Trainings.tanggal_mulai]))
        starts = started.to_numpy(dtype="datetime64[us]").view(np.int64).copy()
        starts[started.isna().to_numpy(dtype=bool)] = _NEVER
    ids = pd.concat([tables.producers[Producers.umkm_id], linked[Participants.umkm_id]], ignore_index=True)
    codes, uniques = pd.factorize(ids.astype("string"))
    producer_codes, person_codes = codes[:len(tables.producers)], codes[len(tables.producers):]
    has_code = producer_codes >= 0
    first, ever, jenis_first, jenis_ever = {}, {}, {}, {}
    names = [*ref.JENIS_PELATIHAN[:5], *sorted(set(jenis) - set(ref.JENIS_PELATIHAN[:5]))]
    for name in [None, *names]:
        rows = np.ones(len(jenis), dtype=bool) if name is None else jenis == name
        by_code = np.full(len(uniques), _NEVER, dtype=np.int64)
        np.minimum.at(by_code, person_codes[rows], starts[rows])
        attended = np.zeros(len(uniques), dtype=bool)
        attended[person_codes[rows]] = True
        first[name] = np.where(has_code, by_code[np.maximum(producer_codes, 0)] if len(uniques) else _NEVER, _NEVER)
        ever[name] = has_code & (attended[np.maximum(producer_codes, 0)] if len(uniques) else False)
        if name is not None:
            jenis_first[name] = int(starts[rows].min()) if rows.any() else _NEVER
            jenis_ever[name] = bool(rows.any())
    return _FirstTraining(first, ever, jenis_first, jenis_ever)


def _trained_by(first: _FirstTraining, rows: np.ndarray | None, before: pd.Timestamp | None) -> dict[str, np.ndarray]:
    """The training shares' flags over the producers at ``rows`` (None: all), by column name: attended any
    training, then each jenis (the first five always, another once someone attended it), counting events
    that started before ``before`` (None: every event, also one whose start is unknown)."""
    bound = None if before is None else int(np.datetime64(pd.Timestamp(before).to_datetime64(), "us").astype(np.int64))

    def flags(name: str | None) -> np.ndarray:
        found = first.ever[name] if bound is None else first.first[name] < bound
        return found if rows is None else found[rows]

    result = {"porsi_terlatih": flags(None)}
    for name in first.jenis_first:
        attended = first.jenis_ever[name] if bound is None else first.jenis_first[name] < bound
        if name in ref.JENIS_PELATIHAN[:5] or attended:
            result[f"porsi_terlatih_{_slug(name)}"] = flags(name)
    return result


@dataclass(frozen=True)
class _MonthCube:
    """The amounts of the sales rows ``compute`` counts for one producer filter, summed per (group, month):
    a period's sums are then a few columns added, not a pass over a province's millions of rows. Column
    ``m`` is month ``low + m`` (months since January 1970); column ``width`` holds the rows without a
    month. ``now``: only the rows whose producer reported the same month a year before; ``before``: a
    year after. ``group_of``: each id's group position (-1: none of the groups). ``first`` and ``last``:
    the first and last month of the selected rows with a month, amount or not (NaT: none)."""

    low: int
    width: int
    sums: np.ndarray
    now: np.ndarray
    before: np.ndarray
    group_of: np.ndarray
    first: pd.Timestamp
    last: pd.Timestamp

    def columns(self, start: pd.Timestamp | None, stop: pd.Timestamp | None) -> slice:
        """The columns of the months ``start`` to ``stop``, both included (the rows without a month too
        when both are None)."""
        if start is None and stop is None:
            return slice(0, self.width + 1)
        low = 0 if start is None else month_code(start) - self.low
        high = self.width - 1 if stop is None else min(month_code(stop) - self.low, self.width - 1)
        low = max(low, 0)
        return slice(low, max(high + 1, low))


def _month_columns(coded: CodedSales) -> tuple[int, int, np.ndarray]:
    """(first month code, number of months, each row's month column) of ``coded``, kept with it."""
    def build():
        month = coded.month
        dated = month != NO_MONTH
        low = int(month[dated].min()) if dated.any() else 0
        width = int(month[dated].max()) - low + 1 if dated.any() else 0
        return low, width, np.where(dated, month - low, width).astype(np.int32)

    return coded.memo("month_columns", build)


def _month_cube(coded: CodedSales, keys: pd.DataFrame, every_row: bool, n_groups: int) -> _MonthCube:
    """The ``_MonthCube`` of the selected rows: every row when no producer filter is set (counted in the sums
    when there is one group; else the rows of no producer in none), else the rows of the chosen producers
    (``keys``)."""
    low, width, column = _month_columns(coded)
    umkm, nilai = coded.umkm, coded.nilai
    group_of = np.full(len(coded.ids), -1, dtype=np.int64)
    dated = (0, width - 1) if width else None  # the columns of the first and last month selected
    if every_row and n_groups == 1:
        group_of[:] = 0
        counted = ~np.isnan(nilai)  # a missing amount is in no sum and no count
        cell = column[counted].astype(np.int64)
    else:
        group_of[keys["umkm_no"].to_numpy(dtype=np.int64)] = keys["g"].to_numpy(dtype=np.int64)
        row_group = np.where(umkm >= 0, group_of[np.maximum(umkm, 0)] if len(group_of) else -1, -1)
        counted = (row_group >= 0) & ~np.isnan(nilai)
        cell = row_group[counted] * (width + 1) + column[counted]
        if not every_row:
            months = column[(row_group >= 0) & (column < width)]
            dated = (int(months.min()), int(months.max())) if len(months) else None
    amounts = nilai[counted]
    size = n_groups * (width + 1)

    def total(rows: np.ndarray | None = None) -> np.ndarray:
        found = np.bincount(cell if rows is None else cell[rows], weights=amounts if rows is None else amounts[rows],
                            minlength=size)
        return found.astype(np.float64).reshape(n_groups, width + 1)  # (bincount of no rows is int64)

    before_flag, after_flag = coded.year_flags
    first, last = (pd.NaT, pd.NaT) if dated is None else (
        month_start(low + dated[0]), month_start(low + dated[1]))
    return _MonthCube(low, width, total(), total(before_flag[counted]), total(after_flag[counted]), group_of, first, last)


@dataclass(frozen=True)
class _KecamatanCube:
    """Every sales row's amount summed per (kecamatan of its producer, month), kept with ``coded``: bin 0
    holds the rows of no kecamatan (no producer, or a producer without one), bin ``c + 1`` kecamatan code
    ``c`` (``coded.kecamatan_names``). ``sums``, ``now`` and ``before`` as in ``_MonthCube``; ``dated``:
    the rows with a month per bin and month, amount or not."""

    sums: np.ndarray
    now: np.ndarray
    before: np.ndarray
    dated: np.ndarray


def _kecamatan_cube(coded: CodedSales) -> _KecamatanCube:
    """The ``_KecamatanCube`` of ``coded``, built on first use and kept with it."""
    def build() -> _KecamatanCube:
        _, width, column = _month_columns(coded)
        n_bins = len(coded.kecamatan_names) + 1
        cell = (coded.kecamatan().astype(np.int64) + 1) * (width + 1) + column
        counted = ~np.isnan(coded.nilai)
        amounts, counted_cell = coded.nilai[counted], cell[counted]
        before_flag, after_flag = coded.year_flags

        def total(rows: np.ndarray | None = None) -> np.ndarray:
            found = np.bincount(counted_cell if rows is None else counted_cell[rows],
                                weights=amounts if rows is None else amounts[rows], minlength=n_bins * (width + 1))
            return found.astype(np.float64).reshape(n_bins, width + 1)

        dated = np.bincount(cell[column < width], minlength=n_bins * (width + 1)).reshape(n_bins, width + 1)
        return [total(), total(before_flag[counted]), total(after_flag[counted]), dated]

    return _KecamatanCube(*coded.kept("kecamatan_cube", build, len(coded.kecamatan_names) + 1))


def _cube_from_kecamatan(coded: CodedSales, keys: pd.DataFrame, every_row: bool, n_groups: int) -> _MonthCube | None:
    """``_month_cube`` of a selection whose producers and groups follow their kecamatan alone (the whole
    area or per kecamatan, with or without a kecamatan filter), added up from the sums per kecamatan
    (``_kecamatan_cube``, built once per data version) instead of a pass over every row. None (build it
    from the rows) unless every id's group is that of its kecamatan, and the amounts are whole rupiah
    (then a sum in another order is the same sum); for the whole area, also until the sums per kecamatan
    were built for another selection."""
    if not coded.whole or (every_row and n_groups == 1 and coded.built("kecamatan_cube") is None):
        return None  # (the whole area's sums alone: one pass over the rows is as fast)
    low, width, _ = _month_columns(coded)
    group_of = np.full(len(coded.ids), -1, dtype=np.int64)
    if every_row and n_groups == 1:
        group_of[:] = 0
    else:
        group_of[keys["umkm_no"].to_numpy(dtype=np.int64)] = keys["g"].to_numpy(dtype=np.int64)
    kecamatan = coded.kecamatan_of_id.astype(np.int64) + 1  # each id's bin
    bin_group = np.full(len(coded.kecamatan_names) + 1, -1, dtype=np.int64)
    bin_group[kecamatan] = group_of
    if not np.array_equal(bin_group[kecamatan], group_of):
        return None  # two ids of one kecamatan in different groups: not a choice by kecamatan
    if every_row and n_groups == 1:
        bin_group[0] = 0  # every row counts, also one of no producer
    elif bin_group[0] >= 0:
        return None  # the rows of no producer (in bin 0 too) count in no group
    cube = _kecamatan_cube(coded)
    chosen = np.flatnonzero(bin_group >= 0)

    def total(table: np.ndarray) -> np.ndarray:
        found = np.zeros((n_groups, width + 1))
        np.add.at(found, bin_group[chosen], table[chosen])
        return found

    if every_row:
        dated = (0, width - 1) if width else None
    else:
        months = np.flatnonzero(cube.dated[chosen, :width].sum(axis=0))
        dated = (int(months[0]), int(months[-1])) if len(months) else None
    first, last = (pd.NaT, pd.NaT) if dated is None else (month_start(low + dated[0]), month_start(low + dated[1]))
    return _MonthCube(low, width, total(cube.sums), total(cube.now), total(cube.before), group_of, first, last)


def _presence(coded: CodedSales) -> tuple[np.ndarray, np.ndarray]:
    """Which ids have a row with an amount in each month column (months x ids, ``_month_columns``), and
    which have one that the same id also reported a year before; kept with ``coded`` (a province: 9 MB
    each). The reporting producers of any period are then a few columns or-ed together."""
    def build():
        low, width, column = _month_columns(coded)
        umkm = coded.umkm
        rows = (umkm >= 0) & ~np.isnan(coded.nilai)
        flagged = rows & coded.year_flags[0]
        present = np.zeros((width + 1, len(coded.ids)), dtype=bool)
        present[column[rows], umkm[rows]] = True
        present_now = np.zeros((width + 1, len(coded.ids)), dtype=bool)
        present_now[column[flagged], umkm[flagged]] = True
        return [present, present_now]

    present, present_now = coded.kept("month_presence", build, _month_columns(coded)[1] + 1)
    return present, present_now


def _sales_figures(coded: CodedSales, side: _ProducerSide, filters: flt.Filters, groups: list[str]) -> dict[str, pd.Series]:
    """The sales indicators per group over the rows of ``side``'s producers (``_month_cube``): the sales in
    the period and the producers with an amount in it; and the growth of the period against the same
    months a year earlier, over producers reporting in both, with the number of those producers. A
    period is a set of whole months: a row counts in the month of its ``bulan``.

    Matched months: a producer's month counts only when the same producer reported the same month of the
    other year too (the engine's ada_tahun_lalu / ada_tahun_depan), so a producer whose reports start
    mid-year is not read as growth (12 months against 6). The growth looks at most at the last 12 months
    of the period: a longer window would overlap the year it is compared with."""
    cube = side.cube
    first, last = cube.first, cube.last
    present, present_now = _presence(coded)
    index = pd.Index(groups)

    def sums(table: np.ndarray, months: slice) -> pd.Series:
        return pd.Series(table[:, months].sum(axis=1), index=index)

    def producers(table: np.ndarray, months: slice) -> pd.Series:
        seen = np.logical_or.reduce(table[months], axis=0) if table[months].shape[0] else np.zeros(table.shape[1], bool)
        seen &= cube.group_of >= 0
        return pd.Series(np.bincount(cube.group_of[seen], minlength=len(groups)).astype("int64"), index=index)

    in_period = cube.columns(filters.start, filters.end)
    figures = {"penjualan_rp": sums(cube.sums, in_period), N_PELAPOR: producers(present, in_period)}
    if pd.isna(first):  # no dated sale in the selection: no growth
        figures.update({"pertumbuhan_penjualan": pd.Series(float("nan"), index=groups),
                        N_PELAPOR_TAHUNAN: pd.Series(0, index=index, dtype="int64")})
        return figures
    end = filters.end or pd.Timestamp(last)
    start = max(filters.start or pd.Timestamp(first), end - pd.DateOffset(months=11))
    year = pd.DateOffset(years=1)
    now, before = cube.columns(start, end), cube.columns(start - year, end - year)
    current, previous = sums(cube.now, now), sums(cube.before, before)
    figures["pertumbuhan_penjualan"] = (current / previous.where(previous > 0) - 1).astype(float)
    figures[N_PELAPOR_TAHUNAN] = producers(present_now, now)
    return figures


def with_change(tables, filters: flt.Filters, months: list[pd.Timestamp], coded: CodedSales | None = None) -> pd.DataFrame:
    """Kabupaten indicators as rows (key, label, kind, value, previous, change, basis) for the cards;
    previous and change are missing for stock indicators and when the data does not reach back a whole
    period; basis says what the value rests on (``basis_line``)."""
    now = compute(tables, filters, coded=coded).iloc[0]
    previous_filters = flt.previous_period(filters, months)
    before = compute(tables, previous_filters, coded=coded).iloc[0] if previous_filters is not None else None
    rows = []
    for indicator in (INDICATORS[key] for key in period_keys()):
        value = now[indicator.key]
        previous = before[indicator.key] if before is not None and indicator.follows_period else float("nan")
        rows.append({"key": indicator.key, "label": indicator.label, "kind": indicator.kind, "value": value,
                     "previous": previous, "change": value - previous, N_UMKM: int(now[N_UMKM]),
                     "basis": basis_line(indicator.key, now)})
    return pd.DataFrame(rows)


def basis_line(key: str, row: pd.Series) -> str | None:
    """What one value of ``compute`` rests on, in a few words: "503 dari 2.500 UMKM · belum tercatat 35,0%
    (874)", "134 UMKM ÷ 50.256 penduduk", "dari 1.121 UMKM yang melapor". None for the count of UMKM."""
    n = int(row[N_UMKM])
    if key == "jumlah_umkm":
        return None
    if key == "umkm_per_1000":
        people = row.get(PENDUDUK)
        if pd.isna(people):
            return "tidak tersedia: data penduduk per kecamatan hanya ada untuk Kabupaten Lampung Selatan"
        return f"{fmt.number(n)} UMKM ÷ {fmt.number(people)} penduduk"
    if key == "penjualan_rp":
        return f"dari {fmt.number(row[N_PELAPOR])} UMKM yang melapor"
    if key == "pertumbuhan_penjualan":
        return f"dari {fmt.number(row[N_PELAPOR_TAHUNAN])} UMKM yang melapor bulan yang sama di kedua tahun"
    count = row.get(key + COUNT_SUFFIX)
    if count is None or pd.isna(count):
        return None
    if INDICATORS[key].kind != SHARE:  # a sum: how many UMKM state a value
        return f"tercatat pada {fmt.number(count)} dari {fmt.number(n)} UMKM"
    text = f"{fmt.number(count)} dari {fmt.number(n)} UMKM"
    unrecorded_key = (key if key != "porsi_luar_kabupaten" else "porsi_luar_kecamatan") + UNRECORDED_SUFFIX
    if unrecorded_key in INDICATORS and unrecorded_key != key and not pd.isna(row.get(unrecorded_key)):
        unrecorded = row[unrecorded_key + COUNT_SUFFIX]
        if unrecorded:
            text += f" · belum tercatat {fmt.percent(row[unrecorded_key])} ({fmt.number(unrecorded)})"
    return text


# Column headers of the tables shown and exported (Indonesian: they are read by the Dinas as they are).
COL_INDIKATOR, COL_DEFINISI, COL_RUMUS, COL_SUMBER, COL_PERIODE = "Indikator", "Definisi", "Rumus", "Sumber", "Ikut periode"
# "n UMKM", not "Jumlah UMKM": that is also an indicator's label, and two columns of one name would collide.
COL_KECAMATAN, COL_N_UMKM, COL_PERINGKAT = "Kecamatan", "n UMKM", "Peringkat"


def definitions_table(keys: list[str] | None = None) -> pd.DataFrame:
    """The catalogue as a table (label, definition, formula, source, whether it follows the period), for
    the "Definisi indikator" expander and the export: every number on screen a click from its meaning."""
    chosen = [INDICATORS[k] for k in keys] if keys is not None else list(INDICATORS.values())
    return pd.DataFrame({
        COL_INDIKATOR: [i.label for i in chosen],
        COL_DEFINISI: [i.definition for i in chosen],
        COL_RUMUS: [i.formula for i in chosen],
        COL_SUMBER: [i.source for i in chosen],
        COL_PERIODE: [_period_text(i) for i in chosen],
    })


def _period_text(indicator: Indicator) -> str:
    if indicator.per_year:
        return "per tahun kalender"
    return "ya" if indicator.follows_period else "tidak (stok registri)"


def help_text(key: str) -> str:
    """Definition, formula and source of one indicator in a few lines of markdown (st.metric help=)."""
    indicator = INDICATORS[key]
    if indicator.per_year:
        period = "Dihitung per tahun kalender (halaman Target & Realisasi)."
    elif indicator.follows_period:
        period = "Mengikuti periode terpilih."
    else:
        period = "Stok registri: tidak bergantung periode."
    return (f"{indicator.definition}\n\n**Rumus:** {indicator.formula}\n\n**Sumber:** {indicator.source}\n\n"
            f"{period}")


def map_keys() -> list[str]:
    """Indicators that mean something per kecamatan: the choices of the map."""
    return [key for key, indicator in INDICATORS.items() if indicator.per_kecamatan and not indicator.per_year]


def ranking(per_kecamatan: pd.DataFrame, key: str) -> pd.DataFrame:
    """One indicator per kecamatan, highest first, with the number of UMKM behind each value and its
    rank (1 = highest; equal values share a rank). Kecamatan without a value (no UMKM, no sales a year
    earlier) come last without a rank, so they read as "no data" and not as the lowest."""
    frame = pd.DataFrame({
        Producers.kecamatan: per_kecamatan[Producers.kecamatan].astype(str),
        key: pd.to_numeric(per_kecamatan[key]).astype(float),
        N_UMKM: per_kecamatan[N_UMKM].astype(int),
    })
    frame.loc[frame[N_UMKM] == 0, key] = float("nan")
    frame[RANK] = frame[key].rank(method="min", ascending=False).astype("Int64")
    return frame.sort_values([RANK, Producers.kecamatan], na_position="last", kind="stable").reset_index(drop=True)


def ranking_table(ranked: pd.DataFrame, key: str) -> pd.DataFrame:
    """The ranking with Indonesian headers and formatted values, for the page (text keeps the Indonesian
    separators that a number column would lose)."""
    table = pd.DataFrame({
        COL_PERINGKAT: ranked[RANK].astype("string").fillna("–"),
        COL_KECAMATAN: ranked[Producers.kecamatan],
        INDICATORS[key].label: [fmt.indicator_value(INDICATORS[key].kind, v) for v in ranked[key]],
        COL_N_UMKM: ranked[N_UMKM],
    })
    return table.drop(columns=COL_N_UMKM) if key == "jumlah_umkm" else table  # the value already is n


def export_sheets(ranked: pd.DataFrame, key: str, filters: flt.Filters, data_until: pd.Timestamp | None) -> dict[str, pd.DataFrame]:
    """Sheets of the map's Excel download: the values per kecamatan (unformatted, so Excel can compute
    with them) and a parameter sheet saying what they are: filters, definition, formula, source, data
    date. A number sent around by e-mail must carry its meaning with it."""
    indicator = INDICATORS[key]
    values = pd.DataFrame({
        COL_PERINGKAT: ranked[RANK],
        COL_KECAMATAN: ranked[Producers.kecamatan],
        indicator.label: ranked[key],
        COL_N_UMKM: ranked[N_UMKM],
    })
    parameters = pd.DataFrame({
        "Parameter": ["Indikator", "Definisi", "Rumus", "Sumber", "Satuan", "Filter", "Data sampai"],
        "Nilai": [indicator.label, indicator.definition, indicator.formula, indicator.source,
                  _UNITS[indicator.kind], filters.describe(), fmt.month_label(data_until)],
    })
    values = ref.with_kabupaten(values, COL_KECAMATAN)  # a provinsi: where each kecamatan lies
    values = excel.with_formats(values, {indicator.label: _EXCEL_FORMATS[indicator.kind], COL_N_UMKM: excel.INTEGER_FORMAT})
    return {"Per kecamatan": values, "Parameter": parameters}


_UNITS = {COUNT: "jumlah", SUM: "jumlah", SHARE: "persen UMKM", RUPIAH: "rupiah", RATE: "per 1.000 penduduk",
          GROWTH: "persen (naik atau turun)"}
_EXCEL_FORMATS = {COUNT: excel.INTEGER_FORMAT, SUM: excel.INTEGER_FORMAT, SHARE: excel.PERCENT_FORMAT,
                  RUPIAH: excel.RUPIAH_FORMAT, RATE: "0.00", GROWTH: excel.PERCENT_FORMAT}
