"""``generate``: every part of the demo data, in order, each with its own random stream."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import schemas
from analysis.demo import attendance, population, registry, sales, targets, writing
from analysis.demo.specs import (
    DEFAULT_SEED,
    EFFECTS,
    LEVEL_SIGMA,
    REGISTRY_FILES,
    SELECTION_POWER,
    TRUTH_EXTRA,
    UNLINKED_SALES_PER_SCALE,
)
from analysis.demo.values import Used
from analysis.demo.writing import README_MARKER, Summary


def _prepare(out: Path) -> tuple[Path, Path]:
    """Replace an earlier demo in out; refuse to delete anything this module did not write."""
    raw, truth = out / "raw", out / "truth"
    readme = out / "README.md"
    if (raw.exists() or truth.exists()) and not (readme.exists() and readme.read_text().startswith(README_MARKER)):
        raise SystemExit(f"{out} berisi raw/ atau truth/ yang bukan buatan analysis.demo; pilih folder lain")
    for folder in (raw, truth):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    readme.write_text(README_MARKER + "\n\n(generation did not finish)\n", encoding="utf-8")  # claim the folder
    return raw, truth


def generate(out: Path, scale: int = 1, seed: int = DEFAULT_SEED) -> Summary:
    """Write DIR/raw, DIR/truth and DIR/README.md. Each stage has its own random stream."""
    if scale < 1:
        raise ValueError("scale harus >= 1")
    raw, truth = _prepare(out)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    used = Used()
    producers, near = population.make_producers(rngs[0], scale, used)
    registries = registry.build_registries(rngs[1], producers, near, used)
    table = writing.sales_producers(registries.truths, sales.unlinked_producers(rngs[2], UNLINKED_SALES_PER_SCALE * scale, used))
    level = table["omzet_tahunan_rp"].to_numpy(float) / 12 * rngs[2].lognormal(0, LEVEL_SIGMA, len(table))
    participants = attendance.choose_participants(rngs[3], registries.truths, level[: len(registries.truths)], scale, used)
    attendance_books, trainings, participant_rows = attendance.build_attendance(rngs[3], participants)
    index = {u: i for i, u in enumerate(table["umkm_id"]) if isinstance(u, str)}
    monthly = sales.simulate_sales(rngs[4], table, level, sales.effect_matrix(len(table), participants, index))
    sales_books, sales_csv, monthly = sales.build_sales(rngs[5], monthly, table)

    registry_csv = {f.path: f.csv for f in REGISTRY_FILES if f.csv}
    writing.write_files(raw, registries.workbooks, registry_csv)
    writing.write_files(raw, sales_books, sales_csv)
    writing.write_files(raw, attendance_books, {})
    columns = list(dict.fromkeys(schemas.Producers.names() + [TRUTH_EXTRA]))  # the schema may list it already
    writing.write_parquet(truth / "producers.parquet", pd.DataFrame(registries.truths)[columns], schemas.Producers)
    writing.write_parquet(truth / "sales.parquet", writing.sales_truth(monthly, table), schemas.Sales)
    writing.write_parquet(truth / "trainings.parquet", pd.DataFrame(trainings), schemas.Trainings)
    writing.write_parquet(truth / "participants.parquet", pd.DataFrame(participant_rows), schemas.Participants)
    effects = {"efek": EFFECTS, "mulai": "bulan setelah bulan selesai pelatihan",
               "aturan": "tiap jenis sekali per pelaku usaha, dari pelatihan pertama jenis itu; antar jenis dikalikan",
               "seleksi": f"peluang diundang sebanding dengan (tingkat omzet) ** {SELECTION_POWER}",
               "seed": seed, "scale": scale}
    planted = dict(registries.planted, unlinked_sales=writing.planted_sales(monthly, table), outside_participants=[
        {"pelatihan_id": r["pelatihan_id"], "file": r["sumber_file"], "sheet": r["sumber_sheet"],
         "row": r["sumber_baris"], "nama": r["nama_peserta"], "expected": "umkm_id kosong (tidak cocok)"}
        for r in participant_rows if r["umkm_id"] is None])
    counts = {k: len(v) for k, v in planted.items()}
    for name, payload in (("effects.json", effects), ("planted.json", dict(planted, counts=counts))):
        (truth / name).write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    targets.write(out / "target_indikator.csv", scale)
    (out / "README.md").write_text(writing.readme(scale, seed, counts), encoding="utf-8")
    raw_bytes = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file())
    return Summary(len(registries.truths), len(monthly), len(trainings), len(participant_rows), raw_bytes)
