"""The file helpers of the stores on disk: a write is all or nothing, and the lock is held by one at a time."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from analysis.core.files import atomic_write, atomic_write_text, exclusive


def test_a_failed_write_leaves_the_old_content_and_no_temporary_file(tmp_path: Path):
    path = tmp_path / "entry.json"
    atomic_write_text(path, "lama")

    def broken(stream):
        stream.write(b"separuh")
        raise RuntimeError("disk penuh")

    with pytest.raises(RuntimeError):
        atomic_write(path, broken)
    assert path.read_text(encoding="utf-8") == "lama"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


def test_the_lock_lets_one_holder_in_at_a_time(tmp_path: Path):
    """A second holder (another open file of the lock, as another process has) enters only once the first
    has let go."""
    lock = tmp_path / "kunci" / "entry.lock"
    order: list[str] = []
    second_tries = threading.Event()

    def second():
        second_tries.set()
        with exclusive(lock) as held:
            order.append(f"second in, held={held}")

    with exclusive(lock) as held:
        assert held
        waiter = threading.Thread(target=second)
        waiter.start()
        second_tries.wait(10)
        waiter.join(0.3)  # it cannot get in while this block runs
        order.append("first out")
    waiter.join(10)
    assert order == ["first out", "second in, held=True"]


def test_a_wait_that_runs_out_runs_the_block_without_the_lock(tmp_path: Path):
    lock = tmp_path / "entry.lock"
    second: list[bool] = []

    def attempt():
        with exclusive(lock, timeout_s=0.2) as held:
            second.append(held)

    with exclusive(lock) as first:
        waiter = threading.Thread(target=attempt)
        waiter.start()
        waiter.join(10)  # (a wait without end stays here until this block lets go)
        finished = not waiter.is_alive()
    waiter.join(10)
    assert first and finished and second == [False]
    with exclusive(lock, timeout_s=0.2) as again:  # let go: had at once
        assert again


def test_a_lock_that_cannot_be_made_runs_the_block_without_it(tmp_path: Path):
    blocker = tmp_path / "berkas"
    blocker.write_text("x", encoding="utf-8")  # a folder cannot be made under a file
    ran = []
    with exclusive(blocker / "entry.lock") as held:
        ran.append(held)
    assert ran == [False]
