"""The sheets' rows put together: producers merged across sheets, sales rows and participants linked
to them, the near duplicates found for review, and the report with its totals."""
from __future__ import annotations

import re
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from analysis.core import formatting as fmt
from analysis.core import reference as ref
from analysis.core.schemas import DATE, STR, Participants, Producers, ProducerSources, Sales, Trainings
from analysis.ingest import cleaning
from analysis.ingest import layout as lay
from analysis.ingest.linking import (
    ProducerIndex,
    dedupe_producers,
    name_keys,
    near_frame,
    near_groups,
    near_names,
    near_pairs,
)
from analysis.ingest.sheet import STATUS_ERROR, STATUS_OK, Sheet, SheetReport, missing


def link_participants(people: pd.DataFrame, index: ProducerIndex, matcher: cleaning.KecamatanMatcher) -> pd.DataFrame:
    found_in: dict[str, str | None] = {}  # the kecamatan named in a text: addresses repeat
    identities, kecamatans = [], []
    for person in people.itertuples(index=False):
        kecamatan = None
        for text in (person.kecamatan_teks, person.alamat):
            if not missing(text):
                text = str(text)
                if text not in found_in:
                    found_in[text] = matcher.find_in_text(text)
                kecamatan = found_in[text]
                if kecamatan:
                    break
        identities.append((person.nik, person.no_hp, person.nama_usaha, person.nama_peserta, kecamatan))
        kecamatans.append(kecamatan)
    links = index.link_many(identities)
    # Named in a kecamatan but not found there: looked for again without the kecamatan.
    again = [i for i, (link, kecamatan) in enumerate(zip(links, kecamatans)) if link.umkm_id is None and kecamatan is not None]
    for i, link in zip(again, index.link_many([(None, None, identities[i][2], identities[i][3], None) for i in again])):
        links[i] = link
    return people.assign(
        umkm_id=[link.umkm_id for link in links],
        cara_cocok=[link.cara for link in links],
        skor_cocok=[link.skor for link in links],
    )


@dataclass
class NearSearch:
    """The near-duplicate search under way: one task per kecamatan (largest first), in the reading
    workers' pool or on a side thread."""

    groups: list[np.ndarray]
    names: list[tuple[list, list]]
    tasks: list[Future]


def search_near(producers: pd.DataFrame, pools: list[ProcessPoolExecutor], side: ThreadPoolExecutor) -> NearSearch | None:
    """The near-duplicate search, started in the worker pool when there is one (one scoring
    thread: the linking here has the other core), else on ``side``; ``near_result`` takes the tasks
    not yet started into this process once its own work is done."""
    if not len(producers):
        return None
    groups = near_groups(producers)
    names = [near_names(producers, group) for group in groups]
    tasks: list[Future] = []
    order = sorted(range(len(groups)), key=lambda g: -len(groups[g]))  # the pairs grow with the square
    for pool in pools:
        try:
            tasks = [pool.submit(near_pairs, *names[g], 1) for g in order]
            break
        except (BrokenProcessPool, RuntimeError):
            for task in tasks:
                task.cancel()
            tasks = []
            break
    if not tasks:
        tasks = [side.submit(near_pairs, *names[g]) for g in order]
    ordered: list[Future] = [None] * len(groups)  # type: ignore[list-item]
    for g, task in zip(order, tasks):
        ordered[g] = task
    return NearSearch(groups, names, ordered)


def near_result(search: NearSearch | None, producers: pd.DataFrame) -> pd.DataFrame:
    """The near-duplicate table: the tasks not yet started are scored here, smallest first, while the
    others finish; a task whose worker died is scored here too."""
    if search is None:
        return pd.DataFrame()
    pairs: list = [None] * len(search.groups)
    for g in sorted(range(len(search.groups)), key=lambda g: len(search.groups[g])):
        if search.tasks[g].cancel():
            pairs[g] = near_pairs(*search.names[g], 1)
    for g, task in enumerate(search.tasks):
        if pairs[g] is None:
            try:
                pairs[g] = task.result()
            except BrokenProcessPool:  # the worker died under it: searched here instead
                pairs[g] = near_pairs(*search.names[g])
    return near_frame(producers, search.groups, pairs)


def merged_producers(frames: list[pd.DataFrame], by_id: dict[int, Sheet]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The merged producers (near duplicates are searched apart, see pipeline.ingest_paths) and every
    registry row behind them (schemas.ProducerSources: the row kept and the duplicates merged into it)."""
    if not frames or all(f.empty for f in frames):
        return Producers.empty().assign(_sheet=pd.Series(dtype="int64")), ProducerSources.empty()
    rows = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    dedup = dedupe_producers(rows, find_near=False)
    for position in rows.index[~dedup.is_first.to_numpy()]:
        sheet = by_id[rows.at[position, "_sheet"]]
        sheet.report.rows_kept -= 1
        sheet.report.rows_merged += 1
        sheet.reasons["duplikat digabung"] += 1
    producers = dedup.producers.assign(kode_kecamatan=lambda f: cleaning.parse_values(f["kecamatan"], ref.kecamatan_code)[0])
    return producers, ProducerSources.validate(ProducerSources.conform(dedup.sources))


IDENTITY = ["nik", "no_hp", "nama_usaha", "nama_pemilik", "kecamatan"]
_CATEGORIES = ("produk", "satuan", "sumber_file", "sumber_sheet")


@dataclass
class SalesPart:
    """One sheet's sales rows as they travel to the linking (from a reading worker too): each distinct
    identity once, and per row the number of its identity with the values in compact dtypes. A sheet
    repeats a producer's identity once per month, so this holds about a twelfth of the text of its
    rows and pickles back from a worker in a fraction of the time."""

    identities: pd.DataFrame  # the IDENTITY columns (object, missing as None): one row per distinct identity
    rows: pd.DataFrame  # identitas (position in identities), bulan, nilai_rp, volume and the text columns as categories


def sales_part(frame: pd.DataFrame) -> SalesPart:
    """A sheet's sales frame (rows.sales_rows) as a SalesPart."""
    identity, first = _identity_numbers(frame, IDENTITY)
    identities = frame[IDENTITY].iloc[first].astype(object).reset_index(drop=True)
    rows = pd.DataFrame({
        "identitas": identity,
        # The months as dates before the parts are joined: a sheet's column of month objects joined to
        # another's dates turned 1 M dates into objects and back (the same dates either way).
        "bulan": pd.to_datetime(frame["bulan"], cache=False).astype(DATE).to_numpy(),
        "nilai_rp": frame["nilai_rp"].to_numpy(dtype=float, na_value=np.nan),
        "volume": pd.to_numeric(frame["volume"]).to_numpy(dtype=float, na_value=np.nan),
        "sumber_baris": frame["sumber_baris"].to_numpy(dtype=np.int64),
        **{name: _category(frame[name]) for name in _CATEGORIES},
    })
    return SalesPart(identities.where(identities.notna(), None), rows)


def _category(column: pd.Series) -> pd.Categorical:
    """A text column as categories of strings (a value the reader kept as a number is the same text
    once the contract's string dtype is applied)."""
    codes, texts = pd.factorize(column.astype(STR).to_numpy(dtype=object, na_value=None))
    return pd.Categorical.from_codes(codes, categories=pd.Index(texts, dtype=object))


def linked_sales(parts: list[SalesPart], producers: pd.DataFrame, index: ProducerIndex) -> pd.DataFrame:
    """The sheets' sales rows joined, each linked to the producer of its identity (umkm_id, None when
    none is found) and given that producer's kategori, or its product's when it has none."""
    parts = [p for p in parts if len(p.rows)]
    if not parts:
        return Sales.empty()
    # Each distinct identity (any missing value counting as one) is linked once, and its link given to
    # all its rows by number: no object copy of the rows and no merge on five text columns.
    identities = pd.concat([p.identities for p in parts], ignore_index=True)
    identity, first = _identity_numbers(identities, IDENTITY)
    offsets = np.cumsum([0] + [len(p.identities) for p in parts[:-1]])
    rows_identity = identity[np.concatenate([p.rows["identitas"].to_numpy() + offset for p, offset in zip(parts, offsets)])]
    unique = identities.iloc[first]
    linked = np.array([link.umkm_id for link in index.link_many(unique.itertuples(index=False, name=None))], dtype=object)
    id_codes, ids = pd.factorize(linked)  # the producers' ids as categories: no text per row
    sales = pd.DataFrame({
        "umkm_id": pd.Categorical.from_codes(id_codes[rows_identity], categories=pd.Index(ids, dtype=object)),
        "bulan": np.concatenate([p.rows["bulan"].to_numpy() for p in parts]),
        "nilai_rp": np.concatenate([p.rows["nilai_rp"].to_numpy() for p in parts]),
        "volume": np.concatenate([p.rows["volume"].to_numpy() for p in parts]),
        "sumber_baris": np.concatenate([p.rows["sumber_baris"].to_numpy() for p in parts]),
        **{name: union_categoricals([p.rows[name] for p in parts]) for name in _CATEGORIES},
    })
    # A linked row takes its producer's kategori (looked up once per identity); only an unlinked row's
    # product is classified, once per distinct product. As categories: a few names, not a text per row
    # (90 MB at scale 20).
    kategori = producers.set_index("umkm_id")["kategori"]
    codes, names = pd.factorize(pd.Series(linked, dtype=object).map(kategori).to_numpy(dtype=object))
    codes = codes[rows_identity]
    names = pd.Index(names, dtype=object)
    unlinked = np.flatnonzero(pd.isna(linked)[rows_identity])
    if len(unlinked):
        produk = sales["produk"].iloc[unlinked].astype(object)
        found = cleaning.parse_values(produk.where(produk.notna(), None), _kategori_of_product)[0]
        found_codes, found_names = pd.factorize(found.to_numpy(dtype=object))
        names = names.append(pd.Index(found_names, dtype=object)).unique()
        at = names.get_indexer(pd.Index(found_names, dtype=object))
        codes[unlinked] = np.where(found_codes >= 0, at[np.maximum(found_codes, 0)] if len(at) else -1, -1)
    sales["kategori"] = pd.Categorical.from_codes(codes, categories=names)
    return sales


def _identity_numbers(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(number of each row's combination of `columns`, position of each combination's first row), numbered
    in order of first appearance; missing values of any kind (None, NaN, NA) are one value, as
    drop_duplicates and merge treat them once they are all None."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(frame[column])
        combined = combined * (len(uniques) + 1) + (codes + 1)
        combined, _ = pd.factorize(combined)
        combined = combined.astype(np.int64)
    count = int(combined.max()) + 1 if len(combined) else 0
    first = np.full(count, len(combined), dtype=np.int64)
    np.minimum.at(first, combined, np.arange(len(combined)))
    return combined, first


def _kategori_of_product(product: object) -> object:
    return None if missing(product) else cleaning.classify_kategori(product).value


def linked_trainings(events: list[dict], people_frames: list[pd.DataFrame], producers: pd.DataFrame, index: ProducerIndex,
               matcher: cleaning.KecamatanMatcher, by_id: dict[int, Sheet]) -> tuple[pd.DataFrame, pd.DataFrame]:
    if not events:
        return Trainings.empty(), Participants.empty()
    trainings = pd.DataFrame(events).drop_duplicates("pelatihan_id")
    people = pd.concat(people_frames, ignore_index=True)
    if people.empty or producers.empty:
        people = people.assign(umkm_id=None, cara_cocok="tidak cocok", skor_cocok=0.0)
    else:
        people = link_participants(people, index, matcher)
    # A person twice in one training's list: the same producer, or (unlinked) the same name and business.
    person_key = people["umkm_id"].where(
        people["umkm_id"].notna(), name_keys(people["nama_peserta"]) + "|" + name_keys(people["nama_usaha"]))
    duplicate = pd.DataFrame({"pelatihan": people["pelatihan_id"], "orang": person_key}).duplicated().to_numpy()
    for position in people.index[duplicate]:
        sheet = by_id[people.at[position, "_sheet"]]
        sheet.report.rows_kept -= 1
        sheet.report.rows_merged += 1
        sheet.reasons["peserta tercatat dua kali"] += 1
    return trainings, people[~duplicate].reset_index(drop=True)


def data_year(sales: pd.DataFrame, events: list[dict]) -> int | None:
    if not sales.empty:
        return int(pd.to_datetime(sales["bulan"], cache=False).max().year)
    years = [e["tanggal_mulai"].year for e in events if e["tanggal_mulai"] is not None]
    return max(years) if years else None


_QUOTED = re.compile(r"'([^']*)'")
_COORDINATES = re.compile(r"^koordinat \((?P<where>[^)]*)\) (?P<rest>.+)$")
_OUTSIDE = re.compile(r"^(?P<name>[^,]+), (?P<where>.+): di luar wilayah (?P<ours>.+)$")
_MERGE_REASONS = {"duplikat digabung", "peserta tercatat dua kali"}
MESSAGE_REASONS = 3  # reasons named in a sheet's message; the rest are counted together
MESSAGE_EXAMPLES = 3


def reason_group(reason: str) -> tuple[str, str | None]:
    """A reason as a person groups it, and the example it names: "kecamatan 'Ajung' tidak dikenal" ->
    ("kecamatan tidak dikenal", "Ajung"); "Balikpapan Timur, Kota Balikpapan: di luar wilayah Lampung
    Selatan" -> ("kecamatan di luar wilayah Lampung Selatan", "Balikpapan Timur"); "nilai penjualan tidak
    terbaca: 'x'" -> ("nilai penjualan tidak terbaca", "x")."""
    found = _OUTSIDE.match(reason)
    if found:
        return f"kecamatan di luar wilayah {found['ours']}", found["name"]
    placed = _COORDINATES.match(reason)
    if placed:
        return f"koordinat {placed['rest']}", placed["where"]
    if reason.endswith(cleaning.AMBIGUOUS_HINT):
        quoted = _QUOTED.search(reason)
        return f"nama kecamatan ada di lebih dari satu kabupaten/kota ({cleaning.AMBIGUOUS_HINT})", \
            quoted.group(1) if quoted else None
    quoted = _QUOTED.search(reason)
    if quoted:
        group = re.sub(r"\s+", " ", _QUOTED.sub("", reason)).strip(" :")
        return group, quoted.group(1) or None
    head, sep, tail = reason.partition(": ")
    if sep:
        return head, tail.strip()[:40] or None
    return reason, None


def sheet_message(report: SheetReport, reasons: dict[str, int]) -> str:
    """One or two sentences on what happened to a sheet's rows: how many were used (and merged), then the
    main reasons for the rest, grouped, with counts and examples; the rest counted together."""
    n = fmt.number
    first = f"{n(report.rows_kept)} dari {n(report.rows_read)} baris dipakai"
    if report.rows_merged:
        first += f", {n(report.rows_merged)} digabung sebagai duplikat"
    groups: dict[str, list] = {}
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):  # the commonest examples first
        if reason in _MERGE_REASONS:
            continue
        group, example = reason_group(reason)
        entry = groups.setdefault(group, [0, []])
        entry[0] += count
        if example and example not in entry[1]:
            entry[1].append(example)
    if not groups:
        return first + "."
    ranked = sorted(groups.items(), key=lambda item: (-item[1][0], item[0]))
    parts = []
    for group, (count, examples) in ranked[:MESSAGE_REASONS]:
        shown = ", ".join(examples[:MESSAGE_EXAMPLES]) + (", …" if len(examples) > MESSAGE_EXAMPLES else "")
        parts.append(f"{n(count)} baris karena {group}" + (f" ({shown})" if shown else ""))
    rest = ranked[MESSAGE_REASONS:]
    if rest:
        parts.append(f"{n(sum(c for _, (c, _) in rest))} baris karena {n(len(rest))} alasan lain")
    return f"{first}. Sisanya: " + "; ".join(parts) + "."


def build_report(reports: list[SheetReport], producers, sales, trainings, participants, kriteria, near) -> dict:
    files = [asdict(r) for r in reports]
    counted = ("rows_read", "rows_kept", "rows_fixed", "rows_merged", "rows_rejected", "rows_skipped")
    totals = {key: int(sum(r[key] for r in files)) for key in counted}
    totals.update({
        "files": len({r["path"] for r in files}),
        "files_error": len({r["path"] for r in files if r["status"] == STATUS_ERROR}),
        "files_skipped": sum(1 for r in files if r["sheet"] is None and r["status"] == STATUS_OK),
        "sheets": sum(1 for r in files if r["sheet"] is not None),
        "sheets_not_loaded": sum(1 for r in files if r["sheet"] is not None and r["kind"] == lay.KIND_UNKNOWN),
        "producers": len(producers),
        "sales_rows": len(sales),
        "sales_unlinked": int(sales["umkm_id"].isna().sum()) if len(sales) else 0,
        "trainings": len(trainings),
        "participants": len(participants),
        "participants_unmatched": int(participants["umkm_id"].isna().sum()) if len(participants) else 0,
        "near_duplicates": len(near),
        "kategori_lainnya": sorted(set(
            producers.loc[producers["kategori"] == ref.KATEGORI_LAINNYA, "produk_utama"].dropna().astype(str)))[:200],
        "kriteria_skala": kriteria,
        "data_until": str(pd.to_datetime(sales["bulan"], cache=False).max().date()) if len(sales) else None,
        "balanced": all(r.balanced() for r in reports),
    })
    return {"files": files, "totals": totals}
