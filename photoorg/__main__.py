"""``python -m photoorg``: the window without a command, the command line with one."""

from __future__ import annotations

import sys

WINDOW_OPTIONS = {"--catalog": True, "--model": True, "--gui": False}
"""The window's own options, and whether each takes a value."""


def wants_window(args: list[str]) -> bool:
    """True when ``args`` hold only the window's options (``--catalog D --model X``)."""
    rest = list(args)
    while rest:
        name, has_value, _value = rest.pop(0).partition("=")
        if name not in WINDOW_OPTIONS:
            return False
        if WINDOW_OPTIONS[name] and not has_value:
            if not rest:
                return False  # "--model" without its value: let the CLI say so
            rest.pop(0)
    return True


def main(argv: list[str] | None = None) -> int:
    from photoorg.stdio import ensure_std_streams

    ensure_std_streams()  # a windowed build has no console: sys.stdout may be None
    args = sys.argv[1:] if argv is None else argv
    if "--self-test" in args:
        from photoorg.selftest import main as self_test_main

        return self_test_main(args)
    if wants_window(args):
        from photoorg.ui.app import main as gui_main

        return gui_main(args)
    from photoorg.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
