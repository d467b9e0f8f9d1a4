"""Weights: strict checkpoint loading and deterministic seeded initialization."""

import hashlib
import zlib
from typing import Dict, Mapping

import numpy as np
import torch

from .model import InCTRL


class CheckpointError(ValueError):
    """A checkpoint that does not fit the model (what was expected and what was found)."""


def _strip_prefix(state: Mapping[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    # A checkpoint saved from a DistributedDataParallel wrapper prefixes every key.
    if state and all(k.startswith("module.") for k in state):
        return {k[len("module.") :]: v for k, v in state.items()}
    return dict(state)


def extract_state_dict(checkpoint) -> Dict[str, torch.Tensor]:
    """The weights of a reference checkpoint: ``checkpoint["model_state"]``, or a bare dict."""
    if not isinstance(checkpoint, Mapping):
        raise CheckpointError(
            f"expected a dict holding the weights under 'model_state', found {type(checkpoint).__name__}"
        )
    state = checkpoint.get("model_state", checkpoint)
    if not isinstance(state, Mapping) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(
            "expected 'model_state' to map parameter names to tensors; "
            f"top-level keys found: {sorted(map(str, checkpoint.keys()))[:10]}"
        )
    return _strip_prefix(state)


def load_state_dict_strict(model: InCTRL, state: Mapping[str, torch.Tensor]) -> None:
    """Loads ``state`` into ``model``; any missing, unexpected or mis-shaped key is an error."""
    expected = model.state_dict()
    missing = sorted(k for k in expected if k not in state)
    unexpected = sorted(k for k in state if k not in expected)
    mismatched = sorted(
        f"{k}: expected {list(expected[k].shape)}, found {list(state[k].shape)}"
        for k in expected
        if k in state and tuple(state[k].shape) != tuple(expected[k].shape)
    )
    if missing or unexpected or mismatched:
        parts = []
        if missing:
            parts.append(f"missing keys ({len(missing)}): {', '.join(missing)}")
        if unexpected:
            parts.append(f"unexpected keys ({len(unexpected)}): {', '.join(unexpected)}")
        if mismatched:
            parts.append(f"shape mismatches ({len(mismatched)}): {'; '.join(mismatched)}")
        raise CheckpointError(
            f"checkpoint does not match the {model.config.variant} InCTRL model: " + " | ".join(parts)
        )
    converted = {
        k: (v.to(expected[k].dtype) if v.is_floating_point() else v.to(expected[k].dtype))
        for k, v in state.items()
    }
    model.load_state_dict(converted, strict=True)
    model.eval()


def load_checkpoint(model: InCTRL, path) -> str:
    """Loads a reference checkpoint file strictly; returns ``sha256`` of the file as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    checkpoint = torch.load(path, map_location="cpu")
    load_state_dict_strict(model, extract_state_dict(checkpoint))
    return digest.hexdigest()


# ---- seeded initialization -------------------------------------------------------------------


def _rng(seed: int, name: str) -> np.random.Generator:
    # One stream per tensor name: adding or reordering modules leaves other tensors unchanged.
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _normal(rng, shape, std) -> np.ndarray:
    return rng.standard_normal(shape) * std


def _init_value(model: InCTRL, name: str, shape, rng: np.random.Generator) -> np.ndarray:
    c = model.config
    leaf = name.rsplit(".", 1)[-1]
    is_text = not name.startswith("visual.") and (
        name.startswith("transformer.") or name.startswith("ln_final") or name.startswith("token_")
        or name in ("positional_embedding", "text_projection")
    )
    width = c.text.width if is_text else c.vision.width
    layers = c.text.layers if is_text else c.vision.layers

    if leaf == "running_var":
        return rng.uniform(0.5, 2.0, shape)
    if leaf == "running_mean":
        return _normal(rng, shape, 0.2)
    if ".bn" in name and leaf == "weight":
        return 1.0 + _normal(rng, shape, 0.1)
    if ".bn" in name and leaf == "bias":
        return _normal(rng, shape, 0.1)
    if (".ln_" in name or name.startswith("ln_")) and leaf == "weight":
        return 1.0 + _normal(rng, shape, 0.1)
    if (".ln_" in name or name.startswith("ln_")) and leaf == "bias":
        return _normal(rng, shape, 0.05)
    if name == "visual.conv1.weight":
        return _normal(rng, shape, (3 * c.vision.patch_size**2) ** -0.5)
    if name == "visual.class_embedding":
        return _normal(rng, shape, width**-0.5)
    if name == "visual.positional_embedding":
        return _normal(rng, shape, 0.5 * width**-0.5)
    if name == "visual.proj" or name == "text_projection":
        return _normal(rng, shape, width**-0.5)
    if name == "token_embedding.weight":
        return _normal(rng, shape, 0.1)
    if name == "positional_embedding":
        return _normal(rng, shape, 0.02)
    if leaf == "in_proj_weight":
        return _normal(rng, shape, width**-0.5)
    if name.endswith("attn.out_proj.weight") or name.endswith("mlp.c_proj.weight"):
        return _normal(rng, shape, width**-0.5 * (2 * layers) ** -0.5)
    if name.endswith("mlp.c_fc.weight"):
        return _normal(rng, shape, (2 * width) ** -0.5)
    if name.startswith("adapter.fc."):
        return _normal(rng, shape, (2.0 / shape[1]) ** 0.5)
    if name.endswith("projection3.weight"):
        return _normal(rng, shape, shape[1] ** -0.5)
    if ".projection" in name and leaf == "weight":
        return _normal(rng, shape, (2.0 / shape[1]) ** 0.5)
    if leaf in ("bias", "in_proj_bias"):
        return _normal(rng, shape, 0.02)
    raise AssertionError(f"no initialization rule for {name}")


@torch.no_grad()
def init_seeded(model: InCTRL, seed: int) -> None:
    """Deterministic, non-trivial random weights (BatchNorm statistics included)."""
    state = model.state_dict()
    for name in sorted(state):
        tensor = state[name]
        rng = _rng(seed, name)
        if name.endswith("num_batches_tracked"):
            tensor.fill_(int(rng.integers(1000, 100000)))
            continue
        value = _init_value(model, name, tuple(tensor.shape), rng)
        tensor.copy_(torch.from_numpy(np.asarray(value, dtype=np.float32)))
    model.eval()
