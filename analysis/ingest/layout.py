"""How a raw sheet is laid out: where the header is, what each column means, what kind of table it is,
and what the title rows above the header say.

Real registries put two to six title rows above the header, split headers over two rows under merged
group cells, spell every header differently, and state the kecamatan or the training event only in the
titles. This module turns such a grid into a `Layout` that the ingest can parse row by row.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from analysis.core.reference import fold
from analysis.ingest import cleaning
from analysis.ingest.readers import RawSheet

KIND_PRODUCERS = "producers"
KIND_SALES = "sales"
KIND_TRAINING = "training"
KIND_UNKNOWN = "lainnya"
KINDS = (KIND_PRODUCERS, KIND_SALES, KIND_TRAINING)

HEADER_SCAN_ROWS = 40
MIN_HEADER_FIELDS = 2
MIN_MONTH_COLUMNS = 3

# Header text (folded, punctuation as spaces, '/' kept) -> field. First matching rule wins, so the
# specific rules stand before the general ones ("nama pelaku usaha" is the owner, not the business).
FIELD_RULES: tuple[tuple[str, str], ...] = (
    ("no", r"^(no|nomor|nomer|no urut|urut)$"),
    ("tanda_tangan", r"tanda tangan|\bttd\b|paraf"),
    ("keterangan", r"^(ket|keterangan|catatan)$"),
    ("nik", r"\bnik\b|\bktp\b|nomor induk kependudukan"),
    ("nib", r"\bnib\b|nomor induk berusaha"),
    ("pirt", r"\bp ?irt\b|\bsppirt\b|\bspp irt\b"),
    ("halal", r"halal"),
    # "kontak" alone may hold names as well as numbers: the column's cells decide (see _by_cells).
    ("no_hp", r"\bhp\b|telp|telepon|handphone|\bwa\b|whatsapp|kontak|ponsel|\bhandphone\b|phone|\bmobile\b|"
              r"\bfax\b|\bcontact\b"),
    ("jenis_kelamin", r"jenis kelamin|^l ?/ ?p$|^jk$|^gender$|^sex$|^kelamin$"),
    ("pemasaran_online", r"online|daring|e ?commerce|marketplace|media sosial|medsos"),
    ("jangkauan_pasar", r"jangkauan|wilayah pemasaran|daerah pemasaran|^pemasaran$|^pasar$|tujuan pasar"),
    ("tahun_mulai", r"tahun (mulai|berdiri)|mulai usaha|berdiri|^thn|^tahun$|year (started|established|founded)"),
    # Costs and wages are neither workers nor products ("BIAYA_PRODUKSI", "GAJI_KARYAWAN").
    ("biaya", r"^(biaya|gaji|upah|ongkos)\b|\bcosts?\b|\bwages?\b"),
    ("tenaga_kerja", r"tenaga kerja|\btk\b|karyawan|pekerja\b|employees?\b|workers?\b"),
    # Money that is not omzet: investment, capital, assets, production value (never read as omzet).
    ("nilai_produksi", r"nilai produksi|production value|nilai output"),
    ("aset_rp", r"\baset\b|\bassets?\b|modal|kekayaan|investasi|investment|\bcapital\b"),
    ("volume", r"volume|kuantitas|\bqty\b|quantity|jumlah produksi|jumlah terjual|jumlah (produk|barang|pesanan|item)\b"),
    # A unit price: an order's value is price x quantity, never the price alone as omzet.
    ("harga", r"^harga( satuan| jual| produk| barang)?\b|\bunit price\b|^price\b"),
    ("satuan", r"^satuan$|^unit$"),
    ("bulan", r"^(bulan|periode|masa|bulan laporan|bulan tahun|bln)$|^bulan\b|"
              r"^(tanggal|tgl|date|hari/tanggal)( (penjualan|transaksi|jual))?$|"
              r"^(waktu|tanggal|tgl) (pesanan|order|transaksi)( dibuat)?$|^order date$"),
    ("agregat", r"^(jumlah|jml|total|proyeksi|rekap)\b.*\b(umkm|ukm|usaha|unit|pelaku)\b|^proyeksi"),
    ("omzet", r"omzet|omset|penjualan|pendapatan|nilai|turnover|revenue|\bsales\b|hasil usaha|\brp\b"),
    ("skala", r"skala"),
    ("kategori", r"kategori|kelompok usaha|sektor"),
    ("produk", r"produk(?!si)|komoditas|komoditi|jenis usaha|bidang usaha|jenis ukm|jenis umkm|barang|jenis kegiatan|"
               r"\bproducts?\b|commodity|^varian$|^variant$"),
    # Coordinates in degrees (Google Maps and GIS exports); UTM X/Y columns are not degrees and stay unread.
    ("lintang", r"^(lat|latitude|lintang|ls)\b|\blatitude\b"),
    ("bujur", r"^(long|lon|lng|longitude|bujur|bt)\b|\blongitude\b"),
    ("kecamatan", r"kecamatan|^kec\b|sub ?district"),
    ("desa", r"desa|kelurahan|^kel\b|pekon|\bvillage\b"),
    ("alamat", r"alamat|domisili|\baddress\b"),
    ("wilayah", r"^(provinsi|propinsi|kabupaten|kota|kab|kab kota|kabupaten kota|kabupaten/kota|kab/kota|kab/kot|"
                r"province|regency|city)$"),
    ("nama_pemilik", r"pemilik|pelaku|penanggung jawab|nama lengkap|peserta|^nama$|pengusaha|owner|nama pengrajin|"
                     r"^(name|full name)$"),
    ("nama_usaha", r"nama (usaha|umkm|ukm|unit usaha|perusahaan|toko|kelompok|merek)|^(usaha|umkm|ukm|ikm|perusahaan)$|"
                   r"merek|merk|brand|business name|(shop|store|company) name|^(business|shop|store|company)$"),
)
_COMPILED_RULES = tuple((name, re.compile(pattern)) for name, pattern in FIELD_RULES)

PRODUCER_DETAIL_FIELDS = {
    "nik", "no_hp", "kecamatan", "desa", "alamat", "produk", "omzet", "aset_rp", "tenaga_kerja",
    "jenis_kelamin", "nib", "pirt", "halal", "tahun_mulai", "jangkauan_pasar", "pemasaran_online", "kategori",
}
IDENTITY_FIELDS = {"nama_usaha", "nama_pemilik", "nik"}
_TRAINING_TITLE = re.compile(r"daftar hadir|absensi|presensi|peserta (pelatihan|bimtek|bimbingan)")
_TRAINING_EVENT = re.compile(r"pelatihan|bimtek|bimbingan teknis|workshop|lokakarya|sosialisasi|diklat|pendampingan|temu")
_SALES_TITLE = re.compile(r"penjualan|omzet|omset|laporan bulanan")
_META_KEYS = {
    "tanggal": re.compile(r"^(hari\s*/?\s*tanggal|hari,? tanggal|tanggal|tgl|waktu|pelaksanaan)\b"),
    "lokasi": re.compile(r"^(tempat|lokasi|lokasi kegiatan|tempat kegiatan)\b"),
    "penyelenggara": re.compile(r"^(penyelenggara|diselenggarakan oleh|pelaksana|instansi)\b"),
    "biaya": re.compile(r"^(biaya|anggaran|dana|nilai kegiatan|pagu)\b"),
}


def header_key(value: object) -> str:
    """A header cell as comparable text: folded, punctuation as spaces, '/' kept tight ("l/p")."""
    if isinstance(value, (datetime, date)):
        return ""
    text = re.sub(r"[^a-z0-9/]+", " ", fold(str(value)))
    return re.sub(r"\s*/\s*", "/", text).strip()


_PARENTHESES = re.compile(r"\([^()]*\)")


def field_of(header: object) -> str | None:
    """The field a header names. A header that only names its field once a parenthesised list of allowed
    values is set aside ("PEMASARAN (Lokal/Regional/Nasional)") is read without that list."""
    if isinstance(header, str):
        if header.isascii() and _LETTER.search(header) is None:
            return None  # every rule needs a letter (a NIK, a phone number, an amount name no field)
        return _field_of_text(header)  # header detection asks this of every cell of the first 40 rows
    return _field_of(header)


@lru_cache(maxsize=1 << 16)
def _field_of_text(header: str) -> str | None:
    return _field_of(header)


# Any rule at all: most cells a header search looks at (names, amounts) match none of them.
_ANY_RULE = re.compile("|".join(f"(?:{pattern})" for _, pattern in FIELD_RULES))


def _field_of(header: object) -> str | None:
    for key in _header_keys(header):
        if _ANY_RULE.search(key) is None:
            continue
        for name, pattern in _COMPILED_RULES:
            if pattern.search(key):
                return name
    return None


def _header_keys(header: object) -> list[str]:
    key = header_key(header)
    if not key:
        return []
    keys = [key]
    if isinstance(header, str) and "(" in header:
        bare = header_key(_PARENTHESES.sub(" ", header))
        if bare and bare != key:
            keys.append(bare)
    return keys


def _month_of(header: object) -> object | None:
    if isinstance(header, str):
        if header.isascii():
            if _DIGIT.search(header) is None:
                return None  # every month pattern needs a digit (a year at least); a name never gives one
            if _DIGITS_AND_SPACES.fullmatch(header) and not _FIVE_OR_SIX_DIGITS.fullmatch(header.strip(" ")):
                # Digits and spaces only: a month only as one run of 5 (an Excel serial) or 6 (201701)
                # digits; a NIK, a phone number or "<number> <year>" never is one.
                return None
        return _month_of_text(header)
    return _month_of_value(header)


_DIGIT = re.compile(r"[0-9]")
_LETTER = re.compile(r"[A-Za-z]")
_DIGITS_AND_SPACES = re.compile(r"[0-9 ]+")
_FIVE_OR_SIX_DIGITS = re.compile(r"[0-9]{5,6}")
_LETTER_RUNS = re.compile(r"[a-z]+")


def _may_be_month_with_year(header: str, year: object) -> bool:
    """False when "<header> <year>" cannot read as a month: ASCII text without digits gets its only digits
    from the (four-digit) year, and then only "<month name> <year>" is a month, which needs a month name
    as one of its words (the month text's first word is a whole word of the header, folded)."""
    if not (year.__class__ is int and 1000 <= year <= 9999) or not header.isascii() or _DIGIT.search(header) is not None:
        return True
    return any(word in cleaning._MONTHS for word in _LETTER_RUNS.findall(header.lower()))


@lru_cache(maxsize=1 << 16)
def _month_of_text(header: str) -> object | None:
    return _month_of_value(header)


def _month_of_value(header: object) -> object | None:
    if cleaning.is_blank(header):
        return None
    if isinstance(header, (int, float)) and not 20000 <= float(header) <= 80000:
        return None
    parsed = cleaning.parse_month(header)
    return parsed.value if parsed.value is not None else None


@dataclass
class Layout:
    """What the ingest needs to know about one sheet."""

    kind: str
    header_rows: tuple[int, ...] = ()  # 0-based indices into RawSheet.rows
    headers: list[str] = field(default_factory=list)  # combined header text per column
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index (first one wins)
    month_columns: dict[int, object] = field(default_factory=dict)  # column index -> first day of month
    duplicate_columns: dict[int, str] = field(default_factory=dict)  # extra column index -> field it repeats
    titles: list[str] = field(default_factory=list)  # the title lines above the header
    year: int | None = None  # a year stated in the titles or sheet name ("TAHUN 2016")
    message: str = ""
    signature: str | None = None  # header_signature(headers): the key of a person's mapping corrections
    notes: list[str] = field(default_factory=list)  # columns read by their cells, not their header (Indonesian)
    registry: bool = False  # one row per named business: the name column's cells hardly repeat
    earlier_years: dict[str, list[int]] = field(default_factory=dict)  # field -> its earlier years' columns, latest first

    @property
    def data_start(self) -> int:
        return (self.header_rows[-1] + 1) if self.header_rows else 0


def _cell_text(value: object) -> str:
    if cleaning.is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _row_texts(row: list[object]) -> list[str]:
    return [_cell_text(v) for v in row]


def _header_month(header: object, year: int | None) -> object | None:
    """The month a header cell stands for: "Jan-17", a date cell, or a bare month name ("Jan", "Februari")
    completed with the year of the titles ("LAPORAN OMZET TAHUN 2016")."""
    month = _month_of(header)
    if month is None and year is not None and isinstance(header, str) and _may_be_month_with_year(header, year) \
            and field_of(header) is None:
        month = _month_of(f"{header} {year}")
    return month


HEADER_MAX_WORDS = 12  # a longer cell is a sentence (a definition, a note), never a column's name


def _score(headers: list[object], year: int | None = None) -> tuple[int, int]:
    """(named fields, month columns) a candidate header row would give."""
    named = {field_of(h) for h in headers
             if not (isinstance(h, str) and h.count(" ") >= HEADER_MAX_WORDS)} - {None, "no", "keterangan"}
    months = sum(1 for h in headers if _header_month(h, year) is not None)
    return len(named), months


# A number typed as text, as every cell of a CSV is: "1", "1.000.000", "Rp 500.000", "2,5".
_NUMBER_TEXT = re.compile(r"(rp\.?\s*)?\d[\d.,\s]*(,-|,00)?", re.I)


def _numeric_share(row: list[object]) -> float:
    """Share of the filled cells holding numbers (number cells or number text): a data row, not a header."""
    filled = [v for v in row if not cleaning.is_blank(v)]
    if not filled:
        return 1.0
    numeric = sum(isinstance(v, (int, float)) or (isinstance(v, str) and bool(_NUMBER_TEXT.fullmatch(v.strip())))
                  for v in filled)
    return numeric / len(filled)


def _holds_long_number(row: list[object]) -> bool:
    """A number of five digits or more (a NIK, a phone number, an amount): a data row, never a header's
    second row, whose labels are words, years or column numbers."""
    for value in row:
        if isinstance(value, bool) or cleaning.is_blank(value):
            continue
        if isinstance(value, (int, float)):
            if abs(value) >= 10_000:
                return True
        elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()) and sum(c.isdigit() for c in value) >= 5:
            return True
    return False


def _combine(top: list[object], sub: list[object], merged_top: list[str]) -> list[object]:
    """Two header rows -> one: the sub-row's text where it names a field on its own, else the group label
    (carried across its merged range) joined with the sub text, else the top text."""
    combined: list[object] = []
    for col, sub_value in enumerate(sub):
        top_value = top[col] if col < len(top) else ""
        group = merged_top[col] if col < len(merged_top) else ""
        if cleaning.is_blank(sub_value):
            combined.append(top_value)
        elif name := _bare_name_under(sub_value, group):
            combined.append(name)
        elif isinstance(sub_value, (datetime, date)) or field_of(sub_value) or _month_of(sub_value) is not None:
            combined.append(sub_value)
        else:
            joined = _month_under_group(_cell_text(sub_value), group)
            if joined is not None:
                combined.append(joined)
            else:
                combined.append(f"{group} {_cell_text(sub_value)}".strip() if group else sub_value)
    return combined


_GROUP_FILLER = re.compile(r"^(data|identitas|profil|informasi|keterangan)\s+", re.I)


def _bare_name_under(sub: object, group: str) -> str | None:
    """A bare "Nama" takes its meaning from the merged group above it: "Nama" under "DATA USAHA" is the
    business name, under "IDENTITAS PEMILIK" the owner's (two such groups side by side are common)."""
    if not group or header_key(sub) != "nama":
        return None
    joined = f"{_cell_text(sub)} {_GROUP_FILLER.sub('', group.strip())}"
    return joined if field_of(joined) in {"nama_usaha", "nama_pemilik"} else None


def _month_under_group(sub: str, group: str) -> str | None:
    """A month name under a group label that gives its year: "Jan" under "2017" or under "TAHUN 2017"
    (a wide sales sheet with the year merged over the month columns) -> "Jan 2017"."""
    if not group:
        return None
    year = title_year([group])
    for candidate in (f"{sub} {group}", f"{sub} {year}" if year else ""):
        if candidate and _month_of(candidate) is not None:
            return candidate
    return None


def _carry_merged(row_index: int, row: list[object], sheet: RawSheet) -> list[str]:
    """A row's text with each merged cell's value carried across its horizontal range."""
    texts = _row_texts(row)
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= row_index <= r1 and c0 < len(texts) and texts[c0]:
            for col in range(c0, min(c1 + 1, len(texts))):
                texts[col] = texts[c0]
    return texts


def find_header(sheet: RawSheet) -> tuple[tuple[int, ...], list[object]] | None:
    """The header row (or pair of rows) scoring the most recognised fields among the first rows."""
    rows = sheet.rows[:HEADER_SCAN_ROWS]
    numeric = [_numeric_share(row) for row in rows]
    best: tuple[tuple[int, int, int], tuple[int, ...], list[object]] | None = None
    # title_year(_titles(sheet, index) + [sheet name]), carried down the rows instead of recomputed: the
    # first title line above the row that states a year, else the sheet name's year.
    year_above: int | None = None
    sheet_year = title_year([sheet.sheet])
    for index, row in enumerate(rows):
        if index and year_above is None:
            line = _title_line(rows[index - 1])
            year_above = title_year([line]) if line else None
        if numeric[index] > 0.5:
            continue
        year = year_above if year_above is not None else sheet_year
        named, months = _score(row, year)
        candidates = [((index,), row, named, months)]
        if index + 1 < len(rows) and numeric[index + 1] <= 0.5 and not _dates_under_date_header(row, rows[index + 1]) \
                and not _holds_long_number(rows[index + 1]):
            combined = _combine(row, rows[index + 1], _carry_merged(index, row, sheet))
            c_named, c_months = _score(combined, year)
            candidates.append(((index, index + 1), combined, c_named, c_months))
        for header_rows, headers, n_named, n_months in candidates:
            if n_named < MIN_HEADER_FIELDS and not (n_named >= 1 and n_months >= MIN_MONTH_COLUMNS):
                continue
            if n_months < MIN_MONTH_COLUMNS and any(_looks_like_data(rows, at, rows[at]) for at in header_rows):
                continue
            # more fields first, then months; a pair must beat the single row it extends, unless its
            # second row is plainly the sub-labels of merged groups ("TENAGA KERJA" over "L" and "P")
            sub_labels = len(header_rows) == 2 and _is_sub_header(row, rows[index + 1], _carry_merged(index, row, sheet))
            score = (n_named + min(n_months, 3), int(sub_labels), -len(header_rows), -index)
            if best is None or score > best[0]:
                best = (score, header_rows, headers)
    if best is None:
        return None
    return best[1], best[2]


def _dates_under_date_header(top: list[object], sub: list[object]) -> bool:
    """A date under a "Tanggal"/"Bulan" header: the row below is the first data row, not a second header row."""
    return any(field_of(value) == "bulan" and col < len(sub) and not cleaning.is_blank(sub[col])
               and _month_of(sub[col]) is not None for col, value in enumerate(top))


def _looks_like_data(rows: list[list[object]], index: int, headers: list[object]) -> bool:
    """A candidate header whose named cells read like the cells around them ("Kecamatan Natar" beside
    "Kecamatan Kalianda", "Desa Sukamaju" beside "Desa Way Urang"): a data row, whatever words it holds.
    Fewer than MIN_HEADER_FIELDS named cells unlike their column then."""
    near = rows[max(0, index - 5):index] + rows[index + 1:index + 6]
    unlike = alike = 0
    for col, header in enumerate(headers):
        if field_of(header) in (None, "no", "keterangan"):
            continue
        words = header_key(header).split()
        if len(words) < 2:
            unlike += 1
            continue
        same = 0
        for row in near:
            cell = row[col] if col < len(row) else None
            if isinstance(cell, str) and header_key(cell).split()[:1] == words[:1] and header_key(cell) != header_key(header):
                same += 1
        if same < 2:
            unlike += 1
        else:
            alike += 1
    return alike > 0 and unlike < MIN_HEADER_FIELDS


def _is_sub_header(top: list[object], sub: list[object], merged_top: list[str]) -> bool:
    """A row of short labels only under merged group cells (L / P under "TENAGA KERJA"),
    at least two of them: a split header's second row, never a data row (which fills the named columns)."""
    top_texts = _row_texts(top)
    labels = 0
    for col, value in enumerate(sub):
        if cleaning.is_blank(value):
            continue
        text = _cell_text(value)
        grouped = col < len(merged_top) and merged_top[col] and (col >= len(top_texts) or not top_texts[col]
                                                                 or merged_top[col] != top_texts[col] or _spans(merged_top, col))
        if not isinstance(value, str) or len(text) > 20 or not grouped:
            return False
        labels += 1
    return labels >= 2


def _spans(merged_top: list[str], col: int) -> bool:
    """Whether the merged text at ``col`` continues into a neighbouring column (a group over several)."""
    text = merged_top[col]
    return (col > 0 and merged_top[col - 1] == text) or (col + 1 < len(merged_top) and merged_top[col + 1] == text)


RECAP_MESSAGE = ("Lembar ini tabel rekap (label dengan angka jumlah per baris), bukan data per UMKM, penjualan, "
                 "atau daftar hadir; tidak dimuat ke tabel mana pun.")


def _label_and_counts(sheet: RawSheet) -> bool:
    """Most filled rows below the first are a text label and numbers (a recap: "Makanan/Minuman | 822"),
    at least two of them."""
    rows = [[v for v in row if not cleaning.is_blank(v)] for row in sheet.rows[:HEADER_SCAN_ROWS * 5]]
    rows = [row for row in rows if row][1:]
    alike = sum(1 for row in rows if len(row) >= 2 and isinstance(row[0], str)
                and all(_numeric_share([v]) == 1.0 for v in row[1:]))
    return len(rows) >= 2 and alike >= 0.7 * len(rows)


def _titles(sheet: RawSheet, before: int) -> list[str]:
    return [line for row in sheet.rows[:before] if (line := _title_line(row))]


def _title_line(row: list[object]) -> str:
    """A row's filled cells as one line of text ("" for an empty row)."""
    text = " ".join(t for t in _row_texts(row) if t)
    return re.sub(r"\s+", " ", text) if text else ""


FIELDS: tuple[str, ...] = tuple(name for name, _ in FIELD_RULES)
MONTH_FIELD = "bulan"  # as an override of a whole column: the column holds one month's sales


def header_signature(headers: list[str]) -> str:
    """A short key for a header row, equal for files whose headers read the same (case, spacing and
    punctuation aside): a mapping a person corrected is remembered under it for the next such file."""
    text = "\x1f".join(header_key(h) for h in headers).rstrip("\x1f")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def detect(sheet: RawSheet, forced_kind: str | None = None, overrides: Mapping[str, dict] | None = None) -> Layout:
    """Header, column map, titles and kind of one sheet.

    ``overrides`` maps a header signature to a person's corrections, {"kind": ..., "columns": {header
    text: field, or "" to ignore the column}}; a forced kind (--kind) still wins over both."""
    if not any(not cleaning.is_blank(v) for row in sheet.rows for v in row):
        return Layout(kind=KIND_UNKNOWN, message="Lembar kosong.")
    found = find_header(sheet)
    if found is None:
        return Layout(
            kind=KIND_UNKNOWN,
            titles=_titles(sheet, min(len(sheet.rows), 10)),
            message=RECAP_MESSAGE if _label_and_counts(sheet) else
            "Baris judul kolom tidak ditemukan (tidak ada kolom yang dikenali seperti Nama Usaha, "
            "Nama Pemilik, NIK, Kecamatan, Omzet, atau kolom bulan).",
        )
    header_rows, headers = found
    layout = Layout(kind=KIND_UNKNOWN, header_rows=header_rows, headers=[_cell_text(h) for h in headers])
    layout.titles = _titles(sheet, header_rows[0])
    layout.year = title_year(layout.titles + [sheet.sheet])
    layout.signature = header_signature(layout.headers)
    correction = (overrides or {}).get(layout.signature) or {}
    # Keyed by the header as compared (case, spacing, punctuation aside), like the signature itself.
    corrected = {header_key(text): name for text, name in (correction.get("columns") or {}).items()}
    for col, header in enumerate(headers):
        text = header_key(layout.headers[col])
        month = _header_month(header, layout.year)
        if text and text in corrected:
            name = corrected[text] or None
            if name == MONTH_FIELD and month is not None:
                layout.month_columns[col] = month
                continue
            if name not in FIELDS:
                continue
        elif month is not None:
            layout.month_columns[col] = month
            continue
        else:
            name = field_of(header)
        if name is None:
            continue
        if name in layout.columns:
            layout.duplicate_columns[col] = name
        else:
            layout.columns[name] = col
    if not corrected:
        _by_cells(layout, sheet)
    _production_value(layout)
    _latest_year(layout)
    layout.registry = _is_registry(layout, sheet)
    wanted_kind = correction.get("kind")
    layout.kind = forced_kind or (wanted_kind if wanted_kind in (*KINDS, KIND_UNKNOWN) else None) or _kind(layout, sheet.sheet)
    if layout.kind == KIND_UNKNOWN and not layout.message:
        layout.message = (
            "Lembar ini bukan data pelaku UMKM, laporan penjualan, atau daftar hadir pelatihan "
            "(misalnya tabel rekap jumlah); tidak dimuat ke tabel mana pun."
        )
    return layout


# A column's meaning from its cells: a header word that can mean two things ("kontak", "nama", "umkm")
# is decided by what the column holds. Only a sample of the cells is looked at.
CELL_SAMPLE = 80
_SHOP_WORDS = frozenset(
    "warung toko ud cv pt rm kedai depot kios cafe kafe resto restoran rumah makan catering katering bengkel salon "
    "laundry konveksi mart cell jaya makmur sentosa abadi berkah barokah jahit tailor fotocopy percetakan studio "
    "olshop shop store kelontong minimarket grosir penjahit meubel mebel furniture bakery dapur kitchen koperasi "
    "kelompok kub gapoktan poktan pkk sentra home industri industry galeri gallery official".split())
# Words of a product: a name made of them and something else ("Bakso Om Heri") is a shop's name.
_PRODUCT_WORDS = frozenset(
    "bakso mie mi soto sate nasi goreng pecel lele ayam bebek kopi roti kue keripik kripik krupuk kerupuk tahu tempe "
    "batik tenun snack jamu sambal es jus seblak martabak gorengan pempek siomay dimsum donat cireng kupat ketupat "
    "lontong gudeg rendang padang bakery frozen food madu susu tape".split())
_PERSON_TITLES = re.compile(r"^(bpk|bp|bapak|ibu|bu|sdr|sdri|h|hj|hajjah|haji|dr|ir|drs|pak|mas|mbak|mba)\.?\s", re.I)
_PERSON_NAME = re.compile(r"[A-Za-z][A-Za-z.,' -]*")
NAME_FIELDS = ("no_hp", "nama_pemilik", "nama_usaha")
_FIELD_WORDS = {"no_hp": "nomor telepon", "nama_pemilik": "nama pemilik", "nama_usaha": "nama usaha",
                "produk": "produk / jenis usaha"}


# Header words that name their field beyond doubt: such a column keeps its field whatever its cells.
_SURE_WORDS = {
    "no_hp": re.compile(r"\bhp\b|telp|telepon|phone|\bwa\b|whatsapp|ponsel|\bfax\b|handphone"),
    "nama_pemilik": re.compile(r"pemilik|owner|pelaku|pengusaha|penanggung jawab|peserta|pengrajin"),
    "nama_usaha": re.compile(r"nama (usaha|umkm|ukm|ikm|unit usaha)|perusahaan|toko|business|shop|store|company|merek|merk|"
                             r"brand"),
}


def _sure(header: str, name: str) -> bool:
    """Whether a header names ``name`` beyond doubt: a sure word of that field and none of another's."""
    key = header_key(header)
    own = _SURE_WORDS.get(name)
    if own is None or not own.search(key):
        return False
    return not any(pattern.search(key) for other, pattern in _SURE_WORDS.items() if other != name)


def _cell_class(value: object) -> str | None:
    """"phone", "shop", "person" or None (neither: blank, a number, a date, a long text)."""
    if cleaning.is_blank(value) or isinstance(value, (datetime, date, bool)):
        return None
    if isinstance(value, (int, float)):
        return "phone" if cleaning.parse_phone(value).value is not None else None
    text = str(value).strip()
    if not _LETTER.search(text):
        return "phone" if cleaning.parse_phone(text).value is not None else None
    words = re.findall(r"[a-z0-9]+", fold(text))
    if not words or len(words) > 8:
        return None
    if set(words) & _SHOP_WORDS or _DIGIT.search(text) or "&" in text:
        return "shop"
    if set(words) & _PRODUCT_WORDS:
        return "shop" if set(words) - _PRODUCT_WORDS and len(words) >= 2 else None
    if len(words) <= 5 and _PERSON_NAME.fullmatch(text):
        return "person"
    return None


def _column_sample(sheet: RawSheet, start: int, col: int) -> list[object]:
    sample: list[object] = []
    for row in sheet.rows[start:]:
        if col < len(row) and not cleaning.is_blank(row[col]):
            sample.append(row[col])
            if len(sample) >= CELL_SAMPLE:
                break
    return sample


def _shares(sample: list[object]) -> dict[str, float]:
    classes = [_cell_class(v) for v in sample]
    return {kind: classes.count(kind) / len(sample) for kind in ("phone", "shop", "person")} if sample else {}


def _product_like(sample: list[object]) -> bool:
    """Short texts that repeat and are no shop's or person's name ("Tempe", "Bahan Pokok"): a product
    column under a bare header such as "USAHA" (a column of business names hardly repeats)."""
    texts = [fold(str(v)).strip() for v in sample if isinstance(v, str)]
    if len(texts) < 5 or len(set(texts)) > 0.75 * len(texts):
        return False
    shares = _shares(sample)
    return shares["shop"] < 0.5 and shares["person"] < 0.7 and sorted(len(t.split()) for t in texts)[len(texts) // 2] <= 3


def _by_cells(layout: Layout, sheet: RawSheet) -> None:
    """Move the name and phone columns to the field their cells show; each move noted in layout.notes."""
    start = layout.data_start
    columns = {col: name for name, col in layout.columns.items()}
    columns.update({col: name for col, name in layout.duplicate_columns.items()})
    candidates = sorted(col for col, name in columns.items() if name in NAME_FIELDS)
    if not candidates:
        return
    found: dict[int, str | None] = {}
    samples: dict[int, list[object]] = {}
    for col in candidates:
        sample = samples[col] = _column_sample(sheet, start, col)
        shares = _shares(sample)
        if len(sample) < 3 or _sure(layout.headers[col], columns[col]):
            found[col] = columns[col]
            continue
        name = columns[col]
        phone, shop, person = shares["phone"], shares["shop"], shares["person"]
        if name == "no_hp" and phone < 0.3 and shop + person >= 0.5:
            name = "nama_usaha" if shop > person else "nama_pemilik"
        elif name != "no_hp" and phone >= 0.6:
            name = "no_hp"
        elif name == "nama_pemilik" and shop >= 0.5:
            name = "nama_usaha"
        elif name == "nama_usaha" and "nama" not in header_key(layout.headers[col]).split() and _product_like(sample):
            name = "produk"
        elif name == "nama_usaha" and person >= 0.7 and shop <= 0.1:
            name = "nama_pemilik"
        found[col] = name
        if name == columns[col] and max(phone, shop, person) < 0.5:
            examples = ", ".join(f"\"{_cell_text(v)}\"" for v in sample[:3])
            layout.notes.append(f"kolom '{layout.headers[col]}' belum pasti: isinya campuran ({examples}); dibaca sebagai "
                                f"{_FIELD_WORDS[name]}, periksa")
    if all(found[col] == columns[col] for col in found):
        return
    # Rebuild the map of these columns: the first column of a field holds it, the others are duplicates.
    for col in candidates:
        old = columns[col]
        if layout.columns.get(old) == col:
            del layout.columns[old]
        layout.duplicate_columns.pop(col, None)
    for col in candidates:
        name = found[col]
        if name is None:
            continue
        if name in layout.columns:
            if layout.columns[name] > col:
                layout.duplicate_columns[layout.columns[name]] = name
                layout.columns[name] = col
            else:
                layout.duplicate_columns[col] = name
        else:
            layout.columns[name] = col
        if name != columns[col]:
            examples = ", ".join(f"\"{_cell_text(v)}\"" for v in samples[col][:2])
            layout.notes.append(f"kolom '{layout.headers[col]}' dibaca sebagai {_FIELD_WORDS[name]} menurut isinya "
                                f"({examples}), bukan {_FIELD_WORDS[columns[col]]}")


_HEADER_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
YEARLY_FIELDS = ("omzet", "tenaga_kerja", "aset_rp", "nilai_produksi")


def _latest_year(layout: Layout) -> None:
    """Yearly blocks of one field ("OMSET_2019", "OMSET_2020", "OMSET_2021"): the latest year's column is
    the field; the earlier ones stay listed as repeated columns (and in earlier_years, for a row whose
    latest year is empty). Noted in layout.notes."""
    for name in YEARLY_FIELDS:
        first = layout.columns.get(name)
        if first is None:
            continue
        cols = [first, *sorted(c for c, f in layout.duplicate_columns.items() if f == name)]
        years = [_HEADER_YEAR.findall(layout.headers[c]) for c in cols]
        if len(cols) < 2 or any(len(found) != 1 for found in years) or len({y[0] for y in years}) != len(cols):
            continue
        by_year = [col for _, col in sorted(zip((int(y[0]) for y in years), cols), reverse=True)]
        latest = by_year[0]
        layout.earlier_years[name] = by_year[1:]
        if latest == first:
            continue
        layout.columns[name] = latest
        del layout.duplicate_columns[latest]
        layout.duplicate_columns[first] = name
        others = ", ".join(f"'{layout.headers[c]}'" for c in cols if c != latest)
        layout.notes.append(f"kolom '{layout.headers[latest]}' (tahun terbaru) dipakai; {others} hanya bila tahun "
                            "terbaru kosong")


def _production_value(layout: Layout) -> None:
    """A bare "NILAI" right after production columns ("KAPASITAS PRODUKSI", "SATUAN") is the production
    value, not omzet."""
    col = layout.columns.get("omzet")
    if col is None or header_key(layout.headers[col]) not in {"nilai", "nilai rp"}:
        return
    if any("produksi" in header_key(h) for h in layout.headers[max(0, col - 3):col]):
        del layout.columns["omzet"]
        layout.columns.setdefault("nilai_produksi", col)
        layout.notes.append(f"kolom '{layout.headers[col]}' di samping kolom produksi dibaca sebagai nilai produksi, "
                            "bukan omzet")


def _is_registry(layout: Layout, sheet: RawSheet) -> bool:
    """One row per named business: the business (else owner) name column's sampled cells hardly repeat."""
    col = layout.columns.get("nama_usaha", layout.columns.get("nama_pemilik"))
    if col is None:
        return False
    texts = [fold(_cell_text(v)) for v in _column_sample(sheet, layout.data_start, col)]
    texts = [t for t in texts if _LETTER.search(t)]
    return len(texts) >= 5 and len(set(texts)) >= 0.8 * len(texts)


# A date column beside one value column (and at most a product, unit or volume), or an order list (date,
# product, price, quantity): the sales of one producer. When the sheet names no producer, its rows are
# kept as sales rows linked to no producer.
SERIES_FIELDS = {"bulan", "omzet", "harga", "produk", "satuan", "volume", "no", "keterangan"}
SERIES_MESSAGE = ("Deret penjualan (tanggal | nilai) satu usaha; lembar tidak menyebut nama usaha atau pemilik, "
                  "jadi barisnya disimpan sebagai penjualan yang belum terhubung ke pelaku UMKM.")


SIDE_BY_SIDE_MESSAGE = ("Beberapa blok tanggal | penjualan berdampingan dalam satu lembar; bentuk ini belum dapat "
                        "dibaca (tanggal mana milik nilai mana tidak pasti). Salin tiap blok ke lembarnya sendiri.")


def _kind(layout: Layout, sheet_name: str) -> str:
    fields = set(layout.columns)
    title = fold(" ".join(layout.titles + [sheet_name]))
    has_identity = bool(fields & IDENTITY_FIELDS)
    if "agregat" in fields and not (fields & {"nik", "no_hp", "nama_pemilik"}) and not layout.registry:
        return KIND_UNKNOWN
    if len(layout.month_columns) >= MIN_MONTH_COLUMNS and has_identity:
        return KIND_SALES
    if {"bulan", "omzet"} <= fields and has_identity:
        return KIND_SALES
    if ({"bulan", "omzet"} <= fields or {"bulan", "harga"} <= fields) and not fields - SERIES_FIELDS:
        if {"bulan", "omzet"} & set(layout.duplicate_columns.values()):
            layout.message = SIDE_BY_SIDE_MESSAGE  # which date goes with which value is not known: not guessed
            return KIND_UNKNOWN
        layout.message = SERIES_MESSAGE
        return KIND_SALES
    if has_identity and (_TRAINING_TITLE.search(title) or ("tanda_tangan" in fields and _TRAINING_EVENT.search(title))):
        return KIND_TRAINING
    names = len({"nama_usaha", "nama_pemilik"} & fields)
    if names and (len(fields & PRODUCER_DETAIL_FIELDS) + names >= 3 or layout.registry):
        if _SALES_TITLE.search(title) and "bulan" in fields:
            return KIND_SALES
        return KIND_PRODUCERS
    return KIND_UNKNOWN


_YEAR = re.compile(r"\b(?:tahun|thn|th\.?|ta\.?)?\s*((?:19|20)\d\d)\b")


def title_year(texts: list[str]) -> int | None:
    """The year a title block is about: the first 4-digit year in it."""
    for text in texts:
        match = _YEAR.search(fold(text))
        if match:
            return int(match.group(1))
    return None


def title_meta(titles: list[str]) -> dict[str, str]:
    """'Key : value' lines of the title block (tanggal, lokasi, penyelenggara, biaya) and the event name:
    the first title line that names a training event."""
    meta: dict[str, str] = {}
    for line in titles:
        key_part, sep, value = line.partition(":")
        folded = fold(key_part)
        matched = False
        if sep:
            for key, pattern in _META_KEYS.items():
                if pattern.match(folded) and key not in meta:
                    meta[key] = value.strip(" :")
                    matched = True
                    break
        if matched:
            continue
        folded_line = fold(line)
        if "nama" not in meta and _TRAINING_EVENT.search(folded_line) and not _TRAINING_TITLE.fullmatch(folded_line):
            meta["nama"] = re.sub(r"^(daftar hadir( peserta)?|absensi|presensi)\s*:?\s*", "", line, flags=re.I).strip()
        if ("tanggal" not in meta and re.search(r"\b(19|20)\d\d\b", line)
                and re.search(r"\d{1,2}\s*(s\.?/?d\.?|-|sampai)", folded_line + " ")):
            parsed = cleaning.parse_date_range(line)
            if parsed.value is not None:
                meta["tanggal"] = line
    return meta
