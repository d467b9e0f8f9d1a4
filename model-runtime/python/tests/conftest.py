"""Shared fixtures of the exporter tests: one seeded tiny model and its bundle per session."""

import pytest
import torch

from inctrl_export.bundle import build_model, write_bundle


@pytest.fixture(scope="session", autouse=True)
def _deterministic_torch():
    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)


@pytest.fixture(scope="session")
def tiny_built(tmp_path_factory):
    """The seeded, calibrated tiny model as `python3 -m inctrl_export tiny` builds it."""
    return build_model("tiny", seed=0, work_dir=tmp_path_factory.mktemp("tiny-work"))


@pytest.fixture(scope="session")
def tiny_bundle(tiny_built, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundles") / "inctrl-tiny"
    write_bundle(tiny_built, out)
    return out


def make_mvtec_tree(root, categories=("widget", "gadget"), train_good=4, test_good=2, defects=3, size=96):
    """A small MVTec AD-style tree of synthetic product photos (generated, nothing committed).

    Each category is one synthetic product; its defect images carry a scratch or a spot under
    test/scratch and test/spot, and an empty ground_truth folder stands for MVTec's masks.
    """
    from pathlib import Path

    import numpy as np

    from inctrl_export.synthetic import Defect, product_image

    root = Path(root)
    for index, name in enumerate(categories):
        product = 5000 + 17 * index
        rng = np.random.default_rng([product, 3])
        folder = root / name
        (folder / "ground_truth").mkdir(parents=True)
        for split, count, offset in (("train", train_good, 0), ("test", test_good, 100)):
            good = folder / split / "good"
            good.mkdir(parents=True)
            for i in range(count):
                product_image(product, size, size, variation=offset + i).save(good / f"{i:03d}.png")
        for i in range(defects):
            kind = ("scratch", "spot")[i % 2]
            defect = Defect(kind, rng.uniform(0.35, 0.65), rng.uniform(0.35, 0.65), rng.uniform(0.12, 0.2))
            out = folder / "test" / kind
            out.mkdir(parents=True, exist_ok=True)
            product_image(product, size, size, variation=200 + i, defect=defect).save(out / f"{i:03d}.png")
    return root
