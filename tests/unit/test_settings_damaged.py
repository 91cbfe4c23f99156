"""Issue 12: a damaged, wrongly shaped or mistyped settings.json ends in one sentence and loses nothing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from desktop.config.settings import BBBProfile, Settings
from desktop.errors import ConfigError


@pytest.mark.parametrize("content", [
    "[]", '{"profiles": ["x"]}', "{not json", '"text"', '{"profiles": {"a": 1}}',
    '{"profiles": [{"name": 3, "url": "https://x"}]}', '{"profiles": [{"name": "b"}]}',
    '{"gateways": [{"name": "g", "kind": "sipmediagw"}]}', '{"preferences": []}', '{"default_profile": 4}',
    b"\xff\xfe{}",
])
def test_damaged_settings_end_in_one_sentence_and_keep_a_bad_copy(tmp_path: Path, content: str | bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    original = path.read_bytes()
    with pytest.raises(ConfigError) as caught:
        Settings.load(path)
    sentence = caught.value.explain()
    assert "settings.json.bad" in sentence and "\n" not in sentence
    assert (tmp_path / "settings.json.bad").read_bytes() == original
    assert path.read_bytes() == original  # the damaged file itself is left for the user to fix


def test_an_older_different_bad_copy_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    (tmp_path / "settings.json.bad").write_text("older", encoding="utf-8")
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"settings\.json\.bad2"):
        Settings.load(path)
    assert (tmp_path / "settings.json.bad").read_text(encoding="utf-8") == "older"
    assert (tmp_path / "settings.json.bad2").read_text(encoding="utf-8") == "[]"


def test_unknown_fields_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "future_option": {"x": 1},
        "profiles": [{"name": "a", "url": "https://bbb.example", "color": "red"}],
        "gateways": [{"name": "g", "kind": "sipmediagw", "url": "https://gw", "rtmp_url": "rtmp://r/x",
                      "hls_url": "https://h/x.m3u8", "region": "eu"}],
        "preferences": {"someday": True},
    }), encoding="utf-8")
    settings = Settings.load(path)
    settings.put_profile(BBBProfile("b", "https://other.example"))
    settings.save()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["future_option"] == {"x": 1}
    assert saved["profiles"][0]["color"] == "red"
    assert saved["gateways"][0]["region"] == "eu"
    assert saved["preferences"]["someday"] is True
    assert Settings.load(path).profile("a").url == "https://bbb.example"


@pytest.mark.parametrize(("key", "value"), [
    ("poll_live_seconds", "fast"), ("poll_live_seconds", -1), ("poll_live_seconds", True),
    ("misses_before_autostop", 2.5), ("preview_muted", "yes"), ("notify_before_start_minutes", "10"),
    ("language", 3),
])
def test_a_mistyped_preference_falls_back_to_its_default_and_says_so(tmp_path: Path, key: str, value: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"preferences": {key: value}}), encoding="utf-8")
    settings = Settings.load(path)
    default = Settings().preference(key)
    assert settings.preference(key) == default
    [problem] = settings.problems()
    assert key in problem and "\n" not in problem
    settings.save()
    assert json.loads(path.read_text(encoding="utf-8"))["preferences"][key] == value  # kept for the user


def test_good_preferences_are_used_and_raise_no_problem(tmp_path: Path) -> None:
    settings = Settings(preferences={"poll_live_seconds": 3, "misses_before_autostop": 4.0, "language": "fr"})
    assert settings.preference("poll_live_seconds") == 3.0
    assert settings.preference("misses_before_autostop") == 4
    assert settings.problems() == []


def test_a_mistyped_preference_does_not_break_the_webinar_manager(pupitre_home: Path) -> None:
    from desktop.config.paths import AppPaths
    from desktop.secrets import secret_store
    from desktop.webinar.manager import WebinarManager

    paths = AppPaths.from_environment().ensure()
    paths.settings_file.write_text(json.dumps({"preferences": {"poll_live_seconds": "fast"}}), encoding="utf-8")
    manager = WebinarManager(paths, Settings.load(paths.settings_file), secret_store())
    try:
        assert manager.timings.live_poll == 5.0
    finally:
        asyncio.run(manager.aclose())
