"""ServeSession: a project served over HTTP (host, server, code watcher), for the CLI and window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.http.gateway import INTEGRATION_TIMEOUT_S, ServedRequest
from workbench.core.http.model import ServeSpec
from workbench.core.settings import Settings


class ServeSession:
    """Opens the project, starts the host and the server, reloads saved code; `stop()` ends all.

    `on_served(ServedRequest)` and `on_note(sentence)` are called from server threads.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        port: int = 3000,
        bind: str = "127.0.0.1",
        runner: str | None = None,
        image: str | None = None,
        functions: list[str] | None = None,
        settings: Settings | None = None,
        on_served: Callable[[ServedRequest], None] | None = None,
        on_note: Callable[[str], None] | None = None,
        integration_timeout_s: float = INTEGRATION_TIMEOUT_S,
    ) -> None:
        if not 0 <= port <= 65535:
            raise WorkbenchError(f"Port {port} is not a port number (0-65535).")
        self.path = Path(path)
        self.port_wanted, self.bind = port, bind
        self.runner, self.image = runner, image
        self.only = list(functions or [])
        self.settings = settings or Settings()
        self.on_served = on_served
        self.on_note = on_note or (lambda _sentence: None)
        self.integration_timeout_s = integration_timeout_s
        self.warnings: list[str] = []
        self.spec = ServeSpec()
        self.project: Any = None
        self._host: Any = None
        self._server: Any = None
        self._watcher: Any = None

    def start(self) -> None:
        """Listen on every port (WorkbenchError with a sentence when that cannot be done)."""
        from workbench.core.http.server import ApiServer
        from workbench.core.http.watch import CodeWatcher
        from workbench.core.project import open_project
        from workbench.core.project.routes import serve_spec
        from workbench.core.runtime.host import FunctionHost
        from workbench.core.runtime.runners import resolve_runner

        project = open_project(self.path)
        self.project = project
        self.warnings = [*project.warnings, *project.errors]
        known = set(project.function_names)
        unknown = set(self.only) - known
        if unknown:
            raise WorkbenchError(
                f"There is no function {', '.join(sorted(unknown))} in {self.path}; "
                f"available: {', '.join(sorted(known)) or 'none'}."
            )
        self.spec = serve_spec(project, set(self.only) or None)
        self.warnings += self.spec.warnings
        if not self.spec.routes:
            raise WorkbenchError(
                f"{project.template or project.root} defines no API routes or function URLs "
                "to serve; add an Api or HttpApi event or a FunctionUrlConfig to a function."
            )
        runner = resolve_runner(self.runner or self.settings.get("runner"))
        functions = {f.name: f for f in project.functions}
        needed = [functions[n] for n in sorted(self.spec.functions()) if n in functions]
        images = self.settings.get("images")
        if runner == "docker":
            self.warnings += image_warnings(self.image, needed)
        host = FunctionHost(
            runner, settings=self.settings, default_limit=self.settings.get("serve_concurrency")
        )
        throttled = set()
        try:
            for config in needed:
                if config.reserved_concurrency == 0:
                    throttled.add(config.name)  # Lambda throttles every invoke of it
                host.add(
                    config,
                    limit=config.reserved_concurrency or None,
                    image=self.image or images.get(config.runtime),
                )
            server = ApiServer(
                self.spec,
                host,
                bind=self.bind,
                port=self.port_wanted,
                integration_timeout_s=self.integration_timeout_s,
                throttled=throttled,
                on_served=self.on_served,
            )
            server.start()
        except BaseException:
            host.close()
            raise
        self._host, self._server = host, server
        files = [project.template] if project.template else [project.project_file]
        self._watcher = CodeWatcher({f.name: f.code_dir for f in needed}, self._reload, files=files)
        self._watcher.start()

    def _reload(self, names: list[str], path: str) -> None:
        from workbench.core.http.watch import FILE_CHANGED

        if names == [FILE_CHANGED]:
            self._reload_project(Path(path).name)
            return
        for name in names:
            try:
                self._host.retire(name)
            except WorkbenchError:
                continue  # the session is stopping
        self.on_note(f"{Path(path).name} changed: {', '.join(names)} reloaded.")

    def _reload_project(self, file_name: str) -> None:
        """The template or project file changed: new settings apply now, new routes on restart."""
        from workbench.core.project import open_project
        from workbench.core.project.routes import serve_spec

        host = self._host
        if host is None:
            return
        try:
            fresh = open_project(self.path)
            spec = serve_spec(fresh, set(self.only) or None)
        except WorkbenchError as error:
            self.on_note(f"{error} Still serving what was read before.")
            return
        changed = []
        for config in fresh.functions:
            if config.name in host.names() and host.function(config.name) != config:
                try:
                    host.update(config, limit=config.reserved_concurrency or None)
                except WorkbenchError:
                    continue  # stopping, or a limit the host refuses: keep the old one
                changed.append(config.name)
        if changed:
            self.on_note(f"{file_name} changed: new settings of {', '.join(changed)} apply now.")
        if spec.routes != self.spec.routes or spec.apis != self.spec.apis:
            self.on_note(
                f"The routes in {file_name} changed; restart serve (or Serve API) to serve them."
            )

    @property
    def port(self) -> int:
        return self._server.port if self._server is not None else 0

    def route_table(self) -> list[dict[str, Any]]:
        return self._server.route_table() if self._server is not None else []

    @property
    def running(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        """Stop listening and end every environment (containers too); safe to call twice."""
        watcher, server, host = self._watcher, self._server, self._host
        self._watcher = self._server = self._host = None
        if watcher is not None:
            watcher.stop()
        if server is not None:
            server.stop()
        if host is not None:
            host.close()


def image_warnings(image: str | None, functions: list[FunctionConfig]) -> list[str]:
    """One --image for functions of several runtimes runs some of them in the wrong image."""
    runtimes = sorted({f.runtime for f in functions})
    if not image or len(runtimes) < 2:
        return []
    return [
        f"--image {image} is used for every function, but they use {', '.join(runtimes)}; "
        "a function whose runtime the image does not have fails to start. Serve one runtime "
        "at a time with --function, or map each runtime to its image in the 'images' setting."
    ]
