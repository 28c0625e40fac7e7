"""The model picker shows the curated models with their figures and keeps typed names."""

from photoorg.ml import model_list
from photoorg.ui.widgets.model_picker import ModelPicker


def _rows(here: set[str]):
    return [m.as_dict(m.name in here) for m in model_list.MODELS]


def test_it_lists_every_model_saying_which_are_here(qtbot):
    picker = ModelPicker("")
    qtbot.addWidget(picker)
    picker.set_models(_rows({"ViT-B-32:laion2b_s34b_b79k"}))
    assert picker.count() == len(model_list.MODELS)
    texts = [picker.itemText(i) for i in range(picker.count())]
    assert "on this computer" in texts[0]
    assert all("MB to download" in t for t in texts[1:])
    tip = picker.itemData(5, 3)  # ToolTipRole
    assert "53.7%" in tip and "8.82 GFLOPs" in tip  # xlm-roberta's Chinese retrieval


def test_choosing_gives_the_model_name_and_typing_any_name_works(qtbot):
    picker = ModelPicker("local-dir:/models/mine")
    qtbot.addWidget(picker)
    picker.set_models(_rows(set()))
    assert picker.current_name() == "local-dir:/models/mine"  # kept through set_models
    picker.setCurrentIndex(1)
    assert picker.current_name() == "ViT-B-32-256:datacomp_s34b_b86k"
    picker.setEditText("")
    assert picker.current_name() == ""
