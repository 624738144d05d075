"""Which engine the Docker runner talks to: DOCKER_HOST, the docker CLI's context, the default."""

from __future__ import annotations

import hashlib
import json

from workbench.core.runtime.engine_address import DEFAULT_HOST, engine_address


def make_context(config, name, host, current=True):
    meta = config / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(
        json.dumps({"Name": name, "Metadata": {}, "Endpoints": {"docker": {"Host": host}}})
    )
    if current:
        (config / "config.json").write_text(json.dumps({"currentContext": name}))


def test_docker_host_wins_then_the_current_context_then_the_default_socket(tmp_path):
    make_context(tmp_path, "colima", "unix:///home/me/.colima/default/docker.sock")
    env = {"DOCKER_CONFIG": str(tmp_path)}
    assert engine_address({**env, "DOCKER_HOST": "unix:///run/x.sock"}).host == "unix:///run/x.sock"
    found = engine_address(env)
    assert found.host == "unix:///home/me/.colima/default/docker.sock"
    assert found.source == "docker context colima"
    assert engine_address({"DOCKER_CONFIG": str(tmp_path / "none")}).host == DEFAULT_HOST


def test_docker_context_in_the_environment_overrides_the_config(tmp_path):
    make_context(tmp_path, "colima", "unix:///a.sock")
    make_context(tmp_path, "desktop-linux", "unix:///b.sock", current=False)
    env = {"DOCKER_CONFIG": str(tmp_path), "DOCKER_CONTEXT": "desktop-linux"}
    assert engine_address(env).host == "unix:///b.sock"
    assert engine_address({**env, "DOCKER_CONTEXT": "default"}).host == DEFAULT_HOST


def test_broken_or_odd_config_files_fall_back_to_the_default_socket(tmp_path):
    (tmp_path / "config.json").write_text("{ half written")
    assert engine_address({"DOCKER_CONFIG": str(tmp_path)}).host == DEFAULT_HOST
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": ["not", "a", "name"]}))
    assert engine_address({"DOCKER_CONFIG": str(tmp_path)}).host == DEFAULT_HOST
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": "gone"}))
    assert engine_address({"DOCKER_CONFIG": str(tmp_path)}).host == DEFAULT_HOST
