"""The parser: model flags only where they act; filter-only searches and their options."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from photoorg.cli import main as cli
from tests.support import synthetic

MODEL_FLAGS = ("--model", "--device", "--workers")


def help_of(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        cli.build_parser().parse_args([*argv, "--help"])
    return out.getvalue()


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (("index",), MODEL_FLAGS),
        (("search",), ("--model", "--device")),
        (("similar",), ("--model", "--device")),
        (("tag",), ("--model", "--device")),
        (("confirm",), ("--model", "--device")),
        (("info",), ()),
        (("errors",), ()),
        (("roots",), ()),
        (("tags",), ()),
        (("summary",), ()),
        (("export-xmp",), ()),
        (("labels", "list"), ()),
        (("labels", "export"), ()),
    ],
)
def test_model_flags_are_shown_only_where_they_act(argv, shown):
    text = help_of(*argv)
    assert tuple(f for f in MODEL_FLAGS if f in text) == shown


def test_unused_model_flags_are_still_accepted():
    """Scripts that pass --model to every command keep working."""
    args = cli.build_parser().parse_args(["info", "x.jpg", "--model", "m", "--workers", "2"])
    assert (args.model, args.workers, args.device) == ("m", 2, "auto")


def test_filter_only_search_sorts_newest_first_and_refuses_a_score_floor(tmp_path, capsys):
    syn = synthetic.make(tmp_path / "catalog", {"dog": 4, "cat": 4})
    syn.library.close()
    home = str(tmp_path / "catalog")
    folder = str(syn.folder / "f0")
    for sort in ("date", "relevance"):  # nothing to rank: both are newest first
        code = cli.main(
            ["search", f'folder:"{folder}"', "--sort", sort, "--json", "--catalog", home]
        )
        out, err = capsys.readouterr()
        assert code == 0, err
        hits = json.loads(out)
        assert len(hits) == 4
        dates = [h["taken_at"] for h in hits]
        assert dates == sorted(dates, reverse=True)
    code = cli.main(["search", f'folder:"{folder}"', "--min-score", "0.3", "--catalog", home])
    assert code == 2
    assert "--min-score needs words or example photos" in capsys.readouterr().err
