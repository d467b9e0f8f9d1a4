import numpy as np
import pytest
import torch
from PIL import Image

from inctrl_export.config import MEAN, STD
from inctrl_export.preprocess import crop_box, normalize, preprocess_file, resize_and_crop, resized_size
from inctrl_export.synthetic import product_image


def test_resized_size_truncates_the_longer_side_like_torchvision():
    assert resized_size(320, 256) == (300, 240)
    assert resized_size(301, 260) == (277, 240)  # 277.85 truncated
    assert resized_size(250, 330) == (240, 316)  # 316.8 truncated
    assert resized_size(200, 150) == (320, 240)  # upscaled
    assert resized_size(240, 240) == (240, 240)


def test_crop_offsets_round_half_to_even_like_torchvision():
    assert crop_box(300, 240) == (30, 0, 270, 240)
    assert crop_box(277, 240) == (18, 0, 258, 240)  # (277 - 240) / 2 = 18.5 -> 18
    assert crop_box(240, 267) == (0, 14, 240, 254)  # 13.5 -> 14
    assert crop_box(240, 241) == (0, 0, 240, 240)  # 0.5 -> 0


def test_non_square_image_is_resized_with_bicubic_then_centre_cropped():
    image = product_image(3, 320, 256, 0)
    crop = resize_and_crop(image)
    expected = image.resize((300, 240), Image.BICUBIC).crop((30, 0, 270, 240))
    assert crop.size == (240, 240) and crop.mode == "RGB"
    assert np.array_equal(np.asarray(crop), np.asarray(expected))


def test_image_whose_shorter_side_is_240_is_only_cropped():
    image = product_image(3, 300, 240, 0)
    assert np.array_equal(np.asarray(resize_and_crop(image)), np.asarray(image.crop((30, 0, 270, 240))))


def test_grayscale_image_is_replicated_to_three_equal_channels(tmp_path):
    gray = product_image(4, 250, 330, 0).convert("L")
    path = tmp_path / "gray.png"
    gray.save(path)
    crop = np.asarray(resize_and_crop(Image.open(path)))
    assert crop.shape == (240, 240, 3)
    assert np.array_equal(crop[..., 0], crop[..., 1]) and np.array_equal(crop[..., 1], crop[..., 2])
    # resized in L mode, then converted: the same as Pillow resizing the gray plane itself
    plane = np.asarray(gray.resize((240, 316), Image.BICUBIC).crop((0, 38, 240, 278)))
    assert np.array_equal(crop[..., 0], plane)
    tensor = preprocess_file(path)
    assert tensor.shape == (3, 240, 240) and tensor.dtype == torch.float32
    assert not torch.equal(tensor[0], tensor[1])  # same pixels, different mean/std per channel


def test_small_image_is_upscaled():
    crop = resize_and_crop(product_image(5, 200, 150, 0))
    assert crop.size == (240, 240)


def test_normalize_is_float32_to_tensor_then_normalize():
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (240, 240, 3), dtype=np.uint8)
    x = normalize(pixels).numpy()
    expected = (pixels.transpose(2, 0, 1).astype(np.float32) / np.float32(255) - np.array(MEAN, np.float32)[:, None, None]) / np.array(
        STD, np.float32
    )[:, None, None]
    assert x.dtype == np.float32
    assert np.array_equal(x, expected)


def test_normalize_rejects_a_non_rgb_array():
    with pytest.raises(ValueError, match=r"expected an RGB array \[H,W,3\], found shape \[240, 240\]"):
        normalize(np.zeros((240, 240), np.uint8))
