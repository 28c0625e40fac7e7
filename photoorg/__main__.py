"""``python -m photoorg``: the window without arguments, the command line with them."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from photoorg.stdio import ensure_std_streams

    ensure_std_streams()  # a windowed build has no console: sys.stdout may be None
    args = sys.argv[1:] if argv is None else argv
    if "--self-test" in args:
        from photoorg.selftest import main as self_test_main

        return self_test_main(args)
    if not args or args[0] in ("--gui",) or (args[0] == "--catalog" and len(args) == 2):
        from photoorg.ui.app import main as gui_main

        return gui_main(args)
    from photoorg.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
