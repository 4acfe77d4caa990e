"""The result of one training type's estimate, its per-month columns, and the verdict in words."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analysis.core import formatting as fmt

BULAN_RELATIF = "bulan_relatif"


EFEK_PERSEN = "efek_persen"


CI_BAWAH = "ci_bawah"


CI_ATAS = "ci_atas"


N_OBS = "n_obs"


LOG_OMZET = "log_omzet"


BULAN_PERLAKUAN = "bulan_perlakuan"


JENIS = "jenis"


@dataclass(frozen=True, eq=False)
class ImpactResult:
    """The estimate for one training type; percent values, e.g. 15.2 for +15,2%."""

    jenis: str
    efek_persen: float | None
    ci_bawah: float | None
    ci_atas: float | None
    n_peserta: int
    n_pembanding: int
    peringatan: list[str] = field(default_factory=list)
    p_pratren: float | None = None  # p-value of the joint test of the pre-training months
    per_bulan: pd.DataFrame | None = None  # event study: bulan_relatif, efek_persen, ci_bawah, ci_atas, n_obs
    cukup_data: bool = False  # enough participants and comparison producers
    pratren_berbeda: bool = False  # the pre-training check failed

    def as_dict(self) -> dict:
        """The keys of the command-line JSON (and of a table row on the page)."""
        return {"jenis": self.jenis, "efek_persen": self.efek_persen, "ci_bawah": self.ci_bawah,
                "ci_atas": self.ci_atas, "n_peserta": self.n_peserta, "n_pembanding": self.n_pembanding,
                "peringatan": list(self.peringatan)}


# An interval within ±3% around zero rules out any effect worth a training budget line.
SMALL_EFFECT_PERSEN = 3.0


def verdict(result: ImpactResult) -> str:
    """One Indonesian sentence that claims no more than the interval and the checks allow."""
    name = f"pelatihan {result.jenis}"
    if result.efek_persen is None or result.ci_bawah is None or result.ci_atas is None:
        reason = result.peringatan[0] if result.peringatan else "data tidak cukup."
        return f"Belum cukup bukti tentang dampak {name}: {reason[0].lower() + reason[1:]}"
    band = (f"perkiraan {fmt.number(result.efek_persen, 1)}%, selang kepercayaan 95% "
            f"{fmt.number(result.ci_bawah, 1)}% s.d. {fmt.number(result.ci_atas, 1)}%")
    if math.isnan(result.ci_bawah) or math.isnan(result.ci_atas):
        # Some bootstrap draws had no participant at all: too few of them for an interval.
        band = f"perkiraan {fmt.number(result.efek_persen, 1)}%, selang kepercayaan tidak dapat dihitung"
    if not result.cukup_data:
        return (f"Belum cukup bukti tentang dampak {name}: pesertanya ({result.n_peserta} UMKM) atau pembandingnya "
                f"({result.n_pembanding} UMKM) terlalu sedikit untuk disimpulkan ({band}).")
    if result.pratren_berbeda:
        return (f"Perkiraan dampak {name} belum dapat dipercaya: sebelum pelatihan, penjualan peserta sudah "
                f"bergerak berbeda dari pembanding, jadi selisih sesudahnya belum tentu karena pelatihan ({band}).")
    if result.ci_bawah > 0:
        return (f"Setelah {name}, penjualan bulanan peserta diperkirakan {fmt.number(result.efek_persen, 1)}% lebih "
                f"tinggi daripada tanpa pelatihan; dengan keyakinan 95% kenaikannya antara "
                f"{fmt.number(result.ci_bawah, 1)}% dan {fmt.number(result.ci_atas, 1)}%.")
    if result.ci_atas < 0:
        return (f"Setelah {name}, penjualan bulanan peserta diperkirakan {fmt.number(-result.efek_persen, 1)}% lebih "
                f"rendah daripada tanpa pelatihan; dengan keyakinan 95% penurunannya antara "
                f"{fmt.number(-result.ci_atas, 1)}% dan {fmt.number(-result.ci_bawah, 1)}%.")
    if -SMALL_EFFECT_PERSEN <= result.ci_bawah and result.ci_atas <= SMALL_EFFECT_PERSEN:
        # A narrow interval around zero is a finding too: a planner moving the budget needs to know that
        # a large effect has been ruled out, not only that zero has not.
        return (f"Belum cukup bukti bahwa {name} mengubah penjualan peserta: {band}, selang ini mencakup nol. "
                f"Selang yang sempit ini juga menunjukkan bahwa dampaknya, kalaupun ada, kecil: tidak lebih dari "
                f"{fmt.number(result.ci_atas, 1)}%.")
    return (f"Belum cukup bukti bahwa {name} mengubah penjualan peserta: {band}, selang ini mencakup nol, "
            f"jadi dampaknya bisa saja nol.")
