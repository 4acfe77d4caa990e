"""Seeded demo data: messy spreadsheets as the Dinas keeps them (DIR/raw) and their clean truth (DIR/truth).

The ingest can only be trusted if it is tested on files that look like what kecamatan officers really
keep (title rows, merged cells, omzet per bulan, broken NIKs, the same UMKM in two registries) while the
right answer is known. This module writes both: raw/ exercises every rule of DATA-CONTRACT.md, truth/
holds the canonical tables, the planted training effects and a list of every planted trap, and
DIR/README.md says which raw file exercises which rule. Output is byte-identical for a seed and scale.

    python -m analysis.demo [--scale N] [--seed S] --out DIR

Modules: specs (what the files look like: layouts, headers, events, the planted effects), values (cell
forms: money, phones, dates as officers write them), population (the producers), registry (registry
workbooks with their duplicates and rejects), attendance (training events and attendance lists),
sales (monthly sales with the planted effects, long and wide files), writing (workbooks, CSV, the
truth tables and README), build (all of it, in order: generate).

The generator is not part of the dashboard: nothing under analysis/ outside this package imports it.
"""
from __future__ import annotations

from analysis.demo.build import Summary, generate
from analysis.demo.specs import DEFAULT_SEED

__all__ = ["DEFAULT_SEED", "Summary", "generate"]
