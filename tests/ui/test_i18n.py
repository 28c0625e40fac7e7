"""The window's language: choice from locale or setting, .ts compiled to .qm, Qt's own
translations, and the default labels' Chinese names."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from photoorg.ui import i18n

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Probe</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
</context>
</TS>
"""


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("zh_CN", "zh_CN"),
        ("zh_TW", "zh_CN"),
        ("zh_Hans_SG", "zh_CN"),
        ("en", "en"),
        ("fr_FR", "en"),
    ],
)
def test_a_setting_picks_the_closest_language_we_speak(setting, expected):
    assert i18n.resolve(setting) == expected


def test_system_follows_the_locale():
    assert i18n.resolve("system") == i18n.resolve("") == i18n.system_language()
    assert i18n.system_language() in i18n.LANGUAGES


def test_a_ts_file_compiles_with_the_bundled_lrelease_and_translates(tmp_path, qapp):
    from PySide6.QtCore import QTranslator

    ts = tmp_path / "probe_zh_CN.ts"
    ts.write_text(TS, encoding="utf-8")
    qm = i18n.compile_ts(ts, tmp_path / "out" / "probe_zh_CN.qm")
    assert qm is not None and qm.is_file()
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("Probe", "&File") == "文件(&F)"


def test_chinese_installs_qt_s_own_translations_and_the_locale(qapp, tmp_path):
    try:
        installed = i18n.install(qapp, "zh_CN", cache_dir=tmp_path)
        assert installed  # at least Qt's own standard-button translations
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        assert QLocale().name() == "zh_CN"
    finally:
        i18n.install(qapp, "en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert QLocale().name() in ("en_US", "C")


def test_every_default_label_has_a_chinese_name_of_its_own():
    labels = Path(__file__).resolve().parents[2] / "photoorg" / "resources" / "labels.toml"
    table = tomllib.loads(labels.read_text("utf-8"))["label"]
    names = {label["name"] for label in table} | {label.get("parent") for label in table}
    names.discard(None)
    chinese = i18n.label_names("zh_CN")
    assert set(chinese) == names  # every label and every group
    assert len(set(chinese.values())) == len(names)
    assert all(not name.isascii() for name in chinese.values())
    assert i18n.label_names("en") == {}
