"""Injection: hostile text is stored, searched and shown literally, and never executed.

Search strings, filter values, label names, prompts, album names and file names carry
SQL, shell metacharacters, HTML markup, newlines and very long text. Each must come back
exactly as it went in (or be refused with a clear UsageError), match only what it says
literally, and never run: the shell markers below must never appear. "Reveal" and "open"
are checked to run without a shell, both by reading the code and by running them.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest

from photoorg.cli import main as cli
from photoorg.errors import UsageError
from photoorg.model.label import Label
from photoorg.model.query import Filters
from tests.reliability import hostile

MARKER = "pwned"
HOSTILE = [
    "'; DROP TABLE photos; --",
    'Robert"); DELETE FROM tags; --',
    "x' OR '1'='1",
    f"$(touch {MARKER}-1)",
    f"`touch {MARKER}-2`",
    f"; touch {MARKER}-3 #",
    f"| touch {MARKER}-4",
    f"&& touch {MARKER}-5",
    "<b>bold</b>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "line one\nline two",
    "%s %d {0} {} %n",
    "100% _under_ \\back",
    "ünïcødé 東京 🐱",
    "-rf --help",
    "NULL",
    "x" * 200,
    "very long " * 1000,  # 10,000 characters
]


def _file_name(text: str) -> str:
    name = text.replace("/", "∕")
    while len(name.encode()) > 250:
        name = name[:-1]
    return name + ".jpg"


@pytest.fixture(scope="module")
def hostile_library(tmp_path_factory, tiny_model, indexed):
    """A catalog whose photos have hostile names, and labels and albums named likewise."""
    from tests.reliability.conftest import open_library

    base = tmp_path_factory.mktemp("injection")
    photos = base / "photos"
    photos.mkdir()
    sources = sorted(Path(p) for p in indexed.truth)
    for i, text in enumerate(HOSTILE):
        shutil.copy2(sources[i % len(sources)], photos / _file_name(text))
    library = open_library(base / "catalog", tiny_model)
    summary = library.index([photos])
    assert summary["errors"] == 0 and summary["added"] == len(HOSTILE)
    yield library, photos, base
    library.close()


def _no_marker(*folders: Path) -> None:
    for folder in (*folders, Path.cwd()):
        assert not list(Path(folder).rglob(f"{MARKER}*")), folder


def _photo_count(library) -> int:
    return library.status()["photos"]


def test_hostile_file_names_are_catalogued_exactly(hostile_library):
    library, photos, base = hostile_library
    on_disk = {str(p) for p in photos.iterdir()}
    assert {h.path for h in library.browse()} == on_disk
    for path in on_disk:
        info = library.info(path)
        assert info["path"] == path
        assert os.path.basename(info["path"]) in {_file_name(t) for t in HOSTILE}
    _no_marker(photos, base)


def test_hostile_search_strings_are_text_not_code(hostile_library):
    library, photos, base = hostile_library
    before = _photo_count(library)
    searched, refused = [], {}
    for text in HOSTILE + [t.upper() for t in HOSTILE]:
        try:
            hits = library.search(text, limit=5)
        except UsageError as exc:  # e.g. "x' OR '1'='1" reads as a bad weight: said clearly
            refused[text] = str(exc)
            continue
        searched.append(text)
        assert all(Path(h.path).parent == photos for h in hits)
    # Every input was searched, or refused for a reason it really has, said clearly.
    texts = HOSTILE + [t.upper() for t in HOSTILE]
    assert set(refused) == {t for t in texts if t.count('"') % 2 or len(t) > 2000}
    assert all("unclosed quote" in m or "too long" in m for m in refused.values()), refused
    assert len(searched) == len(texts) - len(refused) >= len(texts) - 4
    assert _photo_count(library) == before
    assert {"photos", "tags", "labels", "embeddings"} <= set(library.catalog.db.table_names())
    _no_marker(photos, base)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_filter_values_match_only_literally(hostile_library, text):
    library, photos, _ = hostile_library
    everything = len(library.browse())
    for filters in (
        Filters(cameras=(text,)),
        Filters(labels=(text,)),
        Filters(albums=(text,)),
        Filters(folders=(str(photos / text.replace("/", "")),)),
    ):
        assert library.browse(filters) == [], (filters, everything)
    # SQL LIKE wildcards are escaped: "%" and "_" match no camera either.
    assert library.browse(Filters(cameras=("%",))) == []
    assert library.browse(Filters(cameras=("_",))) == []


def test_hostile_label_names_and_prompts_round_trip(hostile_library, tmp_path):
    library, photos, base = hostile_library
    tagging = library.tagging
    stored, refused = [], []
    first = library.browse()[0]
    for text in HOSTILE:
        label = Label(name=text, prompts=(f"a photo of a {{}} {text}",))
        try:
            tagging.add_label(label)
        except UsageError as exc:  # control characters, '|', over 100 characters
            refused.append((text, str(exc)))
            continue
        stored.append(text)
        tagging.set_decision([first.id], text, "confirmed", retag=False)
    # Refused by design, each with its reason: a newline (control character), '|' (the
    # hierarchy separator of XMP sidecars) and a name over 100 characters.
    too_long = {t for t in HOSTILE if len(t) > 100}
    assert {t for t, _ in refused} == {"line one\nline two", f"| touch {MARKER}-4"} | too_long
    names = {label.name: label for label in tagging.labels()}
    for text in stored:
        assert names[text].prompts == (f"a photo of a {{}} {text}",)
        # "{}" stands for the name (str.replace, so "%s" or "{0}" are just text).
        assert names[text].texts() == [f"a photo of a {{}} {text}".replace("{}", text)]
        assert any(t["label"] == text for t in tagging.tags(first.id))
        assert [h.id for h in library.browse(Filters(labels=(text,)))] == [first.id]
    tagging.tag()  # re-tag with every hostile prompt through the text tower

    # Export and import keep every character.
    exported = tmp_path / "labels.toml"
    tagging.export_labels(exported)
    from tests.reliability.conftest import open_library

    with open_library(tmp_path / "other") as other:
        other.tagging.import_labels(exported, replace=True)
        assert {x.name: x.prompts for x in other.tagging.labels()} == {
            x.name: x.prompts for x in tagging.labels()
        }

    # XMP sidecars escape the markup, and read back literally.
    from defusedxml import ElementTree

    from photoorg.media import sidecars as xmp

    errors: list[tuple[str, str]] = []
    assert tagging.export_xmp([first.id], errors=errors) == 1 and not errors
    sidecar = xmp.find_sidecar(Path(first.path))
    assert sidecar is not None
    ElementTree.fromstring(sidecar.read_bytes())  # well-formed XML
    assert set(stored) <= set(xmp.read_sidecar(sidecar).subjects)
    sidecar.unlink()
    _no_marker(photos, base, tmp_path)


def test_hostile_album_names(hostile_library):
    library, _, _ = hostile_library
    ids = [h.id for h in library.browse()][:2]
    refused = {}
    for text in HOSTILE:
        try:
            library.albums.create(text)
        except UsageError as exc:
            refused[text] = str(exc)
            continue
        library.albums.add(text, ids)
        assert sorted(library.albums.photo_ids(text)) == sorted(ids)
        assert sorted(h.id for h in library.browse(Filters(albums=(text,)))) == sorted(ids)
        library.albums.delete(text)
    # Refused by design, like label names: '|', control characters, over 100 characters.
    assert set(refused) == {t for t in HOSTILE if "|" in t or "\n" in t or len(t) > 100}
    assert all(m.startswith("album name") for m in refused.values()), refused


def test_command_line_prints_hostile_names_literally(
    hostile_library, model_spec, capsys, monkeypatch, tmp_path
):
    library, photos, base = hostile_library
    monkeypatch.chdir(tmp_path)  # where a shell would have created the markers
    home = str(library.paths.home)
    for path in sorted(str(p) for p in photos.iterdir()):
        assert cli.main(["info", path, "--json", "--catalog", home]) == 0
        assert json.loads(capsys.readouterr().out)["path"] == path
    assert cli.main(["search", "a", "red", "circle", "--json", "--catalog", home]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert {h["path"] for h in hits} <= {str(p) for p in photos.iterdir()}
    assert cli.main(["search", *HOSTILE[:3], "--catalog", home, "--model", model_spec]) in (0, 2)
    capsys.readouterr()
    _no_marker(photos, base, tmp_path)


# -- no shell, anywhere ------------------------------------------------------------------------

PACKAGE = Path(__file__).resolve().parents[2] / "photoorg"
SHELL_CALLS = {"system", "popen", "getoutput", "getstatusoutput", "spawnl", "spawnlp"}
SUBPROCESS_CALLS = {"Popen", "run", "call", "check_call", "check_output"}


def test_no_code_goes_through_a_shell():
    """Read every module: no shell=True, no os.system/popen, argument lists only."""
    problems = []
    for source in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            where = f"{source.relative_to(PACKAGE.parent)}:{node.lineno}"
            for keyword in node.keywords:
                if keyword.arg == "shell" and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    problems.append(f"{where}: shell={ast.unparse(keyword.value)}")
            if name in SHELL_CALLS and ast.unparse(func).startswith(("os.", "subprocess.")):
                problems.append(f"{where}: {ast.unparse(func)}")
            if (
                name in SUBPROCESS_CALLS
                and ast.unparse(func).startswith("subprocess.")
                and node.args
                and isinstance(node.args[0], ast.Constant | ast.JoinedStr | ast.BinOp)
            ):
                problems.append(f"{where}: a command string, not an argument list")
            if name in ("startDetached", "start", "execute") and "QProcess" in ast.unparse(func):
                problems.append(f"{where}: QProcess with a command string?")
    assert problems == []


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
@pytest.mark.parametrize("text", HOSTILE)
def test_reveal_is_an_argument_list_with_the_path_intact(text, platform):
    pytest.importorskip("PySide6")
    from photoorg.ui.file_actions import reveal_command

    path = f"/photos/{_file_name(text)}"
    command = reveal_command(path, platform)
    assert isinstance(command, list) and all(isinstance(a, str) for a in command)
    if platform == "linux":
        assert command == ["xdg-open", "/photos"]
    elif platform == "darwin":
        assert command == ["open", "-R", path]
    else:
        assert command[0] == "explorer" and command[1].endswith(_file_name(text))


def test_reveal_and_open_run_without_a_shell(monkeypatch, tmp_path):
    pytest.importorskip("PySide6")
    from photoorg.ui import file_actions

    photo = tmp_path / _file_name(f"$(touch {MARKER}-6); `touch {MARKER}-7`")
    photo.write_bytes(hostile.small_jpeg())
    seen = []

    class FakePopen:
        def __init__(self, args, **kwargs):
            seen.append((args, kwargs))

    monkeypatch.setattr(file_actions.subprocess, "Popen", FakePopen)
    file_actions.reveal_in_file_manager(str(photo))
    ((args, kwargs),) = seen
    assert isinstance(args, list) and not kwargs.get("shell")
    opened = []
    monkeypatch.setattr(
        file_actions.QDesktopServices, "openUrl", lambda url: opened.append(url) or True
    )
    assert file_actions.open_in_viewer(str(photo))
    assert opened[0].toLocalFile() == str(photo)  # a file URL, not a command
    _no_marker(tmp_path)


# -- the window ----------------------------------------------------------------------------------

MARKUP = "<img src=x onerror=alert(1)>"


def test_window_shows_hostile_text_literally(
    hostile_library, model_spec, qtbot, tmp_path, monkeypatch
):
    """Every place the window shows a file name, label, album or query: plain text."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox, QTreeWidgetItemIterator

    from photoorg.ui.app import build_window

    library, photos, _ = hostile_library
    target = library.photo_id(photos / _file_name(MARKUP))
    for name in ("<b>bold</b>", MARKUP):
        with contextlib.suppress(UsageError):  # added by the round-trip test already
            library.tagging.add_label(Label(name=name))
        library.tagging.set_decision([target], name, "confirmed", retag=False)
    try:
        library.albums.create(MARKUP)
        library.albums.create("<b>saved</b>", query="<b>red</b> circle")
    except UsageError:
        pass

    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store.setValue("first_run_done", "true")
    window = build_window(str(library.paths.home), model_spec, store=store)
    qtbot.addWidget(window)
    window.show()
    try:
        with qtbot.waitSignal(window.overview_loaded, timeout=60_000):
            window.start()
        window.photo_view.show_photo(target)
        qtbot.waitUntil(lambda: not window.photo_view.busy, timeout=60_000)
        qtbot.waitUntil(lambda: window.photo_view.title.text() != "", timeout=60_000)

        # Every label that shows text with markup in it shows it as plain text.
        shown = [w for w in window.findChildren(QLabel) if "<" in w.text()]
        assert any(w.text() == _file_name(MARKUP) for w in shown)
        assert any(w.text() == "<b>bold</b>" for w in shown)
        rich = [w.text() for w in shown if w.textFormat() != Qt.TextFormat.PlainText]
        assert rich == []

        # Item views: tooltips are escaped; sidebar rows are item text (never HTML).
        model = window.browser.model
        for row in range(model.rowCount()):
            tip = model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
            assert "<img" not in tip and "<b>" not in tip
        iterator = QTreeWidgetItemIterator(window.sidebar)
        while iterator.value():
            tip = iterator.value().toolTip(0)
            assert "<img" not in tip and "<b>" not in tip, tip
            iterator += 1

        # Dialogs built from user text: captured instead of shown (they are modal).
        captured: list[str] = []

        def question(_parent, _title, text, *_args, **_kwargs):
            captured.append(text)
            return QMessageBox.StandardButton.No

        def get_text(_parent, _title, label, *_args, **_kwargs):
            captured.append(label)
            return "", False

        monkeypatch.setattr(QMessageBox, "question", question)
        monkeypatch.setattr(QInputDialog, "getText", get_text)
        window.commands.delete_album(MARKUP)
        window.commands.remove_root(str(photos / MARKUP))
        window.browser.search_bar.set_text(f"<b>red</b> {MARKUP}", search=False)
        window.commands.save_search()
        assert len(captured) == 3
        for text in captured:  # plain, or escaped so that Qt shows the characters
            assert not GuiQt.mightBeRichText(text) or "&lt;" in text, text

        # A query error names the bad text; the field's tooltip must not render it.
        window.browser.search_bar.set_error(f"unknown filter 'colr:{MARKUP}'")
        tip = window.browser.search_bar.field.toolTip()
        assert not GuiQt.mightBeRichText(tip) or "&lt;" in tip, tip
    finally:
        window.shutdown()
