"""Docker-only behaviour: the sandbox Lambda gives a function, memory, CPU and clean-up."""

from __future__ import annotations

import json

import docker
import pytest

from tests.docker.conftest import CONFORMANCE
from workbench.core.runtime import docker_env, docker_sandbox

pytestmark = pytest.mark.docker


def invoke(invoker, event: object = None):
    return invoker.invoke(json.dumps(event or {}).encode())


def container_of(invoker):
    env = invoker._env
    assert env is not None and env.container is not None
    env.container.reload()
    return env.container


def test_runs_as_non_root_sandbox_user(docker_invoker):
    result = invoke(docker_invoker("sandbox.identity"))
    assert result.payload_json() == {"uid": 993, "gid": 990, "cwd": "/var/task"}


def test_code_is_read_only_and_tmp_is_writable(docker_invoker):
    invoker = docker_invoker("sandbox.try_write")
    assert invoke(invoker, {"path": "/var/task/new.txt"}).payload_json() == {
        "written": False,
        "error": "Read-only file system",
    }
    assert invoke(invoker, {"path": "/etc/new.txt"}).payload_json()["written"] is False
    assert invoke(invoker, {"path": "/tmp/new.txt", "bytes": 1000}).payload_json() == {
        "written": True
    }


def _sized_tmp() -> None:
    """/tmp is size-limited only where the workbench may loop-mount (root); CI runs as root."""
    import os

    from workbench.core.runtime import docker_tmp

    if not docker_tmp._can_loop():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true and /tmp cannot be loop-mounted here (needs root and mkfs.ext4)")
        pytest.skip("a size-limited /tmp needs root (loop mount); here /tmp is a disk folder")


def test_tmp_is_sized_to_ephemeral_storage(docker_invoker):
    _sized_tmp()
    size = invoke(docker_invoker("sandbox.tmp_size", ephemeral_storage_mb=600)).payload_json()
    # A file system of its own (ext4 keeps a few % for itself): about 600 MB, not memory.
    assert 600 * 1024 * 1024 <= size <= 600 * 1024 * 1024 * 1.1


def test_tmp_is_not_charged_to_memory(docker_invoker, settings):
    settings.set("limit_cpu", False)
    result = invoke(docker_invoker("sandbox.fill_tmp", memory_mb=128, timeout_s=120), {"mb": 200})
    assert result.payload_json() == {"written_mb": 200}, result.logs


def test_writing_past_ephemeral_storage_is_enospc_not_an_oom_kill(docker_invoker, settings):
    _sized_tmp()
    settings.set("limit_cpu", False)
    invoker = docker_invoker(
        "sandbox.fill_tmp", memory_mb=512, ephemeral_storage_mb=512, timeout_s=120
    )
    result = invoke(invoker, {"mb": 1024})
    assert result.succeeded, result.logs
    outcome = result.payload_json()
    assert outcome["error"] == "No space left on device"
    assert 500 <= outcome["written_mb"] < 600


def test_container_limits(docker_invoker):
    invoker = docker_invoker("sandbox.identity", memory_mb=512)
    invoke(invoker)
    invoker._env.cpu_updater.join()  # the engine's record follows the cgroup
    host = container_of(invoker).attrs["HostConfig"]
    assert host["Memory"] == 512 * 1024 * 1024
    assert host["MemorySwap"] == 512 * 1024 * 1024  # no swap
    # After init (which ran with up to 2 vCPUs) the share is in proportion to memory.
    assert host["CpuPeriod"] == 100_000
    assert host["CpuQuota"] == int(512 / 1769 * 100_000)
    assert host["Init"] is True
    assert host["ReadonlyRootfs"] is True
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert host["PidsLimit"] == docker_sandbox.PIDS_LIMIT


def test_cpu_limit_can_be_turned_off(docker_invoker, settings):
    settings.set("limit_cpu", False)
    invoker = docker_invoker("sandbox.identity", memory_mb=512)
    invoke(invoker)
    host = container_of(invoker).attrs["HostConfig"]
    assert host["NanoCpus"] == 0 and host["CpuQuota"] == 0


def test_cpu_share_is_capped_by_host_cores():
    assert docker_sandbox.proportional_vcpus(10_240, host_cores=2) == 2
    assert docker_sandbox.proportional_vcpus(1769, host_cores=2) == 1
    assert docker_sandbox.init_vcpus(host_cores=1) == 1
    assert docker_sandbox.cpu_quota_us(1.5) == 150_000


def test_max_memory_used_follows_the_handler(docker_invoker, settings):
    settings.set("limit_cpu", False)
    invoker = docker_invoker("sandbox.allocates", memory_mb=1024)
    small = invoke(invoker, {"mb": 1})
    invoker.reset()
    result = invoke(invoker, {"mb": 300})
    assert result.succeeded
    assert small.max_memory_used_mb is not None and small.max_memory_used_mb < 60
    assert 300 * 0.9 <= result.max_memory_used_mb <= 300 * 1.1, result.logs
    assert f"Max Memory Used: {result.max_memory_used_mb} MB" in result.logs


def test_out_of_memory_kill(docker_invoker, settings):
    settings.set("limit_cpu", False)
    invoker = docker_invoker("sandbox.allocates", memory_mb=128)
    result = invoke(invoker, {"mb": 400})
    assert result.error == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {result.request_id} Error: Runtime exited with error: "
        "signal: killed",
        "stackTrace": None,
    }
    assert any("raise Memory Size" in hint for hint in result.hints)
    assert result.max_memory_used_mb == 128
    assert invoker.state == "cold"
    assert invoke(invoker, {"mb": 1}).cold_start


def test_image_from_the_images_setting(docker_image, settings, tmp_path):
    from workbench.core.function import FunctionConfig
    from workbench.core.runtime.invoker import Invoker

    settings.set("images", {"python3.12": docker_image})
    function = FunctionConfig(name="conformance", handler="app.ok", code_dir=CONFORMANCE)
    invoker = Invoker(function, "docker", settings=settings)
    try:
        assert invoker.invoke(b'{"a": 1}').payload_json() == {"echo": {"a": 1}, "answer": 42}
        assert container_of(invoker).attrs["Config"]["Image"] == docker_image
    finally:
        invoker.close()


def test_containers_are_labelled_and_removed_on_close(docker_invoker):
    invoker = docker_invoker("sandbox.identity")
    invoke(invoker)
    container = container_of(invoker)
    assert container.labels[docker_sandbox.LABEL] == "1"
    assert container.labels[docker_sandbox.LABEL_PID].isdigit()
    assert container.labels[docker_sandbox.LABEL_FUNCTION] == "sandbox"
    invoker.close()
    docker_env.wait_for_removals()  # removal runs off the caller's thread
    with pytest.raises(docker.errors.NotFound):
        docker.from_env().containers.get(container.id)


def test_timeout_and_exit_remove_the_container(docker_invoker):
    invoker = docker_invoker("app.hangs", code_dir=CONFORMANCE, timeout_s=1)
    invoker.prestart()
    container = container_of(invoker)
    assert invoke(invoker).timed_out
    docker_env.wait_for_removals()
    with pytest.raises(docker.errors.NotFound):
        docker.from_env().containers.get(container.id)


def test_unreadable_code_folder_gets_a_sentence(docker_invoker, tmp_path):
    from workbench.core.errors import WorkbenchError

    code = tmp_path / "private"
    code.mkdir()
    (code / "app.py").write_text("def handler(event, context):\n    return 1\n")
    code.chmod(0o700)
    with pytest.raises(WorkbenchError, match=r"chmod o\+rx"):
        docker_invoker("app.handler", code_dir=code).invoke(b"{}")
