"""Headline indicators on tiny hand-made tables: the happy path, and a missing column named in the error."""
import pandas as pd
import pytest

from analysis import metrics
from analysis.schemas import Participants, Producers, Sales, Trainings


def producers() -> pd.DataFrame:
    return Producers.conform(
        pd.DataFrame(
            {
                Producers.umkm_id: ["U1", "U2", "U3"],
                Producers.kecamatan: ["Natar", "Natar", "Kalianda"],
                Producers.kode_kecamatan: ["18.01.04", "18.01.04", "18.01.06"],
                Producers.kategori: ["Makanan Olahan", "Kerajinan", "Minuman"],
                Producers.tenaga_kerja: [2, 5, None],
                Producers.omzet_tahunan_rp: [120_000_000.0, 600_000_000.0, None],
                Producers.skala: ["Mikro", "Kecil", None],
                Producers.nib: [True, False, None],
                Producers.pirt: [True, True, False],
                Producers.halal: [None, None, None],
                Producers.jangkauan_pasar: ["Desa", "Provinsi", "Ekspor"],
            }
        )
    )


def sales() -> pd.DataFrame:
    return Sales.conform(
        pd.DataFrame(
            {
                Sales.umkm_id: ["U1", None, "U2"],  # an unlinked row still counts
                Sales.bulan: pd.to_datetime(["2017-01-01", "2017-02-01", "2017-02-01"]),
                Sales.nilai_rp: [1_000_000.0, 250_000.0, 2_000_000.0],
            }
        )
    )


def trainings() -> pd.DataFrame:
    return Trainings.conform(
        pd.DataFrame(
            {
                Trainings.pelatihan_id: ["P1", "P2", "P3"],
                Trainings.nama_kegiatan: ["Pelatihan Kemasan", "Bimtek Pemasaran", "Pelatihan Keuangan"],
                Trainings.jenis: ["Kemasan", "Pemasaran", "Keuangan"],
            }
        )
    )


def participants() -> pd.DataFrame:
    return Participants.conform(
        pd.DataFrame(
            {
                Participants.pelatihan_id: ["P1", "P2", "P2"],
                Participants.umkm_id: ["U1", "U1", None],  # U1 twice counts once; the unmatched one not at all
                Participants.cara_cocok: ["nik", "hp", "tidak cocok"],
            }
        )
    )


def test_headline_counts_and_sums():
    result = metrics.headline(producers(), sales(), trainings(), participants())
    assert result["jumlah_umkm"] == 3
    assert result["tenaga_kerja"] == 7
    assert result["omzet_tahunan_rp"] == 720_000_000.0
    assert result["jumlah_pelatihan"] == 3
    assert result["jumlah_peserta"] == 3


def test_headline_shares_are_of_all_umkm():
    result = metrics.headline(producers(), sales(), trainings(), participants())
    assert result["porsi_terlatih"] == pytest.approx(1 / 3)
    assert result["porsi_nib"] == pytest.approx(1 / 3)  # missing NIB counts as not having one
    assert result["porsi_pirt"] == pytest.approx(2 / 3)
    assert result["porsi_halal"] == 0
    assert result["porsi_luar_kabupaten"] == pytest.approx(2 / 3)  # Provinsi and Ekspor, not Desa


def test_headline_skala_shares_sum_to_one_with_unknown_part():
    shares = metrics.headline(producers(), sales(), trainings(), participants())["porsi_skala"]
    assert list(shares) == ["Mikro", "Kecil", "Menengah", "Besar", metrics.SKALA_TIDAK_DIKETAHUI]
    assert shares["Mikro"] == pytest.approx(1 / 3)
    assert shares["Menengah"] == 0
    assert sum(shares.values()) == pytest.approx(1)


def test_headline_monthly_sales():
    result = metrics.headline(producers(), sales(), trainings(), participants())
    monthly = result["penjualan_bulanan"]
    assert list(monthly[Sales.bulan]) == list(pd.to_datetime(["2017-01-01", "2017-02-01"]))
    assert list(monthly[Sales.nilai_rp]) == [1_000_000.0, 2_250_000.0]
    assert result["bulan_terakhir"] == pd.Timestamp("2017-02-01")
    assert result["penjualan_bulan_terakhir"] == 2_250_000.0


def test_headline_does_not_modify_inputs():
    frames = producers(), sales(), trainings(), participants()
    copies = [f.copy() for f in frames]
    metrics.headline(*frames)
    for frame, copy in zip(frames, copies):
        pd.testing.assert_frame_equal(frame, copy)


def test_headline_empty_tables_give_missing_shares():
    result = metrics.headline(Producers.empty(), Sales.empty(), Trainings.empty(), Participants.empty())
    assert result["jumlah_umkm"] == 0
    assert result["porsi_nib"] is None
    assert result["bulan_terakhir"] is None
    assert result["penjualan_bulan_terakhir"] is None


@pytest.mark.parametrize("column", [Producers.skala, Producers.nib, Producers.jangkauan_pasar])
def test_headline_missing_producer_column_is_named(column):
    with pytest.raises(ValueError, match=f"producers: kolom '{column}' tidak ada"):
        metrics.headline(producers().drop(columns=column), sales(), trainings(), participants())


def test_headline_missing_sales_column_is_named():
    with pytest.raises(ValueError, match=f"'{Sales.nilai_rp}'"):
        metrics.headline(producers(), sales().drop(columns=Sales.nilai_rp), trainings(), participants())


def test_monthly_sales_groups_days_into_their_month():
    frame = pd.DataFrame({Sales.bulan: pd.to_datetime(["2017-03-01", "2017-03-15", None]), Sales.nilai_rp: [1.0, 2.0, 5.0]})
    result = metrics.monthly_sales(frame)
    assert list(result[Sales.bulan]) == [pd.Timestamp("2017-03-01")]
    assert list(result[Sales.nilai_rp]) == [3.0]


def test_data_period():
    assert metrics.data_period(sales()) == (pd.Timestamp("2017-01-01"), pd.Timestamp("2017-02-01"))
    assert metrics.data_period(Sales.empty()) == (None, None)


def test_producers_per_kecamatan_keeps_every_kecamatan():
    result = metrics.producers_per_kecamatan(producers())
    assert len(result) == 17
    assert list(result[Producers.kecamatan][:2]) == ["Natar", "Kalianda"]
    assert list(result[metrics.JUMLAH_UMKM][:3]) == [2, 1, 0]
    assert result.loc[0, Producers.kode_kecamatan] == "18.01.04"
    assert result[metrics.JUMLAH_UMKM].sum() == 3


def test_producers_per_kecamatan_missing_column_is_named():
    with pytest.raises(ValueError, match=f"'{Producers.kecamatan}'"):
        metrics.producers_per_kecamatan(producers().drop(columns=Producers.kecamatan))
