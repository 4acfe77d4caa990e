"""Training impact: did sales of the producers who attended a training type (jenis) grow more than
sales of comparable producers who had not (yet) attended one?

Method (an imputation estimator in the style of Borusyak, Jaravel and Spiess 2024, robust to trainings
held at different dates):

1. Panel: log of each producer's monthly sales (sum of nilai_rp per umkm_id and month). Unlinked rows
   are dropped; a month without a report is missing, never zero (a missing report is not a sale of 0).
2. Treatment month of a producer for a jenis: the first full month after the month in which its FIRST
   training of that jenis ended (a training ending 16 March counts from April).
3. On the untreated observations only (producers never trained in that jenis, and trained ones before
   their treatment month) fit log sales = producer effect + kategori x month effect + effects of the
   OTHER training types the producer already had. The producer effect absorbs that bigger producers are
   invited more often; kategori x month absorbs category trends and the Lebaran season; the other-jenis
   terms keep e.g. a Kemasan effect from leaking into the Pemasaran comparison.
4. That fit predicts each participant's sales had it not been trained (counterfactual); the effect is
   the average of actual minus predicted over event months 0..12, in percent 100*(exp(mean) - 1).
5. Uncertainty: a bootstrap that resamples producers (clustered by producer), all replicates solved at
   once. Check of the comparison, on the untreated observations: (a) dummies for the 6 months before
   training, tested jointly against zero (Wald test with the bootstrap covariance; BJS's pre-trend test),
   and (b) one participant-specific linear trend over all their months before training, which catches a
   steady faster growth that six months alone would miss. If either rejects, the result carries a
   warning and the verdict says the estimate cannot be trusted.

Everything here is pure (frames in, new frames/dataclasses out) so the page and the command line share it.

    python -m analysis.impact --data DIR [--json]   (analysis/impact/__main__.py)

Modules: result (the result of one training type, its columns and the verdict in words), panel (the
monthly sales panel and treatment months as arrays), fitting (the least-squares fit and the bootstrap
draws), threads (one BLAS thread per estimating thread), estimate (estimate_all: the method above;
estimate_scope: one scope of the tables, as every caller cuts it), store (estimates kept on disk per
data version and scope), background (every kecamatan estimated ahead, in a process of its own at the
lowest priority).
"""
from __future__ import annotations

from analysis.impact.estimate import (
    DEFAULT_BOOT,
    DEFAULT_SEED,
    MIN_PEMBANDING,
    MIN_PESERTA,
    POST_MONTHS,
    PRE_MONTHS,
    PRETREND_ALPHA,
    estimate_all,
    estimate_scope,
    event_study,
)
from analysis.impact.result import BULAN_RELATIF, CI_ATAS, CI_BAWAH, EFEK_PERSEN, N_OBS, ImpactResult, verdict
from analysis.impact.store import stored_estimate

__all__ = [
    "BULAN_RELATIF", "CI_ATAS", "CI_BAWAH", "DEFAULT_BOOT", "DEFAULT_SEED", "EFEK_PERSEN", "MIN_PEMBANDING", "MIN_PESERTA",
    "N_OBS", "POST_MONTHS", "PRETREND_ALPHA", "PRE_MONTHS", "ImpactResult", "estimate_all", "estimate_scope", "event_study",
    "stored_estimate", "verdict",
]
