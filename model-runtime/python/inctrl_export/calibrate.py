"""Calibration of seeded (random) models so that their scores spread over (0, 1).

A randomly initialized InCTRL gives saturated or constant scores: the text score
``softmax(100 * ...)`` sits at 0 or 1 and the heads' BatchNorm statistics do not fit their
inputs. Parity tests on such a model would prove little. Calibration runs the model on
deterministic synthetic photos and then

* shifts ``visual.ln_post.bias`` to remove most of the mean image embedding (random ViTs
  map all images to nearly one direction),
* scales ``ln_final.weight`` so that the text logit ``100 * e.(F_a - F_n)`` has an RMS of
  about 1.5 over the calibration images,
* sets each head's ``bn2``/``bn3`` running statistics to those of its inputs (perturbed a
  little, so they stay arbitrary numbers), and
* shifts and scales ``projection3`` so the head's logit is centred near 0 and stays within
  +-3 over the calibration images.

It only changes weights; the model's structure and semantics stay those of InCTRL. The
statistics are computed in float64 and then rounded to float32, so the calibrated weights do
not depend on the BLAS library's summation order.
"""

import copy
from typing import Dict, List, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .config import LOGIT_SCALE
from .graphs import Scorer, shot_adapted_mean, shot_patch_bank
from .model import BasicHead, InCTRL
from .preprocess import normalize, resize_and_crop
from .synthetic import Defect, product_image

CALIBRATION_CATEGORIES = ("candle", "airplane")
_TARGET_LOGIT_RMS = 1.5
_TARGET_HEAD_LOGIT_MAX = 3.0


def _calibration_images(seed: int, dtype: torch.dtype, products: int = 8) -> List[Dict[str, torch.Tensor]]:
    rng = np.random.default_rng([seed, 77])
    sets = []
    for p in range(products):
        product = int(rng.integers(1_000_000)) + 1000
        shots = torch.stack(
            [normalize(resize_and_crop(product_image(product, variation=v))) for v in range(3)]
        )
        defects = [
            None,
            Defect("scratch", rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7), rng.uniform(0.08, 0.2)),
            Defect("spot", rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7), rng.uniform(0.05, 0.15)),
            None,
        ]
        photos = [
            product_image(product if i < 3 else product + 1, variation=10 + i, defect=d)
            for i, d in enumerate(defects)
        ]
        photos.append(product_image(product, variation=20).convert("L"))  # grayscale camera
        queries = torch.stack([normalize(resize_and_crop(p)) for p in photos])
        sets.append({"shots": shots.to(dtype), "queries": queries.to(dtype)})
    return sets


@torch.no_grad()
def _eot_hidden(model: InCTRL, tokenizer, prompts: Sequence[str]) -> torch.Tensor:
    """Text hidden state at the eot position, layer-normalized without ln_final's affine."""
    ids = torch.from_numpy(tokenizer.tokenize(list(prompts), model.config.text.context_length))
    out = []
    for i in range(0, len(ids), 64):
        chunk = ids[i : i + 64]
        x = model.token_embedding(chunk) + model.positional_embedding
        x = model.transformer(x.permute(1, 0, 2), model.attn_mask).permute(1, 0, 2)
        x = x[torch.arange(x.shape[0]), chunk.argmax(dim=-1)]
        out.append(F.layer_norm(x, (x.shape[-1],), eps=model.ln_final.eps))
    return torch.cat(out)


def _prototypes(model: InCTRL, hidden: List[torch.Tensor], weight: torch.Tensor) -> torch.Tensor:
    rows = []
    for h in hidden:
        f = (h * weight + model.ln_final.bias) @ model.text_projection
        f = f / f.norm(dim=-1, keepdim=True)
        m = f.mean(dim=0)
        rows.append(m / m.norm())
    return torch.stack(rows)


@torch.no_grad()
def _calibrate_text(model: InCTRL, per_category: List[List[torch.Tensor]], embeddings: torch.Tensor) -> None:
    e = embeddings / embeddings.norm(dim=-1, keepdim=True)
    base = model.ln_final.weight.clone()

    def rms(scale: float) -> float:
        logits = []
        for hidden in per_category:
            p = _prototypes(model, hidden, base * scale)
            logits.append(LOGIT_SCALE * e @ (p[1] - p[0]))
        return float(torch.cat(logits).pow(2).mean().sqrt())

    low, high = 1e-4, 1.0
    if rms(high) <= _TARGET_LOGIT_RMS:
        return
    for _ in range(40):  # geometric bisection; rms grows with the scale
        mid = (low * high) ** 0.5
        low, high = (mid, high) if rms(mid) < _TARGET_LOGIT_RMS else (low, mid)
    model.ln_final.weight.copy_(base * low)


@torch.no_grad()
def _calibrate_head(head: BasicHead, inputs: torch.Tensor, rng: np.random.Generator) -> None:
    def set_stats(bn: torch.nn.BatchNorm1d, x: torch.Tensor) -> None:
        mean, var = x.mean(dim=0), x.var(dim=0, unbiased=False)
        # a generous floor: a unit rarely active in calibration must not blow up later
        floor = max(float(var.median()) * 0.5, 1e-6)
        noise = torch.from_numpy(rng.standard_normal(mean.shape)).to(x.dtype)
        factor = torch.from_numpy(rng.uniform(0.8, 1.25, var.shape)).to(x.dtype)
        bn.running_mean.copy_(mean + 0.1 * var.clamp_min(floor).sqrt() * noise)
        bn.running_var.copy_(var.clamp_min(floor) * factor)

    x = F.relu(head.projection1(inputs))
    set_stats(head.bn2, x)
    x = F.relu(head.projection2(head.bn2(x)))
    set_stats(head.bn3, x)
    logits = head.projection3(head.bn3(x))[:, 0]
    centre = float(logits.mean())
    spread = float((logits - centre).abs().max())
    scale = _TARGET_HEAD_LOGIT_MAX / spread if spread > 0 else 1.0
    head.projection3.weight.mul_(scale)
    offset = float(rng.uniform(-0.3, 0.3))
    head.projection3.bias.copy_((head.projection3.bias - centre) * scale + offset)


@torch.no_grad()
def calibrate(model: InCTRL, tokenizer, seed: int) -> None:
    """Calibrates a seeded model in place (deterministic for a given seed)."""
    work = copy.deepcopy(model).double()
    _calibrate(work, tokenizer, seed)
    model.load_state_dict(
        {k: v.to(torch.float32) if v.is_floating_point() else v for k, v in work.state_dict().items()}
    )
    model.eval()


def _calibrate(model: InCTRL, tokenizer, seed: int) -> None:
    rng = np.random.default_rng([seed, 78])
    sets = _calibration_images(seed, torch.float64)
    # Random ViTs give every image nearly the same embedding direction, which would make the
    # text score the same for all images: take most of the common part out of ln_post's bias.
    class_tokens = []
    hook = model.visual.ln_post.register_forward_hook(lambda m, i, o: class_tokens.append(i[0]))
    patch_tokens = []
    for s in sets:
        patch_tokens.append((model.encode_image(s["shots"])[0], model.encode_image(s["queries"])[0]))
    hook.remove()
    ln_post = model.visual.ln_post
    pooled_mean = torch.cat([ln_post(x) for x in class_tokens]).mean(dim=0)
    ln_post.bias.sub_(0.9 * pooled_mean)
    embeddings = [ln_post(x) @ model.visual.proj for x in class_tokens]
    encoded = [
        (shot_tokens, embeddings[2 * i], query_tokens, embeddings[2 * i + 1])
        for i, (shot_tokens, query_tokens) in enumerate(patch_tokens)
    ]

    from .tokenizer import prompt_ensemble

    hidden = [[_eot_hidden(model, tokenizer, prompts) for prompts in prompt_ensemble(c)] for c in CALIBRATION_CATEGORIES]
    query_embeddings = torch.cat([q_emb for _, _, _, q_emb in encoded])
    _calibrate_text(model, hidden, query_embeddings)

    ref_inputs = []
    for shot_tokens, shot_emb, query_tokens, query_emb in encoded:
        a_s = model.adapter(shot_emb).mean(dim=0, keepdim=True)
        ref_inputs.append(a_s - model.adapter(query_emb))
    _calibrate_head(model.diff_head_ref, torch.cat(ref_inputs), rng)

    # the holistic head's input H = s_a + s_i + M, from the features encoded above
    prototypes = _prototypes(model, hidden[0], model.ln_final.weight)
    holistic = []
    for shot_tokens, shot_emb, query_tokens, query_emb in encoded:
        scores = Scorer(model)(
            query_tokens,
            query_emb,
            model.adapter(query_emb),
            shot_patch_bank(shot_tokens),
            shot_adapted_mean(model.adapter(shot_emb)),
            prototypes,
        )
        s_i, s_a, patch_map = scores[3], scores[4], scores[5]
        holistic.append(s_a[:, None] + s_i[:, None] + patch_map)
    _calibrate_head(model.diff_head, torch.cat(holistic), rng)
