"""Golden vectors for the Java runtime's parity tests (docs/model-bundle.md, "Golden vectors").

Writes synthetic shot and query photos (PNG, JPEG, grayscale, several sizes, one that must be
upscaled), their 240x240 crops, and everything PyTorch computes from them at batch size 1.
"""

import shutil
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np
import torch
from PIL import Image

from . import jsonio
from .bundle import PROTOTYPES_FILE, BuiltModel, read_manifest
from .graphs import ImageEncoder, Scorer, shot_adapted_mean, shot_patch_bank
from .model import COMPONENTS
from .preprocess import crop_box, normalize, resize_and_crop, resized_size
from .synthetic import Defect, product_image

GOLDEN_FILE = "golden.json"
PRODUCT = 20241
OTHER_PRODUCT = 777
CATEGORY = "capsule"
EXTRA_CATEGORIES = ("capsule", "metal_nut", "toothbrush", "Hazelnut_Cap", "bird")
PATCH_SAMPLES = (0, 112, 224)

TOKEN_TEXTS = (
    "candle",
    "metal_nut",
    "Metal Nut",
    "a photo of the metal nut for visual inspection.",
    "a photo without airplane for anomaly detection.",
    "screw (M4), 12.5mm; grade-A!",
    "it's the screw's thread, isn't it? we'll see, they'd say",
    "café crème brûlée, naïve façade",
    "Straße ÄÖÜ ĲĳŒœ",
    "日本語のテキスト and Ελληνικά",
    "emoji 🙂👍🏽 end",
    "&amp;lt;b&amp;gt; bold &quot;quoted&quot; &#39;x&#39;",
    "  many \t spaces\n\nand   lines  ",
    "",
    "1234567890 3.14159",
    "<start_of_text> literal specials <end_of_text>",
    " ".join(["defect"] * 50) + " " + " ".join(f"w{i}" for i in range(40)),
)

TEXT_FEATURE_PROMPTS = (
    "a photo of a capsule.",
    "a photo of a damaged capsule.",
    "a photo of airplane for anomaly detection.",
)


def _golden_images() -> List[dict]:
    """Name, role, how to draw it and how to store it."""
    return [
        dict(name="shot_0", role="shot", image=product_image(PRODUCT, 256, 256, 0), fmt="png"),
        # shorter side already 240: no resize, only the crop
        dict(name="shot_1", role="shot", image=product_image(PRODUCT, 300, 240, 1), fmt="png"),
        # portrait: 240 x 267 after the resize, crop top round(13.5) = 14
        dict(name="shot_2", role="shot", image=product_image(PRODUCT, 260, 290, 2), fmt="png"),
        # JPEG; 277 x 240 after the resize (truncated), crop left round(18.5) = 18 (half to even)
        dict(name="query_normal", role="query", image=product_image(PRODUCT, 301, 260, 3), fmt="jpg"),
        dict(
            name="query_scratch",
            role="query",
            image=product_image(PRODUCT, 320, 256, 4, Defect("scratch", 0.42, 0.38, 0.14)),
            fmt="png",
        ),
        dict(
            name="query_spot_gray",
            role="query",
            image=product_image(PRODUCT, 250, 330, 5, Defect("spot", 0.58, 0.56, 0.1)).convert("L"),
            fmt="png",
        ),
        # smaller than 240: upscaled to 320 x 240
        dict(name="query_small", role="query", image=product_image(PRODUCT, 200, 150, 6), fmt="png"),
        dict(name="query_other", role="query", image=product_image(OTHER_PRODUCT, 256, 256, 0), fmt="png"),
    ]


def _save(image: Image.Image, path: Path, fmt: str) -> None:
    if fmt == "jpg":
        image.save(path, format="JPEG", quality=90)
    else:
        image.save(path, format="PNG")


def _vector(t: torch.Tensor) -> np.ndarray:
    return t.detach().to(torch.float32).contiguous().numpy()


def _scalar(t: torch.Tensor) -> np.float32:
    return np.float32(t.item())


@torch.no_grad()
def write_golden(built: BuiltModel, bundle_dir: Path, out: Path) -> dict:
    """Writes golden.json and its images into ``out`` (replacing a previous golden set)."""
    bundle_dir, out = Path(bundle_dir), Path(out)
    model, tokenizer = built.model, built.tokenizer
    manifest = read_manifest(bundle_dir)
    bundle_prototypes = jsonio_load(bundle_dir / PROTOTYPES_FILE)["categories"]
    if not bundle_prototypes:
        raise ValueError("golden vectors need a bundle with text prototypes for at least one category")
    category = CATEGORY if CATEGORY in bundle_prototypes else sorted(bundle_prototypes)[0]
    prototypes = torch.tensor(
        np.array([bundle_prototypes[category]["normal"], bundle_prototypes[category]["anomalous"]], dtype=np.float32)
    )

    if out.exists():
        if any(out.iterdir()) and not (out / GOLDEN_FILE).exists():
            raise ValueError(f"{out} exists and holds no golden set; not overwriting it")
        shutil.rmtree(out)
    out.mkdir(parents=True)

    images: Dict[str, dict] = {}
    pixels: Dict[str, torch.Tensor] = {}
    for spec in _golden_images():
        name, image = spec["name"], spec["image"]
        file = f"{name}.{spec['fmt']}"
        _save(image, out / file, spec["fmt"])
        with Image.open(out / file) as original:
            original.load()
            mode, (width, height) = original.mode, original.size
            crop = resize_and_crop(original)
        crop_file = f"{name}.crop.png"
        crop.save(out / crop_file, format="PNG")
        with Image.open(out / crop_file) as stored:
            pixels[name] = normalize(stored)
        rw, rh = resized_size(width, height)
        images[name] = {
            "file": file,
            "crop": crop_file,
            "role": spec["role"],
            "mode": mode,
            "width": width,
            "height": height,
            "resized": [rw, rh],
            "crop_box": list(crop_box(rw, rh)),
        }

    shot_names = [n for n in images if images[n]["role"] == "shot"]
    query_names = [n for n in images if images[n]["role"] == "query"]
    shots = torch.stack([pixels[n] for n in shot_names])

    encoder = ImageEncoder(model)
    for name in images:
        tokens, embedding, adapted = encoder(pixels[name].unsqueeze(0))
        images[name]["embedding"] = _vector(embedding[0])
        images[name]["adapted"] = _vector(adapted[0])
        images[name]["patch_token_samples"] = _vector(tokens[0][:, list(PATCH_SAMPLES), :])

    queries = {}
    for name in query_names:
        c = model.score_components(pixels[name], shots, prototypes)
        queries[name] = {k: (_vector(c[k]) if k == "patch_map" else _scalar(c[k])) for k in COMPONENTS}
    _check_batched(model, pixels, shot_names, query_names, prototypes, queries)

    tokens = []
    for text in TOKEN_TEXTS:
        ids = tokenizer.tokenize([text], model.config.text.context_length)[0]
        length = int(np.count_nonzero(ids))
        tokens.append({"text": text, "ids": ids[:length].tolist()})

    text_features = []
    for prompt in TEXT_FEATURE_PROMPTS:
        ids = torch.from_numpy(tokenizer.tokenize([prompt], model.config.text.context_length))
        text_features.append({"text": prompt, "features": _vector(model.encode_text(ids)[0])})

    category_prototypes = {}
    for extra in EXTRA_CATEGORIES:
        p = model.text_prototypes(tokenizer, extra)
        category_prototypes[extra] = {"normal": _vector(p[0]), "anomalous": _vector(p[1])}

    golden = {
        "format": "inctrl-golden",
        "format_version": 1,
        "about": [
            "Computed by inctrl_export with PyTorch in float32 at batch size 1, from the crops "
            "(*.crop.png: the 240x240 RGB the model saw; normalizing one gives its exact input).",
            "Floats are the shortest decimals that read back as the same float32: parse them as "
            "float32 (Float.parseFloat).",
            "Components: final = final_score, hl = holistic_score, s_p = patch_score, "
            "s_i = image_score, s_a = text_score, patch_map = patch_map.",
            "Queries are scored against all shots, with the bundle's text prototypes of 'category'.",
            "patch_token_samples[layer][i] is patch_tokens[layer][patch_token_patches[i]].",
            "tokens[].ids lists start, tokens and end; the model input pads it with zeros to "
            "context_length.",
        ],
        "bundle": {
            "model_id": f"{manifest['model']['name']}@{manifest['model']['version']}",
            "weights": manifest["model"]["weights"],
            "files": {e["path"]: e["sha256"] for e in manifest["files"]},
        },
        "category": category,
        "text_prototypes": {"normal": _vector(prototypes[0]), "anomalous": _vector(prototypes[1])},
        "shots": shot_names,
        "queries": queries,
        "images": images,
        "patch_token_patches": list(PATCH_SAMPLES),
        "context_length": model.config.text.context_length,
        "tokens": tokens,
        "text_features": text_features,
        "category_prototypes": category_prototypes,
    }
    jsonio.write(out / GOLDEN_FILE, golden)
    return golden


def jsonio_load(path: Path) -> dict:
    import json

    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _check_batched(model, pixels, shot_names, query_names, prototypes, queries, tolerance: float = 1e-5) -> None:
    """The exported modules, batched, must give the batch-1 reference components."""
    encoder, scorer = ImageEncoder(model), Scorer(model)
    shot_tokens, _, shot_adapted = encoder(torch.stack([pixels[n] for n in shot_names]))
    q_tokens, q_embedding, q_adapted = encoder(torch.stack([pixels[n] for n in query_names]))
    outputs = scorer(
        q_tokens, q_embedding, q_adapted, shot_patch_bank(shot_tokens), shot_adapted_mean(shot_adapted), prototypes
    )
    for key, batched in zip(COMPONENTS, outputs):
        expected = torch.tensor(np.array([queries[n][key] for n in query_names]))
        difference = float((batched - expected).abs().max())
        if difference > tolerance:
            raise AssertionError(f"batched {key} differs from batch-1 by {difference:.3g}")


def golden_from_bundle(bundle_dir: Path, out: Path, checkpoint: Optional[Path] = None, work_dir: Optional[Path] = None) -> dict:
    from .bundle import rebuild_model

    built = rebuild_model(bundle_dir, checkpoint=checkpoint, work_dir=work_dir)
    return write_golden(built, bundle_dir, out)
