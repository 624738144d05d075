"""Real invocation results for the pane tests: a tiny handler run by the process Invoker."""

from __future__ import annotations

import textwrap
from pathlib import Path

from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult
from workbench.core.runtime.invoker import Invoker


def run_handler(
    code_dir: Path, source: str, event: bytes = b"{}", *, memory_mb: int = 128, times: int = 1
) -> list[InvocationResult]:
    """Write app.py with `source`, invoke app.handler `times` times in one environment."""
    code_dir.mkdir(parents=True, exist_ok=True)
    (code_dir / "app.py").write_text(textwrap.dedent(source))
    function = FunctionConfig(
        name="panes-test", handler="app.handler", code_dir=code_dir, memory_mb=memory_mb,
        timeout_s=60,
    )  # fmt: skip
    invoker = Invoker(function, "process")
    try:
        return [invoker.invoke(event) for _ in range(times)]
    finally:
        invoker.close()


def run_once(code_dir: Path, source: str, event: bytes = b"{}") -> InvocationResult:
    return run_handler(code_dir, source, event)[0]
