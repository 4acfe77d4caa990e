"""The ingest's parsing code as it was before the CPU work of issue 8 (verbatim copies of every function
that changed, and of those that call them, names unchanged), kept as the reference that
tests/test_parse_fast_paths.py compares the fast paths against. Not used by the application.

Inside these copies ``cleaning.parse_values``, ``cleaning.parse_phone`` and ``cleaning.parse_nik`` are
the former ones below (the only edit: those three names resolve here); everything else comes from the
current modules, unchanged by that work."""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import partial
from types import SimpleNamespace

import numpy as np
import pandas as pd

from analysis import cleaning as _cleaning
from analysis import layout as lay
from analysis import reference as ref
from analysis.cleaning import (_MAX_RUPIAH, _MEMO_LIMIT, _NIK_FLOAT_TEXT, _NIK_LABEL, _NIK_SEPARATORS, _PHONE_CHARS,
                               _PHONE_LABEL, _PHONE_SPLIT, _SCIENTIFIC, BLANK, FIX_HP_GANDA, FIX_NIK_ANGKA, NIK_SCI_ERROR,
                               Parsed, _fail, _fold_text, _is_bool, _is_datelike, _is_float, _is_int, _nik_from_digits,
                               _phone_from_digits, _show, _whole_number_text, is_blank, parse_number, parse_rupiah,
                               unique_codes)
from analysis.ingest import (_FACTS, _FOOTER, _HEADER_KEY_OF, _NUMBERING, REJECT_BAD_VALUE, REJECT_NO_KECAMATAN,
                             REJECT_NO_MONTH, REJECT_NO_NAME, REJECT_NO_PARTICIPANT, REJECTED, SKIP_BLANK, SKIP_FOOTER,
                             SKIP_HEADER, SKIP_NO_SALES, SKIP_NOTE, SKIP_NUMBERING, SKIP_TOTAL, SKIPPED, _folded,
                             _is_numbering, _is_total_label, _may_be_footer, _memo, _missing, _month_number, _row_texts,
                             _sheet_kecamatan, _Sheet, stable_id)
from analysis.layout import _COMPILED_RULES, _header_keys, _month_of_text, _month_of_value, field_of


# ---------------------------------------------------------------- analysis/ingest.py

def _screen(sheet: _Sheet, identity_fields: tuple[str, ...]) -> list[int]:
    """Row indices worth parsing; every other row below the header is counted as skipped.

    Column-wise: each column's distinct cells are looked at once (a long sheet repeats the same
    months, kecamatan and products), and the per-row tests of ``_skip_reason`` become counts over
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
        codes, uniques = _factorize(grid[start:, col])
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
    sheet.report.rows_read += stop
    for position in np.flatnonzero(~undecided):
        sheet.drop_row(start + int(position), SKIPPED, reasons[position])
    return [start + int(p) for p in np.flatnonzero(undecided)]


def _column_facts(uniques: np.ndarray, key: str) -> np.ndarray:
    """The facts ``_skip_reason`` uses, for each distinct cell of a column (bool array, one row per cell
    and a last all-False row for missing cells). Plain numbers (most distinct cells: amounts) are judged
    together: their text is digits, so it is never a footer or a JUMLAH label, and it says a header's
    key only when that key starts with a digit or a minus sign (a month header "2016-01"): then only
    the numbers that may say it are judged one by one (a whole number's text is its digits, so only
    one equal to a digits-only key; any other number)."""
    facts = np.zeros((len(uniques) + 1, _FACTS), dtype=bool)
    numeric = np.array([value.__class__ is float or value.__class__ is int for value in uniques], dtype=bool)
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
    for position in others:
        facts[position] = _cell_facts(uniques[position], key)
    return facts


def _cell_facts(value: object, key: str) -> tuple[bool, bool, bool, bool, bool, bool]:
    """The facts of ``_column_facts`` for one distinct cell."""
    text = lay._cell_text(value)
    if not text:
        return False, False, False, False, False, not cleaning.is_blank(value)
    is_header = bool(key) and not (text[0].isascii() and text[0].isalnum() and text[0].lower() != key[0]) \
        and _memo(_HEADER_KEY_OF, text, lay.header_key) == key
    is_total = isinstance(value, str) and _is_total_label(value)
    is_footer = _may_be_footer(text) and _FOOTER.search(_folded(text)) is not None
    is_number = len(text) <= 4 and _NUMBERING.fullmatch(text) is not None
    return True, is_header, is_total, is_footer, is_number, True  # a cell with text is not blank


def _grid(rows: list[list[object]]) -> np.ndarray:
    """The sheet as a 2-D object array; short rows padded with None (a missing cell)."""
    width = max((len(r) for r in rows), default=0)
    grid = np.empty((len(rows), width), dtype=object)
    if rows and all(len(r) == width for r in rows):
        grid[:, :] = rows
    else:
        for i, row in enumerate(rows):
            grid[i, :len(row)] = row
    return grid


def _factorize(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, one cell per code) over distinct (type, value); missing cells (None, NaN) get code -1.
    Cells of different types that compare equal (1, 1.0, True) get different codes."""
    kinds = set(map(type, cells)) - {type(None)}
    if kinds == {float}:  # amounts: factorised as numbers, several times faster than as objects
        codes, uniques = pd.factorize(cells.astype(float), use_na_sentinel=True)
        return codes, uniques.astype(object)
    try:
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    except TypeError:  # unhashable cells: one code per cell
        return np.arange(len(cells)), cells
    if len(kinds) <= 1 or all(value.__class__ is str for value in uniques):
        return codes, uniques  # one type of cell, or text (never equal to another type): values are codes
    codes = cleaning.unique_codes(pd.Series(cells, dtype=object), cells)
    _, first_at, inverse = np.unique(codes, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    if len(codes) and codes.min() < 0:  # the missing cells' code sorts first
        return inverse - 1, cells[first_at[1:]]
    return inverse, cells[first_at]


def _column(sheet: _Sheet, rows: list[int], name: str) -> pd.Series:
    col = sheet.layout.columns.get(name)
    if col is None:
        return pd.Series(None, index=rows, dtype=object)
    return pd.Series(_column_at(sheet, rows, col), index=rows, dtype=object)


def _column_at(sheet: _Sheet, rows: list[int], col: int) -> np.ndarray:
    if col >= sheet.grid.shape[1]:
        return np.full(len(rows), None, dtype=object)
    return sheet.grid[rows, col]


def _codes(sheet: _Sheet, rows: list[int], name: str) -> np.ndarray | None:
    """The unique codes of a column's cells at ``rows`` (see cleaning.unique_codes), when known."""
    codes = sheet.codes.get(sheet.layout.columns.get(name, -1))
    if codes is None:
        return None
    return codes[np.asarray(rows, dtype=np.int64) - sheet.layout.data_start]


def _parse_column(sheet: _Sheet, rows: list[int], name: str, parser) -> tuple[pd.Series, pd.Series, pd.Series]:
    """cleaning.parse_values of a column at ``rows``, reusing the column's codes from _screen."""
    return cleaning.parse_values(_column(sheet, rows, name), parser, _codes(sheet, rows, name), _parser_memo(parser))


# Results of the pure parsers for text cells, kept for the whole process: a person's NIK, phone and
# name come back in the registry and in every year's sales files (cleared when full, see parse_values).
# ---------------------------------------------------------------- analysis/cleaning.py

def parse_values(series: pd.Series, parser: Callable[[object], object], codes: np.ndarray | None = None,
                 memo: dict | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Apply ``parser`` once per unique value (columns repeat values: kecamatan, months, categories)
    and return (values, fix codes, errors) aligned to ``series.index``.

    Values of different types that compare equal (1, 1.0, True) are parsed separately: they do not
    mean the same thing in a cell. ``codes``: the cells' ``unique_codes`` when the caller has them
    already (the same grouping: one code per distinct (type, value), one for all missing cells).
    ``memo``: results of this same (pure) parser for text cells, kept by the caller across calls (the
    same names and NIKs come back in every year's sales file); filled here."""
    cells = series.to_numpy(dtype=object)
    if codes is None:
        codes = unique_codes(series, cells)
    _, first_at, inverse = np.unique(codes, return_index=True, return_inverse=True)
    firsts = cells[first_at]
    plain = _plain_amounts(parser, firsts)
    values = np.empty(len(first_at), dtype=object)
    fixes = np.empty(len(first_at), dtype=object)
    errors = np.empty(len(first_at), dtype=object)
    for i, cell in enumerate(firsts.tolist()):
        if plain[i] is not None:
            values[i] = plain[i]
            continue
        if memo is not None and cell.__class__ is str:
            result = memo.get(cell)
            if result is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                result = memo[cell] = parser(cell)
        else:
            result = parser(cell)
        if isinstance(result, Parsed):
            values[i], fixes[i], errors[i] = result.value, result.fix, result.error
        else:
            values[i] = result
    inverse = np.asarray(inverse, dtype="int64").reshape(-1)
    # The fix and error texts as a "string" array per distinct value, then spread: much cheaper than
    # converting one Python object per cell.
    return (
        pd.Series(values[inverse], index=series.index, dtype=object, name=series.name),
        pd.Series(pd.array(fixes, dtype="string").take(inverse), index=series.index, name=series.name),
        pd.Series(pd.array(errors, dtype="string").take(inverse), index=series.index, name=series.name),
    )


def _plain_amounts(parser: Callable[[object], object], cells: np.ndarray) -> list:
    """For parse_rupiah / parse_number: the value of each cell that is a plain finite number in range
    (a float or int cell, the bulk of a sales sheet), as those parsers give it with no fix; None for
    every other cell, which goes through the parser."""
    limit = _MAX_RUPIAH if parser is parse_rupiah else math.inf if parser is parse_number else None
    found: list = [None] * len(cells)
    if limit is None or not len(cells):
        return found
    plain = np.array([cell.__class__ is float or cell.__class__ is int for cell in cells], dtype=bool)
    if not plain.any():
        return found
    try:
        numbers = cells[plain].astype(float)
    except (OverflowError, ValueError, TypeError):
        return found
    usable = np.isfinite(numbers) & (numbers >= 0) & (numbers <= limit)
    positions = np.flatnonzero(plain)[usable]
    for position, number in zip(positions.tolist(), (numbers[usable] + 0.0).tolist()):
        found[position] = number
    return found


def parse_phone(value: object) -> Parsed:
    """"+62..." from "0812-7234-5678", "(0721) 123456", "62812...", "+62 812 ...". A number cell
    loses its leading 0 in Excel ("hp_tanpa_nol"); of two numbers the first is used."""
    if is_blank(value):
        return BLANK
    if _is_bool(value) or _is_datelike(value):
        return _fail(f"{_show(value)} bukan nomor telepon")
    if _is_int(value) or _is_float(value):
        digits = _whole_number_text(value)
        if digits is None or digits.startswith("-"):
            return _fail(f"{_show(value)} bukan nomor telepon")
        return _phone_from_digits(digits, plus=False, raw=value)
    text = _fold_text(str(value)).lstrip("'").strip()
    if _SCIENTIFIC.fullmatch(text):
        return _fail("nomor telepon rusak (format ilmiah Excel, digit hilang)")
    pieces = [p for p in _PHONE_SPLIT.split(_PHONE_LABEL.sub(" ", text)) if re.search(r"\d", p)]
    if not pieces:
        return _fail(f"{_show(value)} bukan nomor telepon")
    first = pieces[0].strip()
    if not _PHONE_CHARS.fullmatch(first):
        return _fail(f"nomor telepon {_show(value)} memuat huruf")
    parsed = _phone_from_digits(re.sub(r"\D", "", first), plus=first.startswith("+"), raw=value)
    several = sum(len(re.sub(r"\D", "", p)) >= 6 for p in pieces) > 1
    if several and not parsed.missing:
        return Parsed(parsed.value, FIX_HP_GANDA)
    return parsed


def parse_nik(value: object) -> Parsed:
    """16-digit NIK as text. A number cell is recovered exactly (fix ``nik_dari_angka``); text in
    scientific notation ("1.80101E+15") has lost digits and is rejected: digits are never invented."""
    if is_blank(value):
        return BLANK
    if _is_bool(value) or _is_datelike(value):
        return _fail(f"{_show(value)} bukan NIK")
    if _is_int(value) or _is_float(value):
        digits = _whole_number_text(value)
        if digits is None or digits.startswith("-"):
            return _fail(f"{_show(value)} bukan NIK 16 digit")
        return _nik_from_digits(digits, FIX_NIK_ANGKA)
    text = _NIK_LABEL.sub("", _fold_text(str(value)).lstrip("'").strip())
    if _SCIENTIFIC.fullmatch(text):
        return _fail(NIK_SCI_ERROR)
    if match := _NIK_FLOAT_TEXT.fullmatch(text):
        return _nik_from_digits(match[1], FIX_NIK_ANGKA)
    compact = _NIK_SEPARATORS.sub("", text).lstrip("'")
    if not re.fullmatch(r"[0-9]+", compact):
        return _fail(f"NIK {_show(value)} memuat huruf atau tanda lain")
    return _nik_from_digits(compact, None)


_PARSER_MEMOS: dict[object, dict] = {}


def _parser_memo(parser) -> dict | None:
    if parser not in _PURE_PARSERS:
        return None  # a partial or a bound method: its result may depend on what it was made with
    return _PARSER_MEMOS.setdefault(parser, {})


def _parse(sheet: _Sheet, rows: list[int], name: str, parser, fix_rows: set[int]) -> pd.Series:
    """Parse a column; values that cannot be used become missing and are listed as cell problems."""
    raw = _column(sheet, rows, name)
    values, fixes, errors = cleaning.parse_values(raw, parser, _codes(sheet, rows, name), _parser_memo(parser))
    header = sheet.layout.headers[sheet.layout.columns[name]] if name in sheet.layout.columns else name
    for index in errors[errors.notna()].index:
        sheet.problem(index, header, raw[index], str(errors[index]))
        sheet.fixes[f"{name}_dikosongkan"] += 1
        fix_rows.add(index)
    for index, code in fixes[fixes.notna()].items():
        sheet.fixes[str(code)] += 1
        fix_rows.add(index)
    return values


def _text(sheet: _Sheet, rows: list[int], name: str) -> pd.Series:
    return _parse_column(sheet, rows, name, _clean_text)[0]


def _clean_text(value: object) -> str | None:
    return None if cleaning.is_blank(value) else re.sub(r"\s+", " ", lay._cell_text(value)).strip() or None


def _kecamatan(sheet: _Sheet, rows: list[int], matcher: cleaning.KecamatanMatcher, fix_rows: set[int],
               reject: dict[int, str]) -> pd.Series:
    """Kecamatan per row: the row's own cell, else the address, else the sheet's title/name."""
    fallback = _sheet_kecamatan(sheet, matcher)
    sheet.report.kecamatan = fallback
    result = pd.Series(fallback, index=rows, dtype=object)
    found = result.to_numpy(dtype=object, copy=True)
    if "kecamatan" in sheet.layout.columns:
        values, fixes, errors = _parse_column(sheet, rows, "kecamatan", matcher.match)
        # Plain arrays, not Series lookups per row: a province registry has tens of thousands of rows.
        values_at, fixes_at, errors_at = values.to_numpy(dtype=object), fixes.to_numpy(dtype=object), errors.to_numpy(dtype=object)
        for position, index in enumerate(rows):
            if not _missing(errors_at[position]):
                reject.setdefault(index, str(errors_at[position]))
            elif not _missing(values_at[position]):
                found[position] = values_at[position]
                if not _missing(fixes_at[position]):
                    sheet.fixes[str(fixes_at[position])] += 1
                    fix_rows.add(index)
            elif fallback is not None:
                sheet.fixes["kecamatan_dari_judul"] += 1
    elif "alamat" in sheet.layout.columns:
        in_address = _parse_column(sheet, rows, "alamat", partial(_kecamatan_in_address, matcher))[0]
        for position, value in enumerate(in_address.to_numpy(dtype=object)):
            if value:
                found[position] = value
    for position, index in enumerate(rows):
        if _missing(found[position]) and index not in reject:
            reject[index] = REJECT_NO_KECAMATAN
    return pd.Series(found, index=rows, dtype=object)


def _kecamatan_in_address(matcher: cleaning.KecamatanMatcher, address: object) -> str | None:
    return matcher.find_in_text(lay._cell_text(address)) if not cleaning.is_blank(address) else None


def _producer_rows(sheet: _Sheet, matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    rows = _screen(sheet, ("nama_usaha", "nama_pemilik"))
    fix_rows: set[int] = set()
    reject: dict[int, str] = {}
    usaha, pemilik = _text(sheet, rows, "nama_usaha"), _text(sheet, rows, "nama_pemilik")
    for index in usaha.index[usaha.isna().to_numpy() & pemilik.isna().to_numpy()]:
        reject[index] = REJECT_NO_NAME
    kecamatan = _kecamatan(sheet, rows, matcher, fix_rows, reject)
    omzet_header = sheet.layout.headers[sheet.layout.columns["omzet"]] if "omzet" in sheet.layout.columns else None
    omzet = _parse(sheet, rows, "omzet", partial(cleaning.parse_omzet, header=omzet_header), fix_rows)
    produk = _text(sheet, rows, "produk")
    kategori_text = _text(sheet, rows, "kategori")
    frame = pd.DataFrame({
        "nama_usaha": usaha,
        "nama_pemilik": pemilik,
        "nik": _parse(sheet, rows, "nik", cleaning.parse_nik, fix_rows),
        "jenis_kelamin": _parse(sheet, rows, "jenis_kelamin", cleaning.parse_gender, fix_rows),
        "no_hp": _parse(sheet, rows, "no_hp", cleaning.parse_phone, fix_rows),
        "kecamatan": kecamatan,
        "desa": _text(sheet, rows, "desa").where(lambda s: s.notna(), _text(sheet, rows, "alamat")),
        "kategori": _kategori(produk, kategori_text),
        "produk_utama": produk,
        "tahun_mulai": _parse(sheet, rows, "tahun_mulai", cleaning.parse_year, fix_rows),
        "tenaga_kerja": _parse(sheet, rows, "tenaga_kerja", cleaning.parse_int, fix_rows),
        "aset_rp": _parse(sheet, rows, "aset_rp", cleaning.parse_rupiah, fix_rows),
        "omzet_tahunan_rp": omzet,
        "nib": _parse(sheet, rows, "nib", cleaning.parse_bool, fix_rows),
        "pirt": _parse(sheet, rows, "pirt", cleaning.parse_bool, fix_rows),
        "halal": _parse(sheet, rows, "halal", cleaning.parse_bool, fix_rows),
        "jangkauan_pasar": _parse(sheet, rows, "jangkauan_pasar", cleaning.parse_jangkauan, fix_rows),
        "pemasaran_online": _parse(sheet, rows, "pemasaran_online", cleaning.parse_bool, fix_rows),
        "sumber_file": sheet.display_path,
        "sumber_baris": [sheet.excel_row(i) for i in rows],
        "sumber_sheet": sheet.raw.sheet,
    }, index=rows)
    unmapped = frame["kategori"].eq(ref.KATEGORI_LAINNYA) & frame["produk_utama"].notna()
    sheet.fixes["kategori_lainnya"] += int(unmapped.sum())
    for index, reason in sorted(reject.items()):
        sheet.drop_row(index, REJECTED, reason)
    frame = frame.drop(index=list(reject))
    sheet.report.rows_kept += len(frame)
    sheet.report.rows_fixed += len(fix_rows - set(reject))
    frame["_sheet"] = 0  # its position among all sheets, set by ingest_paths
    return frame


def _kategori(produk: pd.Series, kategori_text: pd.Series) -> pd.Series:
    """A canonical kategori written in the sheet wins; otherwise the product's keywords decide."""
    def one(product: object, written: object) -> str:
        if not _missing(written):
            parsed = cleaning.classify_kategori(written)
            if parsed.value not in (None, ref.KATEGORI_LAINNYA):
                return str(parsed.value)
        parsed = cleaning.BLANK if _missing(product) else cleaning.classify_kategori(product)
        return str(parsed.value) if parsed.value is not None else ref.KATEGORI_LAINNYA
    return pd.Series([one(p, k) for p, k in zip(produk, kategori_text)], index=produk.index, dtype=object)


def _identity(sheet: _Sheet, rows: list[int], matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    fallback = _sheet_kecamatan(sheet, matcher)
    sheet.report.kecamatan = fallback
    kecamatan = pd.Series(fallback, index=rows, dtype=object)
    if "kecamatan" in sheet.layout.columns:
        values, _, _ = _parse_column(sheet, rows, "kecamatan", matcher.match)
        kecamatan = values.where(values.notna(), kecamatan)
    unused: set[int] = set()
    return pd.DataFrame({
        "nik": _parse(sheet, rows, "nik", cleaning.parse_nik, unused) if "nik" in sheet.layout.columns else None,
        "no_hp": _parse(sheet, rows, "no_hp", cleaning.parse_phone, unused) if "no_hp" in sheet.layout.columns else None,
        "nama_usaha": _text(sheet, rows, "nama_usaha"),
        "nama_pemilik": _text(sheet, rows, "nama_pemilik"),
        "kecamatan": kecamatan,
    }, index=rows)


def _sales_rows(sheet: _Sheet, matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    rows = _screen(sheet, ("nama_usaha", "nama_pemilik", "nik"))
    identity = _identity(sheet, rows, matcher)
    produk = _text(sheet, rows, "produk")
    satuan = _text(sheet, rows, "satuan")
    if sheet.layout.month_columns:
        return _wide_sales(sheet, rows, identity, produk, satuan)
    fix_rows: set[int] = set()
    month_text, pair_codes = _month_text(sheet, rows)
    months, _, _ = cleaning.parse_values(month_text, cleaning.parse_month, pair_codes)
    raw_values = _column(sheet, rows, "omzet")
    value_codes = _codes(sheet, rows, "omzet")
    values, _, value_errors = cleaning.parse_values(raw_values, cleaning.parse_rupiah, value_codes,
                                                    _parser_memo(cleaning.parse_rupiah))
    volume = _parse(sheet, rows, "volume", cleaning.parse_number, fix_rows)
    drop: dict[int, tuple[str, str]] = {}
    no_month = months.isna().to_numpy()
    blank = cleaning.parse_values(raw_values, cleaning.is_blank, value_codes)[0].to_numpy(dtype=bool)
    no_value = values.isna().to_numpy()
    for position in np.flatnonzero(no_month | blank | no_value):
        index = rows[position]
        if no_month[position]:
            drop[index] = (REJECTED, REJECT_NO_MONTH)
        elif blank[position]:
            drop[index] = (SKIPPED, SKIP_NO_SALES)
        else:
            drop[index] = (REJECTED, f"{REJECT_BAD_VALUE}: {value_errors.iloc[position]}")
    for index, (status, reason) in sorted(drop.items()):
        sheet.drop_row(index, status, reason)
    keep = [i for i in rows if i not in drop]
    frame = identity.loc[keep].assign(
        bulan=months.loc[keep], nilai_rp=values.loc[keep], produk=produk.loc[keep], satuan=satuan.loc[keep],
        volume=volume.loc[keep], sumber_file=sheet.display_path, sumber_baris=[sheet.excel_row(i) for i in keep],
        sumber_sheet=sheet.raw.sheet,
    )
    sheet.report.rows_kept += len(keep)
    sheet.report.rows_fixed += len(fix_rows & set(keep))
    return frame


def _month_text(sheet: _Sheet, rows: list[int]) -> tuple[pd.Series, np.ndarray]:
    """The 'bulan' cells, completed with the year of a 'tahun' column or of the title when a cell holds
    only a month name ("Januari" in a sheet titled "... TAHUN 2016"); with a code per distinct (month
    cell, year cell) pair, for parse_values (equal pairs give equal texts)."""
    months = _column(sheet, rows, "bulan")
    years = _column(sheet, rows, "tahun_mulai") if "tahun_mulai" in sheet.layout.columns else pd.Series(sheet.layout.year, index=rows)

    def complete(month: object, year: object) -> object:
        if cleaning.is_blank(year):
            return month
        number = _month_number(month)
        if number is not None:  # "Bulan" 1..12 beside a "Tahun" column
            return f"{lay._cell_text(year)}-{number:02d}"
        if isinstance(month, str) and not re.search(r"\d{2}", month):
            return f"{month} {lay._cell_text(year)}"
        return month

    # Once per distinct (month cell, year cell): a long sheet repeats the same few dozen pairs.
    month_cells, year_cells = months.to_numpy(dtype=object), years.to_numpy(dtype=object)
    known = _codes(sheet, rows, "bulan")
    month_codes = (known if known is not None else cleaning.unique_codes(months, month_cells)) + 1
    known = _codes(sheet, rows, "tahun_mulai")
    year_codes = (known if known is not None else cleaning.unique_codes(years, year_cells)) + 1
    _, first_at, inverse = np.unique(month_codes * (int(year_codes.max(initial=0)) + 1) + year_codes,
                                     return_index=True, return_inverse=True)
    completed = np.empty(len(first_at), dtype=object)
    completed[:] = [complete(month_cells[i], year_cells[i]) for i in first_at]
    inverse = np.asarray(inverse).reshape(-1)
    return pd.Series(completed[inverse], index=rows, dtype=object), inverse


def _wide_sales(sheet: _Sheet, rows: list[int], identity: pd.DataFrame, produk: pd.Series, satuan: pd.Series) -> pd.DataFrame:
    """One row per producer, one column per month -> one record per producer and month."""
    columns = sheet.layout.month_columns
    cells = pd.DataFrame({col: _column_at(sheet, rows, col) for col in columns}, index=rows)
    long = cells.stack(future_stack=True).rename("raw").reset_index()
    long.columns = ["row", "col", "raw"]
    long = long[~long["raw"].map(cleaning.is_blank)]
    values, _, errors = cleaning.parse_values(long["raw"], cleaning.parse_rupiah, memo=_parser_memo(cleaning.parse_rupiah))
    long = long.assign(nilai_rp=values, error=errors)
    bad = long[long["nilai_rp"].isna()]
    good = long[long["nilai_rp"].notna()]
    rows_with_good = set(good["row"])
    first_error = bad.drop_duplicates("row").set_index("row")["error"]  # per row, its first unreadable value
    fixed_rows = set(first_error.index) & rows_with_good
    for record in bad.itertuples(index=False):
        if record.row in rows_with_good:
            sheet.problem(record.row, sheet.layout.headers[record.col], record.raw, str(record.error))
            sheet.fixes["nilai_penjualan_dikosongkan"] += 1
    for index in rows:
        if index in rows_with_good:
            continue
        if index in first_error.index:
            sheet.drop_row(index, REJECTED, f"{REJECT_BAD_VALUE}: {first_error[index]}")
        else:
            sheet.drop_row(index, SKIPPED, SKIP_NO_SALES)
    sheet.report.rows_kept += len(rows_with_good)
    sheet.report.rows_fixed += len(fixed_rows)
    good = good.assign(bulan=good["col"].map(columns))
    frame = identity.loc[good["row"]].reset_index(drop=True).assign(
        bulan=good["bulan"].to_numpy(), nilai_rp=good["nilai_rp"].to_numpy(),
        produk=produk.loc[good["row"]].to_numpy(), satuan=satuan.loc[good["row"]].to_numpy(), volume=None,
        sumber_file=sheet.display_path, sumber_baris=(good["row"] + 1).to_numpy(), sumber_sheet=sheet.raw.sheet,
    )
    return frame


def _training(sheet: _Sheet) -> tuple[dict, pd.DataFrame]:
    meta = lay.title_meta(sheet.layout.titles)
    name = meta.get("nama") or sheet.raw.sheet
    dates = cleaning.parse_date_range(meta["tanggal"]) if "tanggal" in meta else cleaning.BLANK
    start, end = dates.value if dates.value is not None else (None, None)
    if dates.value is None:
        sheet.fixes["tanggal_pelatihan_tidak_ditemukan"] += 1
    cost = cleaning.parse_rupiah(meta["biaya"]).value if "biaya" in meta else None
    key = f"{ref.fold(name)}|{start.date() if start is not None else ''}"
    event = {
        "pelatihan_id": stable_id("PLT", key), "nama_kegiatan": name, "jenis": cleaning.classify_jenis(name),
        "tanggal_mulai": start, "tanggal_selesai": end, "lokasi": meta.get("lokasi"),
        "penyelenggara": meta.get("penyelenggara"), "biaya_rp": cost, "sumber_file": sheet.display_path,
        "sumber_sheet": sheet.raw.sheet,
    }
    rows = _screen(sheet, ("nama_pemilik", "nama_usaha", "nik"))
    fix_rows: set[int] = set()
    people = pd.DataFrame({
        "nama_peserta": _text(sheet, rows, "nama_pemilik"),
        "nama_usaha": _text(sheet, rows, "nama_usaha"),
        "nik": _parse(sheet, rows, "nik", cleaning.parse_nik, fix_rows) if "nik" in sheet.layout.columns else None,
        "no_hp": _parse(sheet, rows, "no_hp", cleaning.parse_phone, fix_rows) if "no_hp" in sheet.layout.columns else None,
        "alamat": _text(sheet, rows, "alamat").where(lambda s: s.notna(), _text(sheet, rows, "desa")),
        "kecamatan_teks": _text(sheet, rows, "kecamatan"),
        "sumber_file": sheet.display_path,
        "sumber_sheet": sheet.raw.sheet,
        "sumber_baris": [sheet.excel_row(i) for i in rows],
    }, index=rows)
    empty = people["nama_peserta"].isna() & people["nama_usaha"].isna()
    for index in people.index[empty]:
        sheet.drop_row(index, REJECTED, REJECT_NO_PARTICIPANT)
    people = people[~empty].assign(pelatihan_id=event["pelatihan_id"], _sheet=0)  # _sheet: set by ingest_paths
    sheet.report.rows_kept += len(people)
    sheet.report.rows_fixed += len(fix_rows & set(people.index))
    return event, people


_PARSER_MEMOS: dict[object, dict] = {}
_PURE_PARSERS = frozenset({
    _clean_text, parse_nik, parse_phone, _cleaning.parse_rupiah, _cleaning.parse_number,
    _cleaning.parse_int, _cleaning.parse_year, _cleaning.parse_bool, _cleaning.parse_gender, _cleaning.parse_jangkauan,
})


# ---------------------------------------------------------------- analysis/layout.py

def _month_of(header: object) -> object | None:
    if isinstance(header, str):
        return _month_of_text(header)
    return _month_of_value(header)


def _header_month(header: object, year: int | None) -> object | None:
    """The month a header cell stands for: "Jan-17", a date cell, or a bare month name ("Jan", "Februari")
    completed with the year of the titles ("LAPORAN OMZET TAHUN 2016")."""
    month = _month_of(header)
    if month is None and year is not None and isinstance(header, str) and field_of(header) is None:
        month = _month_of(f"{header} {year}")
    return month


def _field_of(header: object) -> str | None:
    for key in _header_keys(header):
        for name, pattern in _COMPILED_RULES:
            if pattern.search(key):
                return name
    return None


# The former functions above call cleaning.X: the three that changed resolve to their former copies.
cleaning = SimpleNamespace(**{name: getattr(_cleaning, name) for name in dir(_cleaning) if not name.startswith("__")})
cleaning.parse_values, cleaning.parse_phone, cleaning.parse_nik = parse_values, parse_phone, parse_nik
