"""An example targets table for the demo (DIR/target_indikator.csv): plausible Renstra / Perjanjian
Kinerja targets near what the demo data realises, some met and some not, and some for a year the data
does not reach yet. Every source says "Contoh", so nobody takes them for the Dinas's own targets.
Counts and amounts grow with the scale of the demo."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.insight import targets as tgt

RENSTRA = "Contoh: Renstra 2016–2021"

# (indikator, tahun, target in the page's unit, source, scales with the demo)
ROWS: tuple[tuple[str, int, float, str, bool], ...] = (
    ("jumlah_umkm", 2017, 2400, RENSTRA, True),
    ("porsi_nib", 2017, 25, "Contoh: PK 2017", False),
    ("porsi_nib", 2018, 35, RENSTRA, False),
    ("porsi_luar_kabupaten", 2017, 7.5, RENSTRA, False),
    ("porsi_online", 2017, 20, RENSTRA, False),
    ("porsi_halal", 2017, 12, RENSTRA, False),
    ("porsi_mikro", 2017, 92, RENSTRA, False),  # lower is better (the catalogue says so)
    ("umkm_baru", 2015, 150, RENSTRA, True),
    ("umkm_baru", 2016, 120, RENSTRA, True),
    ("umkm_baru", 2017, 100, RENSTRA, True),
    ("umkm_dilatih", 2015, 250, "Contoh: PK 2015", True),
    ("umkm_dilatih", 2016, 300, "Contoh: PK 2016", True),
    ("umkm_dilatih", 2017, 320, "Contoh: PK 2017", True),
    ("umkm_dilatih", 2018, 350, RENSTRA, True),
    ("umkm_dilatih_pemasaran", 2017, 150, "Contoh: PK 2017", True),
    ("umkm_dilatih_pemasaran", 2018, 200, RENSTRA, True),
    ("umkm_naik_kelas", 2016, 10, RENSTRA, True),
    ("umkm_naik_kelas", 2017, 12, RENSTRA, True),
    ("penjualan_rp", 2015, 200e9, RENSTRA, True),
    ("penjualan_rp", 2016, 225e9, RENSTRA, True),
    ("penjualan_rp", 2017, 250e9, RENSTRA, True),
    ("pertumbuhan_penjualan", 2016, 5, RENSTRA, False),
    ("pertumbuhan_penjualan", 2017, 5, RENSTRA, False),
)


def example(scale: int = 1) -> pd.DataFrame:
    return pd.DataFrame([{tgt.INDIKATOR: key, tgt.TAHUN: year, tgt.TARGET: value * (scale if grows else 1),
                          tgt.SUMBER: source, tgt.ARAH: ""} for key, year, value, source, grows in ROWS])


def write(path: Path, scale: int = 1) -> None:
    path.write_text(tgt.csv_text(example(scale)), encoding="utf-8")
