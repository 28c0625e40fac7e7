"""Running ``photoorg`` commands in-process from tests, with their output captured."""

from __future__ import annotations

import json

from photoorg.cli import main as cli


def run(capsys, *argv):
    """``(exit code, stdout, stderr)`` of one command."""
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    """The JSON a successful ``--json`` command printed."""
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)
