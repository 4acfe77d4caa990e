"""Which rows below a sheet's header are data: every other row is counted as skipped, with its reason
(blank, repeated header, JUMLAH/TOTAL, column numbers, a note in one cell, a signature footer).

``skip_reason`` states the rules for one row; ``screen`` applies the same rules to a whole sheet
column by column, looking at each distinct cell once.
"""
from __future__ import annotations

import re

import numpy as np

from analysis.core import reference as ref
from analysis.ingest import cleaning
from analysis.ingest import columns as cols
from analysis.ingest import layout as lay
from analysis.ingest.sheet import (
    SKIP_BLANK,
    SKIP_FOOTER,
    SKIP_HEADER,
    SKIP_NOTE,
    SKIP_NUMBERING,
    SKIP_TOTAL,
    SKIP_TOTAL_UNLABELLED,
    SKIPPED,
    Sheet,
)


def skip_reason(row: list[object], header_keys: list[str], identity_cols: set[int]) -> str | None:
    texts = _row_texts(row)
    filled = [i for i, t in enumerate(texts) if t]
    if not filled:
        return SKIP_BLANK
    if _repeats_header(texts, filled, header_keys):
        return SKIP_HEADER
    # A total row's label is text among its first three filled cells: look for one before the full check.
    if any(_is_total_label(row[i]) for i in filled[:3] if isinstance(row[i], str)) and cleaning.is_total_row(row):
        return SKIP_TOTAL
    if all(_FOOTER.search(_folded(texts[i])) for i in filled):
        return SKIP_FOOTER
    if len(filled) >= 3 and _is_numbering(texts, filled):
        return SKIP_NUMBERING
    if len(filled) == 1 and filled[0] not in identity_cols:
        return SKIP_NOTE
    return None


_FOOTER = re.compile(
    r"^(mengetahui|menyetujui|kepala\b|camat\b|sekretaris|kabid\b|kasi\b|nip\b|nip\.|ttd|dibuat oleh|petugas|"
    r"pendamping|keterangan\s*:|catatan\s*:|sumber\s*:|an\. |a\.n\.)|^[a-z .]+, \d{1,2} [a-z]+ \d{4}$"
)


# Row screening looks at every cell of every row (a province: ~10 M cells). Cells repeat a lot (month
# names, kecamatan, products, the same producer on each month's row), so the text helpers below are
# memoised on the cell's text; the bounded caches are cleared as they fill.
_MEMO_LIMIT = 1 << 18


_TEXT_OF: dict[str, str] = {}


_HEADER_KEY_OF: dict[str, str] = {}


_FOLDED_OF: dict[str, str] = {}


_TOTAL_LABEL_OF: dict[str, bool] = {}


def _memo(table: dict, key: str, compute) -> object:
    value = table.get(key)
    if value is None:
        if len(table) >= _MEMO_LIMIT:
            table.clear()
        value = table[key] = compute(key)
    return value


def _row_texts(row: list[object]) -> list[str]:
    """``layout._cell_text`` of every cell; text cells through a memo (the type is part of the key
    implicitly: only ``str`` cells are memoised, so 1, 1.0 and True never share an entry)."""
    get = _TEXT_OF.get
    texts = []
    for value in row:
        kind = value.__class__
        if kind is str:
            text = get(value)
            if text is None:
                text = _memo(_TEXT_OF, value, lay._cell_text)
        elif kind is float:  # as _cell_text: NaN is blank, 3.0 is "3"
            text = "" if value != value else str(int(value)) if value.is_integer() else str(value).strip()
        elif kind is int:
            text = str(value)
        else:
            text = lay._cell_text(value)
        texts.append(text)
    return texts


def _folded(text: str) -> str:
    return _memo(_FOLDED_OF, text, ref.fold)


_TOTAL_INITIALS = frozenset("sgjtSGJT")  # every total word starts so: sub/grand total, jumlah, jml, total


def _is_total_label(text: str) -> bool:
    if text[:1].isascii() and text[:1].isalpha() and text[0] not in _TOTAL_INITIALS:
        return False  # most cells ("Siti", "Keripik") are told apart by their first letter
    return _memo(_TOTAL_LABEL_OF, text, cleaning.is_total_label)


def _repeats_header(texts: list[str], filled: list[int], header_keys: list[str]) -> bool:
    """At least max(2, half + 1) filled cells say what the header says in their column."""
    needed = max(2, len(filled) // 2 + 1)
    misses_left = len(filled) - needed
    same = 0
    for i in filled:
        key = header_keys[i] if i < len(header_keys) else ""
        if _says_key(texts[i], key):
            same += 1
            if same >= needed:
                return True
        else:
            misses_left -= 1
            if misses_left < 0:
                return False
    return False


def _says_key(text: str, key: str) -> bool:
    """Whether a cell's (non-empty) text says its column's header key, as a repeated header row does. A
    text starting with an ASCII letter or digit keeps it, lower-cased, as its header key's first
    character: most data cells are told apart here without computing their key."""
    return bool(key) and not (text[0].isascii() and text[0].isalnum() and text[0].lower() != key[0]) \
        and _memo(_HEADER_KEY_OF, text, lay.header_key) == key


def _is_numbering(texts: list[str], filled: list[int]) -> bool:
    """A row of column numbers under the header: 1 2 3 4 ... or (1) (2) (3)."""
    numbers = []
    for i in filled:
        match = re.fullmatch(r"\(?(\d{1,2})\)?", texts[i])
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def screen(sheet: Sheet, identity_fields: tuple[str, ...]) -> list[int]:
    """Row indices worth parsing; every other row below the header is counted as skipped.

    Column-wise: each column's distinct cells are looked at once (a long sheet repeats the same
    months, kecamatan and products), and the per-row tests of ``skip_reason`` become counts over
    the row's cells; the two rare tests that need the whole row (JUMLAH and column numbering) run
    only on the few rows that may be one."""
    layout = sheet.layout
    header_keys = [lay.header_key(h) for h in layout.headers]
    identity_cols = {layout.columns[f] for f in identity_fields if f in layout.columns}
    grid = sheet.grid
    start = layout.data_start
    count = max(grid.shape[0] - start, 0)
    width = grid.shape[1]
    filled = np.zeros((count, width), dtype=bool)
    nonblank = np.zeros(count, dtype=bool)
    same = np.zeros(count, dtype=np.int64)
    footer = np.zeros(count, dtype=np.int64)
    numbers = np.zeros(count, dtype=np.int64)
    in_identity = np.zeros(count, dtype=np.int64)
    total_seen = np.zeros(count, dtype=np.int64)  # filled cells seen so far, left to right
    total_candidate = np.zeros(count, dtype=bool)
    for col in range(width):
        codes, uniques = cols.factorize(grid[start:, col])
        sheet.codes[col] = codes
        key = header_keys[col] if col < len(header_keys) else ""
        facts = _column_facts(uniques, key)  # one row per distinct cell, then one for code -1 (missing)
        column_filled = facts[codes, 0]
        filled[:, col] = column_filled
        nonblank |= facts[codes, 5]
        same += facts[codes, 1]
        footer += facts[codes, 3]
        numbers += facts[codes, 4]
        if col in identity_cols:
            in_identity += column_filled
        total_seen += column_filled
        total_candidate |= facts[codes, 2] & (total_seen <= 3)
    # Trailing blank rows of a sheet are not data rows at all.
    last = np.flatnonzero(nonblank)
    stop = int(last[-1]) + 1 if len(last) else 0
    filled_count = filled[:stop].sum(axis=1)
    reasons = np.full(stop, None, dtype=object)
    undecided = np.ones(stop, dtype=bool)

    def decide(mask: np.ndarray, reason: str) -> None:
        reasons[undecided & mask] = reason
        undecided[mask] = False

    decide(filled_count == 0, SKIP_BLANK)
    decide(same[:stop] >= np.maximum(2, filled_count // 2 + 1), SKIP_HEADER)
    for position in np.flatnonzero(undecided & total_candidate[:stop]):
        if cleaning.is_total_row(sheet.raw.rows[start + position]):
            reasons[position] = SKIP_TOTAL
            undecided[position] = False
    decide(footer[:stop] == filled_count, SKIP_FOOTER)
    for position in np.flatnonzero(undecided & (filled_count >= 3) & (numbers[:stop] == filled_count)):
        texts = _row_texts(sheet.raw.rows[start + position])
        if _is_numbering(texts, [i for i, t in enumerate(texts) if t]):
            reasons[position] = SKIP_NUMBERING
            undecided[position] = False
    decide((filled_count == 1) & (in_identity[:stop] == 0), SKIP_NOTE)
    if identity_cols:
        for position in _unlabelled_totals(sheet, start, stop, undecided & (in_identity[:stop] == 0), undecided):
            reasons[position] = SKIP_TOTAL_UNLABELLED
            undecided[position] = False
    sheet.report.rows_read += stop
    for position in np.flatnonzero(~undecided):
        sheet.drop_row(start + int(position), SKIPPED, reasons[position])
    return [start + int(p) for p in np.flatnonzero(undecided)]


UNLABELLED_TOTALS_CHECKED = 20  # nameless rows looked at as possible totals (they are rare; a sheet of them is no table)


def _unlabelled_totals(sheet: Sheet, start: int, stop: int, nameless: np.ndarray, data: np.ndarray) -> list[int]:
    """Positions of the nameless rows whose every amount is the sum of the data rows above it (since the
    previous such row, at least two of them): a totals row with no JUMLAH label (a =SUM under the table)."""
    candidates = np.flatnonzero(nameless)[-UNLABELLED_TOTALS_CHECKED:]
    if not len(candidates):
        return []
    numbers: dict[int, np.ndarray] = {}
    # Row numbers, identity numbers, years and months are never summed ("No" 1, 2 above a nameless 3).
    not_amounts = {col for name, col in sheet.layout.columns.items() if name in _NOT_AMOUNTS}
    not_amounts |= {col for col, name in sheet.layout.duplicate_columns.items() if name in _NOT_AMOUNTS}
    for col in range(sheet.grid.shape[1]):
        codes = sheet.codes.get(col)
        if codes is None or col in not_amounts:
            continue
        cells = sheet.grid[start:start + stop, col]
        distinct, first_at = np.unique(codes[:stop], return_index=True)
        parsed = np.full(int(codes.max(initial=-1)) + 2, np.nan)
        for code, at in zip(distinct.tolist(), first_at.tolist()):
            if code >= 0:
                value = cells[at]
                if not isinstance(value, bool) and (isinstance(value, (int, float)) or
                                                    (isinstance(value, str) and _ASCII_AMOUNT.fullmatch(value.strip()))):
                    number = cleaning.parse_number(value).value
                    parsed[code + 1] = np.nan if number is None else float(number)
        column = parsed[codes[:stop] + 1]
        if np.isfinite(column[candidates]).any():
            numbers[col] = column
    found: list[int] = []
    begin = 0
    for position in candidates.tolist():
        rows_above = np.flatnonzero(data[begin:position]) + begin
        amounts = {col: column[position] for col, column in numbers.items() if np.isfinite(column[position])}
        if len(rows_above) >= 2 and amounts and all(
                abs(np.nansum(numbers[col][rows_above]) - value) <= 0.5 + 1e-9 * abs(value)
                and np.isfinite(numbers[col][rows_above]).sum() >= 2 for col, value in amounts.items()):
            found.append(position)
            begin = position + 1
    return found


_NOT_AMOUNTS = frozenset({"no", "nik", "no_hp", "nib", "tahun_mulai", "bulan"})


_ASCII_AMOUNT = re.compile(r"(rp\.?\s*)?[0-9][0-9.,]*", re.I)


_FACTS = 6  # filled, says the header's key, JUMLAH-like label, footer text, 1-2 digit number, not blank


def _column_facts(uniques: np.ndarray, key: str) -> np.ndarray:
    """The facts ``skip_reason`` uses, for each distinct cell of a column (bool array, one row per cell
    and a last all-False row for missing cells). Plain numbers (most distinct cells: amounts) are judged
    together: their text is digits, so it is never a footer or a JUMLAH label, and it says a header's
    key only when that key starts with a digit or a minus sign (a month header "2016-01"): then only
    the numbers that may say it are judged one by one (a whole number's text is its digits, so only
    one equal to a digits-only key; any other number). Text of ASCII digits (a CSV's amounts, NIK and
    row numbers; with one decimal mark, "270,1") is judged the same way: it is its own text, filled,
    never blank, a footer or a JUMLAH label, a column number when it is one or two digits, and it may
    say the header's key only when the key starts with its first digit (those few are judged one by one)."""
    facts = np.zeros((len(uniques) + 1, _FACTS), dtype=bool)
    classes = [value.__class__ for value in uniques]
    numeric = np.array([kind is float or kind is int for kind in classes], dtype=bool)
    if numeric.any():
        numbers = uniques[numeric].astype(float)
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        facts[:-1][numeric, 0] = True  # NaN cells are missing (code -1): every numeric unique is filled
        facts[:-1][numeric, 5] = True
        facts[:-1][numeric, 4] = (numbers >= 0) & (numbers < 100) & whole
        others = np.flatnonzero(~numeric)
        if key and not key[0].isalpha():
            may_say_key = ~whole
            if key.isdigit():
                may_say_key |= whole & (np.abs(numbers) == float(key))
            others = np.union1d(others, np.flatnonzero(numeric)[may_say_key])
    else:
        others = range(len(uniques))
    digit_key = key[:1]  # a digits-only text can say the key only if it starts with the key's first character
    digits, short, rest = [], [], []
    fullmatch = _ASCII_DIGITS.fullmatch
    for position in others:
        value = uniques[position]
        if classes[position] is str and fullmatch(value) is not None and value[0] != digit_key:
            digits.append(position)
            if len(value) <= 2 and value.isdigit():  # "12", not "2,5"
                short.append(position)
        else:
            rest.append(position)
    if digits:
        facts[digits, 0] = True
        facts[digits, 5] = True
        facts[short, 4] = True
    # Every other distinct cell: its facts but the header's depend on the cell alone, and a text's are
    # kept for the process as bits (a producer's name comes back in every sales file).
    at, bits = [], []
    get = _TEXT_FACTS.get
    for position in rest:
        value = uniques[position]
        if classes[position] is str:
            known = get(value)
            if known is None:
                known = _memo(_TEXT_FACTS, value, _text_facts)
            text = value.strip()  # its layout._cell_text whenever it has one (bit 0)
        else:
            text = lay._cell_text(value)
            known = _facts_of_text(value, text)
        if known & 1 and _says_key(text, key):
            known |= 2
        at.append(position)
        bits.append(known)
    if at:
        facts[at] = _FACT_ROWS[bits]
    return facts


_ASCII_DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)?")  # "4849000", "270,1", "2.5": a number as text


_TEXT_FACTS: dict[str, int] = {}


_FACT_ROWS = np.array([[bool(bits >> fact & 1) for fact in range(_FACTS)] for bits in range(1 << _FACTS)], dtype=bool)


def _text_facts(value: str) -> int:
    """``_facts_of_text`` of a text cell (its text as layout._cell_text gives it, without the checks
    for the other types)."""
    return _facts_of_text(value, "" if cleaning._BLANK_TEXT.fullmatch(value) is not None else value.strip())


def _facts_of_text(value: object, text: str) -> int:
    """The facts of ``_column_facts`` of a distinct cell whose text is ``text``, but whether it says the
    header's key, as bits (fact i is bit i)."""
    if not text:
        return 0 if cleaning.is_blank(value) else 32  # no text, but not blank: only "not blank"
    is_total = isinstance(value, str) and _is_total_label(value)
    is_footer = _may_be_footer(text) and _FOOTER.search(_folded(text)) is not None
    is_number = len(text) <= 4 and _NUMBERING.fullmatch(text) is not None
    return 1 | 4 * is_total | 8 * is_footer | 16 * is_number | 32


def _may_be_footer(text: str) -> bool:
    """False for text that cannot match ``_FOOTER`` once folded: an ASCII first letter outside the
    footer words' initials with no comma ("Siti, 12 Mei 2017" needs one), or an ASCII digit first."""
    first = text[0]
    if not first.isascii():
        return True
    if first.isdigit():
        return False
    return not (first.isalpha() and first.lower() not in "mkcsntdpa" and "," not in text)


_NUMBERING = re.compile(r"\(?(\d{1,2})\)?")
