"""One invoke run on a thread while the caller serves a debugger, with its outcome."""

from __future__ import annotations

import threading

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.invoke import InvocationResult
from workbench.core.progress import CancelToken
from workbench.core.runtime.invoker import Invoker
from workbench.core.runtime.policy import InvokePolicy


class BackgroundInvoke:
    """`invoker.invoke(...)` on a daemon thread; `finished` is set when it is over."""

    def __init__(
        self,
        invoker: Invoker,
        event: bytes,
        policy: InvokePolicy,
        cancel: CancelToken,
        client_context: str | None,
        name: str,
    ) -> None:
        self.invoker = invoker
        self.finished = threading.Event()
        self._result: InvocationResult | None = None
        self._error: WorkbenchError | None = None
        self._args = (event, policy, cancel, client_context)
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        event, policy, cancel, client_context = self._args
        try:
            self._result = self.invoker.invoke(
                event, cancel=cancel, client_context=client_context, policy=policy
            )
        except WorkbenchError as error:
            self._error = error
        finally:
            self.finished.set()

    def outcome(self) -> InvocationResult:
        """The result, or the invoke's sentence raised (Cancelled when it never finished)."""
        if self._error is not None:
            raise self._error
        if self._result is None:
            raise Cancelled("The debug invoke")
        return self._result
