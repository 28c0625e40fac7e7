"""The Chinese window: a complete zh_CN translation, in step with the code, and shown."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu

from photoorg.ui import i18n
from photoorg.ui.app import build_window
from tests.ui.conftest import START_TIMEOUT, wait_idle

ROOT = Path(__file__).resolve().parents[2]
ZH_TS = ROOT / "resources" / "translations" / "photoorg_zh_CN.ts"
# What may stay Latin in the Chinese window: names, not words.
LATIN_OK = re.compile(r"^(PhotoOrg|CPU|CLIP|JPEG|XMP|GPU|CUDA|MPS|ISO|GFLOPs|[A-Z]?[\d\W_]*)$")


def _messages(path: Path) -> list[ET.Element]:
    return list(ET.parse(path).getroot().iter("message"))


def test_the_chinese_translation_has_no_unfinished_or_empty_message():
    messages = _messages(ZH_TS)
    assert len(messages) > 150
    for message in messages:
        translation = message.find("translation")
        source = message.findtext("source")
        assert translation.get("type") not in ("unfinished", "vanished", "obsolete"), source
        texts = [f.text for f in translation.iter("numerusform")] or [translation.text]
        assert all(t and t.strip() for t in texts), source
        # every {0} placeholder of the source survives the translation
        for placeholder in set(re.findall(r"\{\d[^}]*\}|%n", source or "")):
            assert all(placeholder in t for t in texts), (source, texts)


def test_every_string_the_code_marks_for_translation_is_in_the_ts_file(tmp_path):
    """lupdate over the window's code finds no message the .ts file lacks: a new
    string in the window fails here until it is translated."""
    sources = sorted(str(p) for p in (ROOT / "photoorg" / "ui").rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    wanted = {(m.findtext("source")) for m in _messages(fresh)}
    have = {(m.findtext("source")) for m in _messages(ZH_TS)}
    assert wanted - have == set()


@pytest.fixture
def chinese_window(qtbot, qapp, tmp_path):
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store.setValue("first_run_done", "true")
    store.setValue("language", "zh_CN")
    window = build_window(str(tmp_path / "catalog"), "local-dir:/nonexistent", store=store)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.overview_loaded, timeout=START_TIMEOUT):
            window.start()
        wait_idle(qtbot, window)
        yield window
    finally:
        window.shutdown()
        i18n.install(qapp, "en")  # the other tests' windows are English


def test_the_window_in_chinese_has_chinese_menus(chinese_window):
    titles = [a.text() for a in chinese_window.menuBar().actions()]
    assert "文件(&F)" in titles and "视图(&V)" in titles and "照片(&P)" in titles


def test_no_english_word_is_left_in_the_chinese_window(chinese_window):
    """Every menu entry, button and label the window shows is Chinese (or a name)."""
    shown: list[str] = []
    for menu in chinese_window.findChildren(QMenu):
        shown += [a.text() for a in menu.actions() if a.text()]
    shown += [a.text() for a in chinese_window.menuBar().actions()]
    for widget in chinese_window.findChildren(QAbstractButton) + chinese_window.findChildren(
        QLabel
    ):
        if widget.isVisible() and widget.text():
            shown.append(widget.text())
    assert len(shown) > 30  # the menus, the sidebar's buttons, the status bar...
    english = []
    for text in shown:
        for word in re.findall(r"[A-Za-z][A-Za-z']+", text.replace("&", "")):
            if not LATIN_OK.match(word) and word.lower() not in ("zh", "cn"):
                english.append(text)
                break
    assert english == []


def test_default_labels_are_named_in_chinese_and_keep_their_real_name(chinese_window, qtbot):
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    sidebar = chinese_window.sidebar

    def shown() -> dict[str, str]:
        out = {}
        iterator = QTreeWidgetItemIterator(sidebar)
        while iterator.value():
            item = iterator.value()
            scope = item.data(0, sidebar_scope_role())
            if scope is not None and scope.kind == "label":
                out[scope.value] = item.text(0)
            iterator += 1
        return out

    qtbot.waitUntil(lambda: "beach" in shown(), timeout=START_TIMEOUT)
    labels = shown()
    assert labels["beach"].startswith("海滩") and labels["dog"].startswith("狗")


def sidebar_scope_role():
    from photoorg.ui.widgets.sidebar import ScopeRole

    return ScopeRole
