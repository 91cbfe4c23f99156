import json
import logging
from pathlib import Path

import keyring
import pytest

from desktop.config.paths import AppPaths
from desktop.config.settings import BBBProfile, GatewayConfig, Settings
from desktop.errors import ConfigError
from desktop.logs import RedactingFormatter, redact, register_secret
from desktop.secrets.store import SecretStore


def test_paths_follow_pupitre_home(pupitre_home: Path) -> None:
    paths = AppPaths.from_environment().ensure()
    assert paths.config_dir == pupitre_home / "config"
    assert paths.log_dir.is_dir() and paths.data_dir.is_dir()


def test_settings_round_trip_and_no_secret_written(tmp_path: Path) -> None:
    settings = Settings()
    settings.put_profile(BBBProfile("campus", "https://bbb.univ.fr/bigbluebutton/", algorithm="sha512"))
    settings.put_gateway(
        GatewayConfig("gw1", "sipmediagw-legacy", "https://gw.univ.fr", "rtmp://live/x", "https://live/x.m3u8")
    )
    path = tmp_path / "settings.json"
    settings.save(path)
    loaded = Settings.load(path)
    assert loaded.profile().algorithm == "sha512"
    assert loaded.gateway("gw1").kind == "sipmediagw-legacy"
    assert loaded.default_profile == "campus"
    text = path.read_text()
    assert "secret" not in text.lower() and "token" not in text.lower()


def test_settings_refuse_to_write_secret_like_values(tmp_path: Path) -> None:
    settings = Settings(preferences={"bbb_secret": "s3cr3t-value"})
    with pytest.raises(ConfigError, match="keyring"):
        settings.save(tmp_path / "settings.json")
    assert not (tmp_path / "settings.json").exists()


def test_corrupt_settings_give_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="is damaged"):
        Settings.load(path)


@pytest.mark.parametrize(
    "profile",
    [
        BBBProfile("bad name", "https://x"),
        BBBProfile("ok", "ftp://x"),
        BBBProfile("ok", "https://x", algorithm="md5"),
    ],
)
def test_invalid_profiles_are_refused(profile: BBBProfile) -> None:
    with pytest.raises(ConfigError):
        Settings().put_profile(profile)


def test_secret_store_uses_keyring(memory_keyring) -> None:  # type: ignore[no-untyped-def]
    store = SecretStore()
    info = store.set("bbb:campus", "the-shared-secret")
    assert info.persistent and not info.system
    assert memory_keyring.data[("pupitre", "bbb:campus")] == "the-shared-secret"
    assert store.get("bbb:campus") == "the-shared-secret"
    store.delete("bbb:campus")
    assert store.get("bbb:campus") is None


def test_secret_store_falls_back_to_memory_and_says_so() -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())
    store = SecretStore()
    info = store.set("gateway:gw1", "tok-123456")
    assert not info.persistent
    assert "this session only" in store.backend().describe()
    assert store.get("gateway:gw1") == "tok-123456"


def test_redaction_of_checksums_tokens_and_registered_secrets(caplog: pytest.LogCaptureFixture) -> None:
    register_secret("hunter2-very-secret")
    line = (
        "GET https://bbb/api/join?meetingID=a&checksum=0123abcdef Authorization: Bearer tok.en-1 "
        "secret hunter2-very-secret"
    )
    out = redact(line)
    assert "0123abcdef" not in out and "tok.en-1" not in out and "hunter2-very-secret" not in out
    assert "meetingID=a" in out
    try:
        raise ValueError("boom with hunter2-very-secret inside")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "url %s", (line,), sys.exc_info())
    text = RedactingFormatter("%(message)s").format(record)
    assert "hunter2" not in text and "0123abcdef" not in text
    assert "Traceback" in text and "ValueError" in text
    # the record itself is untouched: other handlers see it whole
    assert record.exc_info is not None and "hunter2" in record.getMessage()
    assert json.dumps(text)
