"""Deterministic synthetic "product" photos: a textured part with a printed label.

Used for golden vectors and for calibrating the seeded heads. Drawn with numpy and Pillow
primitives only (no fonts), so the pixels depend on the seed and nothing else.
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


@dataclass(frozen=True)
class Defect:
    kind: str  # "scratch" | "spot"
    x: float  # centre, fraction of the width
    y: float  # centre, fraction of the height
    size: float  # fraction of the shorter side


def _smooth_noise(rng: np.random.Generator, width: int, height: int, cells: int) -> np.ndarray:
    coarse = rng.random((cells, cells)).astype(np.float32)
    image = Image.fromarray((coarse * 255).astype(np.uint8), "L").resize((width, height), Image.BICUBIC)
    return np.asarray(image, dtype=np.float32) / 255.0


def product_image(
    seed: int,
    width: int = 256,
    height: int = 256,
    variation: int = 0,
    defect: Optional[Defect] = None,
) -> Image.Image:
    """An RGB photo of one product; ``seed`` fixes the product, ``variation`` the shot.

    Shots of the same product differ a little in position, lighting and noise; a defect
    draws a dark scratch or a bright spot on the part.
    """
    rng = np.random.default_rng([seed, 0])
    shot = np.random.default_rng([seed, 1, variation])
    base = rng.uniform(40, 90, 3)
    part_colour = rng.uniform(120, 220, 3)
    label_colour = rng.uniform(200, 250, 3)

    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    light = 0.85 + 0.3 * (xs / width) * shot.uniform(0.8, 1.2) + 0.05 * shot.standard_normal()
    background = base[None, None, :] * (0.8 + 0.4 * (ys / height))[..., None]

    cx = width * (0.5 + shot.uniform(-0.03, 0.03))
    cy = height * (0.5 + shot.uniform(-0.03, 0.03))
    rx, ry = width * rng.uniform(0.3, 0.4), height * rng.uniform(0.28, 0.38)
    inside = ((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2 <= 1.0

    texture = _smooth_noise(rng, width, height, 12) * 0.6 + _smooth_noise(rng, width, height, 40) * 0.4
    grain = shot.standard_normal((height, width)).astype(np.float32) * 4.0
    part = part_colour[None, None, :] * (0.75 + 0.5 * texture)[..., None]
    pixels = np.where(inside[..., None], part, background) * light[..., None] + grain[..., None]
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")

    draw = ImageDraw.Draw(image)
    lw, lh = rx * 0.9, ry * 0.5
    box = (cx - lw / 2, cy - lh / 2, cx + lw / 2, cy + lh / 2)
    draw.rectangle(box, fill=tuple(int(c) for c in label_colour), outline=(30, 30, 30))
    # a printed barcode and a few glyph-like blocks on the label
    bar_x = box[0] + lw * 0.08
    bars = rng.integers(1, 4, 24)
    for bar in bars:
        draw.rectangle((bar_x, box[1] + lh * 0.15, bar_x + bar - 1, box[1] + lh * 0.55), fill=(20, 20, 20))
        bar_x += bar + 2
    for i in range(6):
        gx = box[0] + lw * (0.1 + 0.13 * i)
        glyph_h = lh * rng.uniform(0.12, 0.22)
        draw.rectangle((gx, box[1] + lh * 0.68, gx + lw * 0.08, box[1] + lh * 0.68 + glyph_h), fill=(40, 40, 90))

    if defect is not None:
        scale = min(width, height) * defect.size
        dx, dy = width * defect.x, height * defect.y
        if defect.kind == "scratch":
            draw.line((dx - scale, dy - scale * 0.4, dx + scale, dy + scale * 0.4), fill=(15, 10, 5), width=3)
            draw.line((dx - scale * 0.6, dy + scale * 0.1, dx + scale * 0.8, dy + scale * 0.5), fill=(25, 20, 10), width=2)
        elif defect.kind == "spot":
            draw.ellipse((dx - scale / 2, dy - scale / 2, dx + scale / 2, dy + scale / 2), fill=(250, 245, 200))
        else:
            raise ValueError(f"unknown defect kind {defect.kind!r}")
    return image.filter(ImageFilter.SMOOTH)
