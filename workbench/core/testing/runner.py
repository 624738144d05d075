"""Saved events as test cases: find them, invoke them through a FunctionHost, judge them."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.events.saved import SavedEvents
from workbench.core.invoke import InvocationResult, parse_event
from workbench.core.progress import CancelToken
from workbench.core.project.model import Project
from workbench.core.runtime.host import FunctionHost
from workbench.core.testing import expectation as expectations

PASSED, FAILED, ERROR = "passed", "failed", "error"


@dataclass
class Case:
    """One saved event of one function, and where its expectation is (or would be)."""

    function: str
    event: str
    event_path: Path
    expectation_path: Path
    problem: str | None = None  # why it cannot run, found while collecting


@dataclass
class CaseResult:
    case: Case
    status: str  # passed, failed or error
    message: str  # the first difference, the error sentence, or "" when passed
    differences: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    result: InvocationResult | None = None

    @property
    def function(self) -> str:
        return self.case.function

    @property
    def event(self) -> str:
        return self.case.event

    def to_json_dict(self) -> dict[str, str]:
        """The `test --output json` object per case (keys are a public contract)."""
        return {
            "function": self.function,
            "event": self.event,
            "status": self.status,
            "message": self.message,
        }


def select_functions(project: Project, names: Iterable[str] | None) -> list[str]:
    """The project's function names, or the named ones (a sentence for one that is not there)."""
    known = project.function_names
    wanted = list(names or [])
    if not wanted:
        return known
    by_deploy = {f.deploy_name: f.name for f in project.functions if f.deploy_name}
    chosen = []
    for name in wanted:
        local = name if name in known else by_deploy.get(name)
        if local is None:
            raise WorkbenchError(
                f"There is no function {name!r} in {project.template or project.root}; "
                f"available: {', '.join(known) or 'none'}."
            )
        if local not in chosen:
            chosen.append(local)
    return chosen


def collect(project: Project, functions: list[str], *, update: bool = False) -> list[Case]:
    """The cases: saved events with an expectation (every saved event when updating).

    An expectation whose event is gone is a case that errors, so it is never silently lost.
    """
    cases = []
    for function in functions:
        events = SavedEvents(project.root, function)
        names = events.list()
        expected = expectations.expectation_names(project.root, function)
        chosen = names if update else [n for n in names if n in expected]
        for name in chosen:
            path = expectations.expectation_path(project.root, function, name)
            cases.append(Case(function, name, events.path(name), path))
        for name in expected:
            if name in names:
                continue
            path = expectations.expectation_path(project.root, function, name)
            cases.append(
                Case(
                    function,
                    name,
                    events.folder / f"{name}.json",
                    path,
                    problem=f"The expectation {path} names the saved event '{name}', but "
                    f"{events.folder / (name + '.json')} does not exist; restore the event "
                    "or delete the expectation.",
                )
            )
    cases.sort(key=lambda c: (c.function.lower(), c.event.lower()))
    return cases


def orphan_folders(project: Project) -> list[Case]:
    """Expectations in events/<folder> of a function the project no longer has."""
    root = project.root / "events"
    if not root.is_dir():
        return []
    known = set(project.function_names)
    cases = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in known):
        for name in expectations.expectation_names(project.root, folder.name):
            path = expectations.expectation_path(project.root, folder.name, name)
            problem = (
                f"The expectation {path} is for the function '{folder.name}', which is not in "
                f"the project (functions: {', '.join(sorted(known)) or 'none'}); rename the "
                "folder or delete it."
            )
            cases.append(Case(folder.name, name, folder / f"{name}.json", path, problem))
    return cases


def read_event(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbenchError(f"The saved event {path} could not be read: {error}.") from None
    try:
        return parse_event(text)
    except WorkbenchError as error:
        raise WorkbenchError(f"{path}: {error}") from None


def run_case(host: FunctionHost, case: Case, cancel: CancelToken, update: bool) -> CaseResult:
    """Invoke one case and judge it (or, updating, record its result as the expectation)."""
    started = time.perf_counter()

    def done(status: str, message: str, found: list[str] | None = None, result=None) -> CaseResult:
        return CaseResult(case, status, message, found or [], time.perf_counter() - started, result)

    if case.problem:
        return done(ERROR, case.problem)
    old = check = None
    if case.expectation_path.is_file():
        try:
            check = expectations.load(case.expectation_path)
            old = check.data
        except WorkbenchError as error:
            if not update:
                return done(ERROR, str(error))
            # Updating replaces an unreadable expectation with a fresh snapshot.
    try:
        event = read_event(case.event_path)
        result = host.invoke(case.function, event, cancel=cancel)
    except Cancelled:
        raise
    except WorkbenchError as error:
        return done(ERROR, str(error))
    if update:
        try:
            expectations.save(case.expectation_path, expectations.record(result, old))
        except WorkbenchError as error:
            return done(ERROR, str(error), result=result)
        return done(PASSED, f"recorded {case.expectation_path}", result=result)
    assert check is not None
    found = check.check(result)
    if found:
        return done(FAILED, found[0], found, result)
    return done(PASSED, "", result=result)


def run_cases(
    host: FunctionHost,
    cases: list[Case],
    *,
    update: bool = False,
    cancel: CancelToken | None = None,
    on_result: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    """Run the cases in order; cases of one function share its warm environment, as on Lambda."""
    cancel = cancel or CancelToken()
    results = []
    for case in cases:
        cancel.raise_if_cancelled("The test run")
        outcome = run_case(host, case, cancel, update)
        results.append(outcome)
        if on_result is not None:
            on_result(outcome)
    return results


def summary(results: list[CaseResult]) -> dict[str, int]:
    """The last `test --output json` object (keys are a public contract)."""
    return {
        "passed": sum(r.status == PASSED for r in results),
        "failed": sum(r.status == FAILED for r in results),
        "errors": sum(r.status == ERROR for r in results),
    }


def exit_code(results: list[CaseResult]) -> int:
    """0 all passed, 1 any failed (or errored beside others that ran), 2 nothing could run."""
    counts = summary(results)
    if not results or counts["errors"] == len(results):
        return 2
    return 0 if counts["passed"] == len(results) else 1


def expected_text(result: InvocationResult, old: dict | None = None) -> str:
    """The expectation --update would write for `result` (trimmed like `old`), as text."""
    return as_text(expectations.record(result, old))


def as_text(data: dict) -> str:
    """An expectation as its file holds it, so two of them diff line by line."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
