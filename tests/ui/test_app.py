"""The app finds its style sheet and icon next to the package (resources/)."""

from photoorg.ui.app import RESOURCES


def test_the_style_sheet_and_icon_are_found() -> None:
    assert (RESOURCES / "style.qss").is_file()
    assert (RESOURCES / "icons" / "photoorg.svg").is_file()


def test_window_options_alone_open_the_window(monkeypatch) -> None:
    import photoorg.__main__ as entry

    opened: list[list[str]] = []
    monkeypatch.setattr("photoorg.ui.app.main", lambda args: opened.append(args) or 0)
    for args in (
        ["--model", "local-dir:/m"],
        ["--catalog", "/c", "--model", "local-dir:/m"],
        ["--model=local-dir:/m", "--catalog=/c"],
        ["--gui"],
        [],
    ):
        assert entry.main(args) == 0
        assert opened.pop() == args
    assert not entry.wants_window(["search", "--model", "x", "dog"])
    assert not entry.wants_window(["--model"])  # the CLI explains the missing value
