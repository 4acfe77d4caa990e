"""Small summaries of the demo data (data/demo/raw) that the dashboard's users see, stored beside this
file as CSV and compared by tests/golden/test_demo_golden.py: what the ingest read from each sheet, the
producers and sales it made of them, the trend and indicator tables of the pages, the budget plan with
its default parameters and the impact table.

Regenerate by hand, only after a change meant to change what users see (and say so in the commit):

    python -m tests.golden.summaries --regenerate

The test never writes these files. Every number is stored as written by ``repr``; the test compares
counts and text exactly, sums and ratios with a relative tolerance of 1e-9, and the impact figures
(unrounded percentages) within 0.05 percentage points (see TOLERANCE)."""
from __future__ import annotations

import argparse
import csv
import math
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.paths import DEMO_RAW_DIR
from analysis.impact import estimate
from analysis.ingest.sheet import IngestResult
from analysis.insight import budget, trends
from analysis.insight import filters as flt
from analysis.insight import indicators as ind

FOLDER = Path(__file__).resolve().parent

# name -> (relative, absolute) tolerance of its float columns; every other column is compared exactly.
TOLERANCE = {
    "ingest_sheets": None, "ingest_totals": None, "producers_per_kecamatan": None,
    "sales_per_month": (1e-9, 1e-9), "trend": (1e-9, 1e-9), "trend_growth": (1e-9, 1e-9),
    "trend_seasonality": (1e-9, 1e-9), "trend_products": (1e-9, 1e-9), "trend_top_kecamatan": (1e-9, 1e-9),
    "indicators_per_kecamatan": (1e-9, 1e-9), "indicators_change": (1e-9, 1e-9), "budget_ranking": (1e-9, 1e-9),
    "budget_room": (1e-9, 1e-9), "budget_seats": (1e-9, 1e-9), "budget_candidates": None,
    "impact": (0.0, 0.05),  # percentage points, on unrounded percentages (the page rounds to 0.1)
}
NAMES = tuple(TOLERANCE)


def _months(result: IngestResult) -> list[pd.Timestamp]:
    return sorted(pd.Timestamp(m) for m in result.sales["bulan"].dropna().unique())


def cases(result: IngestResult) -> dict[str, tuple[flt.Filters, str]]:
    """Filter choices of the pages (name -> (filters, trend frequency)): the defaults, the last twelve
    months of one kecamatan, and a few kategori of one skala over a period."""
    months = _months(result)
    return {
        "semua": (flt.Filters(), "bulan"),
        "natar_setahun": (flt.Filters(start=months[-12], kecamatan=("Natar",)), "kuartal"),
        "kategori_mikro": (flt.Filters(start=months[3], end=months[20], kategori=("Minuman", "Kerajinan"),
                                       skala=("Mikro",)), "tahun"),
    }


def _pairs(mapping: dict) -> str:
    return "; ".join(f"{key}={value}" for key, value in mapping.items())


def _ingest(result: IngestResult) -> dict[str, pd.DataFrame]:
    problems = result.cell_problems.groupby(["berkas", "lembar"]).size() if len(result.cell_problems) else {}
    sheets = pd.DataFrame([{
        "berkas": e["path"], "lembar": e["sheet"] or "", "jenis": e["kind"], "status": e["status"],
        "baris_judul": e["header_row"] if e["header_row"] is not None else "",
        **{key: e[key] for key in ("rows_read", "rows_kept", "rows_fixed", "rows_merged", "rows_rejected",
                                   "rows_skipped")},
        "masalah_sel": int(problems.get((e["path"], e["sheet"]), 0)) if len(problems) else 0,
        "perbaikan": _pairs(dict(sorted(e["fixes"].items()))), "alasan": _pairs(dict(sorted(e["reasons"].items()))),
        "kolom": _pairs(e["columns"]),
    } for e in result.report["files"]]).sort_values(["berkas", "lembar"], kind="stable").reset_index(drop=True)
    totals = {key: value for key, value in result.report["totals"].items() if isinstance(value, (int, str))}
    totals.update({f"participants_{cara}": int(n) for cara, n in
                   result.participants["cara_cocok"].value_counts().sort_index().items()})
    producers = (result.producers.groupby(["kecamatan", "kategori"]).size().rename("n_umkm").reset_index()
                 .sort_values(["kecamatan", "kategori"], kind="stable").reset_index(drop=True))
    sales = result.sales.assign(bulan=result.sales["bulan"].dt.strftime("%Y-%m"))
    per_month = (sales.groupby(["bulan", "kategori"]).agg(n_baris=("nilai_rp", "size"), nilai_rp=("nilai_rp", "sum"))
                 .reset_index().astype({"nilai_rp": "float64"}))
    return {"ingest_sheets": sheets,
            "ingest_totals": pd.DataFrame({"ukuran": list(totals), "nilai": list(totals.values())}),
            "producers_per_kecamatan": producers, "sales_per_month": per_month}


def _stacked(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The cases' frames one under the other, each row named by its case (empty frames left out)."""
    return pd.concat([frame.assign(kasus=name)[["kasus", *frame.columns]] for name, frame in frames.items()
                      if len(frame)], ignore_index=True)


def _insight(result: IngestResult) -> dict[str, pd.DataFrame]:
    tables = flt.Tables(result.producers, result.sales, result.trainings, result.participants)
    chosen = cases(result)
    analysed = {name: trends.analyse(tables, filters, freq) for name, (filters, freq) in chosen.items()}
    out = {f"trend{suffix}": _stacked({name: getattr(a, table) for name, a in analysed.items()})
           for suffix, table in (("", "trend"), ("_growth", "growth"), ("_seasonality", "seasonality"),
                                 ("_products", "products"), ("_top_kecamatan", "top_kecamatan"))}
    out["indicators_per_kecamatan"] = _stacked({name: ind.compute(tables, filters, by_kecamatan=True)
                                                for name, (filters, _) in chosen.items()})
    out["indicators_change"] = _stacked({name: ind.with_change(tables, filters, _months(result))
                                         for name, (filters, _) in chosen.items() if filters.start is not None})
    params = budget.PlanParams(biaya=budget.default_costs(tables.trainings, tables.participants))
    plan = budget.make_plan(tables, flt.Filters(), params, [])
    candidates = budget.candidates(tables, plan, flt.Filters())
    out.update({
        "budget_ranking": plan.ranking, "budget_room": plan.room, "budget_seats": plan.seats,
        "budget_candidates": candidates.groupby([budget.COL_JENIS_PELATIHAN, budget.COL_PRIORITAS,
                                                 budget.COL_KECAMATAN], sort=False)
        .size().rename("n_undangan").reset_index(),
    })
    return out


@contextmanager
def _unrounded_percent():
    """The estimate's percentages as computed: rounded to 0.1 they could flip a digit on another CPU."""
    rounded = estimate._percent
    estimate._percent = lambda log_effect: 100.0 * math.expm1(log_effect)
    try:
        yield
    finally:
        estimate._percent = rounded


def _impact(result: IngestResult) -> pd.DataFrame:
    with _unrounded_percent():
        results = estimate.estimate_all(result.producers, result.sales, result.trainings, result.participants)
    return pd.DataFrame([{"jenis": r.jenis, "efek_persen": r.efek_persen, "ci_bawah": r.ci_bawah, "ci_atas": r.ci_atas,
                          "n_peserta": r.n_peserta, "n_pembanding": r.n_pembanding, "cukup_data": r.cukup_data,
                          "pratren_berbeda": r.pratren_berbeda} for r in results])


def build(result: IngestResult) -> dict[str, pd.DataFrame]:
    """Every summary of the demo's ingest result, by name (NAMES)."""
    built = {**_ingest(result), **_insight(result), "impact": _impact(result)}
    return {name: built[name] for name in NAMES}


def _is_float(column: pd.Series) -> bool:
    """A column of numbers compared with a tolerance: a float dtype, or an object column whose present
    values are all floats (a text column with a missing value is text)."""
    if pd.api.types.is_float_dtype(column.dtype):
        return True
    present = [v for v in column if not (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)))]
    return bool(present) and all(isinstance(v, (float, np.floating)) for v in present)


def _text(value: object) -> str:
    """A cell as stored: floats by repr (exact when read back), dates as ISO dates, missing as ''."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def as_rows(frame: pd.DataFrame) -> list[list[str]]:
    """The frame as stored: a header row, then each row's cells as text."""
    return [list(map(str, frame.columns))] + [[_text(v) for v in row] for row in frame.itertuples(index=False)]


def path_of(name: str) -> Path:
    return FOLDER / f"{name}.csv"


def read(name: str) -> list[list[str]]:
    with path_of(name).open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write(built: dict[str, pd.DataFrame]) -> None:
    for name, frame in built.items():
        with path_of(name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(as_rows(frame))


def differences(name: str, frame: pd.DataFrame, stored: list[list[str]], limit: int = 10) -> list[str]:
    """What differs between a computed summary and its stored rows (empty: the same within TOLERANCE)."""
    header, rows = as_rows(frame)[0], as_rows(frame)[1:]
    if header != stored[0]:
        return [f"columns {header} != stored {stored[0]}"]
    if len(rows) != len(stored) - 1:
        return [f"{len(rows)} rows != {len(stored) - 1} stored"]
    tolerance = TOLERANCE[name]
    floats = {i for i, column in enumerate(frame.columns) if _is_float(frame[column])}
    found = []
    for number, (row, kept) in enumerate(zip(rows, stored[1:])):
        for i, (got, want) in enumerate(zip(row, kept)):
            if i in floats and tolerance is not None and got and want:
                relative, absolute = tolerance
                same = math.isclose(float(got), float(want), rel_tol=relative, abs_tol=absolute) or \
                    (math.isnan(float(got)) and math.isnan(float(want)))
            else:
                same = got == want
            if not same:
                found.append(f"row {number + 1} {header[i]}: {got!r} != stored {want!r}")
    return found[:limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regenerate", action="store_true", help="ingest data/demo/raw and rewrite the CSV files")
    args = parser.parse_args(argv)
    if not args.regenerate:
        parser.print_help()
        return 2
    from analysis.ingest import ingest_paths

    write(build(ingest_paths([DEMO_RAW_DIR])))
    print(f"{len(NAMES)} ringkasan ditulis ke {FOLDER}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
