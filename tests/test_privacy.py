import pandas as pd

from analysis import privacy


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


def test_admin_sees_the_full_values():
    frame = pd.DataFrame({"nik": ["1801012345670001"]})
    assert privacy.mask_frame(frame, show_personal=True).loc[0, "nik"] == "1801012345670001"
