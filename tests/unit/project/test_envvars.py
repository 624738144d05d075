"""Environment variables: SAM CLI --env-vars JSON, .env files and secret values."""

from __future__ import annotations

import json
import re

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import (
    PROJECT_FILE,
    SECRETS_FILE,
    find_function,
    open_project,
    save_function,
    set_secret_store,
)
from workbench.core.project.envvars import import_environment, looks_secret
from workbench.core.project.secrets import keyring_available


def folder_project(tmp_path):
    (tmp_path / "lambda_function.py").write_text("def lambda_handler(event, context):\n    pass\n")
    return open_project(tmp_path)


def test_sam_env_vars_json_applies_parameters_and_per_function_values(copy_fixture):
    root = copy_fixture("sam_app")
    env_file = root / "env.json"
    env_file.write_text(
        json.dumps(
            {
                "Parameters": {"SHARED": "all", "DEBUG": False},
                "OrdersFunction": {"TABLE_NAME": "orders-local", "RETRIES": 3},
                "NotAFunction": {"X": "1"},
            }
        )
    )
    project = open_project(root)
    updated, notices = import_environment(project, env_file)
    by_name = {c.name: c for c in updated}
    assert set(by_name) == {"HelloFunction", "OrdersFunction", "LegacyFunction"}
    orders = by_name["OrdersFunction"].environment
    assert orders["TABLE_NAME"] == "orders-local"
    assert (orders["RETRIES"], orders["SHARED"], orders["DEBUG"]) == ("3", "all", "false")
    assert by_name["HelloFunction"].environment["SHARED"] == "all"
    assert notices == ["env.json: NotAFunction is not a function of this project; skipped."]
    # Nothing is saved until asked: the project still has the template's values.
    assert find_function(project, "OrdersFunction").environment["TABLE_NAME"] == "${OrdersTable}"


def test_env_vars_json_errors_name_line_and_column(tmp_path):
    project = folder_project(tmp_path)
    bad = tmp_path / "env.json"
    bad.write_text('{\n  "Parameters": {"A": 1,}\n}')
    with pytest.raises(WorkbenchError, match="env.json is not valid JSON at line 2, column 25"):
        import_environment(project, bad)
    bad.write_text('{"Parameters": "nope"}')
    with pytest.raises(WorkbenchError, match="--env-vars format"):
        import_environment(project, bad)


def test_dotenv_import_and_secret_values_stay_out_of_the_project_file(tmp_path):
    project = folder_project(tmp_path)
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# local settings\nexport STAGE=dev\nAPI_KEY='s3cr3t-value'\nGREETING=\"hello world\"\n"
    )
    [config], notices = import_environment(project, dotenv, secret_names={"API_KEY", "NOPE"})
    assert notices == []
    assert config.environment == {
        "STAGE": "dev",
        "API_KEY": "s3cr3t-value",
        "GREETING": "hello world",
    }
    assert config.secret_names == {"API_KEY"}
    save_function(project, config)
    project_text = (tmp_path / PROJECT_FILE).read_text()
    assert "s3cr3t-value" not in project_text
    assert json.loads(project_text)["secrets"]["names"] == {tmp_path.name: ["API_KEY"]}
    secrets = json.loads((tmp_path / SECRETS_FILE).read_text())
    assert secrets == {tmp_path.name: {"API_KEY": "s3cr3t-value"}}
    assert SECRETS_FILE in (tmp_path / ".gitignore").read_text().splitlines()
    reopened = find_function(open_project(tmp_path))
    assert reopened.environment["API_KEY"] == "s3cr3t-value"
    assert reopened.secret_names == {"API_KEY"}


def test_unmarking_a_secret_moves_it_back_into_the_project_file(tmp_path):
    project = folder_project(tmp_path)
    config = find_function(project)
    config.environment = {"TOKEN": "abc"}
    config.secret_names = {"TOKEN"}
    save_function(project, config)
    config.secret_names = set()
    save_function(project, config)
    data = json.loads((tmp_path / PROJECT_FILE).read_text())
    assert data["functions"][0]["environment"] == {"TOKEN": "abc"}
    assert json.loads((tmp_path / SECRETS_FILE).read_text()) == {}


@pytest.fixture
def no_keyring():
    """keyring's own "no backend" state, as on a headless Linux machine."""
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_keyring_choice_falls_back_to_the_file_with_a_sentence(tmp_path, no_keyring):
    assert not keyring_available()
    project = folder_project(tmp_path)
    set_secret_store(project, "keyring")
    config = find_function(project)
    config.environment = {"DB_PASSWORD": "hunter2"}
    config.secret_names = {"DB_PASSWORD"}
    notices = save_function(project, config)
    assert notices == [
        "No OS keyring is available here, so secret values were stored in "
        f"{SECRETS_FILE} (git-ignored) instead."
    ]
    assert "hunter2" in (tmp_path / SECRETS_FILE).read_text()
    assert "hunter2" not in (tmp_path / PROJECT_FILE).read_text()
    assert find_function(open_project(tmp_path)).environment["DB_PASSWORD"] == "hunter2"


def test_secrets_in_a_sam_template_are_blanked_and_kept_outside(copy_fixture):
    root = copy_fixture("commented")
    project = open_project(root)
    app = find_function(project, "AppFunction")
    app.environment["GREETING"] = "private greeting"
    app.environment["NEW_SECRET"] = "topsecret"
    app.secret_names = {"GREETING", "NEW_SECRET"}
    save_function(project, app)
    template = (root / "template.yaml").read_text()
    assert "private greeting" not in template and "topsecret" not in template
    assert re.search(r'GREETING: "" +# quoted on purpose', template)
    assert "NEW_SECRET" not in template
    reopened = find_function(open_project(root), "AppFunction")
    assert reopened.environment["GREETING"] == "private greeting"
    assert reopened.environment["NEW_SECRET"] == "topsecret"
    assert reopened.secret_names == {"GREETING", "NEW_SECRET"}


def test_dotenv_needs_a_function_when_there_are_several(copy_fixture):
    root = copy_fixture("sam_app")
    (root / ".env").write_text("A=1\n")
    project = open_project(root)
    with pytest.raises(WorkbenchError, match="choose which function"):
        import_environment(project, root / ".env")
    [hello], _ = import_environment(project, root / ".env", "HelloFunction")
    assert hello.environment["A"] == "1"


def test_secret_name_guess():
    assert looks_secret("API_KEY") and looks_secret("db_password") and looks_secret("GH_TOKEN")
    assert not looks_secret("STAGE") and not looks_secret("TABLE_NAME")


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stands in for the OS keyring, which cannot run on this headless machine.

    It goes through keyring's real backend API, so the workbench code under test
    is the same as with the macOS Keychain or the Secret Service.
    """

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.values.get((service, username))

    def set_password(self, service, username, password):
        self.values[(service, username)] = password

    def delete_password(self, service, username):
        self.values.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_moving_secrets_to_the_keyring(tmp_path, memory_keyring):
    project = folder_project(tmp_path)
    config = find_function(project)
    config.environment = {"API_TOKEN": "tok-123", "STAGE": "dev"}
    config.secret_names = {"API_TOKEN"}
    save_function(project, config)
    assert "tok-123" in (tmp_path / SECRETS_FILE).read_text()
    assert set_secret_store(project, "keyring") == []
    assert "tok-123" not in (tmp_path / SECRETS_FILE).read_text()
    assert list(memory_keyring.values.values()) == ["tok-123"]
    reopened = open_project(tmp_path)
    assert reopened.secret_store == "keyring"
    assert find_function(reopened).environment["API_TOKEN"] == "tok-123"
    memory_keyring.values.clear()
    lost = open_project(tmp_path)
    assert lost.warnings == [
        f"Secret API_TOKEN of {tmp_path.name} has no stored value in the keyring; set it again."
    ]


def test_sam_env_json_import_stays_local_and_leaves_the_template_alone(copy_fixture):
    root = copy_fixture("commented")
    template = root / "template.yaml"
    before = template.read_text()
    (root / "env.json").write_text(
        json.dumps({"AppFunction": {"STAGE": "local", "LIMIT": "99", "EXTRA": "yes"}})
    )
    project = open_project(root)
    [app], _ = import_environment(project, root / "env.json")
    save_function(project, app)
    assert template.read_text() == before  # like sam local --env-vars: overrides only
    data = json.loads((root / PROJECT_FILE).read_text())
    assert data["localEnvironment"] == {
        "AppFunction": {"EXTRA": "yes", "LIMIT": "99", "STAGE": "local"}
    }
    reopened = open_project(root)
    env = find_function(reopened, "AppFunction").environment
    assert (env["STAGE"], env["LIMIT"], env["EXTRA"], env["GREETING"]) == (
        "local",
        "99",
        "yes",
        "hello",
    )
    # Later edits of a local variable stay local; the others still go to the template.
    app = find_function(reopened, "AppFunction")
    app.environment["LIMIT"] = "100"
    app.environment["GREETING"] = "hey"
    save_function(reopened, app)
    after = template.read_text()
    assert "LIMIT: '10'" in after and 'GREETING: "hey"' in after
    local = json.loads((root / PROJECT_FILE).read_text())["localEnvironment"]["AppFunction"]
    assert local["LIMIT"] == "100"
