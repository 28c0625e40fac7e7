"""Small pieces: safe text, metadata lines, revealing files, copying without overwriting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from photoorg.ui.file_actions import copy_files, export_jpegs, free_name, reveal_command
from photoorg.ui.metadata import describe_metadata, exposure_text
from photoorg.ui.text import human_duration, human_size, plain_label, tooltip


def test_labels_and_tooltips_never_render_markup(qtbot):
    label = plain_label("<img src=x>.jpg")
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "<img src=x>.jpg"
    assert "<img" not in tooltip("<img src=x>.jpg", "a & b")
    assert "&lt;img src=x&gt;.jpg<br>a &amp; b" in tooltip("<img src=x>.jpg", "a & b")


def test_reveal_uses_an_argument_list_per_platform():
    path = "/home/me/My Photos/$(rm -rf ~).jpg"
    assert reveal_command(path, "linux") == ["xdg-open", "/home/me/My Photos"]
    assert reveal_command(path, "darwin") == ["open", "-R", path]
    assert reveal_command(r"C:\Photos\a b.jpg", "win32")[0] == "explorer"
    assert reveal_command(r"C:\Photos\a b.jpg", "win32")[1].startswith("/select,")


def test_copy_never_overwrites(tmp_path: Path):
    source = tmp_path / "src"
    source.mkdir()
    photo = source / "a.jpg"
    photo.write_bytes(b"one")
    target = tmp_path / "target"
    target.mkdir()
    (target / "a.jpg").write_bytes(b"existing")
    report = copy_files([str(photo), str(source / "missing.jpg")], str(target))
    assert report.done == [str(target / "a (2).jpg")]
    assert (target / "a.jpg").read_bytes() == b"existing"
    assert len(report.failed) == 1 and "1 failed" in report.summary("Copied")
    assert free_name(target, "a.jpg").name == "a (3).jpg"
    moved = copy_files([str(photo)], str(target), move=True)
    assert not photo.exists() and Path(moved.done[0]).read_bytes() == b"one"


def test_export_writes_whole_files_only(tmp_path: Path):
    report = export_jpegs(
        lambda i: b"jpeg-%d" % i, [(1, "/x/one.png"), (2, "/y/one.heic")], str(tmp_path)
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one (2).jpg", "one.jpg"]
    assert len(report.done) == 2


def test_metadata_lines():
    info = {
        "path": "/p/IMG_1.jpg",
        "folder": "/p",
        "taken_at": "2020-01-02T03:04:05+01:00",
        "taken_at_source": "exif",
        "camera_make": "Canon",
        "camera_model": "EOS 40D",
        "f_number": 7.1,
        "exposure_time": 1 / 160,
        "iso": 100,
        "focal_length": 135.0,
        "width": 100,
        "height": 68,
        "size": 7958,
        "gps_lat": -33.5,
        "gps_lon": 151.25,
        "keywords": ["<b>x</b>"],
    }
    name, rows = describe_metadata(info)
    fields = dict(rows)
    assert name == "IMG_1.jpg"
    assert fields["Date"] == "2020-01-02 03:04:05"
    assert fields["Camera"] == "Canon EOS 40D"
    assert fields["Exposure"] == "f/7.1 · 1/160 s · ISO 100 · 135 mm"
    assert fields["Location"] == "33.50000° S, 151.25000° E"
    assert fields["Keywords"] == "<b>x</b>"
    assert "Lens" not in fields
    assert exposure_text({"exposure_time": 2.5}) == "5/2 s"
    assert human_size(7958) == "8.0 KB" and human_duration(125) == "2 min 05 s"


def test_none_survives_the_bindings(qtbot):
    """PySide6 6.12 on Python 3.11 drops a reference to None per void call (qt_compat)."""
    import sys

    from PySide6.QtWidgets import QLabel

    from photoorg.ui.qt_compat import _HEADROOM, protect_none

    protected = protect_none()
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(50_000):  # ten times None's usual count: an abort if unprotected
        label.setText("x")
    after = sys.getrefcount(None)
    if protected:  # the bindings miscount: None's count is out of reach of zero
        assert after > _HEADROOM // 2
    else:  # the bindings count right (or None is immortal): the calls left it as it was
        assert abs(after - before) < 1_000, (before, after)
