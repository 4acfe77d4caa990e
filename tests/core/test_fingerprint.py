"""The cache key of the ingested data: same bytes, same key; any change to any file, a new key."""
from pathlib import Path

import pytest

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
