"""`lambda-workbench tune` refuses what cannot give real numbers, with a sentence."""

from __future__ import annotations

import pytest

from tests.unit.testing.support import EXAMPLE, cli


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (("--memory", "128,256", "--runner", "process"), "tune needs the Docker runner"),
        (("--memory", "100,256"), "Memory size 100 MB is outside Lambda's range"),
        (("--memory", "128,10241"), "Memory size 10241 MB is outside Lambda's range"),
        (("--memory", "128", "--invokes", "0"), "--invokes 0 is out of range"),
        (("--memory", "128", "--strategy", "cheap"), "invalid choice: 'cheap'"),
    ],
)
def test_refusals(args, sentence):
    run = cli("tune", str(EXAMPLE), *args)
    assert run.returncode == 2
    assert sentence in run.stderr
    assert "Traceback" not in run.stderr


def test_help_names_the_default_number_of_invokes():
    run = cli("tune", "--help")
    assert run.returncode == 0 and "(default 10)" in run.stdout
