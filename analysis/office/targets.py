"""The office's own indicator targets: a CSV in the store folder that the planner edits on the Target &
Realisasi page (or by hand), written atomically. Until the office saves its own, the example targets of
the demo (data/demo/target_indikator.csv, every source marked "Contoh") are shown, labelled as such.

A table with any problem is refused whole (analysis.insight.targets.parse names every row's problem);
the file on disk is then left as it was, so the last good table stays in force."""
from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pandas as pd

from analysis.core import settings
from analysis.core.files import atomic_write_text
from analysis.core.paths import DEMO_DIR
from analysis.insight import targets as tgt

FILE_NAME = "target_indikator.csv"
EXAMPLE_FILE = DEMO_DIR / FILE_NAME
ORIGIN_OFFICE, ORIGIN_EXAMPLE, ORIGIN_NONE = "kantor", "contoh", "kosong"


@dataclass(frozen=True)
class Loaded:
    table: pd.DataFrame  # analysis.insight.targets.COLUMNS, checked
    origin: str  # ORIGIN_OFFICE, ORIGIN_EXAMPLE or ORIGIN_NONE
    path: Path | None
    problems: tuple[str, ...] = ()  # the office file could not be used: why, row by row

    @property
    def label(self) -> str:
        if self.origin == ORIGIN_OFFICE:
            return "Target kantor"
        if self.origin == ORIGIN_EXAMPLE:
            return "Target contoh (data demo, bukan target Dinas)"
        return "Belum ada target"


def office_file(store_dir: Path | None = None) -> Path:
    return Path(store_dir if store_dir is not None else settings.get().store_dir) / FILE_NAME


def read_csv(path: Path) -> pd.DataFrame:
    """Every cell as text (``tgt.parse`` reads the numbers the Indonesian way); comma or semicolon
    separated (Excel in an Indonesian locale saves with semicolons), UTF-8 with or without BOM."""
    text = path.read_text(encoding="utf-8-sig")
    first = text.splitlines()[0] if text.strip() else ""
    separator = ";" if first.count(";") > first.count(",") else ","
    frame = pd.read_csv(StringIO(text), sep=separator, dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def load(store_dir: Path | None = None) -> Loaded:
    """The targets in force: the office's file when it exists, else the demo's example."""
    path = office_file(store_dir)
    if path.is_file():
        try:
            parsed = tgt.parse(read_csv(path))
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
            return Loaded(tgt.empty(), ORIGIN_OFFICE, path, (f"Berkas {path.name} tidak dapat dibaca: {error}",))
        return Loaded(parsed.table, ORIGIN_OFFICE, path, tuple(parsed.problems))
    if EXAMPLE_FILE.is_file():
        return Loaded(tgt.parse(read_csv(EXAMPLE_FILE)).table, ORIGIN_EXAMPLE, EXAMPLE_FILE)
    return Loaded(tgt.empty(), ORIGIN_NONE, None)


def save(frame: pd.DataFrame, store_dir: Path | None = None) -> pd.DataFrame:
    """Check ``frame`` (the editor's table) and write it as the office's targets, atomically. Raises
    ``tgt.TargetError`` listing every problem, and then writes nothing."""
    parsed = tgt.parse(frame)
    if not parsed.ok:
        raise tgt.TargetError(parsed.problems)
    atomic_write_text(office_file(store_dir), tgt.csv_text(parsed.table))
    return parsed.table
