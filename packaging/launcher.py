"""Entry point of the frozen app: PyInstaller runs this file as ``__main__``.

A separate file (rather than ``photoorg/__main__.py`` itself) so that the package's
``__main__`` module is imported once, under its own name.
"""

import multiprocessing
import sys

from photoorg.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op unless a worker process is spawned (Windows)
    sys.exit(main())
