"""What the demo files look like: registry layouts and headers, sales files, training events, the planted effects."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from openpyxl.styles import Font

DEFAULT_SEED = 20171031


PRODUCERS_PER_SCALE = 2500


MONTHS = pd.date_range("2015-01-01", "2017-10-01", freq="MS")


DATA_YEAR = 2017


FIXED_TIME = datetime(2017, 11, 1)


ZIP_TIME = (2017, 11, 1, 0, 0, 0)


DINAS = "Dinas Koperasi dan UKM Kab. Lampung Selatan"


BOLD = Font(bold=True)


# Producers: omzet is lognormal around a monthly median; a few are deliberately menengah.
MEDIAN_OMZET_BULAN = 4_500_000


OMZET_SIGMA = 1.1


OMZET_STEP = 50_000  # monthly omzet is a multiple of this, so annual/12 is exact in per-bulan files


MENENGAH_SHARE = 0.002


NIK_MISSING = 0.10


PHONE_MISSING = 0.10


# Planted traps (shares of producers, or counts per unit of scale).
DUPLICATE_SHARE = 0.03


PESISIR_DUPLICATE_SHARE = 0.25  # of the duplicates: Kalianda producers listed again in the Pesisir workbook


BROKEN_NIK_SHARE = 0.005


NEAR_DUPLICATES_PER_SCALE = 8


UNLINKED_SALES_PER_SCALE = 3


# Sales.
SALES_SHARE = 0.85


LATE_START_SHARE = 0.08


STOP_SHARE = 0.04


GAP_RATE = 0.02


LEVEL_SIGMA = 0.25  # reported sales versus registry omzet


MONTH_NOISE = 0.15


PRICE_GROWTH = 0.04


# Training.
PARTICIPANTS_RANGE = (20, 40)


OUTSIDER_SHARE = 0.03


SELECTION_POWER = 0.5  # invitation weight = sales level ** this: selection on level, never on growth


EFFECTS = {"Pemasaran": 0.15, "Kemasan": 0.08, "Kelembagaan": 0.0, "Produksi & Mutu": 0.05, "Keuangan": 0.05}


BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")


BULAN_PENDEK = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nov", "Des")


MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass(frozen=True)
class Kategori:
    weight: float  # share of producers before the regional tilt
    female: float  # share of women owners
    growth: float  # yearly sales trend
    lebaran: float  # multiplier in the Idul Fitri month; the month before gets 60% of the lift
    size: float  # multiplier on the median omzet
    products: tuple[tuple[str, str, int], ...]  # (produk_utama, satuan, harga per satuan)


KATEGORI_PROFILES = {
    "Makanan Olahan": Kategori(0.27, 0.80, 0.04, 1.45, 1.0, (
        ("Keripik Pisang", "kg", 45_000), ("Keripik Singkong", "kg", 30_000), ("Keripik Tempe", "kg", 40_000),
        ("Kerupuk Bawang", "kg", 28_000), ("Emping Melinjo", "kg", 70_000), ("Dodol Durian", "kg", 60_000),
        ("Kue Basah", "pcs", 2_000), ("Roti Manis", "pcs", 3_500), ("Bolu Kukus", "pcs", 2_500),
        ("Lapis Legit", "loyang", 150_000), ("Sale Pisang", "kg", 50_000), ("Tempe", "kg", 14_000),
        ("Tahu", "kg", 12_000), ("Sambal Bawang", "botol", 20_000), ("Bakso", "porsi", 12_000),
        ("Katering Nasi Kotak", "kotak", 20_000))),
    "Minuman": Kategori(0.07, 0.55, 0.10, 1.25, 1.0, (
        ("Kopi Bubuk Robusta", "kg", 60_000), ("Kopi Robusta", "kg", 55_000), ("Kopi Bubuk", "kg", 50_000),
        ("Jamu Tradisional", "botol", 10_000), ("Sirup Pala", "botol", 20_000), ("Teh Herbal", "bungkus", 15_000),
        ("Jahe Instan", "bungkus", 12_000), ("Air Minum Isi Ulang", "galon", 5_000))),
    "Olahan Kelapa": Kategori(0.05, 0.60, 0.12, 1.20, 1.1, (
        ("VCO", "botol", 35_000), ("Minyak Kelapa Murni", "botol", 40_000), ("Gula Kelapa", "kg", 18_000),
        ("Gula Merah", "kg", 16_000), ("Gula Semut", "kg", 35_000), ("Arang Batok", "kg", 6_000),
        ("Minyak Kelapa", "liter", 25_000), ("Cocopeat", "karung", 15_000))),
    "Olahan Perikanan": Kategori(0.04, 0.55, 0.03, 1.25, 1.1, (
        ("Ikan Asin", "kg", 50_000), ("Terasi", "kg", 40_000), ("Kerupuk Ikan", "kg", 60_000),
        ("Kerupuk Udang", "kg", 80_000), ("Abon Ikan", "kg", 150_000), ("Teri Nasi Kering", "kg", 90_000),
        ("Rajungan Kupas", "kg", 120_000), ("Cumi Asin", "kg", 90_000), ("Ikan Pindang", "kg", 30_000))),
    "Kerajinan": Kategori(0.07, 0.80, -0.04, 1.20, 0.8, (
        ("Kain Tapis", "lembar", 750_000), ("Tapis Lampung", "lembar", 600_000), ("Anyaman Bambu", "pcs", 40_000),
        ("Anyaman Pandan", "pcs", 35_000), ("Sulam Usus", "pcs", 150_000), ("Ukiran Kayu", "pcs", 200_000),
        ("Gerabah", "pcs", 25_000), ("Kerajinan Kerang", "pcs", 20_000))),
    "Fesyen & Tekstil": Kategori(0.08, 0.70, 0.02, 1.50, 1.0, (
        ("Konveksi", "pcs", 75_000), ("Batik Lampung", "lembar", 200_000), ("Penjahit Pakaian", "pcs", 80_000),
        ("Sablon Kaos", "pcs", 45_000), ("Bordir", "pcs", 60_000), ("Tas Rajut", "pcs", 85_000))),
    "Pertanian & Perkebunan": Kategori(0.12, 0.40, 0.02, 1.15, 1.2, (
        ("Sayur Organik", "kg", 10_000), ("Jagung Manis", "kg", 6_000), ("Beras Organik", "kg", 14_000),
        ("Lada Hitam", "kg", 90_000), ("Kakao Fermentasi", "kg", 30_000), ("Madu Hutan", "botol", 90_000),
        ("Jamur Tiram", "kg", 20_000), ("Bibit Durian", "batang", 25_000), ("Tanaman Hias", "pot", 30_000),
        ("Pisang Kepok", "kg", 8_000))),
    "Jasa & Perdagangan": Kategori(0.25, 0.40, 0.0, 1.15, 1.0, (
        ("Warung Kelontong", "transaksi", 50_000), ("Toko Sembako", "transaksi", 75_000),
        ("Bengkel Motor", "unit", 60_000), ("Laundry Kiloan", "kg", 7_000), ("Salon Kecantikan", "orang", 50_000),
        ("Pangkas Rambut", "orang", 15_000), ("Jasa Fotokopi", "lembar", 300), ("Percetakan", "order", 250_000),
        ("Dagang Hasil Bumi", "kg", 8_000))),
    "Lainnya": Kategori(0.02, 0.50, 0.0, 1.10, 0.8, (
        ("Sabun Herbal", "pcs", 12_000), ("Pupuk Organik", "karung", 40_000), ("Lilin Aromaterapi", "pcs", 25_000))),
}


DECIMAL_UNITS = frozenset({"kg", "liter"})


FOOD = frozenset({"Makanan Olahan", "Minuman", "Olahan Kelapa", "Olahan Perikanan"})


COASTAL = ("Rajabasa", "Kalianda", "Ketapang", "Bakauheni", "Sragi", "Katibung", "Penengahan")


PERI_URBAN = ("Natar", "Jati Agung", "Tanjung Bintang")


KOPI_INLAND = ("Way Sulan", "Sidomulyo", "Candipuro", "Tanjung Sari", "Merbau Mataram", "Palas", "Way Panji")


REGION_TILT = (
    (COASTAL, {"Olahan Perikanan": 4.0, "Olahan Kelapa": 3.0, "Minuman": 0.6}),
    (PERI_URBAN, {"Makanan Olahan": 1.3, "Jasa & Perdagangan": 1.4, "Fesyen & Tekstil": 1.8,
                  "Olahan Perikanan": 0.3, "Olahan Kelapa": 0.5}),
    (KOPI_INLAND, {"Minuman": 2.5, "Pertanian & Perkebunan": 1.4, "Olahan Perikanan": 0.4}),
)


# Sales files are split per year and per wilayah, as the Dinas's three field teams report.
WILAYAH = {
    "Utara": ("Natar", "Jati Agung", "Tanjung Bintang", "Merbau Mataram", "Tanjung Sari"),
    "Tengah": ("Katibung", "Sidomulyo", "Candipuro", "Way Sulan", "Way Panji", "Palas"),
    "Pesisir": ("Kalianda", "Rajabasa", "Penengahan", "Ketapang", "Bakauheni", "Sragi"),
}


ETHNICITIES = ("jawa", "lampung", "sunda", "bali")


ETHNIC_MIX = {  # shares in ETHNICITIES order; kecamatan not listed use the default
    "": (0.55, 0.20, 0.15, 0.10),
    "Way Panji": (0.35, 0.10, 0.05, 0.50), "Sidomulyo": (0.50, 0.15, 0.10, 0.25),
    "Candipuro": (0.55, 0.10, 0.15, 0.20), "Merbau Mataram": (0.55, 0.15, 0.15, 0.15),
    "Palas": (0.50, 0.20, 0.15, 0.15), "Kalianda": (0.35, 0.45, 0.15, 0.05),
    "Penengahan": (0.35, 0.45, 0.15, 0.05), "Rajabasa": (0.30, 0.50, 0.15, 0.05),
    "Katibung": (0.45, 0.35, 0.15, 0.05),
}


NAMES = {  # (ethnicity, female) -> (first names, second names)
    ("jawa", True): (
        ("Siti", "Sri", "Endang", "Tri", "Dwi", "Sumarni", "Rina", "Yuli", "Dewi", "Ani", "Suharti", "Sulastri",
         "Puji", "Tutik", "Wartini", "Sutini", "Ratna", "Ika", "Eka", "Yanti", "Murni", "Kartini", "Suyati",
         "Lilis", "Umi", "Nanik", "Suparmi", "Tumini"),
        ("Aminah", "Wahyuni", "Lestari", "Wahyuningsih", "Astuti", "Rahayu", "Handayani", "Susilowati",
         "Purwanti", "Mulyani", "Suryani", "Setyowati", "Kusumawati", "Pratiwi", "Utami", "Ningsih", "Wulandari",
         "Hartini", "Yuliani", "Sulistyowati")),
    ("jawa", False): (
        ("Slamet", "Suparman", "Sutrisno", "Joko", "Agus", "Budi", "Bambang", "Heru", "Teguh", "Wagiman",
         "Sugeng", "Sukardi", "Edi", "Hadi", "Suyanto", "Widodo", "Priyo", "Eko", "Wahyu", "Yudi", "Supri",
         "Sutarno", "Mulyono", "Purwanto", "Giyanto", "Waluyo", "Triyono", "Darsono"),
        ("Santoso", "Susilo", "Riyadi", "Prasetyo", "Wibowo", "Nugroho", "Setiawan", "Hartono", "Purnomo",
         "Saputro", "Kurniawan", "Sutrisno", "Hidayat", "Wijaya", "Raharjo", "Pranoto", "Suharto", "Budiman",
         "Haryanto", "Susanto")),
    ("lampung", True): (
        ("Nur", "Rosmiyati", "Fitri", "Siti", "Maryani", "Yusnidar", "Zubaidah", "Rohimah", "Mardiana",
         "Yuliana", "Rahma", "Susanti", "Herlina", "Linda", "Rosdiana", "Elly", "Marlina", "Aisyah", "Desi",
         "Nurlela"),
        ("Hayati", "Yani", "Handayani", "Fitriani", "Aminah", "Hasanah", "Wati", "Rahmawati", "Oktaviani",
         "Safitri", "Anggraini", "Puspita", "Yulianti", "Agustina", "Maulida", "Novita", "Andriani", "Apriyani")),
    ("lampung", False): (
        ("Rahmat", "Ahmad", "Zainal", "Syamsul", "Hendri", "Yusuf", "Herman", "Rizal", "Firman", "Ridwan",
         "Hasan", "Abdul", "Iwan", "Zulkifli", "Helmi", "Irwan", "Fauzi", "Roni", "Andi", "Darwis", "Mukhlis"),
        ("Hidayat", "Yani", "Abidin", "Bahri", "Saputra", "Effendi", "Syah", "Hakim", "Rahman", "Setiawan",
         "Gunawan", "Kurniawan", "Pratama", "Ansori", "Mukti", "Hasanudin", "Riduan", "Alamsyah", "Fikri")),
    ("sunda", True): (
        ("Euis", "Neneng", "Ai", "Imas", "Enung", "Yati", "Cucu", "Eneng", "Lilis", "Iis", "Entin", "Oom"),
        ("Nurhasanah", "Kurniasih", "Rohaeti", "Komariah", "Rostika", "Maryati", "Suryani", "Setiawati",
         "Hayati", "Sumiati", "Rosita")),
    ("sunda", False): (
        ("Asep", "Ujang", "Dede", "Cecep", "Dadang", "Ade", "Yayan", "Aep", "Engkos", "Dodi", "Yusup", "Otong"),
        ("Saepudin", "Sutisna", "Kurnia", "Hermawan", "Supriatna", "Sopandi", "Rusmana", "Suryana", "Permana",
         "Sunarya")),
    ("bali", True): (
        ("Wayan", "Made", "Nyoman", "Ketut", "Putu", "Komang", "Kadek", "Luh"),
        ("Ayu", "Ariani", "Sari", "Suartini", "Kartini", "Wulandari", "Sukerti", "Widiastuti", "Sriani",
         "Darmini", "Yuliantari", "Puspawati", "Ardani", "Rai")),
    ("bali", False): (
        ("Wayan", "Made", "Nyoman", "Ketut", "Putu", "Komang", "Gede", "Kadek"),
        ("Sudarma", "Suarsana", "Sutrisno", "Sukerta", "Widiana", "Mertayasa", "Suardana", "Budiarta",
         "Suastika", "Arnawa", "Sudiarsa", "Wirawan", "Darmawan", "Astawa", "Suweta")),
}


NOT_A_NICKNAME = frozenset({"I", "Ni", "Wayan", "Made", "Nyoman", "Ketut", "Putu", "Komang", "Kadek", "Gede",
                            "Luh", "Siti", "Nur", "Ahmad", "Abdul", "Ai", "Tri", "Dwi", "Eka"})


BRANDS = ("Sinar Jaya", "Maju Jaya", "Berkah", "Barokah", "Sumber Rezeki", "Mandiri", "Lestari", "Makmur",
          "Sejahtera", "Harapan Baru", "Rizki Abadi", "Tunas Harapan", "Cahaya Baru", "Mekar Sari", "Siger Indah",
          "Saburai", "Sai Bumi", "Ragom", "Krakatau", "Bahari", "Putra Mandiri", "Sentosa", "Mulya", "Jaya Abadi",
          "Annisa", "Al Ikhlas", "Mitra Usaha", "Karya Bersama", "Citra Rasa", "Sekar Arum", "Gemilang", "Amanah")


BUSINESS_TEMPLATES = {
    "Makanan Olahan": ("{produk} {panggilan} {nama}", "{produk} {merek}", "UD {merek}", "Dapur {panggilan} {nama}",
                       "{produk} {desa}", "Aneka {produk} {nama}"),
    "Minuman": ("{produk} {kec}", "{produk} Cap {merek}", "{produk} {panggilan} {nama}", "{produk} {desa}"),
    "Olahan Kelapa": ("{produk} Sehat {kec}", "{produk} {desa}", "{produk} {panggilan} {nama}", "UD {merek}",
                      "KUB {merek}"),
    "Olahan Perikanan": ("{produk} {panggilan} {nama}", "{produk} {desa}", "Mina {merek}", "{produk} Cap {merek}"),
    "Kerajinan": ("Sanggar {merek}", "{produk} {merek}", "{produk} {desa}", "Kerajinan {panggilan} {nama}"),
    "Fesyen & Tekstil": ("{produk} {nama}", "Butik {merek}", "{produk} {merek}", "Konveksi {merek}"),
    "Pertanian & Perkebunan": ("KWT {merek}", "Kelompok Tani {merek}", "{produk} {panggilan} {nama}",
                               "{produk} {desa}"),
    "Jasa & Perdagangan": ("Toko {merek}", "UD {merek}", "CV {merek}", "{produk} {panggilan} {nama}",
                           "{produk} {merek}"),
    "Lainnya": ("{produk} {nama}", "UD {merek}", "{produk} {merek}"),
}


PANGGILAN = {True: ("Bu", "Mbak", "Mak"), False: ("Pak", "Mas", "Bang")}


HONORIFIC = {True: ("Ibu", "Bu", "Ny."), False: ("Bapak", "Bpk.", "Pak")}


PREFIXES_TO_DROP = ("UD ", "CV ", "Toko ", "KWT ", "KUB ")


CAFE = ("Café Kopi Candi", "Kopi Bubuk")  # the one name that needs Windows-1252 in the Candipuro CSV


PHONE_PREFIXES = ("811", "812", "813", "821", "822", "823", "851", "852", "853", "856", "857", "858", "877",
                  "878", "896", "897", "898", "899", "881", "882")


DESA = {
    "Natar": ("Merak Batin", "Natar", "Hajimena", "Pemanggilan", "Branti Raya", "Candimas", "Muara Putih",
              "Bumisari", "Haduyang", "Negara Ratu", "Rulung Raya", "Sidosari", "Krawang Sari", "Mandah",
              "Banjar Negeri", "Rejosari", "Pancasila", "Sukadamai"),
    "Tanjung Bintang": ("Jati Baru", "Sabah Balau", "Way Galih", "Serdang", "Lematang", "Budi Lestari", "Trimulyo",
                        "Sindang Sari", "Galih Lunik", "Srikaton", "Suka Negara", "Kertosari"),
    "Kalianda": ("Kalianda", "Way Urang", "Bumi Agung", "Way Lubuk", "Tajimalela", "Pematang", "Babulang",
                 "Sukatani", "Canggu", "Palembapang", "Merak Belantung", "Agom", "Kecapi", "Maja"),
    "Sidomulyo": ("Sidorejo", "Sidomulyo", "Sidodadi", "Banjar Suri", "Suak", "Campang Tiga", "Siring Jaha",
                  "Seloretno", "Sukamarga", "Sukabanjar", "Talang Baru", "Budi Daya"),
    "Katibung": ("Tanjung Ratu", "Tanjungan", "Pardasuka", "Sidomekar", "Neglasari", "Karya Tunggal", "Tarahan",
                 "Rangai Tritunggal", "Babatan", "Sukajaya", "Tanjung Agung"),
    "Penengahan": ("Pasuruan", "Kelaten", "Banjarmasin", "Kekiling", "Gandri", "Tetaan", "Padan", "Way Kalam",
                   "Kuripan", "Tanjung Heran", "Ruang Tengah", "Taman Baru"),
    "Palas": ("Bangunan", "Palas Aji", "Palas Jaya", "Bumi Restu", "Bumi Asri", "Pulau Tengah", "Bandan Hurip",
              "Bumi Daya", "Sukaraja", "Mekar Mulya", "Tanjung Jaya", "Bali Agung"),
    "Jati Agung": ("Marga Agung", "Karang Anyar", "Way Huwi", "Jatimulyo", "Sidoharjo", "Fajar Baru",
                   "Margomulyo", "Banjar Agung", "Gedung Agung", "Sinar Rejeki", "Gedung Harapan", "Rejomulyo",
                   "Karang Rejo", "Purwotani", "Margodadi", "Sumber Jaya"),
    "Ketapang": ("Bangun Rejo", "Ketapang", "Sripendowo", "Legundi", "Pematang Pasir", "Sumur", "Berundung",
                 "Ruguk", "Kemukus", "Taman Sari", "Karang Sari", "Sumbernadi"),
    "Sragi": ("Kuala Sekampung", "Bandar Agung", "Kedaung", "Baktirasa", "Mandalasari", "Sumber Sari",
              "Marga Jasa", "Margasari", "Sukapura"),
    "Rajabasa": ("Banding", "Canti", "Kerinjing", "Kunjir", "Tejang Pulau Sebesi", "Way Muli", "Rajabasa",
                 "Batu Balak", "Kota Guring", "Cugung", "Tanjung Gading", "Hargo Pancuran"),
    "Candipuro": ("Titiwangi", "Banyumas", "Beringin Kencana", "Bumi Jaya", "Cintamulya", "Karya Mulya Sari",
                  "Rawi", "Sidoasri", "Sinar Palembang", "Sinar Pasemah", "Trimulyo", "Batuliman Indah"),
    "Merbau Mataram": ("Merbau Mataram", "Baru Ranji", "Tanjung Baru", "Triharjo", "Karang Raja", "Puji Rahayu",
                       "Sinar Karya", "Suban", "Lebung Sari", "Mekar Jaya", "Talang Jawa"),
    "Bakauheni": ("Hatta", "Bakauheni", "Kelawi", "Totoharjo", "Semanak"),
    "Tanjung Sari": ("Kerto Sari", "Wonodadi", "Bangun Sari", "Malang Sari", "Mulyo Sari", "Purwodadi Dalam",
                     "Sidomukti", "Wawasan"),
    "Way Sulan": ("Karang Pucung", "Banjarsari", "Mekar Sari", "Purwodadi", "Sumber Agung", "Talang Way Sulan",
                  "Sukamaju"),
    "Way Panji": ("Sidoharjo", "Sidomakmur", "Sidoreno", "Balinuraga"),
}


# How kecamatan columns misspell each kecamatan (DATA-CONTRACT: case, prefixes, "Tj.", aliases, small typos).
KEC_SPELLINGS = {
    "Natar": ("kec. natar", "NATAR"), "Jati Agung": ("Jatiagung", "JATI AGUNG"),
    "Tanjung Bintang": ("Tj. Bintang", "Tanjungbintang"), "Kalianda": ("Kalianda ", "KALIANDA"),
    "Penengahan": ("Penengahn", "Kec. Penengahan"), "Merbau Mataram": ("Merbau Mataran", "Merbaumataram"),
    "Rajabasa": ("Raja Basa",), "Candipuro": ("Candi Puro",), "Sragi": ("Kec. Sragi",),
    "Sidomulyo": ("Sido Mulyo",), "Tanjung Sari": ("Tj. Sari",), "Way Sulan": ("Waysulan",),
    "Way Panji": ("Waypanji",), "Bakauheni": ("Bakauhuni",),
}


KEC_SPELLING_RATE = 0.12


@dataclass(frozen=True)
class RegistryLayout:
    """How one officer's registry looks. `columns` pairs a truth field (or "no") with its header text."""

    columns: tuple[tuple[str, str], ...]
    titles: tuple[str, ...] = ()  # templates: {KEC} upper-case kecamatan, {kec}, {tahun}
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()  # two-row header: group title over these fields
    omzet_bulanan: bool = False  # the omzet column holds annual/12
    money: str = "angka"  # angka | titik | rp_strip | rp_sen | singkat | campur
    nik: str = "angka"  # angka (number cell) | teks | campur
    phones: tuple[str, ...] = ("strip",)
    bools: str = "yatidak"  # yatidak | ada | centang
    gender: str = "lp"  # lp | lengkap | campur
    tahun_teks: bool = False
    jangkauan_caps: bool = False
    jumlah: str | None = None  # label of the sum row at the bottom
    repeat_header_every: int = 0  # page-break style repeated header
    blank_rate: float = 0.0


@dataclass(frozen=True)
class RegistryFile:
    path: str
    layout: RegistryLayout
    sheets: tuple[tuple[str, str], ...]  # (sheet name, kecamatan); CSV: one entry with sheet name ""
    note: str
    csv: tuple[str, str] | None = None  # (encoding, delimiter)
    duplicates_only: tuple[str, ...] = ()  # sheets listing only UMKM whose home sheet is elsewhere
    recap: bool = False  # add an aggregate "Rekap per Desa" sheet (not a producer table)


def _columns(base: tuple[tuple[str, str], ...], **changes: str | None) -> tuple[tuple[str, str], ...]:
    """A header set with some headers renamed or (None) dropped: layouts differ by a few columns."""
    return tuple((f, changes.get(f, h)) for f, h in base if changes.get(f, h) is not None)


HEADERS_A = (
    ("no", "No"), ("nama_usaha", "Nama Usaha"), ("nama_pemilik", "Nama Pemilik"), ("nik", "NIK"),
    ("jenis_kelamin", "L/P"), ("no_hp", "No. HP"), ("desa", "Desa/Kel."), ("kecamatan", "Kecamatan"),
    ("produk_utama", "Jenis Produk"), ("tahun_mulai", "Tahun Mulai"), ("tenaga_kerja", "Jml Tenaga Kerja"),
    ("aset_rp", "Aset"), ("omzet_tahunan_rp", "Omzet Per Tahun"), ("nib", "NIB"), ("pirt", "PIRT"),
    ("halal", "Halal"), ("jangkauan_pasar", "Pemasaran"), ("pemasaran_online", "Online (Ya/Tidak)"),
)


HEADERS_B = _columns(
    HEADERS_A, nama_usaha="NAMA UMKM", nama_pemilik="Pemilik", nik="NIK Pemilik", jenis_kelamin="Jenis Kelamin",
    no_hp="No Telp/HP", desa="Desa", kecamatan="Kec.", produk_utama="Produk", tahun_mulai="Tahun Berdiri",
    tenaga_kerja="TK", aset_rp="Aset (Rp)", omzet_tahunan_rp="Omset (Rp)", pirt="P-IRT", halal="Sertifikat Halal",
    jangkauan_pasar="Jangkauan Pasar", pemasaran_online="Pemasaran Online")


HEADERS_TITLE_ONLY = _columns(
    HEADERS_A, nama_usaha="Nama Unit Usaha", nama_pemilik="Nama Pelaku Usaha", nik="No. KTP", jenis_kelamin="JK",
    no_hp="Telepon", desa="Desa/Kelurahan", kecamatan=None, produk_utama="Produk Utama",
    tahun_mulai="Mulai Usaha (Thn)", tenaga_kerja="Tenaga Kerja (org)", aset_rp="Nilai Aset",
    omzet_tahunan_rp="Omzet/bln", halal=None, jangkauan_pasar="Wilayah Pemasaran", pemasaran_online=None)


HEADERS_TWO_ROW = _columns(
    HEADERS_A, desa="Desa", kecamatan="Kecamatan", produk_utama="Produk", tenaga_kerja="TK", aset_rp="Aset (Rp)",
    omzet_tahunan_rp="Omzet/bln", jangkauan_pasar="Jangkauan Pasar")


TITLES_BINAAN = ("DATA UMKM BINAAN", "KECAMATAN {KEC}", "TAHUN {tahun}")


TITLES_DINAS = ("PEMERINTAH KABUPATEN LAMPUNG SELATAN", "DINAS KOPERASI DAN UKM",
                "DATA PELAKU UMKM KECAMATAN {KEC}", "TAHUN {tahun}")


TITLES_SHORT = ("DATA UMKM BINAAN KECAMATAN {KEC}", "TAHUN {tahun}")


REGISTRY_FILES = (
    RegistryFile(
        "registri/Data UMKM Binaan Kec. Natar 2017.xlsx",
        RegistryLayout(HEADERS_A, TITLES_BINAAN, money="rp_strip", phones=("angka", "strip", "62"),
                       jumlah="JUMLAH", repeat_header_every=120, blank_rate=0.01),
        (("UMKM Natar", "Natar"),),
        "layout (a): 3 merged title rows, blank row, header, No column, kecamatan column (with misspellings); "
        "aset as 'Rp 2.500.000,-'; NIK as number cells plus broken '1.80104E+15' text; phones as numbers "
        "without 0, '0812-...', '62812...'; header repeated every 120 rows (page breaks); blank rows; JUMLAH "
        "row; planted rejects (Kedaton, Gedong Tataan); second sheet 'Rekap per Desa' is an aggregate table",
        recap=True),
    RegistryFile(
        "registri/Data Pelaku UMKM Jati Agung 2017.xlsx",
        RegistryLayout(HEADERS_TWO_ROW, ("DATA PELAKU UMKM BINAAN", "KECAMATAN {KEC} TAHUN {tahun}"),
                       groups=(("Alamat", ("desa", "kecamatan")), ("Legalitas", ("nib", "pirt", "halal"))),
                       omzet_bulanan=True, money="singkat", nik="teks", phones=("strip", "plus"),
                       bools="centang", gender="lengkap", blank_rate=0.005),
        (("Data", "Jati Agung"),),
        "layout (e): two-row header, 'Alamat' merged over Desa/Kecamatan and 'Legalitas' over NIB/PIRT/Halal; "
        "omzet per bulan ('Omzet/bln'); money as '2,5 jt' / '750 rb' / '1,2 M'; NIK as text; legality as a "
        "checklist ('v' = ya, blank = unknown); gender 'Laki-laki'/'Perempuan'; planted reject "
        "(unknown kecamatan 'Sukamaju Raya')"),
    RegistryFile(
        "registri/DATA UMKM TANJUNG BINTANG.xlsx",
        RegistryLayout(HEADERS_B, TITLES_DINAS, money="rp_sen", nik="campur", phones=("nol", "plus"),
                       bools="ada", tahun_teks=True, jangkauan_caps=True, jumlah="TOTAL"),
        (("Sheet1", "Tanjung Bintang"),),
        "layout (a) with 4 title rows and other header spellings ('NAMA UMKM', 'Pemilik', 'No Telp/HP', "
        "'Omset (Rp)'); money 'Rp2.500.000,00'; NIK mixed number/text; booleans 'Ada'/'Tidak Ada'/'-'; "
        "tahun as text; TOTAL row; planted reject (row without nama usaha and nama pemilik)"),
    RegistryFile(
        "registri/UMKM Merbau Mataram 2017.xlsx",
        RegistryLayout(_columns(HEADERS_A, omzet_tahunan_rp="Omzet per Bulan (Rp)"), TITLES_BINAAN,
                       omzet_bulanan=True, money="titik", phones=("strip", "62"), jumlah="JUMLAH"),
        (("Merbau Mataram", "Merbau Mataram"),),
        "layout (a); omzet per bulan; money '2.500.000'; 'Merbau Mataran' typo in the kecamatan column; "
        "planted reject (Tegineneng, Kab. Pesawaran)"),
    RegistryFile(
        "registri/Data UMKM Kec Tanjung Sari.xlsx",
        RegistryLayout(_columns(HEADERS_TITLE_ONLY, omzet_tahunan_rp="Omzet Per Tahun"), TITLES_SHORT,
                       phones=("nol",), gender="campur"),
        (("Tanjung Sari", "Tanjung Sari"),),
        "layout (b): kecamatan only in the title rows; no Halal / Online columns; gender mixed L/P/words"),
    RegistryFile(
        "registri/Data UMKM Katibung.xlsx",
        RegistryLayout(_columns(HEADERS_TITLE_ONLY, omzet_tahunan_rp="Omset (Rp)"),
                       ("DAFTAR UMKM BINAAN DINAS KOPERASI DAN UKM", "KECAMATAN {KEC}"), money="rp_sen",
                       nik="campur", phones=("62", "strip"), jumlah="JUMLAH"),
        (("Katibung", "Katibung"),),
        "layout (b); omzet per tahun as 'Rp2.500.000,00'; JUMLAH row"),
    RegistryFile(
        "registri/UMKM Sidomulyo 2017.xlsx",
        RegistryLayout(HEADERS_TITLE_ONLY, TITLES_SHORT, omzet_bulanan=True, money="campur", phones=("strip",),
                       blank_rate=0.01),
        (("Sheet1", "Sidomulyo"),),
        "layout (b); 'Omzet/bln' per bulan; money in mixed notations in one column; blank rows"),
    RegistryFile(
        "registri/data_umkm_candipuro.csv",
        RegistryLayout(_columns(HEADERS_A, jenis_kelamin="Jenis Kelamin", no_hp="No HP", desa="Desa",
                                produk_utama="Produk", tenaga_kerja="Tenaga Kerja", aset_rp=None,
                                omzet_tahunan_rp="Omset (Rp)", pemasaran_online="Online"),
                       ("DATA UMKM KECAMATAN {KEC} TAHUN {tahun}",), money="rp_strip", nik="teks",
                       phones=("strip", "nol")),
        (("", "Candipuro"),),
        "layout (d): CSV in Windows-1252 with ';' delimiter, one title line; 'Café' in a business name; "
        "no Aset column; NIK as text",
        csv=("cp1252", ";")),
    RegistryFile(
        "registri/UMKM Binaan Way Sulan.xlsx",
        RegistryLayout(HEADERS_TITLE_ONLY, ("DATA UMKM BINAAN", "KECAMATAN {KEC}", "TAHUN {tahun}"),
                       omzet_bulanan=True, money="singkat", phones=("angka", "strip")),
        (("Way Sulan", "Way Sulan"),),
        "layout (b); omzet per bulan as '2,5 jt'; phones as numbers without the leading 0"),
    RegistryFile(
        "registri/UMKM Way Panji.xlsx",
        RegistryLayout(HEADERS_TITLE_ONLY, TITLES_SHORT, omzet_bulanan=True, nik="campur", phones=("plus",)),
        (("Way Panji", "Way Panji"),),
        "layout (b); many Balinese owner names; phones '+62 812-...'"),
    RegistryFile(
        "registri/Data UMKM Palas.xlsx",
        RegistryLayout(_columns(HEADERS_A, nama_usaha="Nama Unit Usaha", nama_pemilik="Nama Pelaku Usaha",
                                no_hp="Telepon", omzet_tahunan_rp="Omset (Rp)", jangkauan_pasar="Jangkauan Pasar",
                                pemasaran_online="Pemasaran Online"),
                       TITLES_BINAAN, money="singkat", phones=("strip", "nol"), bools="ada"),
        (("Palas", "Palas"),),
        "layout (a); other header spellings; money '2,5 jt'"),
    RegistryFile(
        "registri/Data UMKM Kalianda 2017.xlsx",
        RegistryLayout(HEADERS_B, TITLES_BINAAN, money="rp_strip", nik="campur", phones=("strip", "plus", "62"),
                       jumlah="JUMLAH", blank_rate=0.01),
        (("Kalianda", "Kalianda"),),
        "layout (a); 'Kalianda ' with a trailing space; hosts duplicates from Rajabasa ('Raja Basa'); "
        "JUMLAH row; planted reject (row without names)"),
    RegistryFile(
        "registri/Data UMKM Penengahan.xlsx",
        RegistryLayout(HEADERS_A, ("DATA UMKM", "KECAMATAN {KEC}"), money="titik", phones=("strip",),
                       gender="lengkap"),
        (("Penengahan", "Penengahan"),),
        "layout (a) with 2 title rows; 'Penengahn' typo; hosts duplicates from Ketapang and Bakauheni"),
    RegistryFile(
        "registri/Data UMKM Sragi.xlsx",
        RegistryLayout(_columns(HEADERS_A, omzet_tahunan_rp="Omzet/bln", aset_rp="Aset (Rp)"), TITLES_BINAAN,
                       omzet_bulanan=True, phones=("62",), jumlah="JUMLAH"),
        (("Sragi", "Sragi"),),
        "layout (a); omzet per bulan; 'Kec. Sragi' in the kecamatan column"),
    RegistryFile(
        "registri/Data UMKM Wilayah Pesisir.xlsx",
        RegistryLayout(_columns(HEADERS_B, kecamatan=None, omzet_tahunan_rp="Omzet Perbulan"),
                       ("DATA UMKM WILAYAH PESISIR", "DINAS KOPERASI DAN UKM KABUPATEN LAMPUNG SELATAN",
                        "TAHUN {tahun}"),
                       omzet_bulanan=True, money="rp_strip", phones=("strip", "angka"), jumlah="JUMLAH"),
        (("Kec. Rajabasa", "Rajabasa"), ("KETAPANG", "Ketapang"), ("Bakauheni", "Bakauheni"),
         ("Kalianda", "Kalianda")),
        "layout (c): one sheet per kecamatan, kecamatan ONLY in the sheet name ('Kec. Rajabasa', 'KETAPANG', "
        "'Bakauheni', 'Kalianda'); the 'Kalianda' sheet lists only UMKM also in the Kalianda registry "
        "(duplicates); omzet per bulan",
        duplicates_only=("Kalianda",)),
)


# Planted rejects: (file, what the row gets, written kecamatan or None, reason code, description).
REJECTS = (
    ("registri/Data UMKM Binaan Kec. Natar 2017.xlsx", "Kedaton", "kecamatan_luar",
     "kecamatan Kedaton (Kota Bandar Lampung)"),
    ("registri/Data UMKM Binaan Kec. Natar 2017.xlsx", "Gedong Tataan", "kecamatan_luar",
     "kecamatan Gedong Tataan (Kab. Pesawaran)"),
    ("registri/Data Pelaku UMKM Jati Agung 2017.xlsx", "Sukamaju Raya", "kecamatan_tidak_dikenal",
     "kecamatan tidak dikenal 'Sukamaju Raya'"),
    ("registri/UMKM Merbau Mataram 2017.xlsx", "Tegineneng", "kecamatan_luar",
     "kecamatan Tegineneng (Kab. Pesawaran)"),
    ("registri/DATA UMKM TANJUNG BINTANG.xlsx", None, "tanpa_nama", "nama usaha dan nama pemilik kosong"),
    ("registri/Data UMKM Kalianda 2017.xlsx", None, "tanpa_nama", "nama usaha dan nama pemilik kosong"),
)


@dataclass(frozen=True)
class SalesFile:
    path: str
    year: int
    wilayah: str
    shape: str  # long | wide
    months: str  # long: teks | tanggal; wide: Jan-15 (English) | Jan-17 (Indonesian) | Januari 2016 | 2016-01 | tanggal
    note: str
    sheet: str = "Omzet {tahun}"  # sheet name, or with per_sheet the per-kecamatan sheet name ({kec}, {KEC})
    per_sheet: bool = False  # one sheet per kecamatan and no kecamatan column
    nik: bool = False
    money_text: float = 0.0  # share of values written as rupiah text
    missing: str | None = None  # wide: an unreported month shows this ("-") or stays blank
    total_column: bool = False
    csv: bool = False  # UTF-8 with BOM, ',' delimiter, no title rows
    unlinked: bool = False  # also holds the planted sales of UMKM that are in no registry


SALES_FILES = (
    SalesFile("penjualan/2015/Laporan Omzet Bulanan 2015 - Wilayah Utara.xlsx", 2015, "Utara", "long", "teks",
              "long; Bulan as text 'Januari 2015'; kecamatan column; unreported months sometimes a row with '-'"),
    SalesFile("penjualan/2015/Rekap Omzet 2015 Wilayah Tengah.xlsx", 2015, "Tengah", "wide", "Jan-15",
              "wide; month headers 'Jan-15' (English abbreviations: May, Aug, Oct, Dec); one sheet per "
              "kecamatan named after it, no kecamatan column; '-' for unreported months; JUMLAH row",
              sheet="{kec}", per_sheet=True, missing="-"),
    SalesFile("penjualan/2015/Rekap Omzet 2015 Wilayah Pesisir.xlsx", 2015, "Pesisir", "wide", "tanggal",
              "wide; month headers are real date cells; kecamatan column; a 'Jumlah' total column at the right; "
              "blank for unreported months; JUMLAH row", total_column=True),
    SalesFile("penjualan/2016/Rekap Omzet 2016 Wilayah Utara.xlsx", 2016, "Utara", "wide", "Januari 2016",
              "wide; month headers 'Januari 2016'; NIK column; kecamatan column; '-' for unreported months; "
              "JUMLAH row", nik=True, missing="-"),
    SalesFile("penjualan/2016/Laporan Omzet Bulanan 2016 - Wilayah Tengah.xlsx", 2016, "Tengah", "long",
              "tanggal", "long; Bulan as real date cells; 15% of omzet values as rupiah text", money_text=0.15),
    SalesFile("penjualan/2016/Rekap Omzet 2016 Wilayah Pesisir.xlsx", 2016, "Pesisir", "wide", "2016-01",
              "wide; month headers '2016-01'; one sheet per kecamatan (upper-case names); JUMLAH row",
              sheet="{KEC}", per_sheet=True),
    SalesFile("penjualan/2017/Laporan Omzet Bulanan 2017 - Wilayah Utara.xlsx", 2017, "Utara", "long", "teks",
              "long; NIK column; 10% rupiah text; also the planted sales of UMKM in no registry",
              nik=True, money_text=0.10, unlinked=True),
    SalesFile("penjualan/2017/Rekap Omzet 2017 Wilayah Tengah.xlsx", 2017, "Tengah", "wide", "Jan-17",
              "wide; month headers 'Jan-17' (Indonesian abbreviations: Mei, Agt, Okt); kecamatan column; "
              "JUMLAH row", missing="-"),
    SalesFile("penjualan/2017/laporan_omzet_2017_pesisir.csv", 2017, "Pesisir", "long", "teks",
              "long CSV, UTF-8 with BOM, ',' delimiter, header on the first line; decimal volumes as '12,5'",
              csv=True),
)


@dataclass(frozen=True)
class Event:
    mulai: date
    hari: int
    nama: str
    jenis: str
    lokasi: str
    mitra: str  # partner named in the organiser line, or ""
    biaya: int | None  # None: the sheet states no cost
    tanggal: str  # how the title writes the dates: sd | strip | hari | garis_miring | angka_strip | pendek | sel | serial
    workbook: str  # file under raw/
    satu_baris: bool = False  # "DAFTAR HADIR <NAME>" on one title row instead of two


W15 = "pelatihan/Daftar Hadir Pelatihan 2015.xlsx"


W16 = "pelatihan/Daftar Hadir Pelatihan dan Bimtek 2016.xlsx"


W17 = "pelatihan/Daftar Hadir Pelatihan 2017.xlsx"


AULA = "Aula Kantor Kecamatan "


HOTEL = "Hotel Grand Elty Krakatoa Kalianda"


EVENTS = (
    Event(date(2015, 3, 10), 3, "Pelatihan Penguatan Kelembagaan Koperasi dan UMKM", "Kelembagaan", AULA + "Natar",
          "", 38_500_000, "sd", W15),
    Event(date(2015, 4, 14), 2, "Bimbingan Teknis Manajemen Usaha dan Kewirausahaan", "Kelembagaan",
          "Aula Dinas Koperasi dan UKM, Kalianda", "", 24_000_000, "strip", W15),
    Event(date(2015, 5, 19), 3, "Pelatihan Desain Kemasan dan Label Produk", "Kemasan", HOTEL,
          "Disperindag Kab. Lampung Selatan", 52_000_000, "garis_miring", W15),
    Event(date(2015, 6, 9), 2, "Bimbingan Teknis Pengemasan Produk Makanan Ringan", "Kemasan", AULA + "Candipuro",
          "", 21_000_000, "sd", W15, satu_baris=True),
    Event(date(2015, 8, 25), 2, "Pelatihan Penguatan Kelembagaan Kelompok Usaha Bersama", "Kelembagaan",
          "Balai Desa Way Huwi, Jati Agung", "", 19_500_000, "angka_strip", W15),
    Event(date(2015, 9, 15), 1, "Sosialisasi Legalitas dan Perizinan Usaha Mikro", "Kelembagaan",
          AULA + "Sidomulyo", "", None, "hari", W15),
    Event(date(2015, 10, 6), 3, "Pelatihan Peningkatan Mutu dan Keamanan Pangan Produk Olahan", "Produksi & Mutu",
          AULA + "Penengahan", "Dinas Kesehatan Kab. Lampung Selatan", 36_000_000, "pendek", W15),
    Event(date(2015, 10, 27), 2, "Bimbingan Teknis Manajemen Usaha dan Kewirausahaan Angkatan II", "Kelembagaan",
          AULA + "Tanjung Bintang", "", 24_000_000, "sd", W15),
    Event(date(2015, 11, 17), 3, "Pelatihan Penguatan Kelembagaan Koperasi dan UMKM Angkatan II", "Kelembagaan",
          HOTEL, "", 41_000_000, "sel", W15),
    Event(date(2015, 12, 8), 2, "Pelatihan Kewirausahaan bagi Wirausaha Pemula", "Kelembagaan", AULA + "Katibung",
          "", 18_000_000, "strip", W15, satu_baris=True),
    Event(date(2016, 2, 16), 3, "Pelatihan Penguatan Kelembagaan Koperasi dan UMKM", "Kelembagaan",
          AULA + "Jati Agung", "", 39_000_000, "sd", W16),
    Event(date(2016, 3, 8), 2, "Bimbingan Teknis Manajemen Usaha dan Kewirausahaan", "Kelembagaan", AULA + "Palas",
          "", 25_000_000, "garis_miring", W16),
    Event(date(2016, 3, 29), 3, "Pelatihan Desain Kemasan dan Label Produk", "Kemasan", HOTEL,
          "Disperindag Kab. Lampung Selatan", 55_000_000, "sd", W16),
    Event(date(2016, 4, 19), 2, "Pelatihan Pembukuan Sederhana dan Laporan Keuangan UMKM", "Keuangan",
          AULA + "Natar", "Bank Lampung", 27_500_000, "strip", W16),
    Event(date(2016, 5, 17), 1, "Sosialisasi Perizinan Usaha dan Legalitas Produk", "Kelembagaan",
          AULA + "Ketapang", "", None, "serial", W16),
    Event(date(2016, 8, 16), 3, "Pelatihan Penguatan Organisasi Kelompok Usaha Bersama", "Kelembagaan",
          "Balai Desa Hajimena, Natar", "", 33_000_000, "angka_strip", W16, satu_baris=True),
    Event(date(2016, 9, 6), 2, "Bimbingan Teknis Kemasan dan Label Halal", "Kemasan", AULA + "Sidomulyo",
          "Disperindag Kab. Lampung Selatan", 29_000_000, "sd", "pelatihan/DH Bimtek Kemasan Sidomulyo Sept 2016.xlsx"),
    Event(date(2016, 10, 11), 3, "Pelatihan Manajemen Usaha Koperasi dan UMKM", "Kelembagaan",
          AULA + "Merbau Mataram", "", 37_000_000, "pendek", W16),
    Event(date(2016, 11, 8), 2, "Pelatihan Teknologi Pengolahan Hasil Perikanan", "Produksi & Mutu",
          "Balai Desa Canti, Rajabasa", "Dinas Kelautan dan Perikanan Kab. Lampung Selatan", 31_000_000, "strip",
          "pelatihan/Daftar Hadir Pelatihan Teknologi Pengolahan Perikanan.xlsx"),
    Event(date(2016, 11, 29), 3, "Pelatihan Penguatan Kelembagaan Koperasi dan UMKM Angkatan II", "Kelembagaan",
          AULA + "Way Sulan", "", 38_000_000, "sd", W16),
    Event(date(2017, 2, 7), 2, "Bimbingan Teknis Manajemen Usaha dan Kewirausahaan", "Kelembagaan",
          AULA + "Tanjung Sari", "", 26_000_000, "strip", W17),
    Event(date(2017, 2, 28), 3, "Pelatihan Teknik Pemasaran Online bagi UMKM", "Pemasaran", AULA + "Natar",
          "Dinas Kominfo Kab. Lampung Selatan", 45_000_000, "sd",
          "pelatihan/Daftar Hadir Pelatihan Pemasaran Online Natar 2017.xlsx"),
    Event(date(2017, 3, 14), 3, "Bimtek Pemasaran Digital dan Marketplace", "Pemasaran", HOTEL,
          "Dinas Kominfo Kab. Lampung Selatan", 58_000_000, "sd",
          "pelatihan/Bimtek Pemasaran Digital Kalianda Maret 2017.xlsx", satu_baris=True),
    Event(date(2017, 4, 11), 2, "Pelatihan Desain Kemasan dan Label Produk", "Kemasan", AULA + "Tanjung Bintang",
          "Disperindag Kab. Lampung Selatan", 34_000_000, "garis_miring", W17),
    Event(date(2017, 4, 25), 2, "Pelatihan Promosi dan Branding Produk UMKM", "Pemasaran", AULA + "Sidomulyo",
          "Bank Lampung", 30_000_000, "angka_strip", W17),
    Event(date(2017, 5, 9), 3, "Pelatihan Teknik Pemasaran Online bagi UMKM Angkatan II", "Pemasaran",
          AULA + "Jati Agung", "Dinas Kominfo Kab. Lampung Selatan", 44_000_000, "pendek",
          "pelatihan/DH Pemasaran Online Jati Agung Mei 2017.xlsx"),
    Event(date(2017, 7, 18), 2, "Pelatihan Pembukuan dan Akses Pembiayaan bagi UMKM", "Keuangan",
          AULA + "Penengahan", "Bank Lampung", 28_000_000, "sel", W17),
    Event(date(2017, 8, 8), 3, "Bimtek Pemasaran Digital dan Marketplace Angkatan II", "Pemasaran",
          AULA + "Ketapang", "Dinas Kominfo Kab. Lampung Selatan", None, "sd", W17),
    Event(date(2017, 8, 22), 1, "Pelatihan Pemasaran Online dan Media Sosial", "Pemasaran", AULA + "Candipuro",
          "", 12_500_000, "hari", W17, satu_baris=True),
    Event(date(2017, 9, 12), 2, "Pelatihan Penguatan Kelembagaan Koperasi dan UMKM", "Kelembagaan",
          AULA + "Candipuro", "", 32_000_000, "strip", W17),
)


ATTENDANCE_HEADERS = (
    ("No", "Nama", "Nama Usaha", "Alamat", "No HP", "NIK", "Tanda Tangan"),
    ("No.", "Nama Peserta", "Nama UMKM", "Alamat (Desa, Kecamatan)", "No. Telp/HP", "NIK", "TTD"),
)


BOOL_FIELDS = ("nib", "pirt", "halal", "pemasaran_online")


BOOL_STYLES = {"yatidak": ("Ya", "Tidak", None), "ada": ("Ada", "Tidak Ada", "-"), "centang": ("v", None, None)}


GENDER_STYLES = {"lp": {"L": "L", "P": "P"}, "lengkap": {"L": "Laki-laki", "P": "Perempuan"}}


TRUTH_EXTRA = "sumber_sheet"
