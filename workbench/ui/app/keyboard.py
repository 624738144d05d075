"""Moving between the window's panes from the keyboard (F6, Ctrl+1..5) and the shortcut list."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

PANE_NAMES = ("tree", "editor", "event", "result", "history")


class KeyboardCommands:
    """Mixed into MainWindow: pane focus and Help > Keyboard Shortcuts."""

    def panes(self) -> list[Any]:
        w: Any = self
        return [w.tree, w.tabs, w.event_pane, w.results_pane, w.history_pane]

    def focus_pane(self, index: int) -> None:
        w: Any = self
        pane = self.panes()[index]
        if pane is w.tabs:
            target: QWidget = w.tabs.current_editor() or w.tabs
        elif pane is w.event_pane:
            target = w.event_pane.editor
        else:
            target = pane
        QWidget.setFocus(target)  # Scintilla overrides setFocus(bool)

    def current_pane(self) -> int:
        focus = QApplication.focusWidget()
        for index, pane in enumerate(self.panes()):
            if focus is not None and (focus is pane or pane.isAncestorOf(focus)):
                return index
        return -1

    def next_pane(self) -> None:
        self.focus_pane((self.current_pane() + 1) % len(PANE_NAMES))

    def previous_pane(self) -> None:
        current = self.current_pane()
        self.focus_pane((current - 1) % len(PANE_NAMES) if current >= 0 else len(PANE_NAMES) - 1)

    def focus_tree(self) -> None:
        self.focus_pane(0)

    def focus_editor(self) -> None:
        self.focus_pane(1)

    def focus_event(self) -> None:
        self.focus_pane(2)

    def focus_result(self) -> None:
        self.focus_pane(3)

    def focus_history(self) -> None:
        self.focus_pane(4)

    def apply_tab_order(self) -> None:
        """Tab follows the window as it reads: function, tree, code, event, result, history.

        Qt's default chain is the order widgets were parented in, which put the event
        editor before its own controls and the function selector after the results.
        Called again when the editor tab changes (a new editor joins the chain at its end).
        The code and event editors keep Tab for indenting; F6 / Ctrl+1..5 leave them.
        """
        w: Any = self
        chain: list[QWidget] = [w.function_combo, w.tree, w.tabs.tabBar()]
        editor = w.tabs.current_editor()
        if editor is not None:
            chain.append(editor)
        chain += w.event_pane.tab_chain()
        chain += [w.results_pane.tabs.tabBar()]
        chain += [w.history_pane.compare_button, w.history_pane.clear_button, w.history_pane.tree]
        chain_tab_order(chain)

    def show_shortcuts(self) -> None:
        from workbench.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        w: Any = self
        w.shortcuts_dialog = ShortcutsDialog(w.actions_by_id, w)
        w.shortcuts_dialog.open()


def chain_tab_order(widgets: list[QWidget]) -> None:
    """Tab from each widget to the next one of the list."""
    for first, second in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(first, second)
