"""Masking of personal data (NIK, phone numbers) for everyone who may not see it in full.

One place decides what is personal and how it is hidden, so the screen and every export (Excel,
PowerPoint, CSV) show the same thing. Masking keeps enough to recognise a record when talking to the
person ("3201********0001", "+62812****5678") and never enough to use it.
"""
from __future__ import annotations

import pandas as pd

MASK = "*"
# Columns holding personal identifiers, in any table or export frame. Names and addresses are kept: a
# list of producers to invite is useless without them, and they are public on signboards and in
# the registries the kecamatan officers already circulate.
PERSONAL_COLUMNS = ("nik", "no_hp")


def mask_nik(value: object) -> object:
    """NIK "1801012345670001" -> "1801********0001": the first four digits (province and kabupaten,
    which every NIK in the registry shares) and the last four. Missing stays missing."""
    return _mask(value, keep_start=4, keep_end=4)


def mask_phone(value: object) -> object:
    """"+6281272345678" -> "+62812****5678": the operator prefix and the last four digits."""
    return _mask(value, keep_start=6, keep_end=4)


def _mask(value: object, *, keep_start: int, keep_end: int) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return value
    text = str(value)
    if len(text) <= keep_start + keep_end:
        # Too short to keep both ends without showing (almost) everything: hide it all.
        return MASK * len(text)
    return text[:keep_start] + MASK * (len(text) - keep_start - keep_end) + text[-keep_end:]


_MASKERS = {"nik": mask_nik, "no_hp": mask_phone}


def mask_frame(frame: pd.DataFrame, *, show_personal: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` with every personal column masked, unless ``show_personal`` (admin data).
    Columns are matched by name, so any table or export frame can be passed."""
    if show_personal:
        return frame
    present = [column for column in PERSONAL_COLUMNS if column in frame.columns]
    if not present:
        return frame
    masked = frame.copy()
    for column in present:
        masked[column] = masked[column].map(_MASKERS[column]).astype(frame[column].dtype)
    return masked
