"""What the environment sets, read once into one object.

Every environment variable the dashboard and its commands read is here, and only here:

| variable | field | default |
|---|---|---|
| UMKM_DATA_DIR | data_dir: a folder of spreadsheets shown instead of the bundled demo | unset |
| UMKM_CACHE_DIR | cache_dir: ingest results and impact estimates keyed on content | data/work/cache |
| UMKM_BATAS_FILE | boundary_file: kecamatan boundaries imported by the user | data/work/batas_kecamatan.geojson |
| UMKM_STORE_DIR | store_dir: uploaded office data, its versions and mappings | data/work/kelola |
| UMKM_USERS_FILE | users_file: local accounts | data/work/users.json |
| UMKM_SESSION_HOURS | session_idle_hours: idle hours before a login expires | 8 |
| UMKM_DAMPAK_LATAR | background_impact: estimate every kecamatan ahead ("0" turns it off) | on |
| UMKM_INGEST_WORKERS | ingest_workers: readers of an ingest, this process included | by input size |
| UMKM_WILAYAH | wilayah: the office's region, a Kemendagri code of a kabupaten/kota ("64.71") or a provinsi ("18") | 18.01 |

``get()`` returns the current settings, read from the environment on first use. Tests and the
benchmark replace them with ``use(replace(get(), ...))`` (tests through one fixture), never by
patching module globals.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from analysis.core.paths import WORK_DIR

DEFAULT_WILAYAH = "18.01"  # Kabupaten Lampung Selatan


class SettingsError(ValueError):
    """An environment variable holds a value that cannot be used; the message says which, in Indonesian."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path | None = None
    cache_dir: Path = WORK_DIR / "cache"
    boundary_file: Path = WORK_DIR / "batas_kecamatan.geojson"
    store_dir: Path = WORK_DIR / "kelola"
    users_file: Path = WORK_DIR / "users.json"
    session_idle_hours: float = 8.0
    background_impact: bool = True
    ingest_workers: int | None = None
    wilayah: str = DEFAULT_WILAYAH

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()

        def path(name: str, default: Path | None) -> Path | None:
            value = (env.get(name) or "").strip()
            return Path(value) if value else default

        return cls(
            data_dir=path("UMKM_DATA_DIR", None),
            cache_dir=path("UMKM_CACHE_DIR", defaults.cache_dir),
            boundary_file=path("UMKM_BATAS_FILE", defaults.boundary_file),
            store_dir=path("UMKM_STORE_DIR", defaults.store_dir),
            users_file=path("UMKM_USERS_FILE", defaults.users_file),
            session_idle_hours=_positive_number(env, "UMKM_SESSION_HOURS", defaults.session_idle_hours),
            background_impact=(env.get("UMKM_DAMPAK_LATAR") or "1").strip() != "0",
            ingest_workers=_workers(env),
            wilayah=region_code(env.get("UMKM_WILAYAH") or DEFAULT_WILAYAH, "UMKM_WILAYAH"),
        )


def _positive_number(env: Mapping[str, str], name: str, default: float) -> float:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise SettingsError(f"{name}={text!r} bukan angka (contoh: {name}=8)") from None
    if value <= 0:
        raise SettingsError(f"{name} harus lebih dari nol, bukan {text!r}")
    return value


def _workers(env: Mapping[str, str]) -> int | None:
    text = (env.get("UMKM_INGEST_WORKERS") or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise SettingsError(f"UMKM_INGEST_WORKERS={text!r} harus bilangan bulat 1 atau lebih")
    return int(text)


def region_code(text: str, name: str = "--wilayah") -> str:
    """The dotted Kemendagri code of a provinsi ("18") or kabupaten/kota ("18.01"); "1801" and " 18.01 "
    are accepted. Whether the code exists is checked by ``analysis.core.wilayah.region``."""
    value = str(text).strip()
    digits = re.sub(r"[.\s]", "", value)
    if not digits.isdigit() or len(digits) not in (2, 4) or not re.fullmatch(r"\d{2}(\.?\d{2})?", value):
        raise SettingsError(f"{name}={value!r} bukan kode wilayah provinsi atau kabupaten/kota (contoh: {name}=18.01 "
                            "untuk Kabupaten Lampung Selatan, 64.71 untuk Kota Balikpapan, 18 untuk Provinsi Lampung)")
    return digits if len(digits) == 2 else f"{digits[:2]}.{digits[2:]}"


_LOCK = threading.Lock()
_CURRENT: list[Settings] = []


def get() -> Settings:
    """The settings in force: read from the environment once, unless ``use`` replaced them."""
    with _LOCK:
        if not _CURRENT:
            _CURRENT.append(Settings.from_environment())
        return _CURRENT[0]


def use(settings: Settings | None) -> None:
    """Put ``settings`` in force for this process (tests, the benchmark); None reads the environment
    again on the next ``get()``."""
    with _LOCK:
        _CURRENT.clear()
        if settings is not None:
            _CURRENT.append(settings)
