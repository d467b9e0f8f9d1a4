"""Training (``python3 -m inctrl_export train``): objective, what changes, determinism, errors, export."""

import copy
import hashlib
import math

import pytest
import torch

from conftest import make_mvtec_tree
from inctrl_export.__main__ import TINY_BUNDLE_DIR, main
from inctrl_export.bundle import compute_prototypes, rebuild_model, verify_bundle
from inctrl_export.dataset import DatasetError, read_mvtec
from inctrl_export.preprocess import preprocess_file
from inctrl_export.train import (
    TRAINABLE_MODULES,
    BalancedSampler,
    TrainingError,
    TrainOptions,
    check_categories,
    encode_set,
    focal_loss,
    score_batch,
    train,
)

TINY_RUN = TrainOptions(shots=2, batch=8, epochs=2, steps_per_epoch=15, lr=1e-3, seed=3)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_mvtec_tree(tmp_path_factory.mktemp("mvtec"))


@pytest.fixture(scope="module")
def categories(dataset):
    return read_mvtec(dataset)


@pytest.fixture(scope="module")
def encoded(tiny_built, categories):
    return encode_set(tiny_built.model, tiny_built.tokenizer, categories, _silent)


def _silent(_line):
    pass


def _trained(tiny_built, categories, encoded, options, log=_silent):
    model = copy.deepcopy(tiny_built.model)
    result = train(model, tiny_built.tokenizer, categories, options, log, encoded)
    return model, result


def _fixed_loss(model, encoded, seed=99, batches=4):
    """Loss of the two scores on fixed draws, with the heads' running statistics (eval mode)."""
    sampler = BalancedSampler(encoded, batch=8, shots=2, seed=seed)
    total = 0.0
    with torch.no_grad():
        for _ in range(batches):
            queries, shots = sampler.next_batch()
            final, image = score_batch(model, encoded, queries, shots)
            labels = encoded.labels[queries]
            total += float(focal_loss(final, labels, False) + focal_loss(image, labels, False))
    return total / batches


def test_focal_loss_against_hand_computed_values():
    scores, labels = torch.tensor([0.8, 0.3]), torch.tensor([1.0, 0.0])
    # (1 - p_t)^2 * -ln p_t with p_t = 0.8 and 0.7
    expected = (0.2**2 * -math.log(0.8) + 0.3**2 * -math.log(0.7)) / 2
    assert float(focal_loss(scores, labels, on_logits=False)) == pytest.approx(expected, rel=1e-6)
    # the reference's code: the score taken as a logit, p_t = sigmoid(0.8) and 1 - sigmoid(0.3)
    p1, p2 = 1 / (1 + math.exp(-0.8)), 1 - 1 / (1 + math.exp(-0.3))
    expected = ((1 - p1) ** 2 * -math.log(p1) + (1 - p2) ** 2 * -math.log(p2)) / 2
    assert float(focal_loss(scores, labels, on_logits=True)) == pytest.approx(expected, rel=1e-6)


def test_training_scores_are_the_reference_scores(tiny_built, categories, encoded):
    model = tiny_built.model
    sampler = BalancedSampler(encoded, batch=6, shots=3, seed=0)
    queries, shots = sampler.next_batch()
    with torch.no_grad():
        final, image = score_batch(model, encoded, queries, shots)
    paths = [p for c in categories for p in c.normal + c.anomalous]
    prototypes = compute_prototypes(model, tiny_built.tokenizer, [c.name for c in categories])
    for row, (q, s) in enumerate(zip(queries.tolist(), shots.tolist())):
        assert q not in s and len(set(s)) == 3
        category = categories[encoded.category_of[q]]
        assert all(encoded.category_of[i] == encoded.category_of[q] and encoded.labels[i] == 0 for i in s)
        expected = model.score_components(
            preprocess_file(paths[q]),
            torch.stack([preprocess_file(paths[i]) for i in s]),
            torch.from_numpy(prototypes[category.name]),
        )
        assert abs(float(final[row]) - float(expected["final"])) <= 1e-5
        assert abs(float(image[row]) - float(expected["s_i"])) <= 1e-5
    labels = encoded.labels[queries].tolist()
    assert labels == [0.0] * 3 + [1.0] * 3  # half normal, then half anomalous


def test_tiny_run_lowers_the_loss_and_changes_only_the_heads(tiny_built, categories, encoded):
    before = _fixed_loss(tiny_built.model, encoded)
    lines = []
    model, result = _trained(tiny_built, categories, encoded, TINY_RUN, lines.append)
    after = _fixed_loss(model, encoded)
    assert after < 0.8 * before, (before, after)
    assert len(result.losses) == TINY_RUN.steps
    assert sum(l.startswith("step ") and " loss " in l for l in lines) == TINY_RUN.steps
    assert sum(l.startswith("epoch ") for l in lines) == TINY_RUN.epochs

    start, end = tiny_built.model.state_dict(), model.state_dict()
    changed = {k for k in start if not torch.equal(start[k], end[k])}
    assert changed and all(k.split(".")[0] in TRAINABLE_MODULES for k in changed), sorted(changed)
    for module in TRAINABLE_MODULES:
        assert any(k.startswith(module + ".") and k.endswith("weight") for k in changed), module
    # bn1 exists in the reference's heads but is never applied: nothing trains it
    assert not any(".bn1." in k for k in changed)
    assert not any(p.requires_grad for p in model.parameters())


def test_same_seed_gives_identical_weights(tiny_built, categories, encoded):
    options = TrainOptions(shots=1, batch=4, epochs=1, steps_per_epoch=6, seed=11)
    # the first two runs encode the images themselves: the whole pipeline is deterministic
    first, first_result = _trained(tiny_built, categories, None, options)
    second, second_result = _trained(tiny_built, categories, None, options)
    other, _ = _trained(tiny_built, categories, encoded, TrainOptions(shots=1, batch=4, epochs=1, steps_per_epoch=6, seed=12))
    a, b, c = first.state_dict(), second.state_dict(), other.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert first_result.losses == second_result.losses
    assert not all(torch.equal(a[k], c[k]) for k in a)


def test_bad_dataset_folders_are_named(tmp_path, categories):
    with pytest.raises(DatasetError, match="does not exist"):
        read_mvtec(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="no category folders in .*empty"):
        read_mvtec(tmp_path / "empty")
    broken = tmp_path / "broken" / "bolt" / "test" / "good"
    broken.mkdir(parents=True)
    with pytest.raises(DatasetError, match=r"category bolt of .* lacks bolt/train/good"):
        read_mvtec(tmp_path / "broken")
    with pytest.raises(DatasetError, match=r"categories \['nut'\] not found in .*; it holds \['bolt'\]"):
        read_mvtec(tmp_path / "broken", ["nut"])
    with pytest.raises(DatasetError, match=r"at least 7 normal images per category .* too few in: gadget \(6\), widget \(6\)"):
        check_categories(categories, shots=6)
    normal_only = [type(c)(c.name, c.normal, ()) for c in categories]
    with pytest.raises(DatasetError, match="no anomalous images in"):
        check_categories(normal_only, shots=2)
    with pytest.raises(TrainingError, match="batch must be at least 2"):
        TrainOptions(batch=1).validate()


def test_cli_reports_a_bad_dataset_and_writes_nothing(tmp_path, dataset, capsys):
    out = tmp_path / "model.pyth"
    code = main(["train", "--dataset", str(tmp_path / "missing"), "--variant", "tiny", "--out", str(out)])
    assert code == 2
    assert "error: dataset folder" in capsys.readouterr().err
    code = main(["train", "--dataset", str(dataset), "--variant", "tiny", "--shots", "6", "--out", str(out)])
    assert code == 2
    assert "K = 6 shots need at least 7 normal images per category" in capsys.readouterr().err
    code = main(["train", "--dataset", str(dataset), "--variant", "tiny", "--out", str(tmp_path)])
    assert code == 2
    assert f"checkpoint path {tmp_path} is a directory" in capsys.readouterr().err
    assert not out.exists()


def test_trained_checkpoint_exports_to_a_bundle_that_loads(tiny_built, dataset, tmp_path, capsys):
    start = tmp_path / "start.pyth"
    torch.save({"model_state": tiny_built.model.state_dict()}, start)
    checkpoint = tmp_path / "out" / "trained.pyth"
    args = ["train", "--dataset", str(dataset), "--categories", "widget, gadget", "--variant", "tiny",
            "--checkpoint", str(start), "--batch", "4", "--epochs", "1", "--steps-per-epoch", "5",
            "--out", str(checkpoint)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "step 5/5 (epoch 1/1) loss " in printed and f"checkpoint written to {checkpoint}" in printed
    saved = torch.load(checkpoint)
    assert saved["training"]["categories"] == {"widget": {"normal": 6, "anomalous": 3}, "gadget": {"normal": 6, "anomalous": 3}}
    assert saved["training"]["start_weights"].startswith("checkpoint:sha256:")

    bundle = tmp_path / "bundle"
    assert main(["export", "--variant", "tiny", "--checkpoint", str(checkpoint), "--categories", "widget", "--out", str(bundle)]) == 0
    manifest = verify_bundle(bundle)
    assert manifest["model"]["weights"] == "checkpoint:sha256:" + hashlib.sha256(checkpoint.read_bytes()).hexdigest()
    # the bundle's graphs are re-exported from the checkpoint and compared, file by file
    rebuilt = rebuild_model(bundle, checkpoint=checkpoint, work_dir=tmp_path / "work")
    trained = torch.load(checkpoint)["model_state"]
    assert all(torch.equal(v, trained[k]) for k, v in rebuilt.model.state_dict().items())
    # the frozen text tower exports as before; the image encoder holds the trained adapter
    assert (bundle / "text_encoder.onnx").read_bytes() == (TINY_BUNDLE_DIR / "text_encoder.onnx").read_bytes()
    assert (bundle / "image_encoder.onnx").read_bytes() != (TINY_BUNDLE_DIR / "image_encoder.onnx").read_bytes()
    assert (bundle / "scorer.onnx").read_bytes() != (TINY_BUNDLE_DIR / "scorer.onnx").read_bytes()
