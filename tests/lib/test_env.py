from __future__ import annotations

from pathlib import Path

import pytest

from daftar.lib.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_url,
    parse_database_url,
)


def test_sqlite_url_relative_to_data_dir(tmp_path: Path) -> None:
    config = parse_database_url("sqlite:///daftar.sqlite3", data_dir=tmp_path)
    assert config.engine == "django.db.backends.sqlite3"
    assert config.name == str(tmp_path / "daftar.sqlite3")
    absolute = parse_database_url("sqlite:////srv/daftar/db.sqlite3", data_dir=tmp_path)
    assert absolute.name == "/srv/daftar/db.sqlite3"


def test_postgres_url_parts(tmp_path: Path) -> None:
    config = parse_database_url(
        "postgres://daftar:s%40cret@db.local:5433/eoffice", data_dir=tmp_path
    )
    assert (config.engine, config.name, config.user, config.password, config.host, config.port) == (
        "django.db.backends.postgresql",
        "eoffice",
        "daftar",
        "s@cret",
        "db.local",
        "5433",
    )


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host:5432/", "nonsense"])
def test_bad_database_urls_fail_loudly(url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DAFTAR_DATABASE_URL"):
        parse_database_url(url, data_dir=tmp_path)


def test_typed_readers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "7")
    monkeypatch.setenv("X_LIST", "gov.pk, punjab.gov.pk ,")
    assert env_bool("X_BOOL", False) is True
    assert env_int("X_INT", 1, minimum=1) == 7
    assert env_list("X_LIST", []) == ["gov.pk", "punjab.gov.pk"]
    assert env_str("X_MISSING", "fallback") == "fallback"
    monkeypatch.setenv("X_BOOL", "perhaps")
    with pytest.raises(ConfigError, match="X_BOOL"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ConfigError, match="at least 1"):
        env_int("X_INT", 1, minimum=1)


def test_secret_from_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.delenv("X_SECRET", raising=False)
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET", "") == "from-a-file"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="X_SECRET_FILE"):
        env_str("X_SECRET", "")


def test_public_address(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_url("DAFTAR_TEST_URL", "http://localhost:8000/") == "http://localhost:8000"
    monkeypatch.setenv("DAFTAR_TEST_URL", "https://eoffice.mowr.gov.pk/")
    assert env_url("DAFTAR_TEST_URL", "") == "https://eoffice.mowr.gov.pk"
    for bad in ("eoffice.mowr.gov.pk", "ftp://x", "https://x/?a=1"):
        monkeypatch.setenv("DAFTAR_TEST_URL", bad)
        with pytest.raises(ConfigError, match="DAFTAR_TEST_URL"):
            env_url("DAFTAR_TEST_URL", "")
