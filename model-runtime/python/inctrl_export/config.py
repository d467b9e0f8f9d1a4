"""Model configurations: the official ViT-B-16-plus-240 InCTRL and the small "tiny" variant."""

from dataclasses import dataclass, field, replace
from typing import Tuple

IMAGE_SIZE = 240
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
LOGIT_SCALE = 100.0
# Hidden sizes of InCTRL's "basic head" are fixed in the reference, whatever the backbone.
HEAD_HIDDEN = (128, 64)


@dataclass(frozen=True)
class VisionConfig:
    width: int
    layers: int
    heads: int
    patch_size: int = 16
    image_size: int = IMAGE_SIZE
    tap_layers: Tuple[int, ...] = (6, 8, 10)
    mlp_ratio: float = 4.0

    @property
    def grid(self) -> int:
        return self.image_size // self.patch_size

    @property
    def patches(self) -> int:
        return self.grid * self.grid


@dataclass(frozen=True)
class TextConfig:
    width: int
    layers: int
    heads: int
    vocab_size: int
    context_length: int = 77
    mlp_ratio: float = 4.0


@dataclass(frozen=True)
class ModelConfig:
    variant: str
    embed_dim: int
    vision: VisionConfig
    text: TextConfig
    adapter_reduction: int = 4

    @property
    def adapter_dim(self) -> int:
        return self.embed_dim // self.adapter_reduction

    def validate(self) -> "ModelConfig":
        v, t = self.vision, self.text
        if v.image_size % v.patch_size:
            raise ValueError(f"image size {v.image_size} is not a multiple of patch {v.patch_size}")
        if v.width % v.heads or t.width % t.heads:
            raise ValueError("widths must be multiples of the head counts")
        if len(v.tap_layers) != 3:
            raise ValueError(f"expected 3 tap layers, found {list(v.tap_layers)}")
        if any(not 0 <= i < v.layers for i in v.tap_layers):
            raise ValueError(f"tap layers {list(v.tap_layers)} outside 0..{v.layers - 1}")
        if list(v.tap_layers) != sorted(set(v.tap_layers)):
            raise ValueError(f"tap layers must be distinct and increasing: {list(v.tap_layers)}")
        return self


def official_config() -> ModelConfig:
    """InCTRL on OpenCLIP ViT-B-16-plus-240 (what the released checkpoints hold)."""
    return ModelConfig(
        variant="official",
        embed_dim=640,
        vision=VisionConfig(width=896, layers=12, heads=14, tap_layers=(6, 8, 10)),
        text=TextConfig(width=640, layers=12, heads=10, vocab_size=49408),
    ).validate()


def tiny_config(vocab_size: int) -> ModelConfig:
    """Same graph structure at about 1 MB, for tests; vocab comes from the tiny merge list."""
    return ModelConfig(
        variant="tiny",
        embed_dim=32,
        vision=VisionConfig(width=32, layers=6, heads=2, tap_layers=(1, 3, 5)),
        text=TextConfig(width=32, layers=2, heads=2, vocab_size=vocab_size),
    ).validate()


def with_tap_layers(config: ModelConfig, taps) -> ModelConfig:
    return replace(config, vision=replace(config.vision, tap_layers=tuple(taps))).validate()
