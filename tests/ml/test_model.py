"""Loading models: names, devices, and every way a model folder can be wrong."""

import json
import pickle

import pytest
import torch

from photoorg.errors import ModelError
from photoorg.ml.model import ClipModel, ModelSpec, choose_device


@pytest.mark.parametrize(
    ("name", "arch", "pretrained"),
    [
        ("ViT-B-32:laion2b_s34b_b79k", "ViT-B-32", "laion2b_s34b_b79k"),
        ("RN50:openai", "RN50", "openai"),
    ],
)
def test_arch_and_pretrained_names(name, arch, pretrained):
    spec = ModelSpec.parse(name)
    assert (spec.arch, spec.pretrained, spec.id) == (arch, pretrained, name)


def test_local_dir_names_are_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = ModelSpec.parse("local-dir:./model")
    assert spec.local_dir == tmp_path / "model"
    assert spec.id == f"local-dir:{tmp_path / 'model'}"


@pytest.mark.parametrize("name", ["ViT-B-32", "", "hf-hub:", "hf-hub:noslash", ":tag"])
def test_bad_names_are_refused(name):
    with pytest.raises(ModelError):
        ModelSpec.parse(name)


def test_missing_gpu_is_a_clear_error():
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ModelError, match="no CUDA GPU"):
        choose_device("cuda")
    assert choose_device("auto").type in ("cpu", "mps")


def test_missing_folder(tmp_path):
    with pytest.raises(ModelError, match="model folder not found"):
        ClipModel.load(f"local-dir:{tmp_path / 'nope'}")


def test_folder_without_weights(tmp_path):
    (tmp_path / "open_clip_config.json").write_text(json.dumps({"model_cfg": {}}))
    with pytest.raises(ModelError, match="no weights"):
        ClipModel.load(f"local-dir:{tmp_path}")


class _Plant:
    """Unpickling this writes a marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_pickled_checkpoint_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "marker"
    (tmp_path / "open_clip_config.json").write_text(json.dumps({"model_cfg": {}}))
    (tmp_path / "open_clip_pytorch_model.bin").write_bytes(pickle.dumps(_Plant(str(marker))))
    with pytest.raises(ModelError, match="pickled"):
        ClipModel.load(f"local-dir:{tmp_path}")
    assert not marker.exists()


def test_config_that_does_not_match_the_weights(tmp_path, tiny_clip_dir):
    import shutil

    folder = tmp_path / "mismatch"
    shutil.copytree(tiny_clip_dir, folder)
    config = json.loads((folder / "open_clip_config.json").read_text())
    config["model_cfg"]["vision_cfg"]["width"] *= 2
    (folder / "open_clip_config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="cannot load the model"):
        ClipModel.load(f"local-dir:{folder}", "cpu")


def test_weights_missing_offline_say_what_to_download(monkeypatch, tmp_path):
    import huggingface_hub.constants

    # huggingface_hub reads HF_HUB_OFFLINE at import: patch the constant as well, or it
    # spends ~45 s retrying a network this machine does not have.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ModelError) as caught:
        ClipModel.load("ViT-B-32:laion2b_s34b_b79k", "cpu")
    message = str(caught.value)
    assert "laion/CLIP-ViT-B-32-laion2B-s34B-b79K" in message
    assert "local-dir:" in message


def test_unknown_architecture(monkeypatch):
    with pytest.raises(ModelError, match="unknown model architecture"):
        ClipModel.load("ViT-Q-99:whatever", "cpu")


def test_tiny_model_loads_and_embeds_unit_vectors(tiny_clip_spec):
    model = ClipModel.load(tiny_clip_spec, "cpu")
    texts = model.encode_texts(["a red circle", "a blue square"])
    assert texts.shape == (2, model.dim)
    assert texts.dtype == "float32"
    assert abs(float((texts**2).sum(axis=1).max()) - 1) < 1e-4
    assert model.logit_scale > 1


def test_text_tower_skips_padding_without_changing_any_embedding(tiny_clip_spec):
    """The trimmed forward (only the positions the batch uses) equals open_clip's own."""
    from open_clip.model import CLIP

    model = ClipModel.load(tiny_clip_spec, "cpu")
    assert isinstance(model.model, CLIP) and model.model.text_pool_type == "argmax"
    texts = ["red", "a photo of a small green triangle on a black background.", "a blue square"]
    tokens = model.tokenizer(texts)
    with torch.inference_mode():
        reference = model.model.encode_text(tokens, normalize=True).numpy()
    ours = model.encode_texts(texts)
    assert abs(ours - reference).max() < 1e-5
    # One at a time (each trimmed to its own length) gives the same as in a batch.
    alone = ClipModel.load(tiny_clip_spec, "cpu").encode_texts(texts[:1])
    assert abs(alone[0] - reference[0]).max() < 1e-5


def test_a_resnet_image_tower_works_like_a_vit(tmp_path):
    """open_clip's other image-tower family (ModifiedResNet, as in RN50), as a tiny
    random model in a local-dir folder: loaded, preprocessed and encoded the same way."""
    import json

    import open_clip
    from PIL import Image
    from safetensors.torch import save_file

    model_cfg = {
        "embed_dim": 32,
        "vision_cfg": {"image_size": 64, "layers": [1, 1, 1, 1], "width": 16},
        "text_cfg": {
            "context_length": 16,
            "vocab_size": 49408,
            "width": 32,
            "heads": 2,
            "layers": 1,
        },
    }
    preprocess_cfg = {"size": 64, "mean": [0.5] * 3, "std": [0.25] * 3}
    built = open_clip.CLIP(**model_cfg)
    assert type(built.visual).__name__ == "ModifiedResNet"
    folder = tmp_path / "tiny-rn"
    folder.mkdir()
    save_file(
        {k: v.contiguous() for k, v in built.state_dict().items()},
        str(folder / "open_clip_model.safetensors"),
    )
    (folder / "open_clip_config.json").write_text(
        json.dumps({"model_cfg": model_cfg, "preprocess_cfg": preprocess_cfg})
    )
    model = ClipModel.load(f"local-dir:{folder}", "cpu")
    assert model.image_size == 64 and model.dim == 32
    pictures = [Image.new("RGB", (300, 200), colour) for colour in ("red", "blue")]
    images = model.encode_images([model.prepare(p) for p in pictures])
    texts = model.encode_texts(["a red picture", "a blue picture"])
    assert images.shape == (2, 32) and texts.shape == (2, 32)
    assert abs(float((images**2).sum(axis=1).max()) - 1) < 1e-4
    with torch.inference_mode():
        reference = model.model.encode_text(model.tokenizer(["a red picture"]), normalize=True)
    assert abs(texts[0] - reference[0].numpy()).max() < 1e-5
