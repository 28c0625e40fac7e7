"""The photo's text is shown as plain, selectable text, or why there is none."""

from PySide6.QtWidgets import QPlainTextEdit

from photoorg.ui.widgets.photo_text_panel import PhotoTextPanel


def test_lines_are_shown_as_plain_selectable_text(qtbot):
    panel = PhotoTextPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_text({"outcome": "read", "lines": [{"text": "<b>CAFE</b> ROMA"}, {"text": "出口"}]})
    assert panel.lines.toPlainText() == "<b>CAFE</b> ROMA\n出口"
    assert panel.lines.isReadOnly() and isinstance(panel.lines, QPlainTextEdit)
    panel.lines.selectAll()
    assert panel.lines.textCursor().selectedText().startswith("<b>CAFE</b>")
    assert not panel.state.isVisible()


def test_why_there_is_no_text_is_said(qtbot):
    panel = PhotoTextPanel()
    qtbot.addWidget(panel)
    panel.show()
    for text, said in (
        (None, "Not read yet."),
        ({"outcome": "skipped", "lines": []}, "looked like a photo without text"),
        ({"outcome": "read", "lines": []}, "No text found."),
    ):
        panel.show_text(text)
        assert said in panel.state.text() and panel.state.isVisible()
        assert not panel.lines.isVisible()
