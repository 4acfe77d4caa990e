"""Masking of personal data (NIK, phone numbers) for everyone who may not see it in full.

One place decides what is personal and how it is hidden, so the screen and every export (Excel,
PowerPoint, CSV) show the same thing. Masking keeps enough to recognise a record when talking to the
person ("3201********0001", "+62812****5678") and never enough to use it.
"""
from __future__ import annotations

import re

import pandas as pd

MASK = "*"
# Columns holding personal identifiers, in any table or export frame. Names and addresses are kept: a
# list of producers to invite is useless without them, and they are public on signboards and in
# the registries the kecamatan officers already circulate.
PERSONAL_COLUMNS = ("nik", "no_hp")


def mask_nik(value: object) -> object:
    """NIK "1801012345670001" -> "1801********0001": the first four digits (province and kabupaten,
    which every NIK in the registry shares) and the last four. Missing stays missing."""
    return _mask(value, *_KEPT[mask_nik])


def mask_phone(value: object) -> object:
    """"+6281272345678" -> "+62812****5678": the operator prefix and the last four digits."""
    return _mask(value, *_KEPT[mask_phone])


# What each identifier's mask keeps, (first, last) characters: one value by mask_nik / mask_phone, whole
# columns at once by _masked_ascii.
_KEPT = {mask_nik: (4, 4), mask_phone: (6, 4)}


def _mask(value: object, keep_start: int, keep_end: int) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return value
    text = str(value)
    if len(text) <= keep_start + keep_end:
        # Too short to keep both ends without showing (almost) everything: hide it all.
        return MASK * len(text)
    return text[:keep_start] + MASK * (len(text) - keep_start - keep_end) + text[-keep_end:]


# Free-text columns that quote a row's original cells (rejected rows, cell problems): a NIK or phone
# number inside them is masked where it stands.
FREE_TEXT_COLUMNS = ("nilai_asli", "nilai")
# 16 digits (a NIK, possibly with spaces or dots between groups), or a phone number: 0 / 62 / +62 then
# 8-13 digits, possibly grouped with spaces, dots or dashes.
_NIK_IN_TEXT = re.compile(r"(?<!\d)\d(?:[ .]?\d){15}(?!\d)")
_PHONE_IN_TEXT = re.compile(r"(?<![\d+])(?:\+62|62|0)[ .-]?8(?:[ .-]?\d){7,12}(?!\d)")


def mask_text(value: object) -> object:
    """Every NIK-like and phone-like number inside free text masked ("NIK: 1801012345670001 | HP:
    0812-7234-5678" -> "NIK: 1801********0001 | HP: 081*********5678"). Missing stays missing."""
    if not isinstance(value, str):
        return value
    value = _NIK_IN_TEXT.sub(lambda m: mask_nik(re.sub(r"\D", "", m.group())), value)
    return _PHONE_IN_TEXT.sub(lambda m: str(_mask(m.group(), keep_start=3, keep_end=4)), value)


_MASKERS = {"nik": mask_nik, "no_hp": mask_phone, **{c: mask_text for c in FREE_TEXT_COLUMNS}}


def mask_frame(frame: pd.DataFrame, *, show_personal: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` with every personal column masked, unless ``show_personal`` (admin data).
    Columns are matched by name, so any table or export frame can be passed."""
    if show_personal:
        return frame
    present = [column for column in (*PERSONAL_COLUMNS, *FREE_TEXT_COLUMNS) if column in frame.columns]
    if not present:
        return frame
    masked = frame.copy()
    for column in present:
        masked[column] = _masked(masked[column], _MASKERS[column])
    return masked


def _masked(values: pd.Series, masker) -> pd.Series:
    """``values.map(masker)`` in ``values``' dtype; text columns (the contract's string dtype) are masked
    by Arrow's string functions when the values are ASCII (NIK and phone numbers are digits: 250,000 in
    tens of milliseconds, not a second), else once per distinct value."""
    if not isinstance(values.dtype, pd.StringDtype):
        return values.map(masker).astype(values.dtype)
    kept = _KEPT.get(masker)
    if kept is not None:
        done = _masked_ascii(values, *kept)
        if done is not None:
            return done
    codes, distinct = pd.factorize(values)  # missing: -1, kept as it is
    done = pd.array([masker(v) for v in distinct], dtype=values.dtype)
    return pd.Series(done.take(codes, allow_fill=True), index=values.index, dtype=values.dtype)


def _masked_ascii(values: pd.Series, keep_start: int, keep_end: int) -> pd.Series | None:
    """``_mask`` of every value of a text column at once (missing stays missing); None when a value is not
    ASCII (Arrow slices UTF-8 by bytes there, Python by characters): the caller masks one by one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values.array, type=pa.large_string())
    if pc.any(pc.invert(pc.string_is_ascii(text))).as_py():
        return None
    length = pc.binary_length(text)
    stars = pa.scalar(MASK, pa.large_string())
    kept = keep_start + keep_end
    both_ends = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(text, 0, keep_start),
        pc.binary_repeat(stars, pc.max_element_wise(pc.subtract(length, kept), 0)),
        pc.utf8_slice_codeunits(text, -keep_end), pa.scalar("", pa.large_string()))
    masked = pc.if_else(pc.less_equal(length, kept), pc.binary_repeat(stars, length), both_ends)
    # (a column read from a file is several chunks: passed on as they are, since wrapping a ChunkedArray in
    # a list makes Arrow convert it value by value, 0.18 s for a province's 250,000 NIK)
    chunks = masked if isinstance(masked, pa.ChunkedArray) else pa.chunked_array([masked])
    return pd.Series(values.dtype.__from_arrow__(chunks), index=values.index, dtype=values.dtype)
