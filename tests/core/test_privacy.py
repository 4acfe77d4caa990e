import pandas as pd

from analysis.core import privacy


def test_nik_keeps_only_both_ends():
    assert privacy.mask_nik("1801012345670001") == "1801********0001"


def test_phone_keeps_prefix_and_last_four():
    assert privacy.mask_phone("+6281272345678") == "+62812****5678"


def test_short_values_are_hidden_completely():
    assert privacy.mask_nik("12345") == "*****"


def test_missing_stays_missing():
    assert privacy.mask_nik(None) is None
    assert privacy.mask_phone(pd.NA) is pd.NA


def test_mask_frame_masks_personal_columns_and_keeps_the_rest():
    frame = pd.DataFrame({"nama_usaha": ["UD Maju"], "nik": ["1801012345670001"], "no_hp": ["+6281272345678"]},
                         dtype="string")
    masked = privacy.mask_frame(frame)
    assert masked.loc[0, "nik"] == "1801********0001"
    assert masked.loc[0, "no_hp"] == "+62812****5678"
    assert masked.loc[0, "nama_usaha"] == "UD Maju"
    assert frame.loc[0, "nik"] == "1801012345670001"  # the input is not changed
    assert masked["nik"].dtype == frame["nik"].dtype


def test_mask_frame_masks_repeated_and_missing_text_as_each_alone():
    """A string column is masked once per distinct value: the same result as masking every cell."""
    niks = ["1801012345670001", None, "1801012345670001", "12345", "", "1801099999990002", None]
    frame = pd.DataFrame({"nik": pd.array(niks, dtype="string"), "no_hp": pd.array([None] * 7, dtype="string")})
    masked = privacy.mask_frame(frame)
    expected = pd.array([privacy.mask_nik(v) if v is not None else None for v in niks], dtype="string")
    pd.testing.assert_extension_array_equal(masked["nik"].array, expected)
    assert masked["nik"].isna().tolist() == [v is None for v in niks]
    assert masked["no_hp"].isna().all() and masked["no_hp"].dtype == frame["no_hp"].dtype


def test_admin_sees_the_full_values():
    frame = pd.DataFrame({"nik": ["1801012345670001"]})
    assert privacy.mask_frame(frame, show_personal=True).loc[0, "nik"] == "1801012345670001"


def test_numbers_quoted_in_free_text_are_masked():
    text = "No: 3 | NIK: 1801012345670001 | No HP: 0812-7234-5678 | Omzet: 2500000 | HP2: +62 812 7234 5678"
    masked = privacy.mask_text(text)
    assert "1801012345670001" not in masked and "1801********0001" in masked
    assert "7234-5678" not in masked and "7234 5678" not in masked and masked.count("5678") == 2
    assert "Omzet: 2500000" in masked and masked.startswith("No: 3 | ")


def test_mask_frame_masks_the_quoted_cells_of_rejected_rows():
    rejected = pd.DataFrame({"alasan": ["kecamatan tidak diketahui"], "nilai_asli": ["NIK: 1801012345670001"]})
    assert privacy.mask_frame(rejected).loc[0, "nilai_asli"] == "NIK: 1801********0001"
    assert privacy.mask_frame(rejected, show_personal=True).loc[0, "nilai_asli"] == "NIK: 1801012345670001"


def test_whole_columns_are_masked_as_each_value_alone():
    """NIK and phone columns are masked by Arrow's string functions at once (ASCII) and one by one
    otherwise: either way each value as privacy.mask_nik / mask_phone masks it alone, missing kept."""
    import numpy as np

    rng = np.random.default_rng(7)
    alphabet = list("0123456789+ -.") + ["é", "٣", "x"]
    values = ["".join(rng.choice(alphabet, size=rng.integers(0, 20))) for _ in range(400)]
    digits = ["".join(rng.choice(list("0123456789"), size=rng.integers(0, 20))) for _ in range(400)]
    for column in (values, digits, [*digits, None, None]):
        series = pd.Series(column, dtype="string")
        for masker in (privacy.mask_nik, privacy.mask_phone):
            expected = pd.Series([masker(v) if v is not None else pd.NA for v in column], dtype="string")
            pd.testing.assert_series_equal(privacy._masked(series, masker), expected)


def test_a_column_of_several_chunks_is_masked_as_one():
    """A column read from a file holds several Arrow chunks: masked at once, as each value alone, in order."""
    import pyarrow as pa

    parts = [["3201010101010001", None, "0812345678"], ["12"], [None, "3201010101019999"]]
    series = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(parts, type=pa.large_string())), dtype="string")
    assert series.array._pa_array.num_chunks == 3
    every = [v for part in parts for v in part]
    for masker in (privacy.mask_nik, privacy.mask_phone):
        expected = pd.Series([masker(v) if v is not None else pd.NA for v in every], dtype="string")
        pd.testing.assert_series_equal(privacy._masked(series, masker), expected)
