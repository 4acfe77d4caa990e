"""An ingest result written to a folder (the four tables and the producers' source rows as Parquet, the
sales with the query engine's columns, rejected.xlsx and report.json), and the tables read back by the
commands that take such a folder (impact, report)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from analysis.core.schemas import Participants, Producers, ProducerSources, Sales, Trainings
from analysis.engine import SALES_FILE, read_sales, row_count, write_sales
from analysis.ingest.sheet import IngestResult


def write_outputs(result: IngestResult, out: Path) -> None:
    """``result`` written to ``out``; sales whose rows stay in ``result.folder`` (a stand-in) are copied
    from its engine file."""
    from analysis.core.excel import write_workbook  # openpyxl: imported here, not in every reading worker

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in result.tables.items():
        if name == Sales.name and row_count(table) != len(table):  # a stand-in: the rows are in result.folder
            if Path(result.folder).resolve() != out.resolve():
                shutil.copyfile(Path(result.folder) / SALES_FILE, out / SALES_FILE)
        elif name == Sales.name:  # with the query engine's columns (analysis/engine)
            write_sales(table, result.producers, out)
        else:
            table.to_parquet(out / f"{name}.parquet", index=False)
    # Beside the four tables: every registry row behind each producer, merged duplicates included.
    result.producer_sources.to_parquet(out / SOURCES_FILE, index=False)
    write_workbook(out / "rejected.xlsx", {
        "ditolak_dilewati": result.rejected,
        "masalah_sel": result.cell_problems,
        "duplikat_mirip": result.near_duplicates,
    })
    (out / "report.json").write_text(json.dumps(result.report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


SOURCES_FILE = f"{ProducerSources.name}.parquet"
TABLE_FILES = {name: f"{name}.parquet" for name in (Producers.name, Sales.name, Trainings.name, Participants.name)}


def read_tables(directory: Path) -> dict[str, pd.DataFrame]:
    """The four Parquet tables written by ``write_outputs`` (``python -m analysis.ingest --out DIR``)."""
    directory = Path(directory)
    missing = [f for f in TABLE_FILES.values() if not (directory / f).is_file()]
    if missing:
        raise FileNotFoundError(f"Berkas tidak ada di {directory}: {', '.join(missing)}")
    return {name: read_sales(directory) if name == Sales.name else pd.read_parquet(directory / f)
            for name, f in TABLE_FILES.items()}
