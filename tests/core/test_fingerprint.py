"""The cache key of the ingested data: same bytes, same key; any change to any file, a new key."""
import json
import os
from pathlib import Path

import pytest

from analysis.core import fingerprint
from analysis.core.fingerprint import data_fingerprint


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "natar.xlsx").write_bytes(b"registry bytes")
    (tmp_path / "penjualan").mkdir()
    (tmp_path / "penjualan" / "2017.csv").write_bytes(b"nama;jan\nA;1\n")
    return tmp_path


def test_same_content_same_fingerprint(folder: Path, tmp_path_factory: pytest.TempPathFactory):
    copy = tmp_path_factory.mktemp("copy")
    # Created in a different order: the listing order must not matter.
    (copy / "penjualan").mkdir()
    (copy / "penjualan" / "2017.csv").write_bytes(b"nama;jan\nA;1\n")
    (copy / "natar.xlsx").write_bytes(b"registry bytes")
    assert data_fingerprint(folder) == data_fingerprint(copy)


def test_one_changed_byte_changes_it(folder: Path):
    before = data_fingerprint(folder)
    (folder / "penjualan" / "2017.csv").write_bytes(b"nama;jan\nA;2\n")
    assert data_fingerprint(folder) != before


def test_added_file_changes_it(folder: Path):
    before = data_fingerprint(folder)
    (folder / "kalianda.xlsx").write_bytes(b"")
    assert data_fingerprint(folder) != before


def test_renamed_file_changes_it(folder: Path):
    before = data_fingerprint(folder)
    (folder / "natar.xlsx").rename(folder / "kalianda.xlsx")
    assert data_fingerprint(folder) != before


def test_bytes_moving_between_files_change_it(tmp_path: Path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    (one / "a").write_bytes(b"xy")
    (one / "b").write_bytes(b"z")
    (two / "a").write_bytes(b"x")
    (two / "b").write_bytes(b"yz")
    assert data_fingerprint(one) != data_fingerprint(two)


def test_single_file(folder: Path):
    assert data_fingerprint(folder / "natar.xlsx") == data_fingerprint(folder / "natar.xlsx")
    assert data_fingerprint(folder / "natar.xlsx") != data_fingerprint(folder)


def test_empty_folder_is_stable(tmp_path: Path):
    assert data_fingerprint(tmp_path) == data_fingerprint(tmp_path)


def test_missing_folder_names_the_path(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="tidak-ada"):
        data_fingerprint(tmp_path / "tidak-ada")


# The memo on the files' stat, in this process and in the cache folder (known_fingerprint).


@pytest.fixture
def memo(tmp_path_factory: pytest.TempPathFactory, configure, monkeypatch: pytest.MonkeyPatch):
    configure(cache_dir=tmp_path_factory.mktemp("cache"))
    monkeypatch.setattr(fingerprint, "KNOWN", {})
    return fingerprint


def _restart(memo, monkeypatch: pytest.MonkeyPatch, *, hashing: bool) -> list[Path]:
    """A new process (an empty memo in memory); the folders it hashes, or a failure when it may not."""
    memo.KNOWN.clear()
    hashed: list[Path] = []

    def hash_or_fail(path: Path) -> str:
        if not hashing:
            pytest.fail(f"dihash lagi: {path}")
        hashed.append(path)
        return data_fingerprint(path)

    monkeypatch.setattr(memo, "data_fingerprint", hash_or_fail)
    return hashed


def test_a_restart_reads_the_stored_hash_of_unchanged_files(folder: Path, memo, monkeypatch: pytest.MonkeyPatch):
    first = memo.known_fingerprint(folder)
    assert first == data_fingerprint(folder)
    assert (memo.settings.get().cache_dir / memo.STORED_FILE).is_file()
    _restart(memo, monkeypatch, hashing=False)
    assert memo.known_fingerprint(folder) == first


def test_a_changed_file_is_hashed_again_after_a_restart(folder: Path, memo, monkeypatch: pytest.MonkeyPatch):
    first = memo.known_fingerprint(folder)
    target = folder / "penjualan" / "2017.csv"
    stat = target.stat()
    target.write_bytes(b"nama;jan\nA;2\n")  # the same size: only the modification time tells
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    hashed = _restart(memo, monkeypatch, hashing=True)
    assert memo.known_fingerprint(folder) == data_fingerprint(folder) != first
    assert hashed == [folder]


def test_a_damaged_store_is_hashed_again_not_fatal(folder: Path, memo, monkeypatch: pytest.MonkeyPatch):
    first = memo.known_fingerprint(folder)
    (memo.settings.get().cache_dir / memo.STORED_FILE).write_text("{rusak", encoding="utf-8")
    hashed = _restart(memo, monkeypatch, hashing=True)
    assert memo.known_fingerprint(folder) == first
    assert hashed == [folder]
    _restart(memo, monkeypatch, hashing=False)  # and stored again
    assert memo.known_fingerprint(folder) == first


def test_the_store_keeps_the_most_recent_folders(tmp_path: Path, memo, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(memo, "MAX_STORED", 2)
    folders = []
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "data.csv").write_text(name, encoding="utf-8")
        folders.append(tmp_path / name)
        memo.known_fingerprint(tmp_path / name)
    stored = json.loads((memo.settings.get().cache_dir / memo.STORED_FILE).read_text(encoding="utf-8"))
    assert list(stored) == [str(f.resolve()) for f in folders[1:]]


def test_code_digest_follows_source_libraries_and_extra_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    source = tmp_path / "modul.py"
    source.write_text("X = 1\n", encoding="utf-8")
    digest = fingerprint.code_digest
    first = digest([source], ("numpy",), extra=("format 1",))
    assert digest([source], ("numpy",), extra=("format 1",)) == first
    assert len(first) == 32 and len(digest([source], size=12)) == 24

    assert digest([source], ("numpy",), extra=("format 2",)) != first
    assert digest([source], ("numpy", "pandas"), extra=("format 1",)) != first
    # text moved from one extra part to the next is another input, not the same byte stream
    assert digest([source], extra=("ab", "c")) != digest([source], extra=("a", "bc"))

    renamed = tmp_path / "lain.py"
    renamed.write_text("X = 1\n", encoding="utf-8")
    assert digest([renamed], ("numpy",), extra=("format 1",)) != first
    source.write_text("X = 2\n", encoding="utf-8")
    assert digest([source], ("numpy",), extra=("format 1",)) != first

    source.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint.metadata, "version", lambda name: "0.0-lain")
    assert digest([source], ("numpy",), extra=("format 1",)) != first


def test_code_digest_names_a_missing_library_without_failing(tmp_path: Path):
    source = tmp_path / "modul.py"
    source.write_text("X = 1\n", encoding="utf-8")
    assert fingerprint.code_digest([source], ("paket-yang-tidak-ada",)) != fingerprint.code_digest([source])
