"""Local accounts: who may log in, with which role. Also the command that manages them:

    python -m analysis.users add NAME --role ROLE [--password-stdin]
    python -m analysis.users passwd NAME [--password-stdin]
    python -m analysis.users remove NAME
    python -m analysis.users list

The file (the users_file setting, UMKM_USERS_FILE) holds names, roles and argon2id hashes made by
argon2-cffi, never a password. Checking a password costs the same time whether the name exists or not
(an unknown name is checked against a dummy hash), and argon2 compares the digests in constant time.

What each role may do is decided here, in one place, so the screen and every export agree:
- pimpinan, perencana: indicators, maps, trends and plans; NIK and phone numbers masked; perencana also
  edits the indicator targets;
- admin data: everything, including uploads, rollback, targets and unmasked records;
- publik (presentation / public view): aggregates only, no list of producers at all.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analysis.core import settings
from analysis.office import sessions

ROLE_PIMPINAN = "pimpinan"
ROLE_PERENCANA = "perencana"
ROLE_ADMIN = "admin data"
ROLE_PUBLIK = "publik"
ROLES = (ROLE_PIMPINAN, ROLE_PERENCANA, ROLE_ADMIN, ROLE_PUBLIK)
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9._-]{2,40}$")
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _HASHER.hash("tidak-ada-pengguna-ini")


@dataclass(frozen=True)
class Permissions:
    """What a role may see and do."""

    see_records: bool  # lists of individual producers (names, candidate lists); False: aggregates only
    see_personal: bool  # NIK and phone numbers in full (screen and exports)
    manage_data: bool  # upload, apply, roll back, switch the office's data
    edit_targets: bool = False  # change the indicator targets (Renstra, PK) on Target & Realisasi

    @classmethod
    def of(cls, role: str | None) -> Permissions:
        if role == ROLE_ADMIN:
            return cls(see_records=True, see_personal=True, manage_data=True, edit_targets=True)
        if role == ROLE_PERENCANA:
            return cls(see_records=True, see_personal=False, manage_data=False, edit_targets=True)
        if role == ROLE_PIMPINAN:
            return cls(see_records=True, see_personal=False, manage_data=False)
        if role is None:  # nobody logged in (only possible while no account exists): masked, no uploads
            return cls(see_records=True, see_personal=False, manage_data=False)
        return cls(see_records=False, see_personal=False, manage_data=False)  # publik, or unknown: least


class AccountError(Exception):
    """A refused account change; the message is for the person at the command line (Indonesian)."""


def _path(path: Path | None) -> Path:
    return Path(path if path is not None else settings.get().users_file)


def load(path: Path | None = None) -> dict[str, dict]:
    """{name: {"role": ..., "hash": ..., "created": ...}}; empty when the file does not exist. A file that
    cannot be read raises AccountError: an unreadable accounts file must never mean "no accounts", which
    would open the app without a login."""
    file = _path(path)
    if not file.exists():
        return {}
    try:
        users = json.loads(file.read_text(encoding="utf-8")).get("users", {})
    except (OSError, ValueError, AttributeError) as error:
        raise AccountError(f"Berkas akun {file} tidak dapat dibaca: {error}") from error
    if not isinstance(users, dict):
        raise AccountError(f"Berkas akun {file} tidak berisi daftar akun.")
    return users


def _save(users: dict[str, dict], path: Path | None = None) -> None:
    file = _path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o600)  # hashes are not passwords, but nobody else needs to read them
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"users": users}, stream, ensure_ascii=False, indent=2)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def any_accounts(path: Path | None = None) -> bool:
    return bool(load(path))


def add(name: str, role: str, password: str, path: Path | None = None) -> None:
    users = load(path)
    if not _NAME.match(name):
        raise AccountError("Nama akun 2-40 karakter: huruf, angka, titik, garis bawah atau tanda hubung.")
    if name in users:
        raise AccountError(f"Akun '{name}' sudah ada; gunakan 'passwd' untuk mengganti kata sandinya.")
    if role not in ROLES:
        raise AccountError(f"Peran '{role}' tidak dikenal; pilih salah satu: {', '.join(ROLES)}.")
    users[name] = {"role": role, "hash": _hash(password), "created": datetime.now(UTC).isoformat(timespec="seconds")}
    _save(users, path)


def set_password(name: str, password: str, path: Path | None = None) -> None:
    users = load(path)
    if name not in users:
        raise AccountError(f"Akun '{name}' tidak ada.")
    users[name] = {**users[name], "hash": _hash(password)}
    _save(users, path)
    sessions.end_all(name, path)  # a new password logs out every browser that used the old one


def remove(name: str, path: Path | None = None) -> None:
    users = load(path)
    if users.pop(name, None) is None:
        raise AccountError(f"Akun '{name}' tidak ada.")
    _save(users, path)
    sessions.end_all(name, path)


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Kata sandi minimal {MIN_PASSWORD} karakter.")
    return _HASHER.hash(password)


def authenticate(name: str, password: str, path: Path | None = None) -> str | None:
    """The account's role when the password is right, else None. An unknown name costs the same argon2
    verification as a known one, so response time does not tell which names exist."""
    account = load(path).get(name)
    stored = account.get("hash", "") if isinstance(account, dict) else ""
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not stored:
        return None
    role = account.get("role")
    return role if role in ROLES else None


def role_of(name: str, path: Path | None = None) -> str | None:
    """The current role of an account (None when it was removed): a session re-checks it on every run,
    so removing an account or changing its role takes effect at once."""
    account = load(path).get(name)
    return account.get("role") if isinstance(account, dict) and account.get("role") in ROLES else None


# ---------------------------------------------------------------------------------------------- CLI


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Kata sandi: ")
    if getpass.getpass("Ulangi kata sandi: ") != first:
        raise AccountError("Kedua kata sandi tidak sama.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.users", description="Kelola akun dasbor.")
    parser.add_argument("--file", type=Path, help=f"berkas akun (bawaan: {settings.get().users_file})")
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="tambah akun")
    adding.add_argument("name")
    adding.add_argument("--role", required=True, choices=ROLES)
    adding.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari stdin")
    changing = commands.add_parser("passwd", help="ganti kata sandi")
    changing.add_argument("name")
    changing.add_argument("--password-stdin", action="store_true")
    removing = commands.add_parser("remove", help="hapus akun")
    removing.add_argument("name")
    commands.add_parser("list", help="daftar akun dan perannya")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        if args.command == "add":
            add(args.name, args.role, _read_password(args.password_stdin), args.file)
            print(f"Akun '{args.name}' ({args.role}) ditambahkan.")
        elif args.command == "passwd":
            set_password(args.name, _read_password(args.password_stdin), args.file)
            print(f"Kata sandi '{args.name}' diganti.")
        elif args.command == "remove":
            remove(args.name, args.file)
            print(f"Akun '{args.name}' dihapus.")
        else:
            users = load(args.file)
            for name, account in sorted(users.items()):
                print(f"{name}\t{account.get('role')}\t{account.get('created', '')}")
            if not users:
                print("Belum ada akun.")
    except AccountError as error:
        print(str(error), file=sys.stderr)
        return 1
    return 0
