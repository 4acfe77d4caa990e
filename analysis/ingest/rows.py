"""One sheet's rows, by kind: producers (a registry), sales rows (long or wide), or a training event
and its participants; each row kept, fixed, rejected or skipped on the sheet's report."""
from __future__ import annotations

import re
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core import wilayah as wilayah_data
from analysis.ingest import cleaning, screening
from analysis.ingest import columns as cols
from analysis.ingest import layout as lay
from analysis.ingest.linking import (
    stable_id,
)
from analysis.ingest.sheet import (
    REJECT_BAD_VALUE,
    REJECT_NO_KECAMATAN,
    REJECT_NO_MONTH,
    REJECT_NO_NAME,
    REJECT_NO_PARTICIPANT,
    REJECTED,
    SKIP_ABOVE_HEADER,
    SKIP_EXCEL_ERROR,
    SKIP_NO_SALES,
    SKIP_NOT_A_TABLE,
    SKIPPED,
    Sheet,
    missing,
)


def _sheet_kecamatan(sheet: Sheet, matcher: cleaning.KecamatanMatcher) -> str | None:
    for text in (*sheet.layout.titles, sheet.raw.sheet, Path(sheet.raw.path).stem):
        found = matcher.find_in_text(text)
        if found:
            return found
    return None


def _kecamatan(sheet: Sheet, rows: list[int], matcher: cleaning.KecamatanMatcher, fix_rows: set[int],
               reject: dict[int, str]) -> pd.Series:
    """Kecamatan per row: the row's own cell, else the address, else the sheet's title/name."""
    fallback = _sheet_kecamatan(sheet, matcher)
    sheet.report.kecamatan = fallback
    result = pd.Series(fallback, index=cols.rows_index(rows), dtype=object)
    found = result.to_numpy(dtype=object, copy=True)
    if "kecamatan" in sheet.layout.columns:
        values, fixes, errors = cols.parse_column(sheet, rows, "kecamatan", matcher.match)
        # Plain arrays, not Series lookups per row: a province registry has tens of thousands of rows.
        values_at, fixes_at, errors_at = (series.to_numpy(dtype=object, copy=True) for series in (values, fixes, errors))
        has_error = ~pd.isna(errors_at)
        _twins_by_kabupaten(sheet, rows, matcher, values_at, fixes_at, errors_at, has_error)
        has_value = ~has_error & ~pd.isna(values_at)
        has_fix = has_value & ~pd.isna(fixes_at)
        for position in np.flatnonzero(has_error).tolist():
            reject.setdefault(rows[position], str(errors_at[position]))
        found[has_value] = values_at[has_value]
        sheet.fixes.update(str(code) for code in fixes_at[has_fix].tolist())
        fix_rows.update(cols.rows_array(rows)[has_fix].tolist())
        if fallback is not None:
            titled = int((~has_error & ~has_value).sum())
            if titled:
                sheet.fixes["kecamatan_dari_judul"] += titled
    elif "alamat" in sheet.layout.columns:
        in_address = cols.parse_column(sheet, rows, "alamat", partial(_kecamatan_in_address, matcher))[0]
        for position, value in enumerate(in_address.to_numpy(dtype=object)):
            if value:
                found[position] = value
    if "lintang" in sheet.layout.columns and "bujur" in sheet.layout.columns:
        _kecamatan_at_coordinates(sheet, rows, found, fix_rows, reject)
    for position in np.flatnonzero(pd.isna(found)).tolist():
        if rows[position] not in reject:
            reject[rows[position]] = REJECT_NO_KECAMATAN
    return pd.Series(found, index=cols.rows_index(rows), dtype=object, copy=False)


# Indonesia in degrees, with a margin: a pair outside is not a coordinate in degrees (UTM metres, a typo).
_LATITUDES, _LONGITUDES = (-12.0, 7.0), (94.0, 142.0)


def _degrees(sheet: Sheet, rows: list[int], name: str) -> np.ndarray:
    text = cols.column(sheet, rows, name).astype("string").str.strip().str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _kecamatan_at_coordinates(sheet: Sheet, rows: list[int], found: np.ndarray, fix_rows: set[int],
                              reject: dict[int, str]) -> None:
    """Rows without a kecamatan but with coordinates in degrees (a Google Maps export): the kecamatan
    whose shipped polygon holds the point (an approximate boundary, said as a fix). A latitude and
    longitude written the wrong way round are swapped; a point outside the region is rejected with that reason."""
    open_rows = np.flatnonzero(pd.isna(found) & np.array([r not in reject for r in rows], dtype=bool))
    if len(open_rows) == 0:
        return
    lat, lon = _degrees(sheet, rows, "lintang")[open_rows], _degrees(sheet, rows, "bujur")[open_rows]
    swapped = (lat >= _LONGITUDES[0]) & (lat <= _LONGITUDES[1]) & (lon >= _LATITUDES[0]) & (lon <= _LATITUDES[1])
    lat, lon = np.where(swapped, lon, lat), np.where(swapped, lat, lon)
    usable = (lat >= _LATITUDES[0]) & (lat <= _LATITUDES[1]) & (lon >= _LONGITUDES[0]) & (lon <= _LONGITUDES[1])
    if not usable.any():
        return
    from analysis.boundaries import shipped  # geopandas only for sheets that carry coordinates

    region = wilayah_data.region()
    located = shipped.kecamatan_at(lon[usable], lat[usable], region.kode)
    for position, name, y, x in zip(open_rows[usable].tolist(), located.tolist(), lat[usable], lon[usable]):
        if name is None:
            reject[rows[position]] = f"koordinat ({fmt.number(y, 5)}; {fmt.number(x, 5)}) di luar wilayah {region.short}"
        else:
            found[position] = name
            sheet.fixes[cleaning.FIX_KEC_KOORDINAT] += 1
            fix_rows.add(rows[position])


# Short forms officers write for a kabupaten, beside its name in the code list.
_KABUPATEN_ALIASES = {"18.01": ("lamsel", "lam sel")}


_AREA_KIND = re.compile(r"^(?:(?:kabupaten|kab|kota|provinsi|prov|daerah istimewa|daerah khusus ibukota|d i|di|dki)\s+)+")


def _area_key(name: str) -> str:
    """A kabupaten/kota or provinsi name as it is compared: folded, letters only, without its kind."""
    folded = re.sub(r"[^a-z]+", " ", ref.fold(name)).strip()
    return _AREA_KIND.sub("", folded)


@lru_cache(maxsize=8)
def _our_areas(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names a province column and a kabupaten/kota column may hold for rows of region ``code``."""
    region = wilayah_data.region(code)
    province = (_area_key(region.provinsi),)
    if region.is_provinsi:
        kabupaten = tuple(_area_key(name) for name in wilayah_data.kabupaten_of(code).values())
    else:
        kabupaten = (_area_key(region.nama), *_KABUPATEN_ALIASES.get(code, ()))
    return province, kabupaten


def _outside_region(sheet: Sheet, rows: list[int], reject: dict[int, str]) -> None:
    """Rows whose province or kabupaten/kota column names a place outside the office's region are
    rejected with that reason (before any kecamatan reason): a kecamatan of the same name elsewhere
    ("Ketapang" of Sampang) is not ours."""
    col = sheet.layout.columns.get("wilayah")
    if col is None:
        return
    region = wilayah_data.region()
    provinces, kabupaten = _our_areas(region.kode)
    key = lay.header_key(sheet.layout.headers[col])
    ours = provinces if ("prov" in key or "province" in key) else kabupaten
    texts = cols.text(sheet, rows, "wilayah").to_numpy(dtype=object)
    for position, text in enumerate(texts):
        if text is None or not isinstance(text, str):
            continue
        folded = f" {_area_key(text)} "
        # Either name may be the longer: "Kab. Lampung Selatan" for ours, "Yogyakarta" for "Daerah Istimewa Yogyakarta".
        if folded.strip() and not any(f" {name} " in folded or folded in f" {name} " for name in ours):
            reject[rows[position]] = f"wilayah '{text}' di luar {region.nama}"


def _twins_by_kabupaten(sheet: Sheet, rows: list[int], matcher: cleaning.KecamatanMatcher, values: np.ndarray,
                        fixes: np.ndarray, errors: np.ndarray, has_error: np.ndarray) -> None:
    """A kecamatan name found in two kabupaten/kota of a provinsi region is told apart by the row's own
    kabupaten/kota column ("TAMAN" beside "[15] SIDOARJO" is Taman of Sidoarjo). Updates the arrays in place."""
    if "wilayah" not in sheet.layout.columns:
        return
    twins = [p for p in np.flatnonzero(has_error).tolist() if str(errors[p]).endswith(cleaning.AMBIGUOUS_HINT)]
    if not twins:
        return
    kecamatan = cols.text(sheet, rows, "kecamatan").to_numpy(dtype=object)
    kabupaten = cols.text(sheet, rows, "wilayah").to_numpy(dtype=object)
    for position in twins:
        if not isinstance(kabupaten[position], str) or not isinstance(kecamatan[position], str):
            continue
        parsed = matcher.match(f"{kecamatan[position]}, {kabupaten[position]}")
        if parsed.error is None and parsed.value is not None:
            values[position], fixes[position], errors[position] = parsed.value, None, None
            has_error[position] = False


def _kecamatan_in_address(matcher: cleaning.KecamatanMatcher, address: object) -> str | None:
    return matcher.find_in_text(lay._cell_text(address)) if not cleaning.is_blank(address) else None


def producer_rows(sheet: Sheet, matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    rows = screening.screen(sheet, ("nama_usaha", "nama_pemilik"))
    fix_rows: set[int] = set()
    reject: dict[int, str] = {}
    usaha, pemilik = cols.text(sheet, rows, "nama_usaha"), cols.text(sheet, rows, "nama_pemilik")
    for index in usaha.index[usaha.isna().to_numpy() & pemilik.isna().to_numpy()]:
        reject[index] = REJECT_NO_NAME
    kecamatan = _kecamatan(sheet, rows, matcher, fix_rows, reject)
    _outside_region(sheet, rows, reject)
    omzet_header = sheet.layout.headers[sheet.layout.columns["omzet"]] if "omzet" in sheet.layout.columns else None
    omzet = _in_unit(sheet, "omzet", cols.parse(sheet, rows, "omzet", partial(cleaning.parse_omzet, header=omzet_header), fix_rows))
    omzet = _earlier_years(sheet, rows, "omzet", omzet)
    aset = _in_unit(sheet, "aset_rp", cols.parse(sheet, rows, "aset_rp", cleaning.parse_rupiah, fix_rows))
    produk = cols.text(sheet, rows, "produk")
    kategori_text = cols.text(sheet, rows, "kategori")
    frame = pd.DataFrame({
        "nama_usaha": usaha,
        "nama_pemilik": pemilik,
        "nik": cols.parse(sheet, rows, "nik", cleaning.parse_nik, fix_rows),
        "jenis_kelamin": cols.parse(sheet, rows, "jenis_kelamin", cleaning.parse_gender, fix_rows),
        "no_hp": cols.parse(sheet, rows, "no_hp", cleaning.parse_phone, fix_rows),
        "kecamatan": kecamatan,
        "desa": cols.text(sheet, rows, "desa").where(lambda s: s.notna(), cols.text(sheet, rows, "alamat")),
        # Without a product column the business name's words decide ("Bakso Om Heri"): better than Lainnya.
        "kategori": _kategori(produk if "produk" in sheet.layout.columns else usaha, kategori_text),
        "produk_utama": produk,
        "tahun_mulai": cols.parse(sheet, rows, "tahun_mulai", cleaning.parse_year, fix_rows),
        "tenaga_kerja": _earlier_years(sheet, rows, "tenaga_kerja", _workers(sheet, rows, fix_rows), cleaning.parse_int),
        "aset_rp": aset,
        "omzet_tahunan_rp": omzet,
        "nib": cols.parse(sheet, rows, "nib", cleaning.parse_bool, fix_rows),
        "pirt": cols.parse(sheet, rows, "pirt", cleaning.parse_bool, fix_rows),
        "halal": cols.parse(sheet, rows, "halal", cleaning.parse_bool, fix_rows),
        "jangkauan_pasar": cols.parse(sheet, rows, "jangkauan_pasar", cleaning.parse_jangkauan, fix_rows),
        "pemasaran_online": cols.parse(sheet, rows, "pemasaran_online", cleaning.parse_bool, fix_rows),
        "sumber_file": sheet.display_path,
        "sumber_baris": [sheet.excel_row(i) for i in rows],
        "sumber_sheet": sheet.raw.sheet,
    }, index=cols.rows_index(rows))
    if "omzet" not in sheet.layout.columns and "aset_rp" in sheet.layout.columns:
        sheet.report.notes.append(
            f"tidak ada kolom omzet: skala usaha dihitung dari kolom '{sheet.layout.headers[sheet.layout.columns['aset_rp']]}' "
            "(aset/modal, seperti UU 20/2008 dan PP 7/2021 membolehkan)")
    unmapped = frame["kategori"].eq(ref.KATEGORI_LAINNYA) & frame["produk_utama"].notna()
    sheet.fixes["kategori_lainnya"] += int(unmapped.sum())
    for index, reason in sorted(reject.items()):
        sheet.drop_row(index, REJECTED, reason)
    frame = frame.drop(index=list(reject))
    sheet.report.rows_kept += len(frame)
    sheet.report.rows_fixed += len(fix_rows - set(reject))
    frame["_sheet"] = 0  # its position among all sheets, set by pipeline.ingest_paths
    return frame


def _earlier_years(sheet: Sheet, rows: list[int], name: str, values: pd.Series, parser=None) -> pd.Series:
    """A row whose latest year's value is empty takes the latest earlier year that has one (yearly blocks,
    see layout._latest_year); how many did is noted in the report."""
    earlier = sheet.layout.earlier_years.get(name) or []
    unit = _unit(sheet, name)[0] if parser is None else 1
    filled = 0
    for col in earlier:
        empty = values.isna().to_numpy()
        if not empty.any():
            break
        cells = pd.Series(cols.column_at(sheet, rows, col), index=cols.rows_index(rows), dtype=object)
        parse = parser or partial(cleaning.parse_omzet, header=sheet.layout.headers[col])
        older = pd.to_numeric(cleaning.parse_values(cells, parse)[0], errors="coerce") * unit
        take = empty & older.notna().to_numpy()
        if take.any():
            values = values.astype(object).where(~take, older.astype(object))
            filled += int(take.sum())
    if filled:
        header = sheet.layout.headers[sheet.layout.columns[name]]
        sheet.report.notes.append(f"{filled:,} baris tanpa nilai '{header}' memakai tahun sebelumnya".replace(",", "."))
    return values


def _unit(sheet: Sheet, name: str) -> tuple[int, str]:
    """The unit of a money column: stated in its header, else in the title rows; with where it was read."""
    col = sheet.layout.columns.get(name)
    if col is None:
        return 1, ""
    header = sheet.layout.headers[col]
    unit = cleaning.money_unit(header)
    if unit != 1:
        return unit, f"judul kolom '{header}'"
    for title in sheet.layout.titles:
        unit = cleaning.money_unit(title)
        if unit != 1:
            return unit, f"judul lembar '{title}'"
    return 1, ""


def _in_unit(sheet: Sheet, name: str, values: pd.Series) -> pd.Series:
    """Amounts in rupiah: multiplied by the unit a header or title states ("(Rp.000)", "dalam jutaan")."""
    unit, where = _unit(sheet, name)
    if unit == 1:
        return values
    header = sheet.layout.headers[sheet.layout.columns[name]]
    sheet.report.notes.append(f"nilai kolom '{header}' dikali {unit:,} (satuan pada {where})".replace(",", "."))
    return pd.to_numeric(values, errors="coerce") * unit


# The parts of a split count under one group header: L / P, Lk / Pr / As, laki-laki / perempuan,
# tetap / lepas. Columns of years ("TK 2019", "TK 2020") are no parts: only the first is read.
_SPLIT_PART = re.compile(r"(^|\s)(l|p|lk|pr|as|wna|laki laki|laki|perempuan|pria|wanita|tetap|lepas|tidak tetap|"
                         r"harian|borongan|male|female)$")


def _workers(sheet: Sheet, rows: list[int], fix_rows: set[int]) -> pd.Series:
    """Workers: the one column, or the sum of its split parts (L + P) when the header is split so."""
    layout = sheet.layout
    first = layout.columns.get("tenaga_kerja")
    total = cols.parse(sheet, rows, "tenaga_kerja", cleaning.parse_int, fix_rows)
    if first is None:
        return total
    parts = [col for col in [first, *sorted(c for c, f in layout.duplicate_columns.items() if f == "tenaga_kerja")]
             if _SPLIT_PART.search(lay.header_key(layout.headers[col]).replace("_", " "))]
    if first not in parts or len(parts) < 2:
        return total
    values = [total] + [cleaning.parse_values(pd.Series(cols.column_at(sheet, rows, col), index=cols.rows_index(rows),
                                                        dtype=object), cleaning.parse_int)[0] for col in parts[1:]]
    summed = pd.concat(values, axis=1).apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=1)
    sheet.report.notes.append("tenaga kerja = jumlah kolom " + " + ".join(f"'{layout.headers[c]}'" for c in parts))
    return summed.astype("Int64").astype(object).where(summed.notna(), None)


def _kategori(produk: pd.Series, kategori_text: pd.Series) -> pd.Series:
    """A canonical kategori written in the sheet wins; otherwise the product's keywords decide."""
    def one(product: object, written: object) -> str:
        if not missing(written):
            parsed = cleaning.classify_kategori(written)
            if parsed.value not in (None, ref.KATEGORI_LAINNYA):
                return str(parsed.value)
        parsed = cleaning.BLANK if missing(product) else cleaning.classify_kategori(product)
        return str(parsed.value) if parsed.value is not None else ref.KATEGORI_LAINNYA
    # Once per distinct (product, written kategori) pair: a registry repeats a few hundred products.
    products, written = produk.to_numpy(dtype=object), kategori_text.to_numpy(dtype=object)
    written_codes = cleaning.unique_codes(kategori_text, written) + 1  # 0: missing
    pairs = (cleaning.unique_codes(produk, products) + 1) * (int(written_codes.max(initial=0)) + 1) + written_codes
    first_at, inverse = cleaning._first_and_inverse(pd.factorize(pairs)[0])
    kinds = np.empty(len(first_at), dtype=object)
    kinds[:] = [one(products[i], written[i]) for i in first_at.tolist()]
    return pd.Series(kinds[inverse], index=produk.index, dtype=object, copy=False)


def _identity(sheet: Sheet, rows: list[int], matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    fallback = _sheet_kecamatan(sheet, matcher)
    sheet.report.kecamatan = fallback
    kecamatan = pd.Series(fallback, index=cols.rows_index(rows), dtype=object)
    if "kecamatan" in sheet.layout.columns:
        values, _, _ = cols.parse_column(sheet, rows, "kecamatan", matcher.match)
        kecamatan = values.where(values.notna(), kecamatan)
    unused: set[int] = set()
    return pd.DataFrame({
        "nik": cols.parse(sheet, rows, "nik", cleaning.parse_nik, unused) if "nik" in sheet.layout.columns else None,
        "no_hp": cols.parse(sheet, rows, "no_hp", cleaning.parse_phone, unused) if "no_hp" in sheet.layout.columns else None,
        "nama_usaha": cols.text(sheet, rows, "nama_usaha"),
        "nama_pemilik": cols.text(sheet, rows, "nama_pemilik"),
        "kecamatan": kecamatan,
    }, index=cols.rows_index(rows))


def sales_rows(sheet: Sheet, matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    rows = screening.screen(sheet, ("nama_usaha", "nama_pemilik", "nik"))
    identity = _identity(sheet, rows, matcher)
    produk = cols.text(sheet, rows, "produk")
    satuan = cols.text(sheet, rows, "satuan")
    if sheet.layout.month_columns:
        return _wide_sales(sheet, rows, identity, produk, satuan)
    fix_rows: set[int] = set()
    month_text, pair_codes = _month_text(sheet, rows)
    months, _, _ = cleaning.parse_values(month_text, cleaning.parse_month, pair_codes)
    value_field = "omzet" if "omzet" in sheet.layout.columns or "harga" not in sheet.layout.columns else "harga"
    raw_values = cols.column(sheet, rows, value_field)
    value_codes = cols.codes(sheet, rows, value_field)
    values, _, value_errors = cleaning.parse_values(raw_values, cleaning.parse_rupiah, value_codes,
                                                    cols.parser_memo(cleaning.parse_rupiah))
    values = _in_unit(sheet, value_field, values)
    volume = cols.parse(sheet, rows, "volume", cleaning.parse_number, fix_rows)
    if value_field == "harga":  # an order list: the value is price x quantity (one item when none is given)
        values = values * pd.to_numeric(volume, errors="coerce").fillna(1)
        sheet.report.notes.append(f"nilai penjualan = '{sheet.layout.headers[sheet.layout.columns['harga']]}' x "
                                  + (f"'{sheet.layout.headers[sheet.layout.columns['volume']]}'" if "volume" in sheet.layout.columns
                                     else "1"))
    drop: dict[int, tuple[str, str]] = {}
    no_month = months.isna().to_numpy()
    no_value = values.isna().to_numpy()
    # A blank value cell parses to no value: only those rows are asked whether they are blank.
    blank = np.zeros(len(rows), dtype=bool)
    if no_value.any():
        blank[no_value] = cleaning.parse_values(raw_values[no_value], cleaning.is_blank,
                                                value_codes[no_value] if value_codes is not None else None)[0].to_numpy(dtype=bool)
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
    keep_at = np.flatnonzero(~(no_month | blank | no_value))  # by position: the rows not in drop
    keep = cols.rows_array(rows)[keep_at].tolist()
    frame = identity.iloc[keep_at].assign(
        bulan=months.iloc[keep_at], nilai_rp=values.iloc[keep_at], produk=produk.iloc[keep_at], satuan=satuan.iloc[keep_at],
        volume=volume.iloc[keep_at], sumber_file=sheet.display_path, sumber_baris=[sheet.excel_row(i) for i in keep],
        sumber_sheet=sheet.raw.sheet,
    )
    sheet.report.rows_kept += len(keep)
    sheet.report.rows_fixed += len(fix_rows & set(keep))
    return frame


def _month_text(sheet: Sheet, rows: list[int]) -> tuple[pd.Series, np.ndarray]:
    """The 'bulan' cells, completed with the year of a 'tahun' column or of the title when a cell holds
    only a month name ("Januari" in a sheet titled "... TAHUN 2016"); with a code per distinct (month
    cell, year cell) pair, for parse_values (equal pairs give equal texts)."""
    months = cols.column(sheet, rows, "bulan")
    years = (cols.column(sheet, rows, "tahun_mulai") if "tahun_mulai" in sheet.layout.columns
             else pd.Series(sheet.layout.year, index=cols.rows_index(rows)))

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
    known = cols.codes(sheet, rows, "bulan")
    month_codes = (known if known is not None else cleaning.unique_codes(months, month_cells)) + 1
    known = cols.codes(sheet, rows, "tahun_mulai")
    year_codes = (known if known is not None else cleaning.unique_codes(years, year_cells)) + 1
    _, first_at, inverse = np.unique(month_codes * (int(year_codes.max(initial=0)) + 1) + year_codes,
                                     return_index=True, return_inverse=True)
    completed = np.empty(len(first_at), dtype=object)
    completed[:] = [complete(month_cells[i], year_cells[i]) for i in first_at]
    inverse = np.asarray(inverse).reshape(-1)
    return pd.Series(completed[inverse], index=cols.rows_index(rows), dtype=object, copy=False), inverse


def _month_number(value: object) -> int | None:
    """A month written as its number 1..12 (a number cell or text "3", "03"), else None."""
    text = lay._cell_text(value) if not isinstance(value, bool) else ""
    if re.fullmatch(r"\d{1,2}", text) and 1 <= int(text) <= 12:
        return int(text)
    return None


def _wide_sales(sheet: Sheet, rows: list[int], identity: pd.DataFrame, produk: pd.Series, satuan: pd.Series) -> pd.DataFrame:
    """One row per producer, one column per month -> one record per producer and month."""
    columns = sheet.layout.month_columns
    cells = pd.DataFrame({col: cols.column_at(sheet, rows, col) for col in columns}, index=cols.rows_index(rows))
    long = cells.stack(future_stack=True).rename("raw").reset_index()
    long.columns = ["row", "col", "raw"]
    # Blank or not, and the amount, once per distinct cell (one grouping of the cells for both).
    codes = cleaning.unique_codes(long["raw"], long["raw"].to_numpy(dtype=object))
    blank = cleaning.parse_values(long["raw"], cleaning.is_blank, codes)[0].to_numpy(dtype=bool)
    long = long[~blank]
    values, _, errors = cleaning.parse_values(long["raw"], cleaning.parse_rupiah, codes[~blank],
                                              memo=cols.parser_memo(cleaning.parse_rupiah))
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
    at = np.searchsorted(cols.rows_array(rows), good["row"].to_numpy())  # rows ascend: positions of the labels
    frame = identity.iloc[at].reset_index(drop=True).assign(
        bulan=good["bulan"].to_numpy(), nilai_rp=good["nilai_rp"].to_numpy(),
        produk=produk.iloc[at].to_numpy(), satuan=satuan.iloc[at].to_numpy(), volume=None,
        sumber_file=sheet.display_path, sumber_baris=(good["row"] + 1).to_numpy(), sumber_sheet=sheet.raw.sheet,
    )
    return frame


def training_rows(sheet: Sheet) -> tuple[dict, pd.DataFrame]:
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
    rows = screening.screen(sheet, ("nama_pemilik", "nama_usaha", "nik"))
    fix_rows: set[int] = set()
    people = pd.DataFrame({
        "nama_peserta": cols.text(sheet, rows, "nama_pemilik"),
        "nama_usaha": cols.text(sheet, rows, "nama_usaha"),
        "nik": cols.parse(sheet, rows, "nik", cleaning.parse_nik, fix_rows) if "nik" in sheet.layout.columns else None,
        "no_hp": cols.parse(sheet, rows, "no_hp", cleaning.parse_phone, fix_rows) if "no_hp" in sheet.layout.columns else None,
        "alamat": cols.text(sheet, rows, "alamat").where(lambda s: s.notna(), cols.text(sheet, rows, "desa")),
        "kecamatan_teks": cols.text(sheet, rows, "kecamatan"),
        "sumber_file": sheet.display_path,
        "sumber_sheet": sheet.raw.sheet,
        "sumber_baris": [sheet.excel_row(i) for i in rows],
    }, index=cols.rows_index(rows))
    empty = people["nama_peserta"].isna() & people["nama_usaha"].isna()
    for index in people.index[empty]:
        sheet.drop_row(index, REJECTED, REJECT_NO_PARTICIPANT)
    people = people[~empty].assign(pelatihan_id=event["pelatihan_id"], _sheet=0)  # _sheet: set by pipeline.ingest_paths
    sheet.report.rows_kept += len(people)
    sheet.report.rows_fixed += len(fix_rows & set(people.index))
    return event, people


def above_header(sheet: Sheet) -> None:
    """The filled rows above the header (titles, notes, stray cells) are read and skipped with their reason:
    the accounting covers the whole sheet."""
    if not sheet.layout.header_rows:
        return
    for index in range(sheet.layout.header_rows[0]):
        if any(not cleaning.is_blank(v) for v in sheet.raw.rows[index]):
            sheet.report.rows_read += 1
            sheet.drop_row(index, SKIPPED, SKIP_ABOVE_HEADER)


def unknown_sheet(sheet: Sheet) -> None:
    """A sheet that is none of the three kinds: its rows are counted and listed, none is loaded."""
    start = sheet.layout.data_start
    for index in range(start, len(sheet.raw.rows)):
        if any(not cleaning.is_blank(v) for v in sheet.raw.rows[index]):
            sheet.report.rows_read += 1
            sheet.drop_row(index, SKIPPED, SKIP_NOT_A_TABLE)


def excel_errors(sheet: Sheet) -> None:
    """List the error cells (#N/A, #REF!, ...) of the data rows: the engine reads them as empty, and a
    person must see why a value is missing rather than wonder."""
    if sheet.layout.kind not in lay.KINDS:
        return
    headers = sheet.layout.headers
    for row, col, code in sheet.raw.errors:
        if row >= sheet.layout.data_start:
            header = headers[col] if col < len(headers) and headers[col] else f"kolom {col + 1}"
            sheet.problem(row, header, code, f"{SKIP_EXCEL_ERROR} ({code})")
            sheet.fixes["sel_galat_excel"] += 1
