"""Logins that survive a page reload, a new tab or a link: a random token in the browser, its hash here.

After a login the browser keeps a cookie with a random token (ui/auth.py sets it); this module keeps,
per token, only its SHA-256 hash with the account name and when it was last used, in one JSON file
beside the accounts. A request that brings a token back is logged in as that account while the token
is known, was used within the idle time (the session_idle_hours setting) and the account still exists.
Logging out forgets the token. Nothing here can log anyone in without the token, and the file alone
(hashes only) cannot be turned into one.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from pathlib import Path

from analysis.core import settings
from analysis.core.files import atomic_write_text

COOKIE = "umkm_sesi"
TOUCH_SECONDS = 300  # "last used" is written at most this often per token: not on every rerun
_LOCK = threading.Lock()


def _path(users_file: Path | None = None) -> Path:
    """Beside the accounts file (the users_file setting unless another is named)."""
    return Path(users_file if users_file is not None else settings.get().users_file).with_name("sesi.json")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _load(path: Path) -> dict[str, dict]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no file yet, or a damaged one: every token is then unknown (log in again)
    return found if isinstance(found, dict) else {}


def _idle_limit() -> float:
    return settings.get().session_idle_hours * 3600


def _alive(records: dict[str, dict], now: float) -> dict[str, dict]:
    return {key: value for key, value in records.items()
            if isinstance(value, dict) and now - float(value.get("last_used", 0)) <= _idle_limit()}


def start(name: str, *, now: float | None = None) -> str:
    """A new token for ``name`` (to put in the browser's cookie); expired tokens are dropped on the way."""
    now = time.time() if now is None else now
    token = secrets.token_urlsafe(32)
    with _LOCK:
        path = _path()
        records = _alive(_load(path), now)
        records[_digest(token)] = {"name": name, "started": now, "last_used": now}
        atomic_write_text(path, json.dumps(records, indent=1, sort_keys=True))
    return token


def resume(token: str | None, *, now: float | None = None) -> str | None:
    """The account name a token stands for, or None: unknown, idle too long, or a forged value. Marks
    the token used (at most every TOUCH_SECONDS). Whether the account still exists is the caller's check."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = time.time() if now is None else now
    key = _digest(token)
    with _LOCK:
        path = _path()
        records = _load(path)
        record = records.get(key)
        if not isinstance(record, dict) or now - float(record.get("last_used", 0)) > _idle_limit():
            if record is not None:
                records.pop(key, None)
                atomic_write_text(path, json.dumps(records, indent=1, sort_keys=True))
            return None
        if now - float(record["last_used"]) >= TOUCH_SECONDS:
            record["last_used"] = now
            atomic_write_text(path, json.dumps(records, indent=1, sort_keys=True))
        return str(record.get("name"))


def end(token: str | None) -> None:
    """Forget a token (logout): the cookie that still holds it logs nobody in any more."""
    if not isinstance(token, str) or not token:
        return
    with _LOCK:
        path = _path()
        records = _load(path)
        if records.pop(_digest(token), None) is not None:
            atomic_write_text(path, json.dumps(records, indent=1, sort_keys=True))


def end_all(name: str, users_file: Path | None = None) -> int:
    """Forget every token of an account (its password changed, or it was removed): how many."""
    with _LOCK:
        path = _path(users_file)
        records = _load(path)
        kept = {key: value for key, value in records.items() if not (isinstance(value, dict) and value.get("name") == name)}
        if len(kept) != len(records):
            atomic_write_text(path, json.dumps(kept, indent=1, sort_keys=True))
        return len(records) - len(kept)
