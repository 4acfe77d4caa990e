"""Value parsers for the cells of Indonesian office spreadsheets (DATA-CONTRACT.md, "Value rules").

Every parser takes one raw cell of any type (text, int, float, numpy scalar, bool, date, None, NaN, pd.NA)
and returns a :class:`Parsed`. Parsers never raise on cell content: a registry of a million cells must
not stop at one odd value, and a person must be told *why* a value was not used. Hence the three outcomes:

* a value (possibly with a ``fix`` code: we corrected something a person should know about);
* missing without reason (the cell was blank);
* missing with an Indonesian ``error`` (the cell had content we could not use; it is never guessed).

Only pure Python/pandas here; this module never imports streamlit.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from analysis.core import reference as ref
from analysis.core import wilayah as wilayah_data
from analysis.core.paths import REFERENCE_DIR


@dataclass(frozen=True)
class Parsed:
    value: object = None  # parsed value; None when missing
    fix: str | None = None  # code of a correction a person should know about (see FIX_LABELS)
    error: str | None = None  # Indonesian reason when a non-blank input could not be used

    @property
    def missing(self) -> bool:
        return self.value is None


BLANK = Parsed()

FIX_OMZET_PER_BULAN = "omzet_per_bulan"
FIX_NILAI_PER_BULAN = "nilai_per_bulan"
FIX_ANGKA_ASING = "angka_format_asing"
FIX_NIK_ANGKA = "nik_dari_angka"
FIX_HP_TANPA_NOL = "hp_tanpa_nol"
FIX_HP_GANDA = "hp_lebih_dari_satu"
FIX_KEC_EJAAN = "kecamatan_ejaan"
FIX_KEC_TEKS = "kecamatan_dari_teks"
FIX_KATEGORI = "kategori_tidak_dikenal"
FIX_YA_KETERANGAN = "ya_dari_keterangan"
FIX_IZIN_PROSES = "izin_dalam_proses"
FIX_JANGKAUAN = "jangkauan_terluas"
FIX_TANGGAL = "tanggal_disimpulkan"
FIX_KEC_KOORDINAT = "kecamatan_dari_koordinat"

FIX_LABELS: dict[str, str] = {
    FIX_OMZET_PER_BULAN: "omzet per bulan dikali 12",
    FIX_NILAI_PER_BULAN: "sel menyebut nilai per bulan; angka dipakai apa adanya",
    FIX_ANGKA_ASING: "angka berformat asing (koma pemisah ribuan) dibaca sebagai ribuan",
    FIX_NIK_ANGKA: "NIK dipulihkan dari sel angka",
    FIX_HP_TANPA_NOL: "angka 0 di depan nomor telepon hilang (Excel), dilengkapi",
    FIX_HP_GANDA: "lebih dari satu nomor telepon; nomor pertama dipakai",
    FIX_KEC_EJAAN: "ejaan nama kecamatan dibetulkan",
    FIX_KEC_TEKS: "nama kecamatan diambil dari teks yang lebih panjang",
    FIX_KATEGORI: "produk tidak dikenali, masuk kategori Lainnya",
    FIX_YA_KETERANGAN: "nomor atau keterangan izin dibaca sebagai 'ya'",
    FIX_IZIN_PROSES: "izin masih dalam proses, dibaca sebagai 'tidak'",
    FIX_JANGKAUAN: "beberapa jangkauan pasar disebut; yang terluas dipakai",
    FIX_TANGGAL: "bulan/tahun tanggal mulai disimpulkan dari tanggal selesai",
    FIX_KEC_KOORDINAT: "kecamatan ditentukan dari koordinat (batas perkiraan)",
}

# --------------------------------------------------------------------------------------------------
# Shared helpers

_TEXT_TRANSLATION = str.maketrans(
    {
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\u200c": "", "\u200d": "",
        "\ufeff": "", "\u2018": "'", "\u2019": "'", "\u00b4": "'", "`": "'",
    }
)  # fold() drops non-ASCII, so an en dash in "14–16 Maret" must become "-" before folding
_BLANK_TEXT = re.compile(r"[\s\-\u2010-\u2015\u2212\u200b\ufeff]*")
_MAX_SHOWN = 40


def _fold_text(text: str) -> str:
    return ref.fold(text.translate(_TEXT_TRANSLATION))


def _show(raw: object) -> str:
    """The raw value quoted for a reason text, shortened so a report stays readable."""
    if isinstance(raw, (float, np.floating)) and raw == 0:
        raw = 0.0  # -0.0 and 0.0 are the same cell value to a person (and to parse_values)
    try:
        text = re.sub(r"\s+", " ", str(raw)).strip()
    except ValueError:  # int too long for str() (Python's 4300-digit limit)
        return "'angka yang sangat panjang'"
    return "'" + (text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…") + "'"


AMBIGUOUS_HINT = "tulis nama kabupaten/kotanya"  # ends the reason of a kecamatan name found in two kabupaten


def _fail(reason: str) -> Parsed:
    return Parsed(error=reason)


def is_blank(value: object) -> bool:
    """True for None, NaN, pd.NA, NaT, empty or whitespace text and dash-only text ("-", "--", "–").

    Deliberately strict: words such as "tidak ada" or "nihil" are values for some fields."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    if isinstance(value, str):
        return _BLANK_TEXT.fullmatch(value) is not None
    return False


def _is_bool(value: object) -> bool:
    return isinstance(value, (bool, np.bool_))


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not _is_bool(value)


def _is_float(value: object) -> bool:
    return isinstance(value, (float, np.floating, Decimal))


def _is_datelike(value: object) -> bool:
    return isinstance(value, (datetime, date, np.datetime64))


def _to_float(value: object) -> float:
    """float(), with overflow (huge ints) mapped to inf so callers can reject it as too large."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (OverflowError, ValueError, TypeError):
        return math.inf


def _whole_number_text(value: object) -> str | None:
    """Digits of an int or of a float holding an integer value; None otherwise."""
    if _is_int(value):
        number = int(value)  # type: ignore[call-overload]
        return str(number) if abs(number) < 10**40 else None
    number = _to_float(value)
    if math.isfinite(number) and number.is_integer():
        return str(int(number))
    return None


# --------------------------------------------------------------------------------------------------
# Numbers and money

_APPROX = re.compile(
    r"^(?:\+\s*/\s*-|\+\s*-|kurang\s+lebih|lebih\s+kurang|kira\s*-?\s*kira|kurleb|sekitar|krg\s+lbh|"
    r"kl\.|rata\s*-?\s*rata|rerata)\s*:?\s*"
)
_CURRENCY = re.compile(r"^(?:rp|idr)\s*\.?\s*:?\s*")
_TRAIL_DASH = re.compile(r"\s*[.,]?\s*-+\s*$")  # "2.500.000,-"
_NUM_CORE = re.compile(r"(?P<num>\d[\d.,]*)(?P<rest>.*)", re.S)
_THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")
_SCALES = {
    "ribu": 10**3, "rbu": 10**3, "rb": 10**3, "k": 10**3,
    "juta": 10**6, "jta": 10**6, "jt": 10**6,
    "miliar": 10**9, "milyar": 10**9, "miliyar": 10**9, "milyard": 10**9, "m": 10**9,
    "triliun": 10**12,
}
_MONEY_REST = re.compile(
    r"(?P<scale>ribu|rbu|rb|k|juta|jta|jt|miliar|milyar|miliyar|milyard|m|triliun)?\.?\s*"
    r"(?:rupiah|rp|idr)?\.?\s*"
    r"(?P<per>(?:per|/|se)\s*(?:bulan|bln|bl)|perbulan|bulanan|(?:per|/|se)\s*(?:tahun|thn|th)|pertahun|tahunan)?"
    r"\.?"
)
_NUMBER_REST = re.compile(
    r"(?:(?P<scale>ribu|rb|juta|jt|miliar|milyar)(?![a-z])\.?)?\s*(?P<unit>[a-z%][a-z%./ ]*)?"
)
_ZERO_WORDS = frozenset({"nihil", "nol"})
_MAX_RUPIAH = 1e14  # 100 triliun: above this a "rupiah" cell is a pasted NIK or phone number, not money


def _read_digits(num: str, *, comma_thousands: bool) -> tuple[Decimal | None, str | None, str | None]:
    """Read a digit group with '.'/',' marks; returns (value, fix, error).

    Indonesian convention: '.' groups thousands and ',' is the decimal mark ("1.250,75"). A lone '.'
    that cannot be a thousands group ("2.5", "2500000.0") can only be a decimal point, so it is read
    as one; that is why "2.5 juta" is 2,5 juta. US-style "2,500,000" / "1,250.75" are read as such
    with a fix code. A single comma followed by exactly three digits ("2,500") is a decimal comma
    unless ``comma_thousands`` (money without a unit word: 2,5 rupiah does not occur, Rp 2.500 does).
    """
    num = num.rstrip(".,")
    if num.isdigit():
        return Decimal(num), None, None
    dots, commas = num.count("."), num.count(",")
    if dots and commas:
        if num.rfind(",") > num.rfind("."):
            whole, frac = num.rsplit(",", 1)
            if _THOUSANDS_DOT.fullmatch(whole) and frac.isdigit():
                return Decimal(whole.replace(".", "") + "." + frac), None, None
        else:
            whole, frac = num.rsplit(".", 1)
            if _THOUSANDS_COMMA.fullmatch(whole) and frac.isdigit():
                return Decimal(whole.replace(",", "") + "." + frac), FIX_ANGKA_ASING, None
        return None, None, f"pemisah angka tidak beraturan: {_show(num)}"
    if dots:
        if _THOUSANDS_DOT.fullmatch(num):
            return Decimal(num.replace(".", "")), None, None
        if dots == 1:
            return Decimal(num), None, None
        return None, None, f"pemisah angka tidak beraturan: {_show(num)}"
    if commas == 1 and not (comma_thousands and _THOUSANDS_COMMA.fullmatch(num)):
        return Decimal(num.replace(",", ".")), None, None
    if _THOUSANDS_COMMA.fullmatch(num):
        return Decimal(num.replace(",", "")), FIX_ANGKA_ASING, None
    return None, None, f"pemisah angka tidak beraturan: {_show(num)}"


def _period_of(per: str | None) -> str | None:
    if not per:
        return None
    return "bulan" if re.search(r"b(?:ulan|ln|l)", per) else "tahun"


def _amount_from_text(raw: str, *, money: bool) -> tuple[Parsed, str | None]:
    """Parse "Rp 2.500.000,-", "2,5 jt/bln", "5 orang"; returns (Parsed with a Decimal, period)."""
    what = "nilai rupiah" if money else "angka"
    text = _fold_text(raw).lstrip("'").strip()
    if money and text in _ZERO_WORDS:
        return Parsed(Decimal(0)), None
    text = _APPROX.sub("", text)
    negative = False
    if len(text) > 2 and text[0] == "(" and text[-1] == ")":  # accounting negative "(2.500.000)"
        negative, text = True, text[1:-1].strip()
    text = _CURRENCY.sub("", text)
    if text[:1] == "-":
        negative, text = True, text[1:].lstrip()
    elif text[:1] == "+":
        text = text[1:].lstrip()
    text = _TRAIL_DASH.sub("", _CURRENCY.sub("", text))
    core = _NUM_CORE.fullmatch(text)
    if core is None:
        return _fail(f"{_show(raw)} bukan {what}"), None
    rest, scale, period = core["rest"].strip(), 1, None
    if rest:
        tail = (_MONEY_REST if money else _NUMBER_REST).fullmatch(rest)
        if tail is None:
            return _fail(f"{_show(raw)} bukan {what}"), None
        scale = _SCALES.get(tail["scale"] or "", 1)
        period = _period_of(tail.groupdict().get("per"))
    value, fix, error = _read_digits(core["num"], comma_thousands=money and scale == 1)
    if error is not None:
        return _fail(error), None
    value = value * scale  # type: ignore[operator]
    if negative and value != 0:
        return _fail(f"{_show(raw)}: {what} negatif tidak dipakai"), None
    return Parsed(value, fix), period


def _check_amount(value: float, raw: object, *, money: bool, fix: str | None = None) -> Parsed:
    what = "nilai rupiah" if money else "angka"
    if math.isnan(value):
        return _fail(f"{_show(raw)} bukan {what}")
    if not math.isfinite(value) or (money and value > _MAX_RUPIAH):
        return _fail(f"{_show(raw)}: {what} terlalu besar, tidak masuk akal")
    if value < 0:
        return _fail(f"{_show(raw)}: {what} negatif tidak dipakai")
    return Parsed(value + 0.0, fix)  # + 0.0 turns -0.0 into 0.0


def _amount(value: object, *, money: bool) -> tuple[Parsed, str | None]:
    what = "nilai rupiah" if money else "angka"
    if is_blank(value):
        return BLANK, None
    if _is_bool(value):
        return _fail(f"berisi ya/tidak ({value}), bukan {what}"), None
    if _is_int(value) or _is_float(value):
        return _check_amount(_to_float(value), value, money=money), None
    if _is_datelike(value):
        return _fail(f"berisi tanggal, bukan {what}"), None
    parsed, period = _amount_from_text(str(value), money=money)
    if parsed.missing:
        return parsed, None
    return _check_amount(_to_float(parsed.value), value, money=money, fix=parsed.fix), period


def parse_rupiah(value: object) -> Parsed:
    """Rupiah as float from "Rp 2.500.000,-", "2,5 jt", "750 rb", "1,2 M", number cells.

    "M" is miliar (Indonesian usage), not million. A cell that itself says "/bln" keeps its amount and
    gets fix ``nilai_per_bulan``; use :func:`parse_omzet` where the amount must be made yearly."""
    parsed, period = _amount(value, money=True)
    if period == "bulan" and not parsed.missing:
        return Parsed(parsed.value, FIX_NILAI_PER_BULAN)
    return parsed


def parse_omzet(value: object, header: object = None) -> Parsed:
    """Yearly omzet: a cell saying per bulan, or (when the cell names no period) a per-month header,
    is multiplied by 12 with fix ``omzet_per_bulan``; a cell saying per tahun is kept as written."""
    parsed, period = _amount(value, money=True)
    if parsed.missing:
        return parsed
    if period == "bulan" or (period is None and omzet_multiplier(header) == 12):
        return Parsed(parsed.value * 12, FIX_OMZET_PER_BULAN)  # type: ignore[operator]
    return parsed


def parse_number(value: object) -> Parsed:
    """Float with Indonesian marks: "1.250" -> 1250, "2,5" -> 2.5, "1.250,75", "5 orang" -> 5.

    Negative values are rejected: every numeric field of the contract (workers, volume, money) is a
    non-negative quantity, and a leading '-' in these sheets is far more often a stray dash."""
    return _amount(value, money=False)[0]


def parse_int(value: object) -> Parsed:
    """Whole number ("5 orang" -> 5); 2,5 workers is a data error, not something to round."""
    if _is_int(value):
        if int(value) < 0:  # type: ignore[call-overload]
            return _fail(f"{_show(value)}: angka negatif tidak dipakai")
        return Parsed(int(value))  # type: ignore[call-overload]
    parsed = parse_number(value)
    if parsed.missing:
        return parsed
    if not float(parsed.value).is_integer():  # type: ignore[arg-type]
        return _fail(f"{_show(value)} bukan bilangan bulat")
    return Parsed(int(parsed.value), parsed.fix)  # type: ignore[call-overload]


_UNIT_THOUSAND = re.compile(
    r"\(\s*(?:rp\.?\s*)?\.?000\s*\)|\brp\.?\s*000\b|\b(?:x|dalam)\s*(?:rp\.?\s*)?1\.?000\b|"
    r"\b(?:dalam\s+)?ribu(?:an)?\b|\(\s*(?:rp\.?\s*)?rb\s*\)|\bin thousands?\b|\brp\.?\s*rb\b|\bk ?rp\b")
_UNIT_MILLION = re.compile(
    r"\b(?:dalam\s+)?juta(?:an)?\b|\(\s*(?:rp\.?\s*)?jt\s*\)|\brp\.?\s*jt\b|\bin millions?\b|\(\s*(?:rp\.?\s*)?000\.000\s*\)")
_UNIT_BILLION = re.compile(r"\b(?:dalam\s+)?(?:miliar|milyar)(?:an)?\b|\bin billions?\b")


def money_unit(text: object) -> int:
    """The unit a header or title states for its amounts: 1,000 for "(Rp.000)", "(ribu)", "dalam ribuan
    rupiah"; 1,000,000 for "(juta)", "dalam jutaan"; 10^9 for "miliar"; else 1."""
    if is_blank(text):
        return 1
    folded = _fold_text(str(text))
    for pattern, unit in ((_UNIT_BILLION, 10**9), (_UNIT_MILLION, 10**6), (_UNIT_THOUSAND, 10**3)):
        if pattern.search(folded):
            return unit
    return 1


def omzet_multiplier(header: object) -> int:
    """12 when a column header says the omzet is per month (omzet is stored per year), else 1."""
    if is_blank(header):
        return 1
    if isinstance(header, tuple):  # a MultiIndex column
        header = " ".join(str(part) for part in header if not is_blank(part))
    return 12 if _PER_MONTH.search(_fold_text(str(header))) else 1


_PER_MONTH = re.compile(
    r"(?:(?<![a-z])(?:per\s*-?\s*(?:bulan|bln|bl)|bulanan|sebulan|(?:tiap|setiap)\s+bulan)"
    r"|/\s*(?:bulan|bln|bl))(?![a-z])"
)

# --------------------------------------------------------------------------------------------------
# Dates, date ranges, months, years

_MONTH_WORDS = (
    ("januari", "jan", "january", "janu"),
    ("februari", "pebruari", "feb", "peb", "febr", "pebr", "february", "febuari"),
    ("maret", "mar", "mrt", "march"),
    ("april", "apr", "aprl"),
    ("mei", "may"),
    ("juni", "jun", "june"),
    ("juli", "jul", "july"),
    ("agustus", "agu", "agt", "ags", "agus", "agust", "aug", "august"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "oct", "october", "oktb"),
    ("november", "nopember", "nov", "nop", "novemb"),
    ("desember", "des", "dec", "december", "desemb"),
)
_MONTHS = {word: number for number, words in enumerate(_MONTH_WORDS, start=1) for word in words}
_EXCEL_EPOCH = pd.Timestamp(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000  # 1954-10-03 .. 2119-01-10: anything else is not a date cell
_YEAR_MIN, _YEAR_MAX = 1900, 2100

_TIME_TAIL = re.compile(
    r"(?:[\s,]*(?:pukul|pkl|jam)\b.*$)|(?:(?:\s+|t)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*(?:wib|wita|wit))?$)"
)
_DATE_LABEL = re.compile(
    r"^(?:(?:hari|tanggal|tgl|waktu|pelaksanaan|jadwal|periode|pada|kegiatan)\b\.?\s*[/,&]?\s*(?:dan\s+)?)+:?\s*"
)
_WEEKDAY = re.compile(r"(?<![a-z])(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)(?![a-z])\s*[,/]?")
_LEADING_SEPARATORS = re.compile(r"^(?:[\s,\-/:]|s\s*[/.]\s*d\.?|sd(?![a-z])|sampai(?:\s+dengan)?|hingga)+")
_ISO_DATE = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})")
_D_MONTH_Y = re.compile(r"(\d{1,2})\s*[-/., ]*\s*([a-z]+)\.?\s*[-/., ']*\s*(\d{4}|\d{2})")
_SERIAL_TEXT = re.compile(r"\d{5}(?:[.,]\d+)?")
_DAY_ONLY = re.compile(r"(\d{1,2})(?:\s*(?:,|dan|&)\s*\d{1,2})*")  # "14" or "14, 15 dan" before "16 Maret"
_DAY_MONTH = re.compile(r"(\d{1,2})\s*[-/. ]*\s*([a-z]+)\.?")
_DAY_MONTH_NUM = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_RANGE_SEP = re.compile(
    r"\s*(?:(?<![a-z])s\s*[/.]\s*d(?![a-z])\.?|(?<![a-z])sd(?![a-z])\.?|sampai\s+dengan|sampai|hingga|-|~|,|"
    r"(?<![a-z])dan(?![a-z])|&)\s*"
)
_MONTH_LABEL = re.compile(r"^(?:(?:bulan|bln|periode|omzet|omset|penjualan|nilai)\b\.?\s*:?\s*)+")
_PAREN_TAIL = re.compile(r"\s*\([^()]*\)\s*$")
_MONTH_NAME_YEAR = re.compile(r"([a-z]+)\.?\s*[-/., ']*\s*(\d{4}|\d{2})")
_YEAR_MONTH_NAME = re.compile(r"(\d{4})\s*[-/., ]*\s*([a-z]+)\.?")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})")
_YYYYMM = re.compile(r"(\d{4})(\d{2})")
_YEAR_LABEL = re.compile(r"^(?:(?:tahun|thn|th|sejak|mulai|berdiri)\b\.?\s*:?\s*)+")


def _full_year(text: str) -> int:
    """Two-digit years follow Excel's rule: 00-29 are 20xx, 30-99 are 19xx ("14/03/17" is 2017)."""
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 30 else 1900 + year
    return year


def _make_date(year: int, month: int, day: int) -> Parsed:
    if not 1 <= month <= 12:
        return _fail(f"bulan {month} tidak ada (tanggal dibaca hari/bulan/tahun)")
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        return _fail(f"tahun {year} di luar rentang {_YEAR_MIN}-{_YEAR_MAX}")
    try:
        return Parsed(pd.Timestamp(year, month, day))
    except ValueError:
        return _fail(f"tanggal {day} tidak ada pada bulan {month}/{year}")


def _safe_date(year: int, month: int, day: int) -> pd.Timestamp | None:
    return _make_date(year, month, day).value  # type: ignore[return-value]


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.rstrip("."))


def _from_serial(number: float, raw: object) -> Parsed:
    """Excel stores dates as days since 1899-12-30; only a plausible range is taken as a date."""
    if not (math.isfinite(number) and _SERIAL_MIN <= number <= _SERIAL_MAX):
        return _fail(f"angka {_show(raw)} bukan tanggal")
    day = _EXCEL_EPOCH + pd.Timedelta(days=math.floor(number))
    return _make_date(day.year, day.month, day.day)


def _from_datelike(value: object) -> Parsed:
    """A real date cell; time and time zone are dropped (day precision)."""
    if isinstance(value, np.datetime64):
        try:
            value = pd.Timestamp(value)
        except (ValueError, OverflowError):
            return _fail(f"tanggal {_show(value)} di luar rentang")
    year, month, day = value.year, value.month, value.day  # type: ignore[union-attr]
    return _make_date(year, month, day)


def _date_text(raw: str) -> str:
    """Folded text with labels ("Hari/Tanggal :"), weekdays and times removed."""
    text = _TIME_TAIL.sub("", _fold_text(raw))
    text = _WEEKDAY.sub(" ", text).replace("()", " ")
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_SEPARATORS.sub("", _DATE_LABEL.sub("", text.strip()))
    return re.sub(r"\s+", " ", text).strip(" ,.")


def _date_from_text(text: str) -> Parsed | None:
    """One day-first date from normalised text; None when no date pattern applies at all."""
    if match := _ISO_DATE.fullmatch(text):
        return _make_date(int(match[1]), int(match[3]), int(match[4]))
    if match := _DMY_DATE.fullmatch(text):
        return _make_date(_full_year(match[3]), int(match[2]), int(match[1]))
    if match := _D_MONTH_Y.fullmatch(text):
        month = _month_number(match[2])
        if month is None:
            return _fail(f"nama bulan '{match[2]}' tidak dikenal")
        return _make_date(_full_year(match[3]), month, int(match[1]))
    if _SERIAL_TEXT.fullmatch(text):
        return _from_serial(float(text.replace(",", ".")), text)
    return None


def parse_date(value: object) -> Parsed:
    """pd.Timestamp (no time zone, day precision), always day-first: "03/14/2017" is an error, never
    silently read month-first, because a wrong but valid date is worse than a missing one."""
    if is_blank(value):
        return BLANK
    if _is_bool(value):
        return _fail(f"berisi ya/tidak ({value}), bukan tanggal")
    if _is_datelike(value):
        return _from_datelike(value)
    if _is_int(value) or _is_float(value):
        return _from_serial(_to_float(value), value)
    parsed = _date_from_text(_date_text(str(value)))
    return parsed if parsed is not None else _fail(f"{_show(value)} bukan tanggal (hari/bulan/tahun)")


def _range_start(left: str, end: pd.Timestamp) -> tuple[pd.Timestamp, str | None] | None:
    """The start of "14 s/d 16 Maret 2017": the left side may lack month and year (taken from the end)."""
    full = _date_from_text(left)
    if full is not None:
        return None if full.missing else (full.value, None)  # type: ignore[return-value]
    if match := _DAY_ONLY.fullmatch(left):
        day = int(match[1])
        start = _safe_date(end.year, end.month, day)
        if start is not None and start <= end:
            return start, None
        year, month = (end.year, end.month - 1) if end.month > 1 else (end.year - 1, 12)
        start = _safe_date(year, month, day)
        return (start, FIX_TANGGAL) if start is not None else None
    match = _DAY_MONTH_NUM.fullmatch(left) or _DAY_MONTH.fullmatch(left)
    if match is None:
        return None
    month = int(match[2]) if match[2].isdigit() else _month_number(match[2])
    if month is None:
        return None
    day = int(match[1])
    start = _safe_date(end.year, month, day)
    if start is not None and start <= end:
        return start, None
    start = _safe_date(end.year - 1, month, day)
    return (start, FIX_TANGGAL) if start is not None else None


def parse_date_range(value: object) -> Parsed:
    """(start, end) Timestamps from "14 s/d 16 Maret 2017", "28 Februari - 2 Maret 2017",
    "Tanggal : 14-16 Maret 2017", "14/03/2017 - 16/03/2017"; a single date gives start == end."""
    single = parse_date(value)
    if not single.missing:
        return Parsed((single.value, single.value), single.fix)
    if not isinstance(value, str) or is_blank(value):
        return single
    text = _date_text(value)
    reversed_reason = None
    for separator in _RANGE_SEP.finditer(text):
        left, right = text[: separator.start()].strip(), text[separator.end():].strip()
        end = _date_from_text(right) if left and right else None
        if end is None or end.missing:
            continue
        start = _range_start(left, end.value)  # type: ignore[arg-type]
        if start is None:
            continue
        if start[0] > end.value:  # type: ignore[operator]
            reversed_reason = (
                f"{_show(value)}: tanggal selesai {end.value:%d-%m-%Y} sebelum tanggal mulai {start[0]:%d-%m-%Y}"
            )
            continue
        return Parsed((start[0], end.value), start[1])
    return _fail(reversed_reason) if reversed_reason else single


def _month_from_text(raw: str) -> Parsed:
    text = _PAREN_TAIL.sub("", _MONTH_LABEL.sub("", _fold_text(raw).lstrip("'"))).strip(" .,")
    if _month_number(text) is not None:
        return _fail(f"{_show(raw)}: bulan tanpa tahun")
    for pattern, name_group, year_group in ((_MONTH_NAME_YEAR, 1, 2), (_YEAR_MONTH_NAME, 2, 1)):
        if match := pattern.fullmatch(text):
            month = _month_number(match[name_group])
            if month is None:
                return _fail(f"{_show(raw)} bukan nama bulan")
            return _make_date(_full_year(match[year_group]), month, 1)
    for pattern, month_group, year_group in ((_YEAR_MONTH, 2, 1), (_MONTH_YEAR, 1, 2), (_YYYYMM, 2, 1)):
        if match := pattern.fullmatch(text):
            return _make_date(int(match[year_group]), int(match[month_group]), 1)
    full = _date_from_text(_date_text(raw))
    if full is not None:
        return full if full.missing else Parsed(full.value.replace(day=1))  # type: ignore[union-attr]
    return _fail(f"{_show(raw)} bukan bulan (mis. 'Jan-17', 'Januari 2017', '2017-01')")


def parse_month(value: object) -> Parsed:
    """First day of the month from wide sales headers and 'bulan' cells ("Jan-17", "Januari 2017",
    "2017-01", "01/2017", date cells, Excel serials). A month name without a year is not enough."""
    if is_blank(value):
        return BLANK
    if _is_bool(value):
        return _fail(f"berisi ya/tidak ({value}), bukan bulan")
    if _is_int(value) or _is_float(value):
        digits = _whole_number_text(value) or ""
        if digits.isdigit() and len(digits) == 6:  # 201701
            return _month_from_text(digits)
        if digits.isdigit() and len(digits) <= 2:
            return _fail(f"{_show(value)}: bulan tanpa tahun")
        parsed = _from_serial(_to_float(value), value)
        return parsed if parsed.missing else Parsed(parsed.value.replace(day=1))  # type: ignore[union-attr]
    parsed = parse_date(value) if not isinstance(value, str) else _month_from_text(value)
    if parsed.missing:
        return parsed
    return Parsed(parsed.value.replace(day=1), parsed.fix)  # type: ignore[union-attr]


def parse_year(value: object) -> Parsed:
    """Year 1900..2100 from 2010, "2010", "Thn 2010", "Maret 2010", "14/03/2010" or a date cell.

    Text holding two different four-digit years ("2010-2012") is rejected rather than picked from."""
    if is_blank(value):
        return BLANK
    if _is_bool(value):
        return _fail(f"berisi ya/tidak ({value}), bukan tahun")
    if _is_datelike(value):
        parsed = _from_datelike(value)
        return parsed if parsed.missing else Parsed(parsed.value.year)  # type: ignore[union-attr]
    if _is_int(value) or _is_float(value):
        digits = _whole_number_text(value)
        if digits is not None and len(digits) == 4:
            return _year_in_range(int(digits), value)
        parsed = _from_serial(_to_float(value), value)
        if parsed.missing:
            return _fail(f"angka {_show(value)} bukan tahun")
        return Parsed(parsed.value.year)  # type: ignore[union-attr]
    text = _YEAR_LABEL.sub("", _fold_text(str(value)).lstrip("'"))
    runs = re.findall(r"\d+", text)
    years = {run for run in runs if len(run) == 4}
    if len(years) > 1:
        return _fail(f"{_show(value)} memuat lebih dari satu tahun")
    if len(years) == 1 and all(len(run) <= 2 or run in years for run in runs):
        return _year_in_range(int(years.pop()), value)
    parsed = parse_date(value)
    if not parsed.missing:
        return Parsed(parsed.value.year)  # type: ignore[union-attr]
    return _fail(f"{_show(value)} tidak memuat tahun (4 angka)")


def _year_in_range(year: int, raw: object) -> Parsed:
    if _YEAR_MIN <= year <= _YEAR_MAX:
        return Parsed(year)
    return _fail(f"tahun {_show(raw)} di luar rentang {_YEAR_MIN}-{_YEAR_MAX}")


# --------------------------------------------------------------------------------------------------
# Identity: NIK, phone, gender

_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?\s*e\s*[+-]?\s*\d+")
_NIK_LABEL = re.compile(r"^(?:no\.?\s*)?(?:nik|ktp)\b\.?\s*:?\s*")
_NIK_FLOAT_TEXT = re.compile(r"(\d{16})[.,]0+")  # "1801012345678901.0" from a CSV written by pandas
_NIK_SEPARATORS = re.compile(r"[\s.\-]")
NIK_SCI_ERROR = "NIK rusak (format ilmiah Excel, digit hilang)"


def _nik_from_digits(digits: str, fix: str | None) -> Parsed:
    if len(digits) != 16:
        return _fail(f"NIK harus 16 digit, tertulis {len(digits)} digit")
    if digits == "0" * 16:
        return _fail("NIK berisi nol semua")
    if digits.endswith("0000"):
        # The last four digits are a serial starting at 0001; 0000 means digits were lost (Excel).
        return _fail("NIK rusak (4 digit terakhir 0000, digit hilang)")
    return Parsed(digits, fix)


def parse_nik(value: object) -> Parsed:
    """16-digit NIK as text. A number cell is recovered exactly (fix ``nik_dari_angka``); text in
    scientific notation ("1.80101E+15") has lost digits and is rejected: digits are never invented."""
    if value.__class__ is str and _PLAIN_NIK.fullmatch(value) is not None:
        return _nik_from_digits(value, None)  # digits only: what the steps below leave of them
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


_PHONE_LABEL = re.compile(
    r"(?<![a-z])(?:no\.?\s*)?(?:hp|telp|tlp|telepon|tel|wa|whatsapp|ponsel|handphone|kantor|rumah|no)(?![a-z])\.?\s*:?"
)
_PHONE_SPLIT = re.compile(r"\s*(?:/|,|;|\||&|\n|(?<![a-z])(?:dan|atau|or)(?![a-z]))\s*")
_PHONE_CHARS = re.compile(r"[+\d\s().\-]+")
_PLAIN_PHONE = re.compile(r"\+?[0-9][0-9\-]*")
_PLAIN_NIK = re.compile(r"[0-9]+")
_AREA_CODE_STARTS = frozenset("2345679")


def _phone_from_digits(digits: str, *, plus: bool, raw: object) -> Parsed:
    fix = None
    if plus or (digits.startswith("62") and len(digits) >= 10):
        if not digits.startswith("62"):
            return _fail(f"{_show(raw)} bukan nomor Indonesia (+62)")
        national = digits[2:].removeprefix("0")  # "+62 (0)812 ..."
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national, fix = digits, FIX_HP_TANPA_NOL
    if national[:1] == "8" and 9 <= len(national) <= 12:
        return Parsed("+62" + national, fix)
    if national[:1] in _AREA_CODE_STARTS and 8 <= len(national) <= 11:  # landline: area code + number
        return Parsed("+62" + national, fix)
    if national[:1] == "8":
        return _fail(f"nomor HP {_show(raw)} harus 10-13 digit, tertulis {len(national) + 1} digit")
    return _fail(f"nomor telepon {_show(raw)} tidak lengkap atau tidak dikenal")


def parse_phone(value: object) -> Parsed:
    """"+62..." from "0812-7234-5678", "(0721) 123456", "62812...", "+62 812 ...". A number cell
    loses its leading 0 in Excel ("hp_tanpa_nol"); of two numbers the first is used."""
    if value.__class__ is str and _PLAIN_PHONE.fullmatch(value) is not None:
        # "081157000463", "0811-5700-0463", "+6281...": one piece of digits and dashes, no label, read
        # as the steps below read it
        return _phone_from_digits(value.replace("-", "").lstrip("+"), plus=value[0] == "+", raw=value)
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


_MALE = frozenset({"l", "lk", "laki", "lakilaki", "lelaki", "pria", "male", "cowok", "bapak", "bpk", "pak"})
_FEMALE = frozenset({"p", "pr", "prp", "pi", "perempuan", "prempuan", "wanita", "female", "cewek", "ibu", "bu", "w"})


def parse_gender(value: object) -> Parsed:
    """"L" / "P" from L, Lk, Laki-laki, Pria, Male / P, Pr, Perempuan, Wanita, Female."""
    if is_blank(value):
        return BLANK
    key = re.sub(r"[^a-z]", "", _fold_text(str(value))) if isinstance(value, str) else ""
    if key in _MALE:
        return Parsed("L")
    if key in _FEMALE:
        return Parsed("P")
    return _fail(f"jenis kelamin {_show(value)} tidak dikenal (isi L atau P)")


# --------------------------------------------------------------------------------------------------
# Yes/no and market reach

_CHECK_MARKS = frozenset("✓✔√☑✅")
_AMBIGUOUS_MARKS = frozenset({"x", "×", "✗", "✘", "❌"})
_TRUE_WORDS = frozenset(
    {"ya", "y", "iya", "yes", "ada", "sudah", "sdh", "udah", "punya", "memiliki", "v", "1", "true", "benar",
     "ok", "oke", "sudah ada", "sudah punya", "ada izin", "terdaftar"}
)
_FALSE_WORDS = frozenset(
    {"tidak", "tdk", "t", "belum", "blm", "blum", "tidak ada", "tdk ada", "belum ada", "blm ada", "no", "n",
     "0", "false", "tak", "gak", "nggak", "enggak", "ga", "salah", "tidak punya", "belum punya", "bukan",
     "tidak memiliki", "belum memiliki"}
)
_FALSE_LEAD = frozenset({"tidak", "tdk", "belum", "blm", "blum", "tak", "gak", "nggak", "enggak", "bukan", "non"})
_TRUE_LEAD = frozenset({"ya", "iya", "yes", "ada", "sudah", "sdh", "punya", "memiliki"})
_IN_PROCESS = re.compile(r"(?<![a-z])(?:proses|diproses|diurus|pengurusan|pengajuan|diajukan)(?![a-z])")
_PERMIT_WORDS = re.compile(
    r"(?<![a-z])(?:nib|pirt|p irt|halal|mui|bpjph|bpom|md|siup|iumk|sku|sertifikat|bersertifikat|izin|ijin)(?![a-z])"
)


def _bool_from_text(raw: str) -> Parsed:
    stripped = raw.strip()
    if stripped in _CHECK_MARKS:
        return Parsed(True)
    if stripped.lower() in _AMBIGUOUS_MARKS:
        return _fail(f"{_show(raw)} ambigu (bisa berarti ya atau tidak); isi ya/tidak")
    text = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", _fold_text(stripped))).strip()
    if text in _TRUE_WORDS:
        return Parsed(True)
    if text in _FALSE_WORDS:
        return Parsed(False)
    first = text.split(" ", 1)[0] if text else ""
    if first in _FALSE_LEAD:
        return Parsed(False)
    if first in _TRUE_LEAD:
        return Parsed(True)
    if _IN_PROCESS.search(text):
        return Parsed(False, FIX_IZIN_PROSES)
    if re.search(r"\d{5,}", re.sub(r"[\s.\-/]", "", _fold_text(stripped))) or _PERMIT_WORDS.search(text):
        return Parsed(True, FIX_YA_KETERANGAN)  # "NIB: 1234567890123", "P-IRT 2061801010123-24"
    return _fail(f"{_show(raw)} tidak dapat dibaca sebagai ya/tidak")


def parse_bool(value: object) -> Parsed:
    """True/False from ya/ada/sudah/✓/1 and tidak/belum/tdk/0; a permit number means True.

    "x" is rejected: in these forms it marks a ticked box as often as a crossed-out one."""
    if is_blank(value):
        return BLANK
    if _is_bool(value):
        return Parsed(bool(value))
    if _is_datelike(value):
        return Parsed(True, FIX_YA_KETERANGAN)  # a permit's issue date in a yes/no column
    if _is_int(value) or _is_float(value):
        number = _to_float(value)
        if number in (0.0, 1.0):
            return Parsed(number == 1.0)
        digits = _whole_number_text(value)
        if digits is not None and not digits.startswith("-") and len(digits) >= 5:
            return Parsed(True, FIX_YA_KETERANGAN)
        return _fail(f"angka {_show(value)} tidak dapat dibaca sebagai ya/tidak")
    return _bool_from_text(str(value))


_JANGKAUAN_PHRASES: tuple[tuple[str, str], ...] = (
    # Ordered most specific first: the regex alternation takes the first that fits at a position.
    (r"luar\s*negeri|ekspor|export|internasional|manca\s*negara", "Ekspor"),
    (r"antar\s*-?\s*prov(?:insi)?|luar\s*prov(?:insi)?|luar\s*lampung|antar\s*pulau|nasional|indonesia|"
     r"jawa|jakarta|sumatera|sumatra", "Nasional"),
    (r"lampung\s*selatan|lamsel", "Kabupaten"),
    (r"antar\s*-?\s*kab(?:upaten)?(?:\s*/?\s*kota)?|luar\s*kab(?:upaten)?|antar\s*kota|bandar\s*lampung|"
     r"prov(?:insi)?|regional|lampung", "Provinsi"),
    (r"antar\s*-?\s*kec(?:amatan)?|luar\s*kec(?:amatan)?|(?:dalam\s*)?kab(?:upaten)?", "Kabupaten"),
    (r"antar\s*-?\s*desa|luar\s*desa|(?:dalam\s*)?kec(?:amatan)?", "Kecamatan"),
    (r"(?:dalam\s*)?desa|lokal|kampung|sekitar|lingkungan", "Desa"),
)
_JANGKAUAN_PATTERN = re.compile(
    r"(?<![a-z])(?:" + "|".join(f"(?P<g{i}>{p})" for i, (p, _) in enumerate(_JANGKAUAN_PHRASES)) + r")(?![a-z])"
)


def parse_jangkauan(value: object) -> Parsed:
    """Market reach Desa < Kecamatan < Kabupaten < Provinsi < Nasional < Ekspor; of several named
    ("Desa, Kabupaten") the widest is kept, since the field records how far the products go."""
    if is_blank(value):
        return BLANK
    if not isinstance(value, str):
        return _fail(f"{_show(value)} bukan jangkauan pasar")
    levels = {
        _JANGKAUAN_PHRASES[int(match.lastgroup[1:])][1]  # type: ignore[index]
        for match in _JANGKAUAN_PATTERN.finditer(_fold_text(value))
    }
    if not levels:
        return _fail(f"jangkauan pasar {_show(value)} tidak dikenal")
    widest = max(levels, key=ref.JANGKAUAN_PASAR.index)
    return Parsed(widest, FIX_JANGKAUAN if len(levels) > 1 else None)


# --------------------------------------------------------------------------------------------------
# Names, total rows, categories, training types, size

_HONORIFICS = frozenset(
    {"ibu", "bu", "bapak", "pak", "bpk", "hj", "hjh", "h", "sdr", "sdri", "ny", "tn", "ud", "cv", "pt"}
)
_DOTTED_LETTER = re.compile(r"(?<![a-z0-9])([a-z])\.(?=[a-z](?![a-z]))")  # "u.d." -> "ud.", "c.v." -> "cv."
_NON_WORD = re.compile(r"[^a-z0-9]+")


def name_key(text: object) -> str:
    """Key for duplicate detection: "Ibu Hj. Siti (UD. Maju)" and "siti maju" collide.

    When a name is nothing but honorifics ("Ibu"), the words are kept so it does not collide with
    every other empty key."""
    if isinstance(text, str):
        return _name_key_of_text(text)  # the same names are keyed for merging, linking and review
    return _name_key(text)


@lru_cache(maxsize=1 << 18)
def _name_key_of_text(text: str) -> str:
    return _name_key(text)


def _name_key(text: object) -> str:
    if is_blank(text):
        return ""
    folded = _fold_text(str(text)).replace("'", "").replace("&", " dan ")
    words = _NON_WORD.sub(" ", _DOTTED_LETTER.sub(r"\1", folded)).split()
    kept = [word for word in words if word not in _HONORIFICS]
    return " ".join(kept or words)


_TOTAL_LABEL = re.compile(r"(?:sub\s*-?\s*total|grand\s*total|jumlah|total|jml)(?![a-z])")
_NOT_LETTERS = re.compile(r"[^a-z]")
_TOTAL_COMPACT = frozenset(
    {"jumlah", "total", "subtotal", "grandtotal", "jumlahtotal", "jml", "totalkeseluruhan",
     "jumlahkeseluruhan", "jumlahseluruhnya"}
)


def is_total_label(value: object) -> bool:
    """Text that starts like a JUMLAH / TOTAL label ("Jumlah", "SUB TOTAL", "J U M L A H")."""
    if not isinstance(value, str):
        return False
    text = _fold_text(value)
    return bool(_TOTAL_LABEL.match(text)) or _NOT_LETTERS.sub("", text) in _TOTAL_COMPACT  # "J U M L A H"


def _is_long_text(value: object) -> bool:
    """Text that names something (a person, a business), as opposed to a number like "45 UMKM"."""
    if not isinstance(value, str):
        return False
    return sum(c.isalpha() for c in _fold_text(value)) >= 4 and parse_number(value).missing


def is_total_row(values: Iterable[object]) -> bool:
    """A JUMLAH / TOTAL / SUB TOTAL / GRAND TOTAL row: one of the first three filled cells starts with
    such a word and no other cell holds a name. The second condition keeps "Total Jaya", a business,
    and its owner's row as data."""
    cells = [values] if isinstance(values, str) else [v for v in values if not is_blank(v)]
    label_at = next((i for i, cell in enumerate(cells[:3]) if is_total_label(cell)), None)
    if label_at is None:
        return False
    return not any(_is_long_text(cell) for i, cell in enumerate(cells) if i != label_at)


@dataclass(frozen=True)
class _KeywordTable:
    pattern: re.Pattern[str] | None
    rank: dict[str, tuple]  # keyword -> sort key; the smallest wins
    label: dict[str, str]  # keyword -> kategori / jenis


def _keyword_table(rows: tuple[tuple[str, str, int], ...]) -> _KeywordTable:
    """rows: (keyword, label, priority) in table order; smaller priority, then longer keyword, wins."""
    rank: dict[str, tuple] = {}
    label: dict[str, str] = {}
    for order, (raw_keyword, kind, priority) in enumerate(rows):
        keyword = ref.fold(raw_keyword)
        if keyword and keyword not in rank:
            rank[keyword] = (priority, -len(keyword), order)
            label[keyword] = kind
    if not rank:
        return _KeywordTable(None, rank, label)
    alternatives = "|".join(re.escape(k) for k in sorted(rank, key=len, reverse=True))
    # A lookahead finds overlapping matches, so "kerupuk ikan asin" sees both "kerupuk ikan" and "ikan asin".
    pattern = re.compile(rf"(?<![a-z0-9])(?=({alternatives})(?![a-z0-9]))")
    return _KeywordTable(pattern, rank, label)


def _best_keyword(table: _KeywordTable, text: str) -> str | None:
    if table.pattern is None:
        return None
    found = {match[1] for match in table.pattern.finditer(text)}
    return table.label[min(found, key=table.rank.__getitem__)] if found else None


@lru_cache(maxsize=8)
def _kategori_table(rows: tuple[tuple[str, str, int], ...]) -> _KeywordTable:
    return _keyword_table(rows)


def _kategori_rows(keywords: pd.DataFrame | None) -> tuple[tuple[str, str, int], ...]:
    frame = ref.kategori_keywords() if keywords is None else keywords
    return tuple((str(k), str(c), 0) for k, c in zip(frame["kata_kunci"], frame["kategori"]))


@lru_cache(maxsize=1)
def _default_kategori_rows() -> tuple[tuple[str, str, int], ...]:
    return _kategori_rows(None)


def _kategori_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", ref.fold(text).replace("&", " dan "))


_KATEGORI_BY_KEY = {_kategori_key(name): name for name in ref.KATEGORI}


def classify_kategori(text: object, keywords: pd.DataFrame | None = None) -> Parsed:
    """Canonical kategori of a free-text product: a canonical name as such, else the longest matching
    keyword (whole words); unmatched text is "Lainnya" with fix ``kategori_tidak_dikenal``."""
    if is_blank(text):
        return BLANK
    folded = _fold_text(str(text))
    canonical = _KATEGORI_BY_KEY.get(_kategori_key(folded))
    if canonical is not None:
        return Parsed(canonical)
    rows = _default_kategori_rows() if keywords is None else _kategori_rows(keywords)
    found = _best_keyword(_kategori_table(rows), folded)
    return Parsed(found) if found else Parsed(ref.KATEGORI_LAINNYA, FIX_KATEGORI)


@lru_cache(maxsize=8)
def _jenis_table(rows: tuple[tuple[str, str, int], ...]) -> _KeywordTable:
    return _keyword_table(rows)


def _jenis_rows(keywords: pd.DataFrame | None) -> tuple[tuple[str, str, int], ...]:
    frame = ref.jenis_keywords() if keywords is None else keywords
    return tuple(
        (str(k), str(j), int(p)) for k, j, p in zip(frame["kata_kunci"], frame["jenis"], frame["prioritas"])
    )


@lru_cache(maxsize=1)
def _default_jenis_rows() -> tuple[tuple[str, str, int], ...]:
    return _jenis_rows(None)


def classify_jenis(event_name: object, keywords: pd.DataFrame | None = None) -> str:
    """Training jenis from an event name: lowest prioritas wins, then the longest keyword, else Lainnya
    ("Desain Kemasan dan Pemasaran" is Kemasan)."""
    if is_blank(event_name):
        return ref.JENIS_LAINNYA
    rows = _default_jenis_rows() if keywords is None else _jenis_rows(keywords)
    return _best_keyword(_jenis_table(rows), _fold_text(str(event_name))) or ref.JENIS_LAINNYA


def _float_array(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def skala_from(omzet: pd.Series, aset: pd.Series, criterion: str) -> pd.Series:
    """Mikro/Kecil/Menengah/Besar from yearly omzet, else aset (modal) when omzet is missing.

    Missing when both are missing (or negative). Returns a new "string" Series on ``omzet``'s index."""
    criteria = ref.size_criteria()
    if criterion not in criteria:
        raise ValueError(f"kriteria skala '{criterion}' tidak dikenal; pilih salah satu dari {sorted(criteria)}")
    if not omzet.index.equals(aset.index):
        aset = aset.reindex(omzet.index)
    chosen = criteria[criterion]
    o, a = _float_array(omzet), _float_array(aset)
    o_ok, a_ok = np.isfinite(o) & (o >= 0), np.isfinite(a) & (a >= 0)
    labels = np.where(
        o_ok,
        ref.size_labels(np.where(o_ok, o, 0.0), chosen.omzet_limits),
        np.where(a_ok, ref.size_labels(np.where(a_ok, a, 0.0), chosen.aset_limits), None),
    )
    return pd.Series(labels, index=omzet.index, dtype="string", name="skala")


# --------------------------------------------------------------------------------------------------
# Kecamatan

_KEC_PREFIX = re.compile(r"^(?:kecamatan\b|kec\b\.?)\s*[:.]?\s*")
_TANJUNG = re.compile(r"(?<![a-z])(?:tjg|tj|tg)(?![a-z])\.?\s*")
_CODE_TEXT = re.compile(r"[\d.\s]+")


def _kec_key(folded: str) -> str:
    """Space- and punctuation-free key: "Kec. Tj Bintang" and "TANJUNGBINTANG" give the same key."""
    text = _TANJUNG.sub("tanjung ", _KEC_PREFIX.sub("", folded))
    return re.sub(r"[^a-z0-9]", "", text)


def _scan_text(folded: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9]", " ", _TANJUNG.sub("tanjung ", folded))).strip()


def _name_pattern(name: str) -> str:
    return r"\s*".join(re.escape(word) for word in _scan_text(ref.fold(name)).split())


@lru_cache(maxsize=1)
def _national_keys() -> pd.DataFrame:
    """Every kecamatan of Indonesia with its matching key: kode, nama, kabupaten, key."""
    frame = wilayah_data.all_kecamatan()[["kode", "nama", "kabupaten"]].astype(str)
    return frame.assign(key=[_kec_key(ref.fold(n)) for n in frame["nama"]])


class KecamatanMatcher:
    """Maps free-text kecamatan to the canonical names of the region's kecamatan (``settings.get().wilayah``
    unless ``wilayah`` is given), rejecting kecamatan elsewhere in Indonesia with the real place named.

    A name that exists in several kabupaten is the region's own first. Typos are matched with rapidfuzz
    against the region's names *and* the other kecamatan of its provinsi (and the spellings of
    kecamatan_luar.csv), and only with a high score and a clear margin, so "Tanjung Senang" (Bandar
    Lampung) is never guessed into "Tanjung Sari"."""

    MIN_SCORE = 85.0
    MIN_MARGIN = 8.0
    _CACHE_LIMIT = 100_000

    def __init__(self, directory: Path = REFERENCE_DIR, wilayah: str | None = None) -> None:
        region = wilayah_data.region(wilayah)
        self.region = region
        self.wilayah = region.kode
        table = ref.kecamatan(directory, region.kode)
        luar = ref.kecamatan_luar(directory)
        self._canonical: dict[str, str] = {}  # key -> name, official spellings (no fix needed)
        self._alias: dict[str, str] = {}  # key -> name, variant spellings (fix kecamatan_ejaan)
        self._codes: dict[str, str] = {}
        self._ambiguous: dict[str, list[str]] = {}  # key -> names: one name in two kabupaten of a provinsi region
        spellings: dict[str, list[str]] = {}
        official_keys: dict[str, set[str]] = {}
        self._kabupaten_of: dict[str, str] = {}  # name -> its kabupaten/kota as scanned text ("bandar lampung")
        for row in table.itertuples(index=False):
            name = str(row.kecamatan)
            official = [s for s in (name, str(row.nama_kemendagri), str(row.nama_bps)) if s]
            aliases = [a.strip() for a in str(row.alias).split(";") if a.strip()]
            for spelling in official:
                official_keys.setdefault(_kec_key(ref.fold(spelling)), set()).add(name)
            for spelling in aliases:
                self._alias.setdefault(_kec_key(ref.fold(spelling)), name)
            for code in (row.kode_kemendagri, row.kode_bps):
                if str(code):
                    self._codes[re.sub(r"\D", "", str(code))] = name
            spellings[name] = official + aliases
            self._kabupaten_of[name] = _scan_text(re.sub(r"^(?:kota|kabupaten)\s+", "", ref.fold(str(row.kabupaten))))
        for key, names in official_keys.items():
            if len(names) == 1:
                self._canonical[key] = next(iter(names))
            else:
                self._ambiguous[key] = sorted(names)
        ours = set(self._canonical) | set(self._alias) | set(self._ambiguous)
        self._outside: dict[str, list[tuple[str, str]]] = {}  # key -> [(name, kabupaten)], nearest first
        national = _national_keys()
        national = national[~national["kode"].str.startswith(region.kode + ".")]
        same_province = national["kode"].str[:2] == region.kode[:2]
        national = pd.concat([national[same_province], national[~same_province]])
        for key, nama, kabupaten in zip(national["key"], national["nama"], national["kabupaten"]):
            if key not in ours:
                self._outside.setdefault(key, []).append((nama, kabupaten))
        region_kabupaten = set(table["kabupaten"])
        luar = luar[~luar["kabupaten"].isin(region_kabupaten)]
        for row in luar.itertuples(index=False):
            key = _kec_key(ref.fold(str(row.kecamatan)))
            if key not in ours and key not in self._outside:
                self._outside[key] = [(str(row.kecamatan), str(row.kabupaten))]
        near = set(national.loc[same_province, "key"])
        near |= {_kec_key(ref.fold(str(k))) for k in luar["kecamatan"]}
        self._choices: list[str] = []
        self._targets: list[tuple[str, str | None]] = []  # (name, kabupaten or None for ours)
        for key, name in {**self._alias, **self._canonical}.items():
            self._choices.append(key)
            self._targets.append((name, None))
        for key, places in self._outside.items():
            if key in near:
                self._choices.append(key)
                self._targets.append(places[0])
        self._patterns = [
            (name, "|".join(sorted({_name_pattern(s) for s in names}, key=len, reverse=True)))
            for name, names in spellings.items()
        ]
        self._plain = [(name, re.compile(rf"(?<![a-z])(?:{p})(?![a-z])")) for name, p in self._patterns]
        self._prefixed = [
            (name, re.compile(rf"(?<![a-z])(?:kecamatan|kec)\s*(?:{p})(?![a-z])")) for name, p in self._patterns
        ]
        province_kabupaten = wilayah_data.kabupaten_of(region.kode).values()
        others = sorted((set(province_kabupaten) | set(luar["kabupaten"])) - region_kabupaten)
        other_kabupaten = sorted({re.sub(r"^(?:kota|kabupaten)\s+", "", ref.fold(k)) for k in others})
        self._other_kabupaten = re.compile(
            r"(?<![a-z])(" + "|".join(_name_pattern(k) for k in other_kabupaten) + r")(?![a-z])"
        ) if other_kabupaten else None
        self._kabupaten_names = {re.sub(r"[^a-z]", "", ref.fold(k).split(" ", 1)[-1]): k for k in others}
        self._cache: dict[str, Parsed] = {}

    def _outside_reason(self, places: list[tuple[str, str]]) -> str:
        """ "Balikpapan Timur, Kota Balikpapan: di luar wilayah Lampung Selatan"; a name of up to three
        kabupaten/kota names them all ("Kroya, Kabupaten Indramayu atau Kabupaten Cilacap")."""
        name = places[0][0]
        if len(places) <= 3:
            where = " atau ".join(kabupaten for _, kabupaten in places)
        else:
            where = f"{places[0][1]} (dan {len(places) - 1} kabupaten/kota lain)"
        return f"{name}, {where}: di luar wilayah {self.region.short}"

    def _mentions_other(self, folded: str) -> re.Match | None:
        return self._other_kabupaten.search(_scan_text(folded)) if self._other_kabupaten is not None else None

    def match(self, value: object) -> Parsed:
        """Canonical name; fix ``kecamatan_ejaan`` when an alias or typo was corrected (not for case,
        spaces or "Kec." prefixes). Kemendagri ("18.01.04") and BPS ("1803060") codes are accepted."""
        if is_blank(value):
            return BLANK
        if _is_bool(value) or _is_datelike(value):
            return _fail(f"kecamatan {_show(value)} tidak dikenal")
        if _is_int(value) or _is_float(value):
            digits = _whole_number_text(value)
            if digits is None:
                return _fail(f"kecamatan {_show(value)} tidak dikenal")
            value = digits
        text = str(value)
        cached = self._cache.get(text)
        if cached is None:
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[text] = self._match_text(text)
        return cached

    def _match_text(self, raw: str) -> Parsed:
        folded = _fold_text(raw)
        if _CODE_TEXT.fullmatch(folded):
            name = self._codes.get(re.sub(r"\D", "", folded))
            return Parsed(name) if name else _fail(f"kode kecamatan {_show(raw)} tidak dikenal")
        key = _kec_key(folded)
        known = self._lookup(key, raw)
        if known is not None:
            return known
        guessed = self._fuzzy(key, raw)
        if guessed is not None:
            return guessed
        other = self._mentions_other(folded)
        if other:
            kabupaten = self._kabupaten_names.get(re.sub(r"[^a-z]", "", other[1]), other[1])
            return _fail(f"{_show(raw)} menyebut {kabupaten}: di luar wilayah {self.region.short}")
        found = self._scan(folded)
        if found is not None:
            return Parsed(found, FIX_KEC_TEKS)
        return _fail(f"kecamatan {_show(raw)} tidak dikenal")

    def _lookup(self, key: str, raw: str) -> Parsed | None:
        if key in self._canonical:
            return Parsed(self._canonical[key])
        if key in self._ambiguous:  # before the aliases: an alias of one twin is the other's official name
            names = self._ambiguous[key]
            return _fail(f"kecamatan {_show(raw)} ada di {len(names)} kabupaten/kota wilayah ini ({', '.join(names)}); "
                         f"{AMBIGUOUS_HINT}")
        if key in self._alias:
            return Parsed(self._alias[key], FIX_KEC_EJAAN)
        if key in self._outside:
            places = self._outside[key]
            return _fail(self._outside_reason(places))
        return None

    def _fuzzy(self, key: str, raw: str) -> Parsed | None:
        if len(key) < 4 or not self._choices:
            return None
        best: dict[tuple[str, str | None], float] = {}
        for _, score, index in process.extract(key, self._choices, scorer=fuzz.ratio, limit=12):
            target = self._targets[index]
            best[target] = max(best.get(target, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        (name, kabupaten), top = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if top < self.MIN_SCORE or top - second < self.MIN_MARGIN:
            return None
        if kabupaten is not None:
            return _fail(f"kecamatan {_show(raw)} tidak dikenal (mirip {name}, {kabupaten}: di luar wilayah "
                         f"{self.region.short})")
        return Parsed(name, FIX_KEC_EJAAN)

    def _scan(self, folded: str) -> str | None:
        """The one kecamatan named in a text; a name right after "Kecamatan"/"Kec." wins over bare
        mentions (such as the Dinas's address in Kalianda in a letterhead)."""
        text = _scan_text(folded)
        for patterns in (self._prefixed, self._plain):
            found = {name for name, pattern in patterns if pattern.search(text)}
            if len(found) > 1:  # twins of a provinsi region: the one whose kabupaten/kota the text names
                found = {name for name in found if re.search(rf"(?<![a-z]){re.escape(self._kabupaten_of[name])}(?![a-z])", text)}
                return found.pop() if len(found) == 1 else None
            if found:
                return found.pop()
        return None

    def find_in_text(self, text: object) -> str | None:
        """A canonical kecamatan named in a title ("DATA UMKM BINAAN KECAMATAN NATAR TAHUN 2017") or a
        sheet name ("Kec. Tj Bintang", "JATIAGUNG"); None when none, several, or another kabupaten."""
        if is_blank(text):
            return None
        folded = _fold_text(str(text))
        if self._mentions_other(folded):
            return None
        found = self._scan(folded)
        if found is not None or len(folded) > 30:
            return found
        key = _kec_key(folded)
        guessed = self._lookup(key, folded) or self._fuzzy(key, folded)
        return guessed.value if guessed is not None and not guessed.missing else None  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------------
# Columns


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
    first_at, inverse = _first_and_inverse(codes)
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
    # The fix and error texts as a "string" array per distinct value, then spread: much cheaper than
    # converting one Python object per cell.
    return (
        pd.Series(values[inverse], index=series.index, dtype=object, name=series.name, copy=False),  # a fresh array
        pd.Series(pd.array(fixes, dtype="string").take(inverse), index=series.index, name=series.name),
        pd.Series(pd.array(errors, dtype="string").take(inverse), index=series.index, name=series.name),
    )


_MEMO_LIMIT = 1 << 18


def _first_and_inverse(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(codes, return_index=True, return_inverse=True) without the uniques: where each distinct
    code first occurs, in the order of the codes, and each cell's rank among them. Codes are small
    integers (factorised cells), so they are counted in a table instead of sorted."""
    codes = np.asarray(codes)
    if codes.dtype.kind in "iu" and len(codes):
        codes = codes.reshape(-1).astype(np.int64, copy=False)
        low = int(codes.min())
        span = int(codes.max()) - low + 1
        if span <= 2 * len(codes) + 64:
            shifted = codes - low
            first = np.full(span, len(codes), dtype=np.int64)
            np.minimum.at(first, shifted, np.arange(len(codes), dtype=np.int64))
            present = first < len(codes)
            rank = np.cumsum(present) - 1
            return first[present], rank[shifted]
    _, first_at, inverse = np.unique(codes, return_index=True, return_inverse=True)
    return first_at, np.asarray(inverse, dtype="int64").reshape(-1)


_PLAIN_DIGITS = re.compile(r"[0-9]{1,20}")  # at most 20 digits: exact in Decimal's 28, so float(text) is its value
_PLAIN_DECIMAL = re.compile(r"(?=[0-9,]{1,20}$)[0-9]+(?:,[0-9]+)?")  # "270,1": a decimal comma, as parse_number reads it


def _plain_amounts(parser: Callable[[object], object], cells: np.ndarray) -> list:
    """For parse_rupiah / parse_number: the value of each cell that is a plain finite number in range
    (a float or int cell, the bulk of a sales sheet; or text of ASCII digits, as every cell of a CSV,
    with a decimal comma for parse_number), as those parsers give it with no fix; None for every other
    cell, which goes through the parser."""
    limit = _MAX_RUPIAH if parser is parse_rupiah else math.inf if parser is parse_number else None
    found: list = [None] * len(cells)
    if limit is None or not len(cells):
        return found
    classes = [cell.__class__ for cell in cells]
    plain = np.array([kind is float or kind is int for kind in classes], dtype=bool)
    if plain.any():
        try:
            numbers = cells[plain].astype(float)
        except (OverflowError, ValueError, TypeError):
            numbers = None
        if numbers is not None:
            usable = np.isfinite(numbers) & (numbers >= 0) & (numbers <= limit)
            positions = np.flatnonzero(plain)[usable]
            for position, number in zip(positions.tolist(), (numbers[usable] + 0.0).tolist()):
                found[position] = number
    if str in classes:
        # "4849000" -> 4849000.0 and "270,1" -> 270.1: what _amount_from_text reads from such text (its
        # Decimal, made float, is the float of the same digits), with no fix and no error.
        fullmatch = (_PLAIN_DECIMAL if parser is parse_number else _PLAIN_DIGITS).fullmatch
        for position, (cell, kind) in enumerate(zip(cells, classes)):
            if kind is str and fullmatch(cell) is not None:
                number = float(cell.replace(",", "."))
                if number <= limit:
                    found[position] = number + 0.0
    return found


def unique_codes(series: pd.Series, cells: np.ndarray) -> np.ndarray:
    """One integer per distinct (type, value); all missing markers share one code."""
    if series.dtype != object:
        return pd.factorize(series, use_na_sentinel=True)[0].astype("int64")
    kinds = set(map(type, cells)) - {type(None)}
    if kinds == {float}:  # amounts: factorised as numbers, several times faster than as objects
        return pd.factorize(cells.astype(float), use_na_sentinel=True)[0].astype("int64")
    try:
        value_codes = pd.factorize(series, use_na_sentinel=True)[0].astype("int64")
    except TypeError:  # unhashable cells (lists): fall back to one code per cell
        return np.arange(len(cells), dtype="int64")
    if len(kinds) <= 1:
        return value_codes  # one type (NaN is a float, None is always missing): the values are the codes
    if all(value.__class__ is str for value in pd.unique(cells[value_codes >= 0])):
        return value_codes  # text never equals a value of another type: the values are the codes
    type_codes, type_uniques = pd.factorize(pd.Series([type(c).__name__ for c in cells], dtype=object))
    combined = value_codes * max(len(type_uniques), 1) + type_codes
    return np.where(value_codes < 0, -1, combined)


__all__ = [
    "BLANK", "FIX_LABELS", "KecamatanMatcher", "Parsed", "classify_jenis", "classify_kategori", "is_blank",
    "is_total_label", "is_total_row", "name_key", "omzet_multiplier", "parse_bool", "parse_date", "parse_date_range",
    "parse_gender", "parse_int", "parse_jangkauan", "parse_month", "parse_nik", "parse_number", "parse_omzet",
    "parse_phone", "parse_rupiah", "money_unit", "parse_values", "parse_year", "skala_from",
]
