"""Login, sessions and what the person at the screen may see (Streamlit glue over analysis.users).

app.py calls `sidebar()` once per run, before the page: it draws the login form or the logged-in name
with a logout button and the public-view switch, and stops the run when a login is required. Pages
and exports ask `permissions()`; nothing else decides who sees what.

- Accounts exist: every page needs a login. A login lasts across a reload, a new tab and a link: the
  browser keeps a random token in a cookie (analysis/office/sessions.py keeps its hash). It ends after the
  session_idle_hours setting (UMKM_SESSION_HOURS) without use, at logout, and at once when the account is
  removed (its role is re-read on every run).
- No account at all (a fresh install on the demo data): the app opens without a login, with masked
  personal data and no uploads; Kelola Data explains how to create the first admin data account.
- "Tampilan publik" makes this session show aggregates only (the publik role), for a screen in a
  meeting; logging out or switching it off returns to the account's own view.
"""
from __future__ import annotations

import time

import streamlit as st

from analysis.core import settings
from analysis.office import sessions, users
from analysis.office.users import Permissions

KEY_NAME, KEY_PASSWORD, KEY_SUBMIT = "login_nama", "login_sandi", "login_masuk"
KEY_LOGOUT, KEY_PUBLIC_VIEW = "login_keluar", "tampilan_publik"
_USER, _NOTICE, _FAILURES, _LOGIN_ERROR = "auth_pengguna", "auth_pesan", "auth_gagal", "auth_galat_login"
_COOKIE_WRITE = "auth_tulis_cookie"  # what the browser's cookie must become on this run (set, or cleared)
MAX_FAILURES, LOCK_SECONDS = 5, 30


def _accounts() -> tuple[bool, str | None]:
    """(accounts exist, problem). An unreadable accounts file counts as "accounts exist": it must
    never open the app without a login."""
    try:
        return users.any_accounts(), None
    except users.AccountError as error:
        return True, str(error)


def accounts_exist() -> bool:
    return _accounts()[0]


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(sessions.COOKIE)
    except Exception:  # noqa: BLE001 - no browser request behind this run (tests, bare mode): no cookie
        return None
    return token if isinstance(token, str) else None


def _resume() -> dict | None:
    """The login a browser brings back in its cookie (a reload, a new tab, a link), if still valid."""
    token = _cookie_token()
    name = sessions.resume(token)
    if name is None:
        return None
    try:
        role_now = users.role_of(name)
    except users.AccountError:
        role_now = None
    if role_now is None:
        sessions.end(token)
        return None
    user = {"name": name, "role": role_now, "last_seen": time.time(), "token": token}
    st.session_state[_USER] = user
    return user


def current_user() -> dict | None:
    """{"name", "role"} of the logged-in person after the expiry and account checks, else None."""
    user = st.session_state.get(_USER) or _resume()
    if not user:
        return None
    idle = time.time() - user["last_seen"]
    if idle > settings.get().session_idle_hours * 3600:
        st.session_state.pop(_USER, None)
        sessions.end(user.get("token"))
        st.session_state[_COOKIE_WRITE] = ""
        st.session_state[_NOTICE] = "Sesi berakhir karena lama tidak aktif; silakan masuk lagi."
        return None
    try:
        role = users.role_of(user["name"])
    except users.AccountError:
        role = None
    if role is None:
        st.session_state.pop(_USER, None)
        sessions.end(user.get("token"))
        st.session_state[_COOKIE_WRITE] = ""
        st.session_state[_NOTICE] = "Akun ini tidak lagi terdaftar; silakan masuk dengan akun lain."
        return None
    if user.get("token") and sessions.resume(user["token"]) is None:  # logged out in another tab, or too long idle
        st.session_state.pop(_USER, None)
        st.session_state[_COOKIE_WRITE] = ""
        st.session_state[_NOTICE] = "Sesi ini sudah berakhir (keluar di tab lain); silakan masuk lagi."
        return None
    user.update(role=role, last_seen=time.time())
    return user


def role() -> str | None:
    """The role this session acts with: publik in the public view, else the account's (None: nobody
    logged in, which is only allowed while no account exists)."""
    if st.session_state.get(KEY_PUBLIC_VIEW):
        return users.ROLE_PUBLIK
    user = current_user()
    return user["role"] if user else None


def permissions() -> Permissions:
    return Permissions.of(role())


def show_personal() -> bool:
    """Whether NIK and phone numbers may be shown and exported in full (admin data only)."""
    return permissions().see_personal


def user_name() -> str:
    user = current_user()
    return user["name"] if user else "tanpa login"


def sidebar() -> None:
    """Login form or logged-in name, logout, public-view switch; stops the run when a login is needed."""
    exists, problem = _accounts()
    user = current_user()
    _write_cookie()
    with st.sidebar:
        notice = st.session_state.pop(_NOTICE, None)
        if notice:
            st.warning(notice, icon=":material/lock_clock:")
        if problem:
            st.error(problem, icon=":material/error:")
        if user:
            st.caption(f"Masuk sebagai **{user['name']}** ({user['role']})")
            st.button("Keluar", key=KEY_LOGOUT, icon=":material/logout:", on_click=_log_out)
        elif exists:
            _login_form()
        if user or not exists:
            st.toggle("Tampilan publik", key=KEY_PUBLIC_VIEW,
                      help="Hanya angka agregat: tanpa daftar UMKM dan tanpa data pribadi, untuk layar rapat.")
    if exists and user is None:
        st.title("Masuk")
        st.info("Dasbor ini memerlukan akun. Masukkan nama akun dan kata sandi di panel samping.",
                icon=":material/lock:")
        st.stop()


def _login_form() -> None:
    problem = st.session_state.pop(_LOGIN_ERROR, None)
    with st.form("login", border=True):
        st.markdown("**Masuk**")
        st.text_input("Nama akun", key=KEY_NAME)
        st.text_input("Kata sandi", type="password", key=KEY_PASSWORD)
        # A callback, not `if st.form_submit_button(...)`: it runs before the script, so a rerun at the
        # start of the script (the router's, or a data-source change) cannot swallow the click.
        st.form_submit_button("Masuk", key=KEY_SUBMIT, icon=":material/login:", on_click=_log_in)
    if problem:
        st.error(problem, icon=":material/error:")


def _log_in() -> None:
    name = str(st.session_state.get(KEY_NAME, "")).strip()
    password = str(st.session_state.get(KEY_PASSWORD, ""))
    st.session_state[KEY_PASSWORD] = ""  # the password does not stay in the session
    failures, locked_until = st.session_state.get(_FAILURES, (0, 0.0))
    if time.time() < locked_until:
        st.session_state[_LOGIN_ERROR] = (f"Terlalu banyak percobaan; coba lagi dalam "
                                          f"{int(locked_until - time.time()) + 1} detik.")
        return
    try:
        found = users.authenticate(name, password)
    except users.AccountError as error:
        st.session_state[_LOGIN_ERROR] = str(error)
        return
    if found is None:
        failures += 1
        st.session_state[_FAILURES] = (0, time.time() + LOCK_SECONDS) if failures >= MAX_FAILURES else (failures, 0.0)
        st.session_state[_LOGIN_ERROR] = "Nama akun atau kata sandi salah."
        return
    st.session_state.pop(_FAILURES, None)
    token = sessions.start(name)
    st.session_state[_USER] = {"name": name, "role": found, "last_seen": time.time(), "token": token}
    st.session_state[_COOKIE_WRITE] = token
    st.session_state[KEY_PUBLIC_VIEW] = False


def _log_out() -> None:
    user = st.session_state.pop(_USER, None) or {}
    sessions.end(user.get("token") or _cookie_token())
    st.session_state[_COOKIE_WRITE] = ""
    st.session_state[KEY_PUBLIC_VIEW] = False


def _write_cookie() -> None:
    """Give the browser its login token after a login, or take it away after a logout or expiry: a
    one-line script in the page (the token is random; only its hash is kept on the server)."""
    if _COOKIE_WRITE not in st.session_state:
        return
    token = st.session_state.pop(_COOKIE_WRITE)
    age = int(settings.get().session_idle_hours * 3600) if token else 0
    value = token if token and all(c.isalnum() or c in "-_" for c in token) else ""
    st.html(f"<script>document.cookie = '{sessions.COOKIE}={value}; path=/; max-age={age}; samesite=strict';</script>",
            unsafe_allow_javascript=True)


def gate() -> None:
    """Stop a page when a login is required and nobody is logged in. app.py already stops the run
    before any page; pages with records call this too, so no path into them skips the check."""
    if accounts_exist() and current_user() is None:
        st.stop()
