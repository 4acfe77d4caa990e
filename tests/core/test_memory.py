"""Arrow's allocator: the C library's, whose freed memory give_back_memory hands back (analysis/__init__.py)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analysis.core.paths import ROOT


def _last_word(code: str, without: str, **env: str) -> str:
    """The last word ``code`` prints, run by a fresh interpreter whose environment lacks ``without`` and has
    ``env`` added."""
    environment = {k: v for k, v in os.environ.items() if k != without} | env
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                           check=True)
    return shown.stdout.split()[-1]


def _backend(code: str, **env: str) -> str:
    """Arrow's memory pool after ``code``, in a fresh interpreter that starts without the pool variable."""
    return _last_word(code + "\nimport pyarrow\nprint(pyarrow.default_memory_pool().backend_name)",
                      without="ARROW_DEFAULT_MEMORY_POOL", **env)


@pytest.mark.parametrize("code", [
    "import analysis.core.memory",  # the package first: Arrow reads the variable when it first allocates
    "import pandas\npandas.Series(['a'])\nimport analysis",  # pyarrow used before: its Python-level default
], ids=["package-first", "pyarrow-first"])
def test_arrow_allocates_from_the_c_library(code):
    assert _backend(code) == "system"


def test_a_spawned_worker_inherits_the_choice():
    code = ("import os\nimport analysis\nfrom concurrent.futures import ProcessPoolExecutor\n"
            "from analysis.ingest.reading import worker_context\n"
            "with ProcessPoolExecutor(1, mp_context=worker_context()) as pool:\n"
            "    print(pool.submit(os.getenv, 'ARROW_DEFAULT_MEMORY_POOL').result())")
    assert _last_word(code, without="ARROW_DEFAULT_MEMORY_POOL") == "system"


def test_the_users_choice_wins():
    assert _backend("import analysis", ARROW_DEFAULT_MEMORY_POOL="jemalloc") == "jemalloc"


def test_the_reading_and_estimating_processes_do_not_load_duckdb():
    """DuckDB holds 32 MB once imported: the ingest's reading and near-duplicate workers and the background
    estimates import only what they run (the engine imports it when a query engine is made)."""
    code = ("import sys\nimport analysis.ingest.reading, analysis.ingest.merge, analysis.impact.background\n"
            "import analysis.insight.coded, analysis.impact.estimate\nprint('duckdb' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.split()[-1] == "False"
    engine = ("import sys\nimport pyarrow as pa\nfrom analysis.engine import Engine\n"
              "Engine(None, pa.table({'nilai_rp': [1.0]}))\nprint('duckdb' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", engine], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.split()[-1] == "True"  # the check can fail: the engine does load it


def test_no_page_loads_duckdb():
    """The pages sum the version's sales from its Parquet columns (analysis.insight.coded): every page opened
    on the demo data leaves DuckDB unloaded, as its 32 MB and its start-up would be spent on nothing."""
    code = ("import sys\nfrom streamlit.testing.v1 import AppTest\nfrom analysis.core.paths import ROOT\n"
            "from ui.navigation import PAGES\n"
            "for page in PAGES:\n"
            "    at = AppTest.from_file(str(ROOT / 'app.py'), default_timeout=120)\n"
            "    at.switch_page(page.path)\n"
            "    at.run()\n"
            "    assert not at.exception, (page.path, [e.value for e in at.exception])\n"
            "print('duckdb' in sys.modules)")
    assert _last_word(code, without="UMKM_DATA_DIR") == "False"
