"""Windows' AppUserModelID is set to the app id, and only on Windows."""

from __future__ import annotations

from desktop import APP_ID
from desktop.ui.platform_integration import set_windows_app_user_model_id


class FakeShell32:
    def __init__(self, result: int = 0) -> None:
        self.result = result
        self.calls: list[str] = []

    def SetCurrentProcessExplicitAppUserModelID(self, app_id: str) -> int:
        self.calls.append(app_id)
        return self.result


def test_windows_gets_the_app_id() -> None:
    shell32 = FakeShell32()
    assert set_windows_app_user_model_id(platform="win32", shell32=shell32) is True
    assert shell32.calls == [APP_ID]


def test_other_platforms_are_left_alone() -> None:
    shell32 = FakeShell32()
    for platform in ("linux", "darwin"):
        assert set_windows_app_user_model_id(platform=platform, shell32=shell32) is False
    assert shell32.calls == []


def test_a_failing_hresult_is_reported_not_raised() -> None:
    shell32 = FakeShell32(result=-2147024809)  # E_INVALIDARG
    assert set_windows_app_user_model_id(platform="win32", shell32=shell32) is False


def test_a_shell_without_the_function_is_reported_not_raised() -> None:
    assert set_windows_app_user_model_id(platform="win32", shell32=object()) is False
