"""Writes the bad-input corpus of this folder (run from the project root to regenerate it):

    python -m tests.bad_input.make_corpus

Every file is small (< 200 KB) and the same on every run; README.md says what each one is and what the upload
must answer. The files are committed, so the tests never depend on this script's output being fresh.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

REGISTRY_HEADER = ["No", "Nama Usaha", "Nama Pemilik", "NIK", "No HP", "Kecamatan", "Produk", "Omzet per Tahun"]
REGISTRY_ROWS = [
    [1, "Keripik Pisang Bu Sri", "Sri Wahyuni", "1801014506800001", "0812-7234-5678", "Natar", "Keripik pisang", "Rp 24.000.000"],
    [2, "Kopi Bubuk Darto", "Darto", "1801011203790002", "0813-1111-2222", "Kalianda", "Kopi bubuk", "36.000.000"],
    [3, "Tapis Siger Indah", "Nyoman Ayu", "1801015507850003", "0821-3333-4444", "Jati Agung", "Kain tapis", "60 jt"],
]


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.properties.created = book.properties.modified = datetime(2017, 3, 1)  # same bytes on every run
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return _rezip(buffer.getvalue(), {})  # fixed member timestamps


def _zip(members: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=(2017, 3, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def _rezip(data: bytes, change: dict[str, bytes]) -> bytes:
    """A copy of an xlsx with some members replaced (deterministic timestamps)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: change.get(name, source.read(name)) for name in source.namelist()}
    if "docProps/core.xml" in members:  # openpyxl stamps the save time: fix it, so every run writes the same bytes
        members["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2017-03-01T00:00:00Z",
                                              members["docProps/core.xml"])
    return _zip(members)


def _cfb_encrypted() -> bytes:
    """A minimal Compound File (OLE) as Excel writes a password-protected .xlsx: the streams
    EncryptionInfo and EncryptedPackage, each 4096 bytes (so they live in regular 512-byte sectors)."""
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    info = (b"\x04\x00\x04\x00\x40\x00\x00\x00" + b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" '
            b'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
            b'hashAlgorithm="SHA512"/></encryption>').ljust(4096, b"\x00")
    package = struct.pack("<Q", 8192) + bytes((i * 73 + 11) % 256 for i in range(4088))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 0x3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for slot in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * slot, free)
    fat = [fat_sector, end] + list(range(3, 10)) + [end] + list(range(11, 18)) + [end]
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        raw[0:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, no_stream, right, child)
        struct.pack_into("<IQ", raw, 116, start, size)
        return bytes(raw)

    directory = (entry("Root Entry", 5, 1, no_stream, end, 0) + entry("EncryptionInfo", 2, no_stream, 2, 2, len(info))
                 + entry("EncryptedPackage", 2, no_stream, no_stream, 10, len(package))
                 + entry("", 0, no_stream, no_stream, 0, 0))
    return bytes(header) + struct.pack("<128I", *fat) + directory + info + package


def _with_cached_formulas_and_errors() -> bytes:
    """A registry whose omzet column holds formulas with cached values and whose cells hold #N/A and
    #REF! errors, as Excel saves them (openpyxl writes no cached values, so they are put in the XML)."""
    rows = [["DATA UMKM KECAMATAN NATAR TAHUN 2017"], REGISTRY_HEADER[:7] + ["Omzet per Bulan", "Omzet per Tahun"]]
    for i, row in enumerate(REGISTRY_ROWS, start=3):
        rows.append(row[:7] + [2_000_000 + i, f"=H{i}*12"])
    rows.append([4, "Gula Aren Pak Min", "Pak Min", "#N/A", "#REF!", "Natar", "Gula aren", "#DIV/0!", "=H6*12"])
    data = _xlsx({"Natar": rows})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()

    def cached(match: re.Match) -> str:
        ref, row = match.group(1), int(match.group(2))
        value = (2_000_000 + row) * 12 if row < 6 else None
        body = f"<v>{value}</v>" if value is not None else "<v>#DIV/0!</v>"
        kind = "" if value is not None else ' t="e"'
        return f'<c r="{ref}{row}"{kind}><f>H{row}*12</f>{body}</c>'

    xml = re.sub(r'<c r="(I)(\d+)"><f>H\d+\*12</f><v></v></c>', cached, xml)
    for code in ("#N/A", "#REF!", "#DIV/0!"):
        xml = re.sub(rf'<c r="([A-Z]+6)" t="inlineStr"><is><t>{re.escape(code)}</t></is></c>',
                     rf'<c r="\1" t="e"><v>{code}</v></c>', xml)
    return _rezip(data, {"xl/worksheets/sheet1.xml": xml.encode()})


def _zip_bomb(lie: bool = False) -> bytes:
    """A workbook whose one sheet inflates to 150 MB of spaces: a "zip bomb" of about 150 KB. With
    ``lie`` its directory claims the sheet is 1 KB (the usual trick to pass a size check)."""
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             + b" " * (150 * 1024 * 1024) + b"<sheetData/></worksheet>")
    base = _xlsx({"Sheet1": [["Nama Usaha"]]})
    data = _rezip(base, {"xl/worksheets/sheet1.xml": sheet})
    if not lie:
        return data
    out = bytearray(data)
    real = struct.pack("<I", len(sheet))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        start = 0
        while (start := out.find(signature, start)) != -1:
            if out[start + offset:start + offset + 4] == real:
                struct.pack_into("<I", out, start + offset, 1024)
            start += 4
    return bytes(out)


def _far_cell() -> bytes:
    """A small registry with one stray cell at XFD1048576, the last cell of a sheet: the engine would
    build the whole 17-billion-cell rectangle (550 GB) and abort the process."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Natar"
    for row in [REGISTRY_HEADER, *REGISTRY_ROWS]:
        sheet.append(row)
    sheet["XFD1048576"] = "x"
    book.properties.created = book.properties.modified = datetime(2017, 3, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return _rezip(buffer.getvalue(), {})


def corpus() -> dict[str, bytes]:
    registry = _xlsx({"Natar": [["DATA UMKM KECAMATAN NATAR 2017"], REGISTRY_HEADER, *REGISTRY_ROWS]})
    csv_text = "\r\n".join(";".join(str(v) for v in row) for row in [REGISTRY_HEADER, *REGISTRY_ROWS])
    return {
        "kosong.xlsx": b"",
        "kosong.csv": b"",
        "lembar_kosong.xlsx": _xlsx({"Sheet1": []}),
        "hanya_judul_kolom.xlsx": _xlsx({"Natar": [REGISTRY_HEADER]}),
        "terpotong.xlsx": registry[: len(registry) // 2],
        "zip_bukan_workbook.xlsx": _zip({"catatan.txt": b"Ini arsip ZIP biasa, bukan workbook.\n"}),
        "gambar_bernama_xlsx.xlsx": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "halaman_html.xls": (b"<html><head><meta charset='utf-8'></head><body><table><tr><td>Nama Usaha</td>"
                             b"<td>Nama Pemilik</td></tr><tr><td>Keripik</td><td>Sri</td></tr></table></body></html>"),
        "berkata_sandi.xlsx": _cfb_encrypted(),
        "csv_biner.csv": bytes((i * 37) % 256 for i in range(3000)),
        "csv_utf16.csv": ("\ufeff" + csv_text).encode("utf-16-le"),
        "csv_cp1252.csv": csv_text.replace("Nyoman Ayu", "Nyomån Ayu").encode("cp1252"),
        "rekap_jumlah.xlsx": _xlsx({"Rekap": [
            ["REKAPITULASI JUMLAH UMKM BINAAN PER KECAMATAN TAHUN 2017"], [],
            ["No", "Kecamatan", "Jumlah UMKM", "Mikro", "Kecil", "Menengah"],
            [1, "Natar", 312, 290, 20, 2], [2, "Kalianda", 201, 188, 12, 1], [3, "Jati Agung", 187, 170, 15, 2],
            ["", "JUMLAH", 700, 648, 47, 5]]}),
        "bom_zip.xlsx": _zip_bomb(),
        "bom_zip_ukuran_palsu.xlsx": _zip_bomb(lie=True),
        "sel_jauh.xlsx": _far_cell(),
        "rumus_dan_galat.xlsx": _with_cached_formulas_and_errors(),
        "tanggal_sebagai_teks.xlsx": _xlsx({
            "Penjualan": [["LAPORAN PENJUALAN BULANAN UMKM KECAMATAN NATAR"],
                          ["No", "Nama Usaha", "Nama Pemilik", "Bulan", "Nilai Penjualan (Rp)"],
                          [1, "Keripik Pisang Bu Sri", "Sri Wahyuni", "Maret 2017", "2.000.000"],
                          [2, "Keripik Pisang Bu Sri", "Sri Wahyuni", "04/2017", "2.100.000"],
                          [3, "Keripik Pisang Bu Sri", "Sri Wahyuni", "1 Mei 2017", "2.300.000"]],
            "Pelatihan": [["DAFTAR HADIR PELATIHAN TEKNIK PEMASARAN BAGI UMKM"],
                          ["Tanggal : Selasa, 14 s/d 16 Maret 2017"], ["Tempat : Aula Kecamatan Natar"], [],
                          ["No", "Nama", "Nama Usaha", "NIK", "Tanda Tangan"],
                          [1, "Sri Wahyuni", "Keripik Pisang Bu Sri", "1801014506800001", None]],
        }),
    }


def main() -> None:
    for name, content in corpus().items():
        (HERE / name).write_bytes(content)
        print(f"{name}: {len(content):,} byte")


if __name__ == "__main__":
    main()
