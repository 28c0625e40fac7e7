"""The window's language: Qt's translation system, chosen from the system locale or a setting.

Every user-visible string of the window goes through ``self.tr`` or
``QCoreApplication.translate``; ``resources/translations/photoorg_<lang>.ts`` holds the
translations (edited with Qt Linguist, refreshed from the code with
``pyside6-lupdate``) and is compiled to ``.qm`` (``pyside6-lrelease``, shipped in
PySide6-Essentials). A source checkout compiles a missing or stale ``.qm`` on first use
into the user's cache folder; the standalone package ships it compiled. Qt's own
``qtbase_<lang>.qm`` (standard buttons, file dialogs) comes with PySide6.

The locale also becomes Qt's default, so dates and numbers that widgets format with
``QLocale()`` follow the chosen language.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

SETTING = "language"
SYSTEM = "system"
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
"""Languages the window speaks, by Qt locale name, each named in itself (for the picker)."""


def translations_dir() -> Path:
    """``resources/translations`` of the checkout, or of the unpacked standalone app."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base / "resources" / "translations"


def system_language() -> str:
    """The supported language closest to the system's locale: any Chinese locale gets
    Simplified Chinese (the only Chinese translation so far), everything else English."""
    return _closest(QLocale.system().name())


def _closest(name: str) -> str:
    if name in LANGUAGES:
        return name
    if name.lower().startswith("zh"):
        return "zh_CN"
    return "en"


def resolve(setting: str | None) -> str:
    """The language to use for a stored setting (``system``, empty, or a locale name)."""
    if not setting or setting == SYSTEM:
        return system_language()
    return _closest(setting)


def install(
    app: QCoreApplication, language: str, cache_dir: Path | None = None
) -> list[QTranslator]:
    """Make ``language`` the window's language; returns the installed translators (keep
    them referenced: Qt does not own them). English installs none."""
    for old in getattr(app, "_photoorg_translators", []):
        app.removeTranslator(old)
    QLocale.setDefault(QLocale(language))
    installed: list[QTranslator] = []
    # English has a translation too: the plural forms of "%n photo(s)".
    own = QTranslator(app)
    own_file = qm_file(language, cache_dir)
    if own_file is not None and own.load(str(own_file)):
        app.installTranslator(own)
        installed.append(own)
    if language != "en":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_own = QTranslator(app)
        if qt_own.load(f"qtbase_{language}", qt_dir):
            app.installTranslator(qt_own)
            installed.append(qt_own)
    app._photoorg_translators = installed  # type: ignore[attr-defined]
    return installed


def qm_file(language: str, cache_dir: Path | None = None) -> Path | None:
    """The compiled translation: shipped beside the ``.ts`` when current, else compiled
    into ``cache_dir`` (default: the user's cache); None when there is no translation."""
    ts = translations_dir() / f"photoorg_{language}.ts"
    shipped = ts.with_suffix(".qm")
    if shipped.is_file() and (not ts.is_file() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if not ts.is_file():
        return None
    if cache_dir is None:
        from platformdirs import user_cache_dir

        cache_dir = Path(user_cache_dir("photoorg")) / "translations"
    built = cache_dir / shipped.name
    if built.is_file() and built.stat().st_mtime >= ts.stat().st_mtime:
        return built
    return compile_ts(ts, built)


def compile_ts(ts: Path, qm: Path) -> Path | None:
    """``pyside6-lrelease ts -qm qm``; None when lrelease is not available or fails."""
    tool = _lrelease()
    if tool is None:
        return None
    qm.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([*tool, str(ts), "-qm", str(qm)], capture_output=True, text=True)
    return qm if done.returncode == 0 and qm.is_file() else None


def _lrelease() -> list[str] | None:
    import PySide6

    bundled = Path(PySide6.__file__).parent / (
        "lrelease.exe" if sys.platform == "win32" else "lrelease"
    )
    if bundled.is_file():
        return [str(bundled)]
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    return [found] if found else None


def label_names(language: str) -> dict[str, str]:
    """The default labels' names in ``language`` (English name -> shown name); labels a
    user made keep the name they were given. Their prompts stay in the model's language."""
    path = translations_dir() / f"labels_{language}.json"
    if language == "en" or not path.is_file():
        return {}
    import json

    return dict(json.loads(path.read_text(encoding="utf-8"))["names"])
