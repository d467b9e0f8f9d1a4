"""Calibration of seeded (random) models so that their scores spread over (0, 1).

A randomly initialized InCTRL gives saturated or constant scores: the text score
``softmax(100 * ...)`` sits at 0 or 1 and the heads' BatchNorm statistics do not fit their
inputs. Parity tests on such a model would prove little. Calibration runs the model on
deterministic synthetic photos and then

* scales ``ln_final.weight`` so that the text logit ``100 * e.(F_a - F_n)`` has an RMS of
  about 1.5 over the calibration images,
* sets each head's ``bn2``/``bn3`` running statistics to those of its inputs (perturbed a
  little, so they stay arbitrary numbers), and
* shifts and scales ``projection3`` so the head's logit has mean about 0 and spread about 1.5.

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
from .model import BasicHead, InCTRL
from .preprocess import normalize, resize_and_crop
from .synthetic import Defect, product_image

CALIBRATION_CATEGORIES = ("candle", "screw", "airplane")
_TARGET_LOGIT_RMS = 1.5


def _calibration_images(seed: int, dtype: torch.dtype, products: int = 4) -> List[Dict[str, torch.Tensor]]:
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
        queries = torch.stack(
            [
                normalize(resize_and_crop(product_image(product if i < 3 else product + 1, variation=10 + i, defect=d)))
                for i, d in enumerate(defects)
            ]
        )
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
def _calibrate_text(model: InCTRL, tokenizer, embeddings: torch.Tensor) -> None:
    from .tokenizer import prompt_ensemble

    per_category = []
    for category in CALIBRATION_CATEGORIES:
        normal, anomalous = prompt_ensemble(category)
        per_category.append([_eot_hidden(model, tokenizer, normal), _eot_hidden(model, tokenizer, anomalous)])
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
        floor = max(float(var.median()) * 0.01, 1e-4)
        noise = torch.from_numpy(rng.standard_normal(mean.shape)).to(x.dtype)
        factor = torch.from_numpy(rng.uniform(0.8, 1.25, var.shape)).to(x.dtype)
        bn.running_mean.copy_(mean + 0.1 * var.clamp_min(floor).sqrt() * noise)
        bn.running_var.copy_(var.clamp_min(floor) * factor)

    x = F.relu(head.projection1(inputs))
    set_stats(head.bn2, x)
    x = F.relu(head.projection2(head.bn2(x)))
    set_stats(head.bn3, x)
    logits = head.projection3(head.bn3(x))[:, 0]
    spread = float(logits.std(unbiased=False))
    scale = _TARGET_LOGIT_RMS / spread if spread > 0 else 1.0
    head.projection3.weight.mul_(scale)
    offset = float(rng.uniform(-0.3, 0.3))
    head.projection3.bias.copy_(head.projection3.bias * scale - float(logits.mean()) * scale + offset)


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
    encoded = []
    for s in sets:
        shot_tokens, shot_emb = model.encode_image(s["shots"])
        query_tokens, query_emb = model.encode_image(s["queries"])
        encoded.append((shot_tokens, shot_emb, query_tokens, query_emb))

    query_embeddings = torch.cat([q_emb for _, _, _, q_emb in encoded])
    _calibrate_text(model, tokenizer, query_embeddings)

    ref_inputs = []
    for shot_tokens, shot_emb, query_tokens, query_emb in encoded:
        a_s = model.adapter(shot_emb).mean(dim=0, keepdim=True)
        ref_inputs.append(a_s - model.adapter(query_emb))
    _calibrate_head(model.diff_head_ref, torch.cat(ref_inputs), rng)

    prototypes = model.text_prototypes(tokenizer, CALIBRATION_CATEGORIES[0])
    holistic = []
    for s in sets:
        for query in s["queries"]:
            c = model.score_components(query, s["shots"], prototypes)
            holistic.append(c["s_a"] + c["s_i"] + c["patch_map"])
    _calibrate_head(model.diff_head, torch.stack(holistic), rng)
