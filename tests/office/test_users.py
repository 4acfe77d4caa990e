"""Local accounts: argon2 hashes only, the command, authentication, roles and permissions."""
from __future__ import annotations

import io
import json
import stat

import pytest

from analysis.office import users
from analysis.office.users import ROLE_ADMIN, ROLE_PERENCANA, ROLE_PIMPINAN, ROLE_PUBLIK, AccountError, Permissions


def test_the_file_holds_an_argon2_hash_never_the_password(tmp_path):
    path = tmp_path / "users.json"
    users.add("rina", ROLE_ADMIN, "rahasia-kantor-1", path)
    text = path.read_text()
    assert "rahasia-kantor-1" not in text
    account = json.loads(text)["users"]["rina"]
    assert account["role"] == ROLE_ADMIN and account["hash"].startswith("$argon2id$")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_authenticate_gives_the_role_only_for_the_right_password(tmp_path):
    path = tmp_path / "users.json"
    users.add("budi", ROLE_PIMPINAN, "kopi-robusta-88", path)
    assert users.authenticate("budi", "kopi-robusta-88", path) == ROLE_PIMPINAN
    assert users.authenticate("budi", "kopi-robusta-89", path) is None
    assert users.authenticate("tidak-ada", "kopi-robusta-88", path) is None
    assert users.authenticate("budi", "", path) is None


def test_an_unknown_name_is_checked_against_a_hash_too(tmp_path, monkeypatch):
    """Same work for a known and an unknown name: response time does not reveal which names exist."""
    path = tmp_path / "users.json"
    users.add("budi", ROLE_PIMPINAN, "kopi-robusta-88", path)
    checked = []
    real = users._HASHER

    class Watching:
        def verify(self, stored, password):
            checked.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(users, "_HASHER", Watching())
    users.authenticate("tidak-ada", "apa saja", path)
    users.authenticate("budi", "salah-sandi", path)
    assert len(checked) == 2 and checked[0] == users._DUMMY_HASH and checked[1] != users._DUMMY_HASH


def test_refused_changes(tmp_path):
    path = tmp_path / "users.json"
    with pytest.raises(AccountError, match="minimal 8"):
        users.add("budi", ROLE_ADMIN, "pendek", path)
    with pytest.raises(AccountError, match="Peran"):
        users.add("budi", "raja", "cukup-panjang", path)
    with pytest.raises(AccountError, match="Nama akun"):
        users.add("budi santoso!", ROLE_ADMIN, "cukup-panjang", path)
    users.add("budi", ROLE_ADMIN, "cukup-panjang", path)
    with pytest.raises(AccountError, match="sudah ada"):
        users.add("budi", ROLE_ADMIN, "cukup-panjang", path)
    with pytest.raises(AccountError, match="tidak ada"):
        users.remove("ani", path)


def test_an_unreadable_accounts_file_is_an_error_not_no_accounts(tmp_path):
    path = tmp_path / "users.json"
    path.write_text("{ rusak")
    with pytest.raises(AccountError, match="tidak dapat dibaca"):
        users.any_accounts(path)


def test_the_command_adds_changes_lists_and_removes(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-pertama-1\n"))
    assert users.main(["--file", str(path), "add", "rina", "--role", "admin data", "--password-stdin"]) == 0
    assert users.authenticate("rina", "sandi-pertama-1", path) == ROLE_ADMIN
    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-kedua-22\n"))
    assert users.main(["--file", str(path), "passwd", "rina", "--password-stdin"]) == 0
    assert users.authenticate("rina", "sandi-pertama-1", path) is None
    assert users.authenticate("rina", "sandi-kedua-22", path) == ROLE_ADMIN
    capsys.readouterr()
    assert users.main(["--file", str(path), "list"]) == 0
    assert capsys.readouterr().out.startswith("rina\tadmin data\t")
    assert users.main(["--file", str(path), "remove", "rina"]) == 0
    assert users.load(path) == {}
    assert users.main(["--file", str(path), "remove", "rina"]) == 1
    assert users.main(["--file", str(path), "add", "x", "--role", "raja"]) == 2


def test_the_command_asks_twice_without_stdin(tmp_path, monkeypatch):
    answers = iter(["sandi-pertama-1", "sandi-lain-2222"])
    monkeypatch.setattr(users.getpass, "getpass", lambda prompt: next(answers))
    assert users.main(["--file", str(tmp_path / "u.json"), "add", "rina", "--role", "perencana"]) == 1
    assert users.load(tmp_path / "u.json") == {}


def test_permissions_per_role():
    admin, pimpinan, perencana, publik = (Permissions.of(r) for r in (ROLE_ADMIN, ROLE_PIMPINAN, ROLE_PERENCANA, ROLE_PUBLIK))
    assert admin.see_personal and admin.manage_data and admin.see_records
    for masked in (pimpinan, perencana, Permissions.of(None)):
        assert masked.see_records and not masked.see_personal and not masked.manage_data
    assert publik == Permissions(see_records=False, see_personal=False, manage_data=False)
    assert Permissions.of("tidak dikenal") == publik
    # targets: the planner and the data admin change them; the head, the public and nobody logged in read them
    assert admin.edit_targets and perencana.edit_targets
    assert not any(p.edit_targets for p in (pimpinan, publik, Permissions.of(None)))
