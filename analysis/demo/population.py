"""The producers: names, owners, NIK, phone, kategori, size; planted duplicates and near duplicates."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np

from analysis.core import reference as ref
from analysis.demo import values
from analysis.demo.specs import (
    BRANDS,
    BUSINESS_TEMPLATES,
    CAFE,
    DATA_YEAR,
    DESA,
    ETHNIC_MIX,
    ETHNICITIES,
    FOOD,
    KATEGORI_PROFILES,
    KOPI_INLAND,
    MEDIAN_OMZET_BULAN,
    MENENGAH_SHARE,
    NAMES,
    NEAR_DUPLICATES_PER_SCALE,
    NIK_MISSING,
    NOT_A_NICKNAME,
    OMZET_SIGMA,
    OMZET_STEP,
    PANGGILAN,
    PHONE_MISSING,
    PHONE_PREFIXES,
    PRODUCERS_PER_SCALE,
    REGION_TILT,
)
from analysis.demo.values import Used


@lru_cache(maxsize=32)
def _kategori_weights(kecamatan: str) -> np.ndarray:
    weights = np.array([KATEGORI_PROFILES[k].weight for k in ref.KATEGORI])
    for members, tilt in REGION_TILT:
        if kecamatan in members:
            weights *= [tilt.get(k, 1.0) for k in ref.KATEGORI]
    return weights / weights.sum()


def _product(rng: np.random.Generator, kategori: str, kecamatan: str) -> tuple[str, str, int]:
    """Coffee growers are inland: there a Minuman producer mostly sells kopi."""
    products = KATEGORI_PROFILES[kategori].products
    if kategori == "Minuman" and kecamatan in KOPI_INLAND and rng.random() < 0.7:
        products = tuple(p for p in products if p[0].startswith("Kopi"))
    return values.pick(rng, products)


def _person_name(rng: np.random.Generator, ethnicity: str, female: bool) -> str:
    first, second = NAMES[(ethnicity, female)]
    if ethnicity == "bali":
        prefix = ("Ni " if rng.random() < 0.5 else "") if female else ("I " if rng.random() < 0.3 else "")
        return f"{prefix}{values.pick(rng, first)} {values.pick(rng, second)}"
    if rng.random() < 0.15:
        return values.pick(rng, first + second)  # single names are common, above all among Javanese
    return f"{values.pick(rng, first)} {values.pick(rng, second)}"


def _nickname(owner: str) -> str:
    tokens = owner.split()
    return next((t for t in tokens if t not in NOT_A_NICKNAME), tokens[-1])


def _business_name(rng: np.random.Generator, p: dict) -> str:
    template = values.pick(rng, BUSINESS_TEMPLATES[p["kategori"]])
    female = p["jenis_kelamin"] == "P"
    return template.format(produk=p["produk_utama"], panggilan=values.pick(rng, PANGGILAN[female]),
                           nama=_nickname(p["nama_pemilik"]), merek=values.pick(rng, BRANDS), desa=p["desa"],
                           kec=p["kecamatan"])


def new_nik(rng: np.random.Generator, kode: str, female: bool, used: Used, province: str = "1801") -> str:
    """PPKKCC + birth date (day + 40 for women) + serial, as on a real KTP."""
    while True:
        born = date(1952, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 44)))
        nik = f"{province}{kode[-2:]}{born.day + 40 * female:02d}{born.month:02d}{born.year % 100:02d}" \
              f"{int(rng.integers(1, 2000)):04d}"
        if nik not in used.niks:
            used.niks.add(nik)
            return nik


def _new_phone(rng: np.random.Generator, used: Used) -> str:
    while True:
        digits = 8 if rng.random() < 0.8 else 7
        phone = "+62" + values.pick(rng, PHONE_PREFIXES) + "".join(map(str, rng.integers(0, 10, digits)))
        if phone not in used.phones:
            used.phones.add(phone)
            return phone


def _name_pair(rng: np.random.Generator, p: dict, used: Used) -> None:
    """Give p an owner and a business name whose normalised pair is new, so producers can be told apart."""
    for _ in range(100):
        p["nama_pemilik"] = _person_name(rng, p["etnis"], p["jenis_kelamin"] == "P")
        p["nama_usaha"] = _business_name(rng, p)
        key = values.key(p["nama_usaha"], p["nama_pemilik"])
        if key not in used.keys:
            used.keys.add(key)
            return
    raise RuntimeError("no unique business name found")


def _omzet_tahunan(rng: np.random.Generator, size: float) -> int:
    if rng.random() < MENENGAH_SHARE:
        annual = rng.uniform(2.6e9, 5e9)
    else:
        annual = 12 * rng.lognormal(np.log(MEDIAN_OMZET_BULAN * size), OMZET_SIGMA)
    return 12 * max(OMZET_STEP, int(round(annual / 12 / OMZET_STEP)) * OMZET_STEP)


def _aset(rng: np.random.Generator, omzet: int) -> int:
    aset = omzet * rng.uniform(0.15, 0.8)
    step = 250_000 if aset < 10**7 else 500_000 if aset < 10**8 else 5_000_000 if aset < 10**9 else 10**7
    return max(500_000, int(round(aset / step)) * step)


def _maybe(rng: np.random.Generator, p_true: float, p_missing: float) -> bool | None:
    return None if rng.random() < p_missing else bool(rng.random() < p_true)


def make_producer(rng: np.random.Generator, kecamatan: str, used: Used) -> dict:
    """One canonical producer: what the truth says before any file loses or garbles a value."""
    kategori = ref.KATEGORI[rng.choice(len(ref.KATEGORI), p=_kategori_weights(kecamatan))]
    profile = KATEGORI_PROFILES[kategori]
    produk, satuan, harga = _product(rng, kategori, kecamatan)
    female = bool(rng.random() < profile.female)
    mix = ETHNIC_MIX.get(kecamatan, ETHNIC_MIX[""])
    p = {"kecamatan": kecamatan, "kode_kecamatan": _kode(kecamatan), "desa": values.pick(rng, DESA[kecamatan]),
         "kategori": kategori, "produk_utama": produk, "satuan": satuan, "harga": harga,
         "jenis_kelamin": "P" if female else "L", "etnis": ETHNICITIES[rng.choice(4, p=mix)]}
    _name_pair(rng, p, used)
    omzet = _omzet_tahunan(rng, profile.size)
    tahun = DATA_YEAR - int(min(rng.gamma(2.0, 5.0), 35))  # mode ~5 years; ~12% founded 2015 or later
    skala = values.skala(omzet, None)
    reach = {"Mikro": 0.9, "Kecil": 2.2, "Menengah": 3.3}[skala]
    p.update(
        nik=None if rng.random() < NIK_MISSING else new_nik(rng, p["kode_kecamatan"], female, used),
        no_hp=None if rng.random() < PHONE_MISSING else _new_phone(rng, used),
        tahun_mulai=tahun,
        tenaga_kerja=max(1, int(round((omzet / 2.4e7) ** 0.6 * rng.lognormal(0, 0.3)))),
        aset_rp=_aset(rng, omzet), omzet_tahunan_rp=omzet,
        nib=_maybe(rng, {"Mikro": 0.25, "Kecil": 0.65, "Menengah": 0.95}[skala], 0.08),
        pirt=_maybe(rng, 0.45 if kategori in FOOD else 0.05, 0.10),
        halal=_maybe(rng, 0.30 if kategori in FOOD else 0.02, 0.10),
        jangkauan_pasar=None if rng.random() < 0.05 else
        ref.JANGKAUAN_PASAR[int(np.clip(round(rng.normal(reach, 1.0)), 0, 5))],
        pemasaran_online=_maybe(rng, 0.12 + 0.25 * (tahun >= 2012) + 0.2 * (skala != "Mikro"), 0.05),
    )
    return p


@lru_cache(maxsize=32)
def _kode(kecamatan: str) -> str:
    return ref.kecamatan_code(kecamatan)


def _kecamatan_counts(rng: np.random.Generator, total: int) -> dict[str, int]:
    """Roughly proportional to the 2010 census, with +-15% of local variation; largest remainder rounding."""
    table = ref.kecamatan()
    share = table["penduduk_2010"].to_numpy(float) * rng.uniform(0.85, 1.15, len(table))
    exact = total * share / share.sum()
    counts = np.floor(exact).astype(int)
    counts[np.argsort(counts - exact, kind="stable")[: total - counts.sum()]] += 1
    return dict(zip(table["kecamatan"], counts.tolist()))


def make_producers(rng: np.random.Generator, scale: int, used: Used) -> tuple[list[dict], list[tuple]]:
    counts = _kecamatan_counts(rng, PRODUCERS_PER_SCALE * scale)
    producers = [make_producer(rng, kec, used) for kec in ref.kecamatan_names() for _ in range(counts[kec])]
    _plant_landmarks(producers, used)
    return producers, _plant_near_duplicates(rng, producers, used, NEAR_DUPLICATES_PER_SCALE * scale)


def _plant_landmarks(producers: list[dict], used: Used) -> None:
    """Two UMKM that make rules appear whatever the seed: a Candipuro name needing Windows-1252 (é) in the
    cp1252 CSV, and a menengah UMKM in Jati Agung whose registry writes its aset as '1,25 M'."""
    cafe = next(p for p in producers if p["kecamatan"] == "Candipuro")
    used.keys.discard(values.key(cafe["nama_usaha"], cafe["nama_pemilik"]))
    cafe.update(nama_usaha=CAFE[0], produk_utama=CAFE[1], kategori="Minuman", satuan="kg", harga=50_000)
    used.keys.add(values.key(cafe["nama_usaha"], cafe["nama_pemilik"]))
    big = max((p for p in producers if p["kecamatan"] == "Jati Agung"), key=lambda p: p["omzet_tahunan_rp"])
    big.update(omzet_tahunan_rp=max(big["omzet_tahunan_rp"], 3_000_000_000), aset_rp=1_250_000_000,
               tenaga_kerja=45, nib=True)


def _plant_near_duplicates(rng: np.random.Generator, producers: list[dict], used: Used, n: int) -> list[tuple]:
    """Turn producer b into a look-alike of producer a (same kecamatan, different owner): two real UMKM."""
    pairs, taken = [], set()
    order = rng.permutation(len(producers))
    for a in order:
        if len(pairs) == n:
            break
        if a in taken or producers[a]["nama_usaha"] == CAFE[0]:
            continue
        same_kec = [b for b in order if b != a and b not in taken
                    and producers[b]["kecamatan"] == producers[a]["kecamatan"]
                    and producers[b]["nama_pemilik"] != producers[a]["nama_pemilik"]
                    and producers[b]["nama_usaha"] != CAFE[0]]
        if not same_kec:
            continue
        b = same_kec[0]
        kind = "akhiran" if len(pairs) % 2 == 0 else "pemilik_beda"
        pa, pb = producers[a], producers[b]
        usaha = pa["nama_usaha"] + (" 2" if kind == "akhiran" else "")
        if values.key(usaha, pb["nama_pemilik"]) in used.keys:
            continue
        used.keys.discard(values.key(pb["nama_usaha"], pb["nama_pemilik"]))
        pb.update({k: pa[k] for k in ("desa", "kategori", "produk_utama", "satuan", "harga")}, nama_usaha=usaha)
        used.keys.add(values.key(usaha, pb["nama_pemilik"]))
        taken.update((a, b))
        pairs.append((int(a), int(b), kind))
    return pairs
