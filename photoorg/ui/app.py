"""``photoorg`` without a command: build the QApplication, show the window, run.

The start path imports Qt and the window only: the catalog opens on a worker once the
window is up, and torch (the model) loads after that, so the window is on screen in a
fraction of a second even on a slow machine.

Environment knobs, for scripts and benchmarks rather than users:
``PHOTOORG_SETTINGS=FILE.ini`` keeps settings in that file instead of the user's;
``PHOTOORG_EXIT_AFTER_SHOW=1`` prints ``window-visible SECONDS CPU_SECONDS`` (wall-clock
time since the process started, and the CPU time it used) once the window is first
exposed, then quits.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from photoorg import __version__
from photoorg.config import APP_NAME
from photoorg.ui import i18n
from photoorg.ui.context import LibraryContext
from photoorg.ui.dialogs.settings import AppSettings
from photoorg.ui.main_window import MainWindow
from photoorg.ui.qt_compat import protect_none

RESOURCES = Path(__file__).resolve().parents[2] / "resources"  # beside photoorg/, also frozen
SETTINGS_ENV = "PHOTOORG_SETTINGS"
EXIT_AFTER_SHOW_ENV = "PHOTOORG_EXIT_AFTER_SHOW"


def process_age() -> float:
    """Seconds since this process started (Linux /proc; else since this module loaded)."""
    try:
        with open("/proc/self/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5): starttime, in clock ticks
        with open("/proc/uptime", "rb") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _LOADED


_LOADED = time.monotonic()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="photoorg", description="Open the PhotoOrg window.")
    parser.add_argument("--gui", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--catalog", metavar="DIR", help="catalog folder for this session")
    parser.add_argument("--model", help="CLIP model for this session")
    parser.add_argument("--version", action="version", version=f"photoorg {__version__}")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def open_settings_store() -> QSettings:
    path = os.environ.get(SETTINGS_ENV)
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings()


def apply_look(app: QApplication) -> None:
    """Fusion (the same on every platform), our style sheet and icon."""
    app.setStyle("Fusion")
    font = QFont(app.font())
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    style = RESOURCES / "style.qss"
    if style.is_file():
        # url(icons/...) in the sheet is relative to resources/, not to the current folder.
        sheet = style.read_text(encoding="utf-8")
        app.setStyleSheet(sheet.replace("url(icons/", f"url({(RESOURCES / 'icons').as_posix()}/"))
    icon = RESOURCES / "icons" / "photoorg.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


class _ExposeWatcher(QObject):
    """Reports the first time the window is really exposed (drawn) on screen."""

    def __init__(self, on_exposed) -> None:
        super().__init__()
        self._on_exposed = on_exposed
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._done and event.type() == QEvent.Type.Expose and watched.isExposed():
            self._done = True
            self._on_exposed()
        return False


def build_window(
    catalog: str | None = None, model: str | None = None, store: QSettings | None = None
) -> MainWindow:
    """The window and its services, not yet shown or started (tests use this too)."""
    protect_none()
    store = store if store is not None else open_settings_store()
    settings = AppSettings.load(store)
    app = QCoreApplication.instance()
    if app is not None:  # the window's language: the setting, else the system's
        i18n.install(app, i18n.resolve(settings.language))
    home = catalog or settings.catalog or None
    ctx = LibraryContext(
        Path(home).expanduser() if home else None,
        settings=store,
        model=model or settings.model or None,
        device=settings.device,
        precision=settings.precision,
        workers=settings.threads or None,
    )
    return MainWindow(ctx, store, settings)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName("photoorg")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    apply_look(app)
    window = build_window(args.catalog, args.model)
    exit_after_show = os.environ.get(EXIT_AFTER_SHOW_ENV) == "1"

    def on_exposed() -> None:
        if exit_after_show:
            if sys.stdout is not None:  # None in a windowed PyInstaller build
                print(f"window-visible {process_age():.3f} {time.process_time():.3f}", flush=True)
            QTimer.singleShot(0, window.close)

    watcher = _ExposeWatcher(on_exposed)
    window.show()
    handle = window.windowHandle()
    if handle is not None:
        handle.installEventFilter(watcher)
    QTimer.singleShot(0, window.start)  # open the catalog once the window has painted
    code = app.exec()
    if not window.shutdown():
        # A job that cannot be interrupted (loading the model) outlived the wait: leave
        # without waiting for it (SQLite rolls back what it had not committed) rather than
        # hang, or abort in Qt's thread clean-up.
        logging.getLogger(__name__).warning("leaving with a job still running")
        logging.shutdown()
        os._exit(code)
    return code
