"""Image preprocessing exactly as the reference's test transform (torchvision on PIL images).

Reference pipeline (mala-lab/InCTRL engine_test.py): ``Resize(240, BICUBIC)`` ->
``CenterCrop(240)`` -> ``convert('RGB')`` -> ``ToTensor()`` -> ``Normalize(mean, std)``,
applied to ``Image.open(path)`` without any conversion first. Hence:

* the resize runs in the file's own mode (L, RGB, RGBA, ...), with Pillow's BICUBIC filter
  (which widens its support when shrinking, i.e. antialiases);
* the shorter side becomes 240 and the longer ``int(240 * long / short)`` (truncated, as
  torchvision computes it); an image whose shorter side is already 240 is left as it is;
* the crop offsets are ``int(round((size - 240) / 2.0))`` with Python's round-half-to-even;
* conversion to RGB happens after the crop (grayscale is replicated to three channels);
* ``x = (u8 / 255 - mean) / std``, each step in float32.
"""

from typing import Tuple, Union

import numpy as np
import torch
from PIL import Image

from .config import IMAGE_SIZE, MEAN, STD


def resized_size(width: int, height: int, size: int = IMAGE_SIZE) -> Tuple[int, int]:
    """(width, height) after torchvision's ``Resize(size)`` (shorter side to ``size``)."""
    if width <= height:
        return size, int(size * height / width)
    return int(size * width / height), size


def crop_box(width: int, height: int, size: int = IMAGE_SIZE) -> Tuple[int, int, int, int]:
    """Pillow crop box of torchvision's ``CenterCrop(size)`` for an image at least size x size."""
    top = int(round((height - size) / 2.0))
    left = int(round((width - size) / 2.0))
    return left, top, left + size, top + size


def resize_and_crop(image: Image.Image, size: int = IMAGE_SIZE) -> Image.Image:
    """The 240x240 RGB crop the model sees (uint8), from an image in any Pillow mode."""
    width, height = image.size
    target = resized_size(width, height, size)
    if target != (width, height):
        image = image.resize(target, Image.BICUBIC)
    return image.crop(crop_box(*image.size, size)).convert("RGB")


def crop_file(path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return resize_and_crop(image)


def normalize(crop: Union[Image.Image, np.ndarray]) -> torch.Tensor:
    """uint8 RGB crop [H,W,3] -> float32 [3,H,W], as ToTensor + Normalize compute it."""
    array = np.asarray(crop, dtype=np.uint8)
    if array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(f"expected an RGB array [H,W,3], found shape {list(array.shape)}")
    x = torch.from_numpy(array.copy()).permute(2, 0, 1).contiguous().to(torch.float32).div(255)
    mean = torch.as_tensor(MEAN, dtype=torch.float32).view(-1, 1, 1)
    std = torch.as_tensor(STD, dtype=torch.float32).view(-1, 1, 1)
    return x.sub(mean).div(std)


def preprocess_file(path) -> torch.Tensor:
    return normalize(crop_file(path))
