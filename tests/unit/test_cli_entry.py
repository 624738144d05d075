"""The entry point: a mistyped command and a machine without a display are sentences."""

from __future__ import annotations

import sys

import pytest

from workbench import cli


def test_a_mistyped_command_is_named_with_the_one_meant(capsys, tmp_path, monkeypatch):
    # Found by a new user: `lambda-workbench invok fn` went to the window's parser,
    # which said "unrecognized arguments: fn".
    monkeypatch.chdir(tmp_path)
    assert cli.main(["invok", "fn"]) == 2
    err = capsys.readouterr().err
    assert "'invok' is not a command" in err and "did you mean 'invoke'?" in err
    assert "Traceback" not in err


def test_a_folder_named_like_a_command_still_opens(tmp_path, monkeypatch):
    (tmp_path / "invok").mkdir()
    monkeypatch.chdir(tmp_path)
    assert cli.command_typo("invok") is None
    assert cli.command_typo("my-function") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux needs DISPLAY")
def test_no_display_is_a_sentence_not_a_qt_abort(capsys, tmp_path, monkeypatch):
    # Found by a new user on a headless shell: Qt aborted (exit 134) with its plugin dump.
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "There is no display to open the window on" in err and "xvfb-run" in err


def test_an_unknown_option_shows_the_commands_own_usage(capsys, tmp_path):
    # Found by a new user: `deploy fn --memory 256` printed the top-level usage.
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["deploy", str(tmp_path), "--memory", "256"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage: lambda-workbench deploy" in err
    assert "unrecognized arguments: --memory 256" in err
