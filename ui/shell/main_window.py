"""The main window: navigation on the left, one page at a time, who is
signed in at the bottom, the DEMO banner on top, and the idle lock.

The window title never carries client data: only "Harbour", the site
name and DEMO.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic.changes import Changes
from ui.context import AppContext
from ui.shell import keyboard, theme
from ui.shell.idle_lock import IdleWatcher, LockScreen
from ui.shell.lock_cover import DraftOffer, LockCover
from ui.shell.nav_badges import NavBadges
from ui.shell.pages import PAGES, home_row
from ui.shell.style import banner

#: The bundled icon (resources/icons) beside each page in the navigation.
NAV_ICONS = {
    "Today": "house", "People": "users", "Appointments": "calendar-days", "Vaccinations": "syringe", "OST": "pill",
    "Safe storage": "lock-keyhole", "Probation": "scale", "Letters held": "mail", "Staff": "user-cog",
    "Reports": "chart-column", "Audit log": "scroll-text", "Settings": "settings",
    "Counter": "hand-heart", "Safeguarding": "shield", "Journey worklist": "route", "Caseload": "briefcase",
    "Journey report": "chart-line", "Clinic set-up": "calendar-cog",
}


def _app() -> QApplication:
    """The running application: a main window only ever exists inside one."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("The main window needs a running QApplication.")
    return app


class MainWindow(QMainWindow):
    #: The user chose to sign out or switch user: the app shows sign-in.
    signed_out = Signal()

    def __init__(self, ctx: AppContext, *, site_name: str, idle_minutes: float) -> None:
        super().__init__()
        self.app = _app()
        keyboard.install(self.app)
        self.ctx = ctx
        self._signing_out = False
        self.setWindowTitle(f"Harbour — {site_name}" + (" — DEMO" if ctx.demo else ""))
        self._specs = [spec for spec in PAGES if spec.visible(ctx)]
        self._pages: dict[int, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Navigation")
        self.nav.setFixedWidth(178)
        self.nav.setIconSize(QSize(18, 18))
        for number, spec in enumerate(self._specs, start=1):
            item = QListWidgetItem(theme.icon(NAV_ICONS.get(spec.title, "house")), spec.title)
            item.setToolTip(f"Ctrl+{number}" if number < 10 else "")
            self.nav.addItem(item)
        self.badges = NavBadges(ctx, self.nav)
        self.stack = QStackedWidget()
        for _spec in self._specs:
            self.stack.addWidget(QWidget())  # replaced by the real page on first visit
        self.nav.currentRowChanged.connect(self.show_page)

        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.lock_screen = LockScreen(ctx)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.switch_user.connect(self.sign_out)
        self.body = QStackedWidget()
        self.body.addWidget(workspace)
        self.body.addWidget(self.lock_screen)

        central = QWidget()
        col = QVBoxLayout(central)
        col.setContentsMargins(6, 6, 6, 6)
        if ctx.demo:
            col.addWidget(banner("DEMO — synthetic people only. Nothing here is a real person."))
        col.addWidget(self.body)
        self.setCentralWidget(central)

        self.who = QLabel(f"Signed in as {ctx.actor.full_name} ({ctx.actor.role_labels}) · {site_name}")
        self.statusBar().addPermanentWidget(self.who)
        self._menus()
        self.idle = IdleWatcher(idle_minutes, self)
        self.idle.idle.connect(self.lock)
        self.app.installEventFilter(self.idle)
        self.cover = LockCover(self)
        self.draft_offer = DraftOffer(ctx, self)
        self.app.installEventFilter(self.draft_offer)
        self._restore_geometry()
        if self._specs:
            self.nav.setCurrentRow(home_row(self._specs, ctx))
        self.site_notice: QMessageBox | None = None
        QTimer.singleShot(0, self._show_site_notice)

    def _show_site_notice(self) -> None:
        """What opening the site finished or undid (an interrupted rekey,
        ``Site.notice``): said once, to the first person signed in after it."""
        site = self.ctx.clinic.site
        if not site.notice or self.is_locked:
            return
        self.site_notice = QMessageBox(QMessageBox.Icon.Information, "Harbour", site.notice,
                                       QMessageBox.StandardButton.Ok, self)
        site.notice = None
        self.site_notice.open()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.file_menu = file_menu
        for text, shortcut, slot in (
            ("&Lock screen", "Ctrl+L", self.lock),
            ("S&witch user…", "Ctrl+Shift+L", self.sign_out),
            ("&Quit", QKeySequence.StandardKey.Quit, self.close),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            file_menu.addAction(action)
        view_menu = self.menuBar().addMenu("Vie&w")
        self.high_contrast = QAction("&High contrast", self)
        self.high_contrast.setCheckable(True)
        self.high_contrast.setChecked(theme.high_contrast_chosen())
        self.high_contrast.toggled.connect(theme.set_high_contrast)
        view_menu.addAction(self.high_contrast)
        go_menu = self.menuBar().addMenu("&Go")
        self.go_menu = go_menu
        for number, spec in enumerate(self._specs[:9], start=1):
            action = QAction(spec.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, row=number - 1: self._go(row))
            go_menu.addAction(action)
        search = QAction("&Find a person", self)
        search.setShortcut(QKeySequence.StandardKey.Find)
        search.triggered.connect(self.find_person)
        go_menu.addAction(search)

    # ---- pages -------------------------------------------------------------
    def show_page(self, row: int) -> None:
        if row < 0 or self.body.currentIndex() != 0:
            return
        if row not in self._pages:
            page = self._specs[row].build(self.ctx, self)
            if isinstance(opens := getattr(page, "open_person", None), SignalInstance):  # worklists open records
                opens.connect(self.open_person)
            if isinstance(counts := getattr(page, "open_counter", None), SignalInstance):  # the queue's counter
                counts.connect(self.open_counter)
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self._pages[row] = page
        self.stack.setCurrentIndex(row)

    def page(self, title: str) -> QWidget:
        """Show a page by its title and return it (used by Ctrl+F and tests)."""
        row = next(i for i, spec in enumerate(self._specs) if spec.title == title)
        self.nav.setCurrentRow(row)
        self.show_page(row)
        return self._pages[row]

    def _go(self, row: int) -> None:
        if not self.is_locked:
            self.nav.setCurrentRow(row)

    def open_person(self, person_id: int, tab: str = "") -> None:
        """Open a record from any page: the People page holds open records.
        A worklist's ``open_person`` may carry the tab to show as well."""
        if self.is_locked or not any(spec.title == "People" for spec in self._specs):
            return
        page = self.page("People")
        page.open_person(person_id, tab)  # type: ignore[attr-defined]

    def open_counter(self, person_id: int | None) -> None:
        """The harm-reduction counter for this person (from the drop-in queue)."""
        if self.is_locked or not any(spec.title == "Counter" for spec in self._specs):
            return
        self.page("Counter").start_visit(person_id)  # type: ignore[attr-defined]

    def find_person(self) -> None:
        if self.is_locked or not any(spec.title == "People" for spec in self._specs):
            return
        page = self.page("People")
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()

    # ---- locking -----------------------------------------------------------
    def lock(self) -> None:
        """Hide every window, stop every periodic read, disable the menus
        (ui/shell/lock_cover.py, ui/ops.py); views drop their client rows."""
        if self.body.currentIndex() == 1:
            return
        self.idle.pause()
        self.cover.cover()
        self._menus_enabled(False)
        self.body.setCurrentIndex(1)
        self.ctx.lock()

    def unlock(self) -> None:
        self.body.setCurrentIndex(0)
        self._menus_enabled(True)
        self.idle.resume()
        self.ctx.unlock()
        self.ctx.changes_applied.emit(Changes.everything(), None)
        self.cover.uncover()

    def _menus_enabled(self, enabled: bool) -> None:
        for menu in (self.file_menu, self.go_menu):
            menu.menuAction().setEnabled(enabled)
            for action in menu.actions():
                action.setEnabled(enabled)

    @property
    def is_locked(self) -> bool:
        return self.body.currentIndex() == 1

    def sign_out(self) -> None:
        self._signing_out = True
        self.close()

    # ---- window state (per workstation, never client data) -------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        self.app.removeEventFilter(self.idle)
        self.idle.pause()  # a closed window that locked later would hide the next user's windows
        self.cover.keep_drafts(self.ctx)  # open forms: this user's typing is kept, the windows close
        self.app.removeEventFilter(self.draft_offer)
        self.ctx.lock()  # views drop their rows before the window goes
        super().closeEvent(event)
        if self._signing_out:
            self.signed_out.emit()

