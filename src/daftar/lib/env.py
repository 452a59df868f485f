"""Typed readers for configuration from the environment.

Every reader fails loudly at start-up with the variable's name, so a typo in a deployment is
found before the first request rather than in the middle of the working day. Secrets may also
be given as ``NAME_FILE`` pointing to a file (Docker/systemd credentials style).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse


class ConfigError(RuntimeError):
    """A configuration variable is present but cannot be used."""


def env_str(name: str, default: str) -> str:
    value = os.environ.get(name)
    if value is None:
        file_path = os.environ.get(f"{name}_FILE")
        if file_path:
            try:
                return Path(file_path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from exc
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str) -> str:
    """An absolute http(s) address without a trailing slash, e.g. the public address of the
    instance that is printed on signed letters."""
    raw = env_str(name, default)
    parsed = urlparse(raw)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ConfigError(f"{name}={raw!r} is not an absolute http:// or https:// address")
    if parsed.query or parsed.fragment:
        raise ConfigError(f"{name}={raw!r} must not carry a query or a fragment")
    return raw.rstrip("/")


def env_words(name: str, default: list[str], *, separator: str) -> list[str]:
    """A list of plain words (letters, digits, ``_``, ``-``), e.g. Tesseract languages
    ``eng+urd``; anything else is refused, as these end up on a command line."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    words = [word.strip() for word in raw.split(separator) if word.strip()]
    for word in words:
        if not word.replace("_", "").replace("-", "").isalnum():
            raise ConfigError(f"{name}={raw!r}: {word!r} is not a plain word")
    return words


@dataclass(frozen=True)
class DatabaseConfig:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""


def parse_database_url(url: str, *, data_dir: Path) -> DatabaseConfig:
    """Understand ``sqlite:///path`` (relative paths are under the data dir) and
    ``postgres://user:password@host:port/name``."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        raw_path = unquote(parsed.path)
        # sqlite:///daftar.sqlite3 -> relative to the data dir; sqlite:////abs/path -> absolute
        path = Path(raw_path[1:]) if raw_path.startswith("/") else Path(raw_path)
        if not path.is_absolute():
            path = data_dir / path
        return DatabaseConfig(engine="django.db.backends.sqlite3", name=str(path))
    if parsed.scheme in {"postgres", "postgresql"}:
        name = parsed.path.lstrip("/")
        if not name:
            raise ConfigError(f"DAFTAR_DATABASE_URL={url!r} names no database")
        return DatabaseConfig(
            engine="django.db.backends.postgresql",
            name=unquote(name),
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "",
            port=str(parsed.port or ""),
        )
    raise ConfigError(
        f"DAFTAR_DATABASE_URL={url!r}: use sqlite:///FILE or postgres://USER@HOST:PORT/NAME"
    )
