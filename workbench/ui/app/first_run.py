"""First run without the runtime's image: run as a local process, or pick a local image."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QInputDialog

from workbench.core.errors import WorkbenchError
from workbench.ui.worker import start_task


class FirstRunCommands:
    """Mixed into MainWindow; the result pane's FirstRunBar buttons call these."""

    def run_as_process(self) -> None:
        w: Any = self
        try:
            w.settings.set("runner", "process")
        except (OSError, WorkbenchError) as error:
            w.status.show_message(f"The setting could not be saved ({error}).")
            return
        w.session.close()
        w.status.show_message("Handlers now run as local processes (Settings > Runner).")
        w.invoke()

    def use_local_image(self) -> None:
        w: Any = self
        from workbench.core.local_images import local_images

        function = w.session.function
        if function is None:
            return
        w.results_pane.first_run.image_button.setEnabled(False)
        start_task(
            lambda _c, _s: local_images(),
            on_result=lambda images: w._choose_image(function.runtime, images),
            on_error=w.status.show_message,
            on_finished=lambda: w.results_pane.first_run.image_button.setEnabled(True),
        )

    def _choose_image(self, runtime: str, images: list[str]) -> None:
        w: Any = self
        if not images:
            w.status.show_message(
                "Docker has no images yet; load one (docker load / docker pull) or run as a "
                "local process."
            )
            return
        image, ok = QInputDialog.getItem(
            w, "Use a local image", f"Image for {runtime}:", images, 0, False
        )
        if not ok or not image:
            return
        w.set_runtime_image(runtime, image)
        w.invoke()

    def set_runtime_image(self, runtime: str, image: str) -> None:
        w: Any = self
        images = dict(w.settings.get("images"))
        images[runtime] = image
        try:
            w.settings.set("images", images)
        except (OSError, WorkbenchError) as error:
            w.status.show_message(f"The setting could not be saved ({error}).")
            return
        w.session.close()
        w.status.show_message(f"{runtime} now runs in {image} (Settings > Images).")
