"""The batched export modules against the batch-1 reference semantics (tiny model, PyTorch)."""

import numpy as np
import pytest
import torch

from inctrl_export.graphs import ImageEncoder, Scorer, shot_adapted_mean, shot_patch_bank
from inctrl_export.model import COMPONENTS
from inctrl_export.preprocess import normalize, resize_and_crop
from inctrl_export.synthetic import Defect, product_image


@pytest.fixture(scope="module")
def scene(tiny_built):
    model, tokenizer = tiny_built.model, tiny_built.tokenizer
    shots = torch.stack([normalize(resize_and_crop(product_image(42, 256, 256, v))) for v in range(3)])
    queries = torch.stack(
        [
            normalize(resize_and_crop(product_image(42, 256, 256, 5))),
            normalize(resize_and_crop(product_image(42, 280, 256, 6, Defect("scratch", 0.4, 0.4, 0.15)))),
            normalize(resize_and_crop(product_image(42, 256, 300, 7, Defect("spot", 0.6, 0.5, 0.1)))),
            normalize(resize_and_crop(product_image(43, 256, 256, 0))),
        ]
    )
    prototypes = model.text_prototypes(tokenizer, "screw")
    reference = [model.score_components(q, shots, prototypes) for q in queries]
    return model, shots, queries, prototypes, reference


def _batched(model, shots, queries, prototypes):
    encoder, scorer = ImageEncoder(model), Scorer(model)
    with torch.no_grad():
        shot_tokens, _, shot_adapted = encoder(shots)
        q_tokens, q_embedding, q_adapted = encoder(queries)
        return scorer(
            q_tokens,
            q_embedding,
            q_adapted,
            shot_patch_bank(shot_tokens),
            shot_adapted_mean(shot_adapted),
            prototypes,
        )


def test_batched_modules_reproduce_the_batch_1_components(scene):
    model, shots, queries, prototypes, reference = scene
    outputs = _batched(model, shots, queries, prototypes)
    for key, batched in zip(COMPONENTS, outputs):
        expected = torch.stack([r[key] for r in reference])
        assert batched.shape == expected.shape, key
        assert (batched - expected).abs().max() <= 1e-5, key


def test_components_are_in_range_and_spread(scene):
    # Calibrated random weights: nothing saturated on the product's own images (the last
    # query shows another product), and images tell apart.
    _, _, _, _, reference = scene
    for key in ("final", "hl", "s_i", "s_a"):
        values = np.array([float(r[key]) for r in reference])
        assert ((values[:3] > 0.01) & (values[:3] < 0.99)).all(), (key, values)
        assert values.max() - values.min() > 0.01, (key, values)
    for r in reference:
        assert 0 <= float(r["patch_map"].min()) and float(r["patch_map"].max()) <= 1
        assert float(r["s_p"]) == float(r["patch_map"].max())
        assert abs(float(r["final"]) - (float(r["hl"]) + float(r["s_p"])) / 2) < 1e-6


def _score(model, shot_features, query_features, prototypes, rows):
    tokens, embedding, adapted = (f[rows] for f in query_features)
    with torch.no_grad():
        return Scorer(model)(tokens, embedding, adapted, *shot_features, prototypes)


def test_scorer_rows_do_not_depend_on_the_batch(scene):
    # Up to float rounding: the heads' matrix products take other kernels for other batch
    # sizes (about 1e-6 here).
    model, shots, queries, prototypes, _ = scene
    encoder = ImageEncoder(model)
    with torch.no_grad():
        shot_tokens, _, shot_adapted = encoder(shots)
        query_features = encoder(queries)
    shot_features = (shot_patch_bank(shot_tokens), shot_adapted_mean(shot_adapted))
    together = _score(model, shot_features, query_features, prototypes, [0, 1, 2, 3])
    for i in range(len(queries)):
        alone = _score(model, shot_features, query_features, prototypes, [i])
        for key, a, t in zip(COMPONENTS, alone, together):
            assert (a[0] - t[i]).abs().max() <= 1e-5, (key, i)
    order = [2, 0, 3, 1]
    shuffled = _score(model, shot_features, query_features, prototypes, order)
    for key, s, t in zip(COMPONENTS, shuffled, together):
        assert (s - t[order]).abs().max() <= 1e-5, key


def test_no_scorer_op_mixes_rows(scene):
    # At a fixed batch size the rows are exactly independent: changing one row's inputs
    # leaves the other rows' outputs bit for bit the same.
    model, shots, queries, prototypes, _ = scene
    encoder = ImageEncoder(model)
    with torch.no_grad():
        shot_tokens, _, shot_adapted = encoder(shots)
        tokens, embedding, adapted = encoder(queries)
    shot_features = (shot_patch_bank(shot_tokens), shot_adapted_mean(shot_adapted))
    before = _score(model, shot_features, (tokens, embedding, adapted), prototypes, [0, 1, 2, 3])
    tokens, embedding, adapted = tokens.clone(), embedding.clone(), adapted.clone()
    tokens[1] = torch.randn_like(tokens[1]) * 5
    embedding[1] = -embedding[1]
    adapted[1] = adapted[1] * 3
    after = _score(model, shot_features, (tokens, embedding, adapted), prototypes, [0, 1, 2, 3])
    for key, b, a in zip(COMPONENTS, before, after):
        assert torch.equal(b[[0, 2, 3]], a[[0, 2, 3]]), key
        assert not torch.equal(b[1], a[1]), key


def test_encoder_rows_do_not_depend_on_the_batch(scene):
    # Only float rounding may differ (kernels pick other blockings for other batch sizes).
    model, _, queries, _, _ = scene
    encoder = ImageEncoder(model)
    with torch.no_grad():
        together = encoder(queries)
        for i in range(len(queries)):
            for a, t in zip(encoder(queries[i : i + 1]), together):
                assert (a[0] - t[i]).abs().max() <= 1e-5


def test_shot_bank_layout(scene):
    model, shots, _, _, _ = scene
    with torch.no_grad():
        tokens, _, _ = ImageEncoder(model)(shots)
    bank = shot_patch_bank(tokens)
    k, layers, n, w = tokens.shape
    assert bank.shape == (layers, w, k * n)
    for layer, shot, patch in [(0, 0, 0), (1, 2, 17), (2, 1, n - 1)]:
        column = bank[layer, :, shot * n + patch]
        token = tokens[shot, layer, patch]
        assert torch.allclose(column, token / token.norm(), atol=1e-7)
    assert torch.allclose(bank.norm(dim=1), torch.ones(layers, k * n), atol=1e-6)


def test_shot_order_does_not_change_the_score(scene):
    model, shots, queries, prototypes, reference = scene
    again = model.score_components(queries[1], shots[[2, 0, 1]], prototypes)
    for key in COMPONENTS:
        assert (again[key] - reference[1][key]).abs().max() <= 1e-5, key


def test_text_encoder_reads_the_end_token_position(tiny_built):
    model, tokenizer = tiny_built.model, tiny_built.tokenizer
    ids = torch.from_numpy(tokenizer.tokenize(["a photo of a screw.", "a photo of a damaged screw."]))
    with torch.no_grad():
        features = model.encode_text(ids)
        # padding after the end token cannot change the feature (causal mask)
        changed = ids.clone()
        eot = int(ids[0].argmax())
        changed[0, eot + 1 :] = 5
        assert (model.encode_text(changed)[0] - features[0]).abs().max() < 1e-6
        assert features.shape == (2, model.config.embed_dim)
        assert not torch.allclose(features[0], features[1])
