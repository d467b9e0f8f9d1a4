import pytest
import torch

from inctrl_export.config import official_config, tiny_config
from inctrl_export.model import InCTRL
from inctrl_export.weights import CheckpointError, init_seeded, load_checkpoint, load_state_dict_strict
from pathlib import Path

REFERENCE_KEYS = Path(__file__).parent / "data" / "reference_state_keys.txt"


def _seeded(seed=1):
    model = InCTRL(tiny_config(vocab_size=600))
    init_seeded(model, seed)
    return model


def _assert_same_state(a, b):
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys()
    for k in sa:
        assert torch.equal(sa[k], sb[k]), k


def test_official_state_dict_has_the_reference_names_and_shapes():
    # data/reference_state_keys.txt lists "name shape" of mala-lab/InCTRL's InCTRL(ViT-B-16-plus-240)
    # state dict, i.e. what a released checkpoint holds under model_state.
    expected = {}
    for line in REFERENCE_KEYS.read_text().splitlines():
        name, shape = line.split(" ", 1)
        expected[name] = [int(d) for d in shape.split("x")] if shape != "scalar" else []
    ours = {k: list(v.shape) for k, v in InCTRL(official_config()).state_dict().items()}
    assert sorted(set(expected) - set(ours)) == []
    assert sorted(set(ours) - set(expected)) == []
    assert ours == expected


def test_checkpoint_round_trip(tmp_path):
    source = _seeded()
    path = tmp_path / "inctrl.pth"
    torch.save({"epoch": 7, "model_state": source.state_dict(), "cfg": "TRAIN: {}"}, path)
    target = InCTRL(source.config)
    digest = load_checkpoint(target, path)
    _assert_same_state(source, target)
    import hashlib

    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert not target.training


def test_checkpoint_saved_from_a_ddp_wrapper_loads(tmp_path):
    source = _seeded()
    path = tmp_path / "ddp.pth"
    torch.save({"model_state": {"module." + k: v for k, v in source.state_dict().items()}}, path)
    target = InCTRL(source.config)
    load_checkpoint(target, path)
    _assert_same_state(source, target)


def test_wrong_key_names_the_missing_and_unexpected_keys():
    source = _seeded()
    state = dict(source.state_dict())
    state["adapter.fc.1.weight"] = state.pop("adapter.fc.2.weight")
    with pytest.raises(CheckpointError) as error:
        load_state_dict_strict(InCTRL(source.config), state)
    message = str(error.value)
    assert "missing keys (1): adapter.fc.2.weight" in message
    assert "unexpected keys (1): adapter.fc.1.weight" in message


def test_wrong_shape_names_the_key_and_both_shapes():
    source = _seeded()
    state = dict(source.state_dict())
    w, e = source.config.vision.width, source.config.embed_dim
    state["visual.proj"] = torch.zeros(w, e + 1)
    with pytest.raises(CheckpointError, match=rf"visual.proj: expected \[{w}, {e}\], found \[{w}, {e + 1}\]"):
        load_state_dict_strict(InCTRL(source.config), state)


def test_checkpoint_without_weights_is_rejected(tmp_path):
    path = tmp_path / "bad.pth"
    torch.save({"model_state": {"epoch": 3}}, path)
    with pytest.raises(CheckpointError, match="expected 'model_state' to map parameter names to tensors"):
        load_checkpoint(InCTRL(tiny_config(600)), path)


def test_seeded_init_is_deterministic_and_non_trivial():
    a, b, c = _seeded(3), _seeded(3), _seeded(4)
    _assert_same_state(a, b)
    assert not torch.equal(a.visual.conv1.weight, c.visual.conv1.weight)
    bn = a.diff_head.bn2
    assert bn.running_mean.abs().min() > 0
    assert not torch.allclose(bn.running_var, torch.ones_like(bn.running_var))
    assert int(bn.num_batches_tracked) > 0
    for name, tensor in a.state_dict().items():
        if tensor.is_floating_point():
            assert tensor.std() > 0 or tensor.numel() == 1, name
