"""Logins that survive a reload: a random token in the browser, only its hash on the server."""
from __future__ import annotations

from analysis.core import settings
from analysis.office import sessions, users

PASSWORD = "sandi-uji-yang-panjang"


def test_a_token_logs_its_account_back_in_until_it_is_idle_too_long(configure):
    configure(session_idle_hours=8.0)
    token = sessions.start("rina", now=1_000.0)
    assert sessions.resume(token, now=1_000.0 + 7 * 3600) == "rina"  # used within the idle time
    assert sessions.resume(token, now=1_000.0 + 7 * 3600 + 9 * 3600) is None  # 9 idle hours later: expired
    assert sessions.resume(token, now=1_000.0 + 7 * 3600 + 1) is None  # and forgotten, not revived


def test_use_keeps_a_token_alive(configure):
    configure(session_idle_hours=1.0)
    token = sessions.start("rina", now=0.0)
    for hour in range(1, 6):  # used every 50 minutes for five hours
        assert sessions.resume(token, now=hour * 3000.0) == "rina"


def test_unknown_forged_and_ended_tokens_log_nobody_in():
    token = sessions.start("rina")
    assert sessions.resume(None) is None and sessions.resume("") is None
    assert sessions.resume(token + "x") is None and sessions.resume("a" * 5000) is None
    sessions.end(token)
    assert sessions.resume(token) is None


def test_the_file_holds_hashes_not_tokens():
    token = sessions.start("rina")
    stored = settings.get().users_file.with_name("sesi.json").read_text(encoding="utf-8")
    assert token not in stored and "rina" in stored


def test_a_new_password_or_a_removed_account_ends_its_logins():
    users.add("rina", users.ROLE_ADMIN, PASSWORD)
    users.add("budi", users.ROLE_PERENCANA, PASSWORD)
    rina, budi = sessions.start("rina"), sessions.start("budi")
    users.set_password("rina", PASSWORD + "-baru")
    assert sessions.resume(rina) is None and sessions.resume(budi) == "budi"
    users.remove("budi")
    assert sessions.resume(budi) is None
