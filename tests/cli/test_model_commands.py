"""``photoorg models``, ``photoorg text-reading``, and the text in ``index`` and ``info``."""

import json

import pytest

from photoorg.cli import main as cli
from photoorg.ml import model_list
from tests.support import signs


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_models_json_lists_the_curated_models_with_their_figures(capsys, tmp_path):
    code, out, err = run(capsys, "models", "--json", "--catalog", tmp_path / "c")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["name"] for r in rows] == [m.name for m in model_list.MODELS]
    for row in rows:
        for key in ("languages", "image_gflops", "dim", "imagenet_zero_shot", "download_mb"):
            assert key in row
        assert isinstance(row["here"], bool)
    code, out, _ = run(capsys, "models", "--catalog", tmp_path / "c")
    assert code == 0 and "xlm-roberta-base-ViT-B-32" in out and "53.7%" in out


def test_text_reading_is_a_catalog_setting(capsys, tmp_path):
    catalog = tmp_path / "c"
    assert run(capsys, "text-reading", "every", "--catalog", catalog)[0] == 0
    code, out, _ = run(capsys, "text-reading", "--json", "--catalog", catalog)
    assert code == 0 and json.loads(out) == {"text_reading": "every"}
    with pytest.raises(SystemExit) as stopped:
        run(capsys, "text-reading", "sometimes", "--catalog", catalog)
    assert stopped.value.code == 2 and "invalid choice" in capsys.readouterr().err


@pytest.mark.skipif(signs.cjk_font() is None, reason=signs.NO_CJK_FONT)
def test_index_reads_a_chinese_sign_and_info_prints_it_as_utf8(capsys, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    signs.render_sign(signs.CHINESE_SIGNS[1], size=(640, 480), seed=3).save(folder / "s.jpg")
    catalog = tmp_path / "c"
    code, out, err = run(
        capsys, "index", folder, "--no-encode", "--text", "every", "--catalog", catalog
    )
    assert code == 0, err
    assert "1 read (1 with text)" in out
    code, out, err = run(capsys, "info", folder / "s.jpg", "--json", "--catalog", catalog)
    assert code == 0, err
    assert "北京咖啡馆" in out  # UTF-8, not \\u escapes
    info = json.loads(out)
    assert info["text"]["outcome"] == "read" and "咖啡" in info["text"]["text"]
