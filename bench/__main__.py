"""Measure ingest and every page at scale N, print a table and write bench/results-N.json.

    python -m bench --scale 20 [--seed S] [--workdir DIR]
    python -m bench --growth 1 5 20        # growth table from the stored results-N.json files
    python -m bench --scale 20 --dashboard # the pages alone in a fresh process (what a restarted dashboard holds)

Steps, in one process (so its peak memory is that of ingest + pages):
1. Demo data at scale N (``analysis.demo``), generated in a subprocess (its memory is not ours) into
   ``WORKDIR/demo-scale{N}-seed{S}`` and reused while that folder is complete.
2. raw_read_s: every file read by the engine alone, no cleaning and no checks: calamine's
   ``to_python`` of every worksheet, and a CSV decoded and split by the csv module (the floor, as issue 8
   defines it). read_checked_s: the same files through ``analysis.ingest.readers.read_file``, which adds the
   safety checks an uploaded file needs before the engine sees it (ZIP inflation, far cells, error
   cells); shown beside it, with the ratio over it. Best of two runs each, so the files are in the OS
   cache for the ingest too.
3. ingest_s: ``analysis.ingest.cache.cached_ingest(..., with_sales=False)`` (what ``python -m
   analysis.ingest`` and the dashboard run: the sales stay in the entry's engine file) on an empty cache
   folder: read, clean, link, validate and store the cache entry. Best of two
   cold runs, each on a fresh cache folder, as the raw read is best of two (both runs are in
   ingest_runs_s; on this shared 2-core machine two identical runs differed by up to 3 s).
   outputs_s: writing the command's output folder (Parquet, rejected.xlsx, report.json), timed apart.
4. reingest_s: the same call again on the unchanged files: content hash + cache read.
5. Every page of ``ui.navigation.PAGES`` through Streamlit's AppTest on that data (UMKM_DATA_DIR):
   cold_s is the first run of the page in a fresh session with Streamlit's caches emptied (as after a
   restart: the tables come from the ingest cache on disk; the scan for installed components that a
   server makes once at its start is made once for all pages, ``_app``); warm_s is the slower of two reruns after a
   sidebar filter change (period, then kecamatan).
6. The Direktori UMKM (issue 19), through AppTest on the same data once the page is open (its index built,
   as after anyone's first visit): search_s is the slower of two new searches typed into the search box
   (each filtered, sorted and its first page drawn), profile_s the slower of two profiles opened from the
   results (``?umkm=`` of a search's first row).
7. peak_rss_mb: ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of this process at the end (the generator
   subprocess is not counted); the peak so far is also recorded after the ingest and after each page,
   to show which step sets it. The ingest reads files in worker processes: their memory is not in
   that figure, so a sampler reads every 20 ms, during the ingests and until their workers have
   exited, the resident memory of this process and its children: ingest_rss_total_mb is the largest
   sum (what the machine had to hold at once), peak_rss_children_mb the largest single worker. A child
   counts once it runs its own program (before, a spawned worker shows this process's pages as its own). The
   pages are sampled the same way: the dashboard estimates each kecamatan's training impact in a
   process of its own once data is loaded (ui/data.py), and pages_rss_total_mb is the largest sum
   while the pages run. The memory target is judged on the largest of the three.
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from analysis.core import fingerprint, paths, settings

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_SEED = 20171031
# Issue 18's targets on 2 cores: a kabupaten (judged at scale 20) and a province (scale 100 and up).
KABUPATEN_TARGETS = {"ingest_ratio": 1.5, "reingest_share": 0.05, "warm_s": 0.5, "cold_s": 2.0, "peak_rss_mb": 1024.0,
                     "directory_s": 0.5}
PROVINCE_TARGETS = {"ingest_ratio": 2.0, "reingest_share": 0.05, "warm_s": 1.0, "cold_s": 3.0, "peak_rss_mb": 2048.0,
                    "directory_s": 1.0}
PROVINCE_SCALE = 100


def targets_for(scale: int) -> dict[str, float]:
    """The targets a run at ``scale`` is judged on."""
    return PROVINCE_TARGETS if scale >= PROVINCE_SCALE else KABUPATEN_TARGETS
# What the directory is searched for, and whose profiles are opened (the first row of each search).
DIRECTORY_SEARCHES = ("keripik", "vco natar")
_COMPLETE = ".bench-complete"


def machine() -> dict:
    """What the figures were measured on."""
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpus": os.cpu_count(), "cpu_model": model, "ram_gb": round(memory_gb, 1),
            "python": platform.python_version(), "system": platform.platform(terse=True),
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()]}


def demo_data(scale: int, seed: int, workdir: Path) -> Path:
    """The raw folder of the demo data at ``scale``; generated once in a subprocess, then reused."""
    folder = workdir / f"demo-scale{scale}-seed{seed}"
    if (folder / _COMPLETE).is_file():
        return folder / "raw"
    workdir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".demo-scale{scale}-", dir=workdir))
    try:
        print(f"Membuat data demo skala {scale} (sekali saja) ...", flush=True)
        subprocess.run([sys.executable, "-m", "analysis.demo", "--scale", str(scale), "--seed", str(seed),
                        "--out", str(staging / "out")], check=True, cwd=paths.ROOT)
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(staging / "out", folder)
        (folder / _COMPLETE).write_text("ok\n", encoding="utf-8")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder / "raw"


def _timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - started, value


def raw_read(raw: Path) -> tuple[float, int]:
    """Seconds to read every file with the engine alone (best of two) and the number of raw rows."""
    import python_calamine

    from analysis.ingest.readers import CSV_SUFFIXES, _read_csv, iter_files

    def read_all() -> int:
        rows = 0
        for path, skip in iter_files([raw]):
            if skip is not None:
                continue
            if path.suffix.lower() in CSV_SUFFIXES:
                rows += len(_read_csv(path, path.read_bytes()).rows)
                continue
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            for meta in book.sheets_metadata:
                if str(meta.typ).endswith("WorkSheet"):
                    rows += len(book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False))
        return rows

    return _best_of_two(read_all)


def read_checked(raw: Path) -> tuple[float, int]:
    """Seconds to read every file as the ingest does (``read_file``: checks + engine), best of two."""
    from analysis.ingest.readers import iter_files, read_file

    def read_all() -> int:
        return sum(len(sheet.rows) for path, skip in iter_files([raw]) if skip is None for sheet in read_file(path))

    return _best_of_two(read_all)


def _best_of_two(read_all) -> tuple[float, int]:
    times = []
    for _ in range(2):
        seconds, rows = _timed(read_all)
        times.append(seconds)
    return min(times), rows


class _MemorySampler:
    """The largest sum of this process's and its children's resident memory, sampled on a thread
    (Linux /proc; 0 elsewhere)."""

    def __init__(self, every_s: float = 0.02) -> None:
        import threading

        self.peak_mb = 0.0
        self.child_peak_mb = 0.0  # the largest single child seen
        self._every = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)

    def __enter__(self) -> _MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        own = _cmdline(os.getpid())
        while not self._stop.is_set():
            # A child counts once it runs its own program: between the fork and the exec of a spawned worker
            # it shows this process's pages as its own resident memory (shared, not held twice).
            children = [_rss_mb(pid) for pid in _children(os.getpid()) if _cmdline(pid) != own]
            self.peak_mb = max(self.peak_mb, _rss_mb(os.getpid()) + sum(children))
            self.child_peak_mb = max([self.child_peak_mb, *children])
            self._stop.wait(self._every)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in _children(c)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


_COMPONENTS: list = []  # Streamlit's registry of installed components, discovered once (``_app``)


def _app(timeout: float):
    """An AppTest of the dashboard that uses the registry of installed components this process already
    discovered. A Streamlit server scans the installed packages for components once, when it starts; a
    new AppTest does it on its first run (0.37 s on this machine, about half a million calls parsing
    package metadata), which is no page's work and not part of a cold page in the server."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=timeout)
    if hasattr(at, "_bidi_component_manager"):  # (Streamlit's private name: without it, every run scans)
        if not _COMPONENTS:
            from streamlit.components.v2.component_manager import BidiComponentManager

            components = BidiComponentManager()
            components.discover_and_register_components(start_file_watching=False)
            _COMPONENTS.append(components)
        at._bidi_component_manager = _COMPONENTS[0]
    return at


def run_pages(raw: Path, timeout: float) -> dict:
    """cold_s and warm_s of every page through AppTest on the data in ``raw``."""
    import streamlit as st

    from ui import data as ui_data
    from ui import filters as ui_filters
    from ui.navigation import PAGES

    # Clearing Streamlit's caches outside a server logs "No runtime found" warnings: not news here.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    settings.use(replace(settings.get(), data_dir=raw))
    results = {}
    for spec in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        ui_data._FINGERPRINTS.clear()
        # The previous page's session may still reach the tables it loaded through reference cycles; a
        # server holds one copy, so collect before loading the next (else the peak counts several).
        gc.collect()
        at = _app(timeout)
        if spec != PAGES[0]:
            at.switch_page(spec.path)
        cold, _ = _timed(at.run)
        problems = _problems(at, spec.title)
        months = at.select_slider(key=ui_filters.KEY_PERIOD)
        first, last = months.value  # "YYYY-MM" keys
        year_before = f"{int(last[:4]) - 1}{last[4:]}"  # the last thirteen months
        warm_period, _ = _timed(months.set_value((max(first, year_before), last)).run)
        problems += _problems(at, spec.title)
        warm_kecamatan, _ = _timed(at.multiselect(key=ui_filters.KEY_KECAMATAN).set_value(["Natar"]).run)
        problems += _problems(at, spec.title)
        results[spec.title] = {"path": spec.path, "cold_s": round(cold, 3), "peak_rss_mb_so_far": _peak_mb(),
                               "warm_s": round(max(warm_period, warm_kecamatan), 3),
                               "warm_period_s": round(warm_period, 3), "warm_kecamatan_s": round(warm_kecamatan, 3),
                               "problems": problems}
        print(f"  {spec.title}: cold {cold:.2f} s, warm {warm_period:.2f} s (periode) / "
              f"{warm_kecamatan:.2f} s (kecamatan)", flush=True)
    return results


def run_directory(raw: Path, timeout: float) -> dict:
    """search_s and profile_s of the Direktori UMKM (step 6 of the module docstring)."""

    from analysis.insight import directory as dirx
    from ui import directory as ui_directory
    from ui.navigation import DIRECTORY_PAGE

    settings.use(replace(settings.get(), data_dir=raw))
    at = _app(timeout)
    at.switch_page(DIRECTORY_PAGE)
    opened, _ = _timed(at.run)
    problems = _problems(at, "Direktori UMKM")
    searches, profiles, found = [], [], []
    for text in DIRECTORY_SEARCHES:
        seconds, _ = _timed(at.text_input(key=ui_directory.KEY_TEXT).set_value(text).run)
        searches.append(round(seconds, 3))
        problems += _problems(at, "Direktori UMKM")
        table = at.dataframe[0].value if at.dataframe else None
        if table is not None and len(table):
            found.append(str(table[dirx.COL_ID].iloc[0]))
    for umkm in found:
        at.query_params[dirx.Q_UMKM] = umkm
        seconds, _ = _timed(at.run)
        profiles.append(round(seconds, 3))
        problems += _problems(at, "Profil UMKM")
        if not at.header or not at.get("plotly_chart"):
            problems.append(f"profil {umkm} tanpa judul atau grafik")
        del at.query_params[dirx.Q_UMKM]
        at.run()
    if len(profiles) < len(DIRECTORY_SEARCHES):
        problems.append(f"pencarian tanpa hasil: {DIRECTORY_SEARCHES} -> {found}")
    print(f"  Direktori UMKM: cari {' / '.join(f'{s:.2f}' for s in searches)} s, profil "
          f"{' / '.join(f'{s:.2f}' for s in profiles)} s", flush=True)
    return {"opened_s": round(opened, 3), "searches_s": searches, "profiles_s": profiles,
            "search_s": max(searches, default=float("nan")), "profile_s": max(profiles, default=float("nan")),
            "searched": list(DIRECTORY_SEARCHES), "profiles": found, "problems": problems}


def _peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _problems(at, title: str) -> list[str]:
    """Exceptions and error boxes of a run, and a missing page title: a page that fails fast is no win."""
    found = [f"exception: {e.value}" for e in at.exception] + [f"error: {e.value}" for e in at.error]
    if title not in [t.value for t in at.title]:
        found.append(f"judul halaman '{title}' tidak tampil")
    return found


def run(scale: int, seed: int, workdir: Path, pages_timeout: float) -> dict:
    started = time.perf_counter()
    result: dict = {"scale": scale, "seed": seed, "machine": machine(),
                    "command": f"python -m bench --scale {scale}" + (f" --seed {seed}" if seed != DEFAULT_SEED else "")}
    raw = demo_data(scale, seed, workdir)
    files = [p for p in raw.rglob("*") if p.is_file()]
    result["data"] = {"files": len(files), "megabytes": round(sum(p.stat().st_size for p in files) / 1e6, 1)}

    print("Membaca berkas mentah (calamine) ...", flush=True)
    result["raw_read_s"], result["data"]["raw_rows"] = raw_read(raw)
    result["read_checked_s"], _ = read_checked(raw)

    from analysis.ingest import workers_exited, write_outputs
    from analysis.ingest.cache import cached_ingest

    cache_dir = Path(tempfile.mkdtemp(prefix="cache-", dir=workdir))
    out_dir = Path(tempfile.mkdtemp(prefix="out-", dir=workdir))
    previous = settings.get()
    settings.use(replace(previous, cache_dir=cache_dir))
    try:
        print("Impor (cache kosong, dua kali) ...", flush=True)
        runs = []
        ingested = None
        with _MemorySampler() as sampler:
            for attempt in range(2):
                if attempt:  # a second cold ingest on a fresh cache folder; its result is the one kept
                    ingested = None
                    gc.collect()
                    shutil.rmtree(cache_dir, ignore_errors=True)
                    cache_dir = Path(tempfile.mkdtemp(prefix="cache-", dir=workdir))
                    settings.use(replace(settings.get(), cache_dir=cache_dir))
                fingerprint.KNOWN.clear()  # each cold ingest hashes the files, as after a restart
                seconds, ingested = _timed(cached_ingest, [raw], with_sales=False)
                runs.append(round(seconds, 3))
                workers_exited(timeout=60)  # the ingest returns while its workers exit: sampled until they have
        result["ingest_runs_s"] = runs
        result["ingest_s"] = min(runs)
        result["ingest_rss_total_mb"] = round(sampler.peak_mb, 1)
        totals = ingested.report["totals"]
        result["data"].update({"producers": totals["producers"], "sales_rows": totals["sales_rows"],
                               "participants": totals["participants"], "rows_read": totals["rows_read"]})
        result["peak_rss_mb_after_ingest"] = _peak_mb()
        # RUSAGE_CHILDREN would be wrong here: a child forked by a 1 GB process reports the parent's
        # shared pages as its own peak for the moment before it executes the worker, so the second
        # ingest's workers seemed to take 1 GB. The sampled size of the largest worker is what it held.
        result["peak_rss_children_mb"] = round(sampler.child_peak_mb, 1)
        result["outputs_s"], _ = _timed(write_outputs, ingested, out_dir)
        del ingested
        print("Impor ulang (berkas tidak berubah) ...", flush=True)
        result["reingest_s"], again = _timed(cached_ingest, [raw], with_sales=False)
        del again
        print("Halaman (AppTest) ...", flush=True)
        with _MemorySampler() as sampler:
            result["pages"] = run_pages(raw, pages_timeout)
            result["directory"] = run_directory(raw, pages_timeout)
        result["pages_rss_total_mb"] = round(sampler.peak_mb, 1)
    finally:
        settings.use(previous)
        shutil.rmtree(cache_dir, ignore_errors=True)
        shutil.rmtree(out_dir, ignore_errors=True)

    result["ingest_ratio"] = result["ingest_s"] / result["raw_read_s"]
    result["ingest_ratio_checked"] = result["ingest_s"] / result["read_checked_s"]
    result["reingest_share"] = result["reingest_s"] / result["ingest_s"]
    result["peak_rss_mb"] = _peak_mb()
    result["total_s"] = time.perf_counter() - started
    result["targets"] = _verdicts(result)
    return _rounded(result)


def _verdicts(result: dict) -> dict:
    goal = targets_for(result["scale"])
    worst_warm = max((p["warm_s"] for p in result["pages"].values()), default=0.0)
    worst_cold = max((p["cold_s"] for p in result["pages"].values()), default=0.0)
    failing_pages = [title for title, p in result["pages"].items() if p["problems"]]
    directory = result.get("directory", {})
    if directory.get("problems"):
        failing_pages.append("Direktori UMKM")
    return {
        f"ingest_ratio <= {goal['ingest_ratio']}": result["ingest_ratio"] <= goal["ingest_ratio"],
        f"reingest_s <= {goal['reingest_share']:.0%} of ingest_s": result["reingest_share"] <= goal["reingest_share"],
        f"every page warm_s <= {goal['warm_s']}": worst_warm <= goal["warm_s"],
        f"every page cold_s <= {goal['cold_s']}": worst_cold <= goal["cold_s"],
        f"memory at once <= {goal['peak_rss_mb']:.0f} MB": memory_at_once(result) <= goal["peak_rss_mb"],
        "pages without errors": not failing_pages,
        **({f"Direktori search_s and profile_s <= {goal['directory_s']}": max(directory["search_s"], directory["profile_s"])
            <= goal["directory_s"]} if directory else {}),
    }


def memory_at_once(result: dict) -> float:
    """The most memory the machine held at once: this process's peak, or the ingest's or the pages' sum of
    this process and its children, whichever is largest."""
    return max(result["peak_rss_mb"], result.get("ingest_rss_total_mb", 0.0), result.get("pages_rss_total_mb", 0.0))


def _rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def table(result: dict) -> str:
    """The figures as a Markdown table (also printed)."""
    goal = targets_for(result["scale"])
    lines = [f"Skala {result['scale']}: {result['data']['producers']:,} pelaku usaha, "
             f"{result['data']['sales_rows']:,} baris penjualan, {result['data']['files']} berkas, "
             f"{result['data']['megabytes']} MB", "",
             "| figure | value | target |", "|---|---|---|",
             f"| raw_read_s (engine only: calamine / csv, no checks, no cleaning) | {result['raw_read_s']:.2f} | |",
             *([f"| read_checked_s (read_file: safety checks + engine) | {result['read_checked_s']:.2f} | |"]
               if "read_checked_s" in result else []),
             f"| ingest_s (cold, best of two) | {result['ingest_s']:.2f}"
             + (f" ({' / '.join(f'{r:.2f}' for r in result['ingest_runs_s'])})" if result.get("ingest_runs_s") else "") + " | |",
             f"| ingest_ratio (ingest_s / raw_read_s) | {result['ingest_ratio']:.2f} | ≤ {goal['ingest_ratio']} |",
             *([f"| ingest_ratio_checked (ingest_s / read_checked_s) | {result['ingest_ratio_checked']:.2f} | |"]
               if "ingest_ratio_checked" in result else []),
             f"| reingest_s (unchanged files) | {result['reingest_s']:.2f} ({result['reingest_share']:.1%}) | ≤ 5% of ingest_s |",
             f"| outputs_s (write output folder) | {result['outputs_s']:.2f} | |"]
    for title, page in result["pages"].items():
        lines.append(f"| {title}: cold_s / warm_s | {page['cold_s']:.2f} / {page['warm_s']:.2f} | "
                     f"≤ {goal['cold_s']} / ≤ {goal['warm_s']} |")
    if "directory" in result:
        directory = result["directory"]
        lines.append(f"| Direktori UMKM: warm search_s (a new search, slower of {len(directory['searches_s'])}) | "
                     f"{directory['search_s']:.2f} | ≤ {goal['directory_s']} |")
        lines.append(f"| Profil UMKM: warm profile_s (opened from a search, slower of {len(directory['profiles_s'])}) | "
                     f"{directory['profile_s']:.2f} | ≤ {goal['directory_s']} |")
    memory = f"≤ {goal['peak_rss_mb']:.0f} (the largest of the three)"
    lines.append(f"| peak_rss_mb (this process) | {result['peak_rss_mb']:.0f} | {memory} |")
    if "peak_rss_children_mb" in result:
        lines.append(f"| peak_rss_children_mb (largest ingest worker) | {result['peak_rss_children_mb']:.0f} | |")
    if "ingest_rss_total_mb" in result:
        lines.append(f"| ingest_rss_total_mb (this process + workers, at once) | {result['ingest_rss_total_mb']:.0f} | {memory} |")
    if "pages_rss_total_mb" in result:
        lines.append(f"| pages_rss_total_mb (this process + background estimates, at once) | "
                     f"{result['pages_rss_total_mb']:.0f} | {memory} |")
    lines.append("")
    lines += [f"- {name}: {'ya' if ok else 'TIDAK'}" for name, ok in result["targets"].items()]
    return "\n".join(lines)


def growth(scales: list[int]) -> str:
    """How each figure grows from the smallest scale, beside how the data grows."""
    results = {s: json.loads((BENCH_DIR / f"results-{s}.json").read_text(encoding="utf-8")) for s in scales}
    base = results[scales[0]]
    rows = [("producers", lambda r: r["data"]["producers"]), ("sales rows", lambda r: r["data"]["sales_rows"]),
            ("megabytes", lambda r: r["data"]["megabytes"]), ("raw_read_s", lambda r: r["raw_read_s"]),
            ("read_checked_s", lambda r: r.get("read_checked_s", float("nan"))),
            ("ingest_s", lambda r: r["ingest_s"]), ("reingest_s", lambda r: r["reingest_s"])]
    for title in base["pages"]:
        rows.append((f"{title} cold_s", lambda r, t=title: r["pages"][t]["cold_s"]))
        rows.append((f"{title} warm_s", lambda r, t=title: r["pages"][t]["warm_s"]))
    rows.append(("peak_rss_mb", lambda r: r["peak_rss_mb"]))
    rows.append(("memory at once (MB)", memory_at_once))
    head = "| figure | " + " | ".join(f"scale {s}" for s in scales) + " | " + \
        " | ".join(f"×{s}/{scales[0]}" for s in scales[1:]) + " |"
    lines = [head, "|" + "---|" * (1 + 2 * len(scales) - 1)]
    for name, get in rows:
        values = [get(results[s]) for s in scales]
        shown = [f"{v:,.2f}" if isinstance(v, float) else f"{v:,}" for v in values]
        factors = [f"{v / values[0]:.1f}" if values[0] else "–" for v in values[1:]]
        lines.append(f"| {name} | " + " | ".join(shown) + " | " + " | ".join(factors) + " |")
    return "\n".join(lines)


def dashboard(scale: int, seed: int, workdir: Path, pages_timeout: float) -> dict:
    """The pages alone, as a dashboard started on data it has ingested before: the ingest cache entry is
    made in a subprocess (its memory is not this process's), then every page and the directory run in
    this fresh process, sampled with the background estimates (``--dashboard``). The targets are judged
    on ``run``, where the pages follow the ingest in one process; this shows what the dashboard itself
    holds after a restart."""
    raw = demo_data(scale, seed, workdir)
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from analysis.ingest.cache import cached_ingest; cached_ingest([Path(sys.argv[1])], with_sales=False)",
                    str(raw)],
                   check=True, cwd=paths.ROOT)
    with _MemorySampler() as sampler:
        pages = run_pages(raw, pages_timeout)
        directory = run_directory(raw, pages_timeout)
    return {"scale": scale, "pages": pages, "directory": directory, "pages_rss_total_mb": round(sampler.peak_mb, 1),
            "peak_rss_mb": _peak_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, help="demo-data scale (20: ~50,000 UMKM, ~1.3 M sales rows; "
                                                  "100: a province, ~250,000 UMKM, ~6.5 M sales rows)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workdir", type=Path, default=paths.WORK_DIR / "bench",
                        help="generated data and temporary caches (default data/work/bench, git-ignored)")
    parser.add_argument("--timeout", type=float, default=900.0, help="AppTest timeout per run, seconds")
    parser.add_argument("--growth", type=int, nargs="+", metavar="N", help="print growth over results-N.json")
    parser.add_argument("--dashboard", action="store_true",
                        help="only the pages, in a fresh process on data ingested before (what a restarted dashboard holds)")
    args = parser.parse_args(argv)
    if args.growth:
        print(growth(sorted(args.growth)))
        return 0
    if args.dashboard and args.scale:
        found = dashboard(args.scale, args.seed, args.workdir, args.timeout)
        print(f"\nSkala {args.scale}, dasbor saja: memori sekaligus (proses ini + dampak latar) "
              f"{found['pages_rss_total_mb']:.0f} MB, proses ini {found['peak_rss_mb']:.0f} MB")
        for title, page in found["pages"].items():
            print(f"  {title}: cold {page['cold_s']:.2f} s, warm {page['warm_s']:.2f} s")
        return 0
    if not args.scale or args.scale < 1:
        parser.error("--scale N (N >= 1) or --growth N N ...")
    result = run(args.scale, args.seed, args.workdir, args.timeout)
    path = BENCH_DIR / f"results-{args.scale}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(result))
    print(f"\n-> {path.relative_to(paths.ROOT)}")
    return 0 if all(result["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
