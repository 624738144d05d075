"""Docker environments behave like Lambda's: signals, init CPU, hidden secrets."""

from __future__ import annotations

import json

import pytest

from workbench.core.runtime import docker_sandbox

pytestmark = pytest.mark.docker


def invoke(invoker, event: object = None):
    return invoker.invoke(json.dumps(event or {}).encode())


@pytest.mark.parametrize(("name", "said"), [("SIGKILL", "killed"), ("SIGTERM", "terminated")])
def test_a_function_killing_itself_ends_the_environment(docker_invoker, name, said):
    invoker = docker_invoker("sandbox.kill_self", timeout_s=30)
    result = invoke(invoker, {"signal": name})
    assert not result.timed_out
    assert result.error == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {result.request_id} Error: Runtime exited with error: "
        f"signal: {said}",
        "stackTrace": None,
    }
    assert invoker.state == "cold"


def test_init_runs_with_two_vcpus_and_invokes_with_the_memory_share(docker_invoker):
    invoker = docker_invoker("sandbox.cpu_quota", memory_mb=256)
    quota = invoke(invoker).payload_json()
    assert quota == {
        "init": docker_sandbox.cpu_quota_us(docker_sandbox.init_vcpus()),
        "invoke": docker_sandbox.cpu_quota_us(256 / docker_sandbox.MB_PER_VCPU),
    }
    # Warm invokes keep the share; the container's own configuration says the same.
    assert invoke(invoker).payload_json()["invoke"] == quota["invoke"]
    invoker._env.cpu_updater.join()
    invoker._env.container.reload()
    assert invoker._env.container.attrs["HostConfig"]["CpuQuota"] == quota["invoke"]


def test_init_cpu_boost_can_be_turned_off(docker_invoker, settings):
    settings.set("init_full_cpu", False)
    quota = invoke(docker_invoker("sandbox.cpu_quota", memory_mb=256)).payload_json()
    share = docker_sandbox.cpu_quota_us(256 / docker_sandbox.MB_PER_VCPU)
    assert quota == {"init": share, "invoke": share}


def test_the_secrets_file_is_never_visible_in_the_container(docker_invoker, tmp_path):
    code = tmp_path / "project"
    code.mkdir()
    (code / "app.py").write_text("def handler(event, context):\n    return 1\n")
    secrets = code / docker_sandbox.SECRETS_FILE
    secrets.write_text('{"fn": {"API_KEY": "s3cr3t"}}')
    code.chmod(0o755)
    for path in code.iterdir():
        path.chmod(0o644)
    invoker = docker_invoker("sandbox.read_file", code_dir=code)
    invoker.function.code_dir = code
    from tests.docker.conftest import HANDLERS

    # The probe handler lives in the handlers folder; copy it next to the secrets.
    (code / "sandbox.py").write_text((HANDLERS / "sandbox.py").read_text())
    (code / "sandbox.py").chmod(0o644)
    result = invoke(invoker, {"path": f"/var/task/{docker_sandbox.SECRETS_FILE}"})
    assert result.payload_json() == {"bytes": 0}
    assert secrets.read_text() == '{"fn": {"API_KEY": "s3cr3t"}}'  # untouched on the host


def test_init_duration_starts_when_the_containers_process_started():
    import datetime
    import time

    from workbench.core.runtime.docker_sandbox import process_start as _process_start

    before = time.perf_counter()
    wall = datetime.datetime.fromtimestamp(time.time() - 0.0005, tz=datetime.timezone.utc)
    stamp = wall.strftime("%Y-%m-%dT%H:%M:%S.%f") + "123Z"  # nanoseconds, as the engine writes
    assert before <= _process_start({"State": {"StartedAt": stamp}}, before) <= time.perf_counter()
    # A clock that disagrees (e.g. a VM's), or no stamp: the moment start was asked for.
    assert _process_start({"State": {"StartedAt": "2001-01-01T00:00:00Z"}}, before) == before
    assert _process_start({}, before) == before
