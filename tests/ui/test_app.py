"""The app finds its style sheet and icon next to the package (resources/)."""

from photoorg.ui.app import RESOURCES


def test_the_style_sheet_and_icon_are_found() -> None:
    assert (RESOURCES / "style.qss").is_file()
    assert (RESOURCES / "icons" / "photoorg.svg").is_file()
