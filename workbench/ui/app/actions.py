"""The window's actions as data; menus, toolbar and shortcuts are built from this one table."""

from __future__ import annotations

from dataclasses import dataclass

import qtawesome
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget


@dataclass(frozen=True)
class ActionSpec:
    """One user command. `handler` names a method of the window; `toolbar` puts it there too.

    An entry with `widget` set is a toolbar widget the window provides (the function selector).
    """

    id: str
    label: str
    icon: str
    shortcut: str
    handler: str
    menu: str
    toolbar: bool = False
    tip: str = ""
    widget: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new_function", "New &Function…", "mdi6.lambda", "Ctrl+Shift+N", "new_function",
               "File", False, "Create a function from a starter (code and a matching event)"),
    ActionSpec("new_file", "&New File…", "mdi6.file-plus-outline", "Ctrl+N", "new_file", "File",
               False, "Create a file in the active function's folder"),
    ActionSpec("open_folder", "&Open Folder…", "mdi6.folder-open-outline", "Ctrl+O",
               "open_folder", "File", True, "Open a function folder"),
    ActionSpec("open_template", "Open &Template…", "mdi6.file-document-outline", "Ctrl+Shift+O",
               "open_template", "File", False, "Open a SAM template.yaml"),
    ActionSpec("save", "&Save", "mdi6.content-save-outline", "Ctrl+S", "save", "File", False,
               "Save the current file"),
    ActionSpec("save_as", "Save &As…", "mdi6.content-save-edit-outline", "Ctrl+Shift+S",
               "save_as", "File", False, "Save the current file under another name"),
    ActionSpec("save_all", "Save A&ll", "mdi6.content-save-all-outline", "Ctrl+Alt+S",
               "save_all", "File"),
    ActionSpec("settings", "Se&ttings…", "mdi6.cog-outline", "Ctrl+,", "show_settings",
               "File", True, "Settings"),
    ActionSpec("quit", "&Quit", "mdi6.exit-to-app", "Ctrl+Q", "close", "File"),
    ActionSpec("find", "&Find…", "mdi6.magnify", "Ctrl+F", "find_text", "Edit"),
    ActionSpec("replace", "&Replace…", "mdi6.find-replace", "Ctrl+H", "replace", "Edit"),
    ActionSpec("go_to_line", "&Go to Line…", "mdi6.format-list-numbered", "Ctrl+G",
               "go_to_line", "Edit"),
    ActionSpec("function", "Function", "", "Ctrl+Shift+F", "focus_function_selector", "Run",
               True, "Which function of the project to run", widget=True),
    ActionSpec("invoke", "&Invoke", "mdi6.play", "Ctrl+Return; Ctrl+Enter", "invoke", "Run", True,
               "Run the handler with the event (Ctrl+Enter)"),
    ActionSpec("stop", "&Stop", "mdi6.stop", "Ctrl+.", "stop", "Run", True,
               "Stop the running invoke"),
    ActionSpec("reset", "&Reset Environment", "mdi6.restart", "Ctrl+Shift+R",
               "reset_environment", "Run", True,
               "Discard the warm environment: the next invoke is cold"),
    ActionSpec("function_settings", "Function Se&ttings…", "mdi6.tune-variant", "Ctrl+Shift+,",
               "show_function_settings", "Run", True,
               "Handler, runtime, memory, timeout, environment of the active function"),
    ActionSpec("deploy", "&Deploy…", "mdi6.cloud-upload-outline", "Ctrl+Shift+D", "deploy",
               "Run", True, "Deploy the function to AWS"),
    ActionSpec("tools", "&Tests, Load and Tune", "mdi6.test-tube", "Ctrl+Shift+T", "show_tools",
               "Run", True, "Saved events as tests, load runs and memory tuning"),
    ActionSpec("serve", "Serve &API", "mdi6.api", "", "toggle_serve", "Run", True,
               "Serve the project's API routes and function URLs on localhost"),
    ActionSpec("template_parameters", "Template &Parameters…", "mdi6.tune-variant", "",
               "show_template_parameters", "Run", False,
               "Values for the SAM template's Parameters in local runs"),
    ActionSpec("debug", "De&bug / Continue", "mdi6.bug-play-outline", "F5", "debug", "Debug",
               True, "Run the handler under the debugger, or continue when paused (F5)"),
    ActionSpec("toggle_breakpoint", "Toggle &Breakpoint", "mdi6.record-circle-outline", "F9",
               "toggle_breakpoint", "Debug", False, "Set or clear a breakpoint on this line"),
    ActionSpec("step_over", "Step &Over", "mdi6.debug-step-over", "F10", "step_over", "Debug"),
    ActionSpec("step_into", "Step &Into", "mdi6.debug-step-into", "F11", "step_into", "Debug"),
    ActionSpec("step_out", "Step O&ut", "mdi6.debug-step-out", "Shift+F11", "step_out", "Debug"),
    ActionSpec("stop_debugging", "S&top Debugging", "mdi6.stop-circle-outline", "Shift+F5",
               "stop_debugging", "Debug"),
    ActionSpec("next_pane", "&Next Pane", "", "F6", "next_pane", "View", False,
               "Move the focus to the next pane"),
    ActionSpec("previous_pane", "&Previous Pane", "", "Shift+F6", "previous_pane", "View",
               False, "Move the focus to the previous pane"),
    ActionSpec("focus_tree", "Project &Tree", "", "Ctrl+1", "focus_tree", "View"),
    ActionSpec("focus_editor", "Code &Editor", "", "Ctrl+2", "focus_editor", "View"),
    ActionSpec("focus_event", "E&vent", "", "Ctrl+3", "focus_event", "View"),
    ActionSpec("focus_result", "&Result", "", "Ctrl+4", "focus_result", "View"),
    ActionSpec("focus_history", "&History", "", "Ctrl+5", "focus_history", "View"),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", "mdi6.keyboard-outline", "Ctrl+/",
               "show_shortcuts", "Help", False, "Every action and its keys"),
    ActionSpec("about", "&About Lambda Workbench", "mdi6.information-outline", "", "show_about",
               "Help"),
)  # fmt: skip


def build_actions(
    window: QMainWindow, specs: tuple[ActionSpec, ...] = ACTIONS, icon_colour: str = "#555"
) -> dict[str, QAction]:
    """Create a QAction per spec, connected to window.<handler>, and the menus for them."""
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    for spec in specs:
        label = spec.label.replace("…", "").replace("&", "") if spec.widget else spec.label
        action = QAction(label, window)
        action.setObjectName(f"action_{spec.id}")
        if spec.icon:
            action.setIcon(qtawesome.icon(spec.icon, color=icon_colour))
        if spec.shortcut:  # "A; B" gives two keys (Return and the keypad's Enter)
            action.setShortcuts(QKeySequence.listFromString(spec.shortcut))
        tip = spec.tip or spec.label.replace("&", "").replace("…", "")
        action.setToolTip(f"{tip} ({action.shortcut().toString()})" if spec.shortcut
                          else tip)  # fmt: skip
        action.setStatusTip(tip)
        handler = getattr(window, spec.handler)
        action.triggered.connect(lambda _checked=False, h=handler: h())
        window.addAction(action)  # shortcuts work even when the toolbar is hidden
        if spec.menu not in menus:
            menus[spec.menu] = window.menuBar().addMenu(f"&{spec.menu}")
        menus[spec.menu].addAction(action)
        actions[spec.id] = action
    return actions


def build_toolbar(
    window: QMainWindow,
    actions: dict[str, QAction],
    widgets: dict[str, QWidget],
    specs: tuple[ActionSpec, ...] = ACTIONS,
) -> QToolBar:
    """The toolbar: the table's toolbar entries in order, widgets where the table says."""
    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    window.addToolBar(toolbar)
    previous_menu = None
    for spec in specs:
        if not spec.toolbar:
            continue
        if previous_menu is not None and spec.menu != previous_menu:
            toolbar.addSeparator()
        previous_menu = spec.menu
        if spec.widget:
            toolbar.addWidget(widgets[spec.id])
            continue
        toolbar.addAction(actions[spec.id])
        button = toolbar.widgetForAction(actions[spec.id])
        if button is not None:
            button.setObjectName(f"{spec.id}Button")
    return toolbar


def recolour_icons(
    actions: dict[str, QAction], colour: str, specs: tuple[ActionSpec, ...] = ACTIONS
) -> None:
    """Icons drawn in the theme's text colour (qtawesome draws them from a font)."""
    for spec in specs:
        if spec.icon and spec.id in actions:
            actions[spec.id].setIcon(qtawesome.icon(spec.icon, color=colour))
