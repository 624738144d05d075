"""The window's dialogs: function settings, deploy, settings and about (imported when used)."""

from __future__ import annotations

from typing import Any


class DialogCommands:
    """Mixed into MainWindow; each opens its dialog, loading its module only then."""

    def deploy(self) -> None:
        w: Any = self
        from workbench.ui.dialogs.deploy_dialog import DeployDialog  # boto3 loads only when used

        function = w.session.function
        if function is None:
            w.status.show_message("Open a function first: there is nothing to deploy yet.")
            return
        dialog = DeployDialog(
            function, w.event_pane.event_bytes(), w.last_result,
            w.settings, w, project_root=w.project.root if w.project else None,
        )  # fmt: skip
        dialog.open()

    def show_about(self) -> None:
        w: Any = self
        from workbench.ui.dialogs.about_dialog import AboutDialog

        AboutDialog(w).open()

    def show_settings(self) -> None:
        w: Any = self
        from workbench.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(w.settings, w)
        if dialog.exec():
            w.session.close()  # runner or images may have changed: next invoke rebuilds
            w._follow_os_theme()

    def show_function_settings(self) -> None:
        w: Any = self
        from workbench.ui.dialogs.function_settings_dialog import FunctionSettingsDialog

        function = w.session.function
        if w.project is None or function is None:
            w.status.show_message("Open a function first: there are no settings to edit.")
            return
        dialog = FunctionSettingsDialog(w.project.project, function, w)
        dialog.saved.connect(lambda _config: w.reload_project())
        w.function_settings_dialog = dialog
        dialog.open()

    def show_template_parameters(self) -> None:
        w: Any = self
        project = w.project
        template = getattr(getattr(project, "project", None), "template", None)
        if project is None or template is None:
            w.status.show_message("Template parameters belong to a SAM template; open one first.")
            return
        from workbench.ui.worker import start_task

        def work(_cancel: Any, _sink: Any) -> tuple[list[Any], dict[str, str]]:
            from workbench.core.project import cfn_yaml
            from workbench.core.project.parameters import load_overrides, template_parameters

            data, _layout = cfn_yaml.load(template)
            return template_parameters(data), load_overrides(project.root)

        def show(found: tuple[list[Any], dict[str, str]]) -> None:
            from workbench.ui.dialogs.parameters_dialog import ParametersDialog

            dialog = ParametersDialog(project.root, found[0], found[1], w)
            dialog.saved.connect(lambda _values: w.reload_project())
            w.parameters_dialog = dialog
            dialog.open()

        start_task(work, on_result=show, on_error=w.show_banner)
