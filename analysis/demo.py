"""Seeded demo data: messy spreadsheets as the Dinas keeps them (DIR/raw) and their clean truth (DIR/truth).

The ingest can only be trusted if it is tested on files that look like what kecamatan officers really
keep (title rows, merged cells, omzet per bulan, broken NIKs, the same UMKM in two registries) while the
right answer is known. This module writes both: raw/ exercises every rule of DATA-CONTRACT.md, truth/
holds the canonical tables, the planted training effects and a list of every planted trap, and
DIR/README.md says which raw file exercises which rule. Output is byte-identical for a seed and scale.

    python -m analysis.demo [--scale N] [--seed S] --out DIR
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from analysis import reference as ref
from analysis import schemas
from analysis.config import DEMO_DIR

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


# ---------------------------------------------------------------------------------------------- layouts
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


# ---------------------------------------------------------------------------------------------- helpers
@dataclass
class Grid:
    """One sheet as it will be written: cell rows (row i is Excel row i+1), merged ranges, bold rows."""

    name: str
    rows: list[list] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2
    bold: set[int] = field(default_factory=set)
    date_format: str = "dd/mm/yyyy"

    def add(self, row: list | tuple = (), bold: bool = False) -> int:
        self.rows.append(list(row))
        if bold:
            self.bold.add(len(self.rows))
        return len(self.rows)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append((r1, c1, r2, c2))

    def title(self, text: str, width: int = 0) -> int:
        """A bold title row, merged across `width` columns (0: unmerged, as in a CSV or a write-only sheet)."""
        row = self.add([text], bold=True)
        if width:
            self.merge(row, 1, row, width)
        return row


@dataclass
class Used:
    """Identifiers already handed out, so names, NIKs and phones stay unique across everything written."""

    keys: set[str] = field(default_factory=set)
    niks: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)


def _pick(rng: np.random.Generator, items: tuple | list):
    return items[int(rng.integers(len(items)))]


def _key(*parts: str) -> str:
    """Name identity after normalisation (case, accents, spaces and punctuation ignored)."""
    return "|".join(re.sub(r"[^0-9a-z]", "", ref.fold(p)) for p in parts)


def _month_index(day: date) -> int:
    return (day.year - MONTHS[0].year) * 12 + day.month - 1


def _dots(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _short_money(value: int, rng: np.random.Generator) -> str | None:
    """'2,5 jt', '750 rb', '1,25 M' when the value has at most two decimals in that unit."""
    for unit, labels in ((10**9, ("M",)), (10**6, ("jt", "juta")), (10**3, ("rb",))):
        if value >= unit:
            whole, rest = divmod(value, unit)
            if rest % (unit // 100):
                return None
            decimals = f"{rest // (unit // 100):02d}".rstrip("0")
            return f"{whole}{',' + decimals if decimals else ''} {_pick(rng, labels)}"
    return None


def _money_cell(value: int, style: str, rng: np.random.Generator):
    if style == "campur":
        style = _pick(rng, ("angka", "rp_strip", "singkat", "titik"))
    if style == "titik":
        return _dots(value)
    if style == "rp_strip":
        return f"Rp {_dots(value)},-"
    if style == "rp_sen":
        return f"Rp{_dots(value)},00"
    if style == "singkat":
        return _short_money(value, rng) or _dots(value)
    return int(value)


def _phone_cell(e164: str, style: str):
    local = e164[3:]  # "812..." after "+62"
    grouped = f"{local[:3]}-{local[3:7]}-{local[7:]}"
    return {"angka": int(local), "nol": "0" + local, "strip": "0" + grouped, "62": "62" + local,
            "plus": "+62 " + grouped}[style]


def _skala(omzet: float | None, aset: float | None) -> str | None:
    """UU 20/2008 (the data year is 2017): from omzet, else from aset."""
    criterion = ref.size_criteria()[ref.KRITERIA_UU_2008]
    value, limits = (omzet, criterion.omzet_limits) if omzet is not None else (aset, criterion.aset_limits)
    if value is None:
        return None
    return next((s for s, limit in zip(ref.SKALA, limits) if value <= limit), ref.SKALA[-1])


# ---------------------------------------------------------------------------------------------- producers
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
    return _pick(rng, products)


def _person_name(rng: np.random.Generator, ethnicity: str, female: bool) -> str:
    first, second = NAMES[(ethnicity, female)]
    if ethnicity == "bali":
        prefix = ("Ni " if rng.random() < 0.5 else "") if female else ("I " if rng.random() < 0.3 else "")
        return f"{prefix}{_pick(rng, first)} {_pick(rng, second)}"
    if rng.random() < 0.15:
        return _pick(rng, first + second)  # single names are common, above all among Javanese
    return f"{_pick(rng, first)} {_pick(rng, second)}"


def _nickname(owner: str) -> str:
    tokens = owner.split()
    return next((t for t in tokens if t not in NOT_A_NICKNAME), tokens[-1])


def _business_name(rng: np.random.Generator, p: dict) -> str:
    template = _pick(rng, BUSINESS_TEMPLATES[p["kategori"]])
    female = p["jenis_kelamin"] == "P"
    return template.format(produk=p["produk_utama"], panggilan=_pick(rng, PANGGILAN[female]),
                           nama=_nickname(p["nama_pemilik"]), merek=_pick(rng, BRANDS), desa=p["desa"],
                           kec=p["kecamatan"])


def _new_nik(rng: np.random.Generator, kode: str, female: bool, used: Used, province: str = "1801") -> str:
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
        phone = "+62" + _pick(rng, PHONE_PREFIXES) + "".join(map(str, rng.integers(0, 10, digits)))
        if phone not in used.phones:
            used.phones.add(phone)
            return phone


def _name_pair(rng: np.random.Generator, p: dict, used: Used) -> None:
    """Give p an owner and a business name whose normalised pair is new, so producers can be told apart."""
    for _ in range(100):
        p["nama_pemilik"] = _person_name(rng, p["etnis"], p["jenis_kelamin"] == "P")
        p["nama_usaha"] = _business_name(rng, p)
        key = _key(p["nama_usaha"], p["nama_pemilik"])
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


def _make_producer(rng: np.random.Generator, kecamatan: str, used: Used) -> dict:
    """One canonical producer: what the truth says before any file loses or garbles a value."""
    kategori = ref.KATEGORI[rng.choice(len(ref.KATEGORI), p=_kategori_weights(kecamatan))]
    profile = KATEGORI_PROFILES[kategori]
    produk, satuan, harga = _product(rng, kategori, kecamatan)
    female = bool(rng.random() < profile.female)
    mix = ETHNIC_MIX.get(kecamatan, ETHNIC_MIX[""])
    p = {"kecamatan": kecamatan, "kode_kecamatan": _kode(kecamatan), "desa": _pick(rng, DESA[kecamatan]),
         "kategori": kategori, "produk_utama": produk, "satuan": satuan, "harga": harga,
         "jenis_kelamin": "P" if female else "L", "etnis": ETHNICITIES[rng.choice(4, p=mix)]}
    _name_pair(rng, p, used)
    omzet = _omzet_tahunan(rng, profile.size)
    tahun = DATA_YEAR - int(min(rng.gamma(2.0, 5.0), 35))  # mode ~5 years; ~12% founded 2015 or later
    skala = _skala(omzet, None)
    reach = {"Mikro": 0.9, "Kecil": 2.2, "Menengah": 3.3}[skala]
    p.update(
        nik=None if rng.random() < NIK_MISSING else _new_nik(rng, p["kode_kecamatan"], female, used),
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


def _make_producers(rng: np.random.Generator, scale: int, used: Used) -> tuple[list[dict], list[tuple]]:
    counts = _kecamatan_counts(rng, PRODUCERS_PER_SCALE * scale)
    producers = [_make_producer(rng, kec, used) for kec in ref.kecamatan_names() for _ in range(counts[kec])]
    _plant_landmarks(producers, used)
    return producers, _plant_near_duplicates(rng, producers, used, NEAR_DUPLICATES_PER_SCALE * scale)


def _plant_landmarks(producers: list[dict], used: Used) -> None:
    """Two UMKM that make rules appear whatever the seed: a Candipuro name needing Windows-1252 (é) in the
    cp1252 CSV, and a menengah UMKM in Jati Agung whose registry writes its aset as '1,25 M'."""
    cafe = next(p for p in producers if p["kecamatan"] == "Candipuro")
    used.keys.discard(_key(cafe["nama_usaha"], cafe["nama_pemilik"]))
    cafe.update(nama_usaha=CAFE[0], produk_utama=CAFE[1], kategori="Minuman", satuan="kg", harga=50_000)
    used.keys.add(_key(cafe["nama_usaha"], cafe["nama_pemilik"]))
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
        if _key(usaha, pb["nama_pemilik"]) in used.keys:
            continue
        used.keys.discard(_key(pb["nama_usaha"], pb["nama_pemilik"]))
        pb.update({k: pa[k] for k in ("desa", "kategori", "produk_utama", "satuan", "harga")}, nama_usaha=usaha)
        used.keys.add(_key(usaha, pb["nama_pemilik"]))
        taken.update((a, b))
        pairs.append((int(a), int(b), kind))
    return pairs


# ---------------------------------------------------------------------------------------------- registries
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
    truth["skala"] = _skala(truth["omzet_tahunan_rp"], truth["aset_rp"])
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
    return _pick(rng, (text.upper(), text.lower(), text.replace(" ", "  ", 1), text + " ", text.title()))


def _alias(p: dict, used: Used) -> tuple[str, str]:
    """A different-looking name for the same NIK: a dropped 'UD '-style prefix or a Haji title."""
    usaha, owner = p["nama_usaha"], p["nama_pemilik"]
    prefix = next((x for x in PREFIXES_TO_DROP if usaha.startswith(x)), None)
    if prefix and _key(usaha[len(prefix):], owner) not in used.keys:
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
    return _pick(rng, spellings) if spellings and rng.random() < rate else kecamatan


@dataclass
class Registries:
    truths: list[dict]  # canonical producers, sorted by umkm_id, with umkm_id and sumber_*
    workbooks: dict[str, list[Grid]]
    planted: dict[str, list]


def _build_registries(rng: np.random.Generator, producers: list[dict], near: list[tuple], used: Used) -> Registries:
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
        dup_hosts[int(i)] = _pick(rng, options)
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
        rec = _implied(_make_producer(rng, sheet.kecamatan, used), sheet.file.layout)
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
    for title, members in layout.groups:
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
        return _phone_cell(value, _pick(rng, layout.phones))
    if name == "jenis_kelamin":
        style = _pick(rng, tuple(GENDER_STYLES)) if layout.gender == "campur" else layout.gender
        return GENDER_STYLES[style][value]
    if name == "aset_rp":
        return _money_cell(value, layout.money, rng)
    if name == "omzet_tahunan_rp":
        return _money_cell(value // 12 if layout.omzet_bulanan else value, layout.money, rng)
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


# ---------------------------------------------------------------------------------------------- training
def _pelatihan_ids() -> list[str]:
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
    i = _pick(rng, candidates)
    t = tokens[i]
    j = int(rng.integers(1, len(t) - 1))
    variants = (t[:j] + t[j + 1:], t[:j] + t[j] + t[j:], t[:j] + t[j + 1] + t[j] + t[j + 2:])
    tokens[i] = next((v for v in variants[int(rng.integers(3)):] + variants if v != t))
    return " ".join(tokens)


def _address(rng: np.random.Generator, desa: str, kecamatan: str) -> str:
    return _pick(rng, (f"Desa {desa}, Kec. {kecamatan}", f"{desa}, {kecamatan}", f"Ds. {desa} Kec. {kecamatan}"))


def _attendee(rng: np.random.Generator, truth: dict) -> dict:
    """How a registered UMKM owner signs a daftar hadir: small variations, NIK ~60%, phone ~70%."""
    female = truth["jenis_kelamin"] == "P"
    nama = truth["nama_pemilik"]
    if rng.random() < 0.18:
        nama = f"{_pick(rng, HONORIFIC[female])} {nama}"
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
    kec = "Kedaton" if outside else _pick(rng, ref.kecamatan_names())
    p = _make_producer(rng, "Natar" if outside else kec, used)
    nik = None
    if rng.random() < 0.5:
        nik = _new_nik(rng, "1871.01" if outside else p["kode_kecamatan"], p["jenis_kelamin"] == "P", used,
                       province="1871" if outside else "1801")
    return {"umkm_id": None, "nama_peserta": p["nama_pemilik"], "nama_usaha": p["nama_usaha"],
            "alamat": _address(rng, "Sukamenanti" if outside else p["desa"], kec), "nik": nik,
            "no_hp": p["no_hp"] if rng.random() < 0.6 else None, "cara_cocok": "tidak cocok"}


def _choose_participants(rng: np.random.Generator, truths: list[dict], level: np.ndarray, scale: int,
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
        lines.append([f"Biaya : {_money_cell(event.biaya, _pick(rng, ('rp_strip', 'rp_sen', 'singkat')), rng)}"])
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
            _phone_cell(person["no_hp"], _pick(rng, ("nol", "strip", "62", "angka"))) if person["no_hp"] else None,
            (int(nik) if rng.random() < 0.5 else nik) if nik else None,
            f"{n}. ........" if variant else None]))
    return grid, rows


def _build_attendance(rng: np.random.Generator, participants: list[list[dict]]) -> tuple[
        dict[str, list[Grid]], list[dict], list[dict]]:
    """One sheet per event; the event is described only by the title rows above the participant table."""
    workbooks: dict[str, list[Grid]] = {}
    trainings, rows = [], []
    single = {e.workbook for e in EVENTS if sum(x.workbook == e.workbook for x in EVENTS) == 1}
    for k, (pelatihan_id, event, people) in enumerate(zip(_pelatihan_ids(), EVENTS, participants)):
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


# ---------------------------------------------------------------------------------------------- sales
def _effect_matrix(n: int, participants: list[list[dict]], index: dict[str, int]) -> np.ndarray:
    """Each jenis lifts sales once, from the month after the end month of the first such event attended."""
    first_end: dict[tuple[int, str], int] = {}
    for event, people in zip(EVENTS, participants):
        end = _month_index(event.mulai + timedelta(days=event.hari - 1))
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
        t = _month_index(lebaran[year].date())
        season[:, t] += lift
        season[:, t - 1] += 0.6 * lift
    return season


def _simulate_sales(rng: np.random.Generator, producers: pd.DataFrame, level: np.ndarray,
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


def _unlinked_producers(rng: np.random.Generator, n: int, used: Used) -> list[dict]:
    """UMKM that report sales but are in no registry (a new officer's list): sales truth has no umkm_id."""
    out = []
    for _ in range(n):
        p = _make_producer(rng, _pick(rng, WILAYAH["Utara"][:2]), used)
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
    return f"Rp {_dots(value)}" if share_text and rng.random() < share_text else int(value)


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


def _build_sales(rng: np.random.Generator, sales: pd.DataFrame, producers: pd.DataFrame) -> tuple[
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
            grid, excel_rows = _long_grid(rng, spec, subset, producers, names)
            placed = [(grid, subset, excel_rows)]
        else:
            groups = [(k, subset[subset["kecamatan"] == k]) for k in members] if spec.per_sheet else [("", subset)]
            placed = []
            for kec, part in groups:
                name = spec.sheet.format(kec=kec, KEC=kec.upper(), tahun=spec.year)
                where = f"KECAMATAN {kec.upper()}" if spec.per_sheet else f"WILAYAH {spec.wilayah.upper()}"
                grid, excel_rows = _wide_grid(spec, name, where, part, producers, names)
                placed.append((grid, part, excel_rows))
        for grid, part, excel_rows in placed:
            keep = ~part["gap"].to_numpy()
            index = part.index[keep]
            sales.loc[index, "sumber_file"] = spec.path
            sales.loc[index, "sumber_sheet"] = None if spec.csv else grid.name
            sales.loc[index, "sumber_baris"] = excel_rows[keep]
        if spec.csv:
            csv_files[spec.path] = ("utf-8-sig", ",")
        workbooks[spec.path] = [g for g, _, _ in placed]
    return workbooks, csv_files, sales[~sales["gap"]]


# ---------------------------------------------------------------------------------------------- writing
def _save_workbook(path: Path, grids: list[Grid]) -> None:
    """Normal mode where merged cells are needed; write-only (fast, low memory) for the big sales sheets."""
    write_only = not any(g.merges for g in grids)
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    wb.properties.creator = DINAS
    wb.properties.created = wb.properties.modified = FIXED_TIME
    for grid in grids:
        ws = wb.create_sheet(grid.name)
        (_fill_write_only if write_only else _fill_normal)(ws, grid)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _normalise_zip(path)


def _fill_normal(ws, grid: Grid) -> None:
    for r, row in enumerate(grid.rows, 1):
        for c, value in enumerate(row, 1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, datetime):
                cell.number_format = grid.date_format
            if r in grid.bold:
                cell.font = BOLD
    for r1, c1, r2, c2 in grid.merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _fill_write_only(ws, grid: Grid) -> None:
    for r, row in enumerate(grid.rows, 1):
        bold = r in grid.bold
        if bold or any(isinstance(v, datetime) for v in row):
            row = [_styled_cell(ws, v, bold, grid.date_format) for v in row]
        ws.append(row)


def _styled_cell(ws, value, bold: bool, date_format: str):
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    if bold:
        cell.font = BOLD
    if isinstance(value, datetime):
        cell.number_format = date_format
    return cell


def _normalise_zip(path: Path) -> None:
    """openpyxl stamps the save time into core.xml and every zip entry; pin both so bytes are reproducible."""
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp,
                                          entries["docProps/core.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])


def _csv_text(value) -> str:
    """Cells as an Indonesian-locale Excel exports them: day-first dates, comma decimals."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")
    return str(value)


def _save_csv(path: Path, grid: Grid, encoding: str, delimiter: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [_csv_text(v) for v in row] for row in grid.rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _write_files(raw: Path, workbooks: dict[str, list[Grid]], csv_files: dict[str, tuple[str, str]]) -> None:
    for rel in sorted(workbooks):
        if rel in csv_files:
            _save_csv(raw / rel, workbooks[rel][0], *csv_files[rel])
        else:
            _save_workbook(raw / rel, workbooks[rel])


def _write_parquet(path: Path, frame: pd.DataFrame, table: type[schemas.Table]) -> None:
    """Contract columns in contract dtypes; the extra sumber_* columns get the same nullable dtypes."""
    frame = table.validate(table.conform(frame.reset_index(drop=True)))
    for name in frame.columns.difference(table.names()):
        frame[name] = frame[name].astype(schemas.INT if name == "sumber_baris" else schemas.STR)
    frame.to_parquet(path, index=False)


# ---------------------------------------------------------------------------------------------- truth
def _sales_producers(truths: list[dict], unlinked: list[dict]) -> pd.DataFrame:
    """Every UMKM with a sales history; index = row in the sales arrays (registry ones in umkm_id order)."""
    frame = pd.DataFrame(truths + unlinked)
    registered = frame["umkm_id"].notna()
    frame["mulai_paling_awal"] = np.where(registered, 0, 24)  # unlinked UMKM report from January 2017
    frame["selalu_lapor"] = ~registered
    return frame


def _sales_truth(sales: pd.DataFrame, producers: pd.DataFrame) -> pd.DataFrame:
    """Wide files hold no volume: there the truth volume and satuan are missing, as the file implies."""
    long_files = {s.path for s in SALES_FILES if s.shape == "long"}
    pid = sales["pid"].to_numpy()
    in_long = sales["sumber_file"].isin(long_files).to_numpy()
    frame = pd.DataFrame({
        "umkm_id": producers["umkm_id"].to_numpy()[pid], "bulan": MONTHS[sales["t"].to_numpy()],
        "kategori": producers["kategori"].to_numpy()[pid], "produk": producers["produk_utama"].to_numpy()[pid],
        "nilai_rp": sales["nilai"].to_numpy(float),
        "volume": np.where(in_long, sales["volume"].to_numpy(float), np.nan),
        "satuan": np.where(in_long, producers["satuan"].to_numpy()[pid], None),
        "sumber_file": sales["sumber_file"].to_numpy(), "sumber_baris": sales["sumber_baris"].to_numpy(),
        "sumber_sheet": sales["sumber_sheet"].to_numpy(),
    })
    return frame.iloc[np.lexsort((sales["t"].to_numpy(), pid))]


def _planted_sales(sales: pd.DataFrame, producers: pd.DataFrame) -> list[dict]:
    out = []
    for pid in producers.index[producers["umkm_id"].isna()]:
        rows = sales[sales["pid"] == pid]
        out.append({"nama_usaha": producers.at[pid, "nama_usaha"], "nama_pemilik": producers.at[pid, "nama_pemilik"],
                    "kecamatan": producers.at[pid, "kecamatan"], "file": rows["sumber_file"].iloc[0],
                    "sheet": rows["sumber_sheet"].iloc[0], "rows": sorted(int(r) for r in rows["sumber_baris"]),
                    "what": "penjualan UMKM yang tidak ada di registri mana pun",
                    "expected": "baris penjualan disimpan dengan umkm_id kosong"})
    return out


def _readme(scale: int, seed: int, counts: dict[str, int]) -> str:
    """DIR/README.md: which raw file exercises which rule, and what the truth files hold."""
    lines = [
        README_MARKER, "",
        f"Generated by `python -m analysis.demo --scale {scale} --seed {seed} --out DIR` "
        "(analysis/demo.py). Do not edit by hand: regenerate. Files are byte-identical for the same seed and scale.",
        "", "## raw/: spreadsheets as the Dinas keeps them", "",
        "### Producer registries (`raw/registri/`)", "", "| file | sheets | what it exercises |", "|---|---|---|",
    ]
    for f in sorted(REGISTRY_FILES, key=lambda f: f.path):
        lines.append(f"| `{f.path}` | {', '.join(repr(s) for s, _ in f.sheets) if not f.csv else '(csv)'} | {f.note} |")
    lines += ["", "### Sales reports (`raw/penjualan/`)", "", "| file | shape | what it exercises |", "|---|---|---|"]
    lines += [f"| `{s.path}` | {s.shape} | {s.note} |" for s in SALES_FILES]
    lines += ["", "### Training attendance (`raw/pelatihan/`)", "",
              "One sheet per event; name, dates, place, organiser and cost appear only in the title rows.", "",
              "| file | event | date notation |", "|---|---|---|"]
    lines += [f"| `{e.workbook}` | {pid} {e.nama} | {e.tanggal} |" for pid, e in zip(_pelatihan_ids(), EVENTS)]
    lines += ["", "## truth/: the right answer", "", *TRUTH_NOTES, "", "## Planted traps", "",
              *(f"- {k}: {v}" for k, v in counts.items()), "", "## What the ingest must know", "", *INGEST_NOTES, ""]
    return "\n".join(lines)


README_MARKER = "# Demo data of Dasbor UMKM Lampung Selatan (generated)"
TRUTH_NOTES = (
    "- `producers.parquet`: the canonical producers table plus `sumber_sheet`. `sumber_file` / `sumber_sheet` / "
    "`sumber_baris` point at the FIRST occurrence: files in Python string order of their path relative to raw/, "
    "sheets in workbook order, then the 1-based Excel row (for CSV: the 1-based line). Values are what that "
    "occurrence states: a column the file lacks is missing; a checklist blank is missing; a broken NIK is missing; "
    "omzet from a per-bulan column is 12 x the written value.",
    "- `sales.parquet`: canonical sales plus `sumber_sheet`; every row is written exactly once in raw/. umkm_id is "
    "missing for the planted UMKM that are in no registry. volume and satuan exist only for long files.",
    "- `trainings.parquet`: canonical trainings plus `sumber_sheet`. biaya_rp is missing where the sheet states no cost.",
    "- `participants.parquet`: pelatihan_id, umkm_id (missing for outsiders), nama_peserta and nama_usaha as "
    "written, cara_cocok = the strongest key written on the row (nik, else hp, else nama, fuzzy when the name has "
    "a typo, tidak cocok for outsiders), skor_cocok missing, plus sumber_file / sumber_sheet / sumber_baris.",
    "- `effects.json`: planted multiplicative training effects per jenis.",
    "- `planted.json`: every duplicate, near-duplicate, reject, broken NIK, unlinked sales producer and outside "
    "participant with file, sheet, row, what and the expected outcome.",
)
INGEST_NOTES = (
    "- Duplicates carry either the same NIK (names then differ: 'UD ' prefix dropped or 'H.'/'Hj.' added) or the "
    "same nama usaha + pemilik + kecamatan up to case and spacing (then without NIK). The later occurrence never "
    "adds information: merging into the first occurrence reproduces the truth.",
    "- Per-bulan omzet headers: 'Omzet/bln', 'Omzet per Bulan (Rp)', 'Omzet Perbulan'. Per-year: 'Omzet Per Tahun', "
    "'Omset (Rp)'.",
    "- Booleans: 'Ya'/'Tidak', 'Ada'/'Tidak Ada'/'-' ('-' = missing), checklist 'v' (blank = missing).",
    "- Sales rows identify the producer by nama usaha + nama pemilik exactly as in the registry's first occurrence, "
    "now and then upper-cased or with a doubled space, plus kecamatan (column or sheet name) and sometimes NIK.",
    "- Long sales files contain some rows with '-' as omzet for an unreported month: they are not sales.",
    "- Wide month headers: 'Jan-15' (English abbreviations), 'Jan-17' (Indonesian: Mei, Agt, Okt), "
    "'Januari 2016', '2016-01', real date cells. 'Jumlah' is a total column, not a month. JUMLAH rows are totals.",
    "- Attendance dates: '14 s/d 16 Maret 2017', '28 Februari s/d 2 Maret 2017', '14 - 16 Maret 2017', "
    "'14/03/2017 s/d 16/03/2017', '14-03-2017 s/d 16-03-2017', '14 Mar 2017 - 16 Mar 2017', "
    "'Hari/Tanggal : Selasa, 14 Maret 2017', and 'Tanggal' | ':' | date cell or Excel serial | 's/d' | date cell.",
    "- Participants: honorifics ('Ibu', 'Bu', 'Ny.', 'Bapak', 'Bpk.', 'Pak'), upper case, one-letter typos (~5%); "
    "NIK (~60%, number or text) and phone (~70%) are the strongest keys.",
    "- No .xls file is generated (no writer is installed); test .xls reading with a small fixture.",
)


# ---------------------------------------------------------------------------------------------- main
@dataclass(frozen=True)
class Summary:
    producers: int
    sales_rows: int
    trainings: int
    participants: int
    raw_bytes: int


def _prepare(out: Path) -> tuple[Path, Path]:
    """Replace an earlier demo in out; refuse to delete anything this module did not write."""
    raw, truth = out / "raw", out / "truth"
    readme = out / "README.md"
    if (raw.exists() or truth.exists()) and not (readme.exists() and readme.read_text().startswith(README_MARKER)):
        raise SystemExit(f"{out} berisi raw/ atau truth/ yang bukan buatan analysis.demo; pilih folder lain")
    for folder in (raw, truth):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    readme.write_text(README_MARKER + "\n\n(generation did not finish)\n", encoding="utf-8")  # claim the folder
    return raw, truth


def generate(out: Path, scale: int = 1, seed: int = DEFAULT_SEED) -> Summary:
    """Write DIR/raw, DIR/truth and DIR/README.md. Each stage has its own random stream."""
    if scale < 1:
        raise ValueError("scale harus >= 1")
    raw, truth = _prepare(out)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    used = Used()
    producers, near = _make_producers(rngs[0], scale, used)
    registries = _build_registries(rngs[1], producers, near, used)
    table = _sales_producers(registries.truths, _unlinked_producers(rngs[2], UNLINKED_SALES_PER_SCALE * scale, used))
    level = table["omzet_tahunan_rp"].to_numpy(float) / 12 * rngs[2].lognormal(0, LEVEL_SIGMA, len(table))
    participants = _choose_participants(rngs[3], registries.truths, level[: len(registries.truths)], scale, used)
    attendance, trainings, participant_rows = _build_attendance(rngs[3], participants)
    index = {u: i for i, u in enumerate(table["umkm_id"]) if isinstance(u, str)}
    sales = _simulate_sales(rngs[4], table, level, _effect_matrix(len(table), participants, index))
    sales_books, sales_csv, sales = _build_sales(rngs[5], sales, table)

    registry_csv = {f.path: f.csv for f in REGISTRY_FILES if f.csv}
    _write_files(raw, registries.workbooks, registry_csv)
    _write_files(raw, sales_books, sales_csv)
    _write_files(raw, attendance, {})
    columns = list(dict.fromkeys(schemas.Producers.names() + [TRUTH_EXTRA]))  # the schema may list it already
    _write_parquet(truth / "producers.parquet", pd.DataFrame(registries.truths)[columns], schemas.Producers)
    _write_parquet(truth / "sales.parquet", _sales_truth(sales, table), schemas.Sales)
    _write_parquet(truth / "trainings.parquet", pd.DataFrame(trainings), schemas.Trainings)
    _write_parquet(truth / "participants.parquet", pd.DataFrame(participant_rows), schemas.Participants)
    effects = {"efek": EFFECTS, "mulai": "bulan setelah bulan selesai pelatihan",
               "aturan": "tiap jenis sekali per pelaku usaha, dari pelatihan pertama jenis itu; antar jenis dikalikan",
               "seleksi": f"peluang diundang sebanding dengan (tingkat omzet) ** {SELECTION_POWER}",
               "seed": seed, "scale": scale}
    planted = dict(registries.planted, unlinked_sales=_planted_sales(sales, table), outside_participants=[
        {"pelatihan_id": r["pelatihan_id"], "file": r["sumber_file"], "sheet": r["sumber_sheet"],
         "row": r["sumber_baris"], "nama": r["nama_peserta"], "expected": "umkm_id kosong (tidak cocok)"}
        for r in participant_rows if r["umkm_id"] is None])
    counts = {k: len(v) for k, v in planted.items()}
    for name, payload in (("effects.json", effects), ("planted.json", dict(planted, counts=counts))):
        (truth / name).write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_readme(scale, seed, counts), encoding="utf-8")
    raw_bytes = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    return Summary(len(registries.truths), len(sales), len(trainings), len(participant_rows), raw_bytes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="multiplies producers, sales and participants")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True, help=f"output folder (the embedded demo: {DEMO_DIR})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    s = generate(args.out, args.scale, args.seed)
    print(f"{args.out}: {s.producers} pelaku usaha, {s.sales_rows} baris penjualan, {s.trainings} pelatihan, "
          f"{s.participants} peserta, raw {s.raw_bytes / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
