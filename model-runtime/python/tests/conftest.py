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
