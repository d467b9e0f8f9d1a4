"""Training InCTRL's learned parts on auxiliary data, the way the reference trains them.

What is trained: the adapter ``psi``, the image-level residual head ``diff_head_ref`` (eta)
and the holistic head ``diff_head`` (phi). The CLIP towers stay frozen. Each step draws a
balanced batch (half normal, half anomalous queries from the training categories, each class
from its own endless shuffled order) and, for every query, K normal shots of the query's own
category; the loss is the binary focal loss (alpha 1, gamma 2) of the final score plus that
of the image-level score s_i, optimized with AdamW. After the last step the heads' BatchNorm
running statistics are re-estimated with the final weights. ``docs/training.md`` describes
the recipe and where it departs from the reference's code.

Since the towers are frozen and the reference uses no augmentation, every image is encoded
once up front (unit patch tokens of the three tapped layers, the image embedding and its
text score s_a); a step then only runs the adapter, the heads and the patch residuals.
"""

import argparse
import math
import os
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from . import EXPORTER_ID
from .bundle import BuiltModel, build_model, compute_prototypes
from .config import LOGIT_SCALE
from .dataset import Category, DatasetError, read_mvtec
from .model import InCTRL
from .preprocess import preprocess_file

TRAINABLE_MODULES = ("adapter", "diff_head", "diff_head_ref")
LOSSES = ("focal", "focal-on-logits")
_ENCODE_BATCH = 16

Log = Callable[[str], None]


def _print(line: str) -> None:
    print(line, flush=True)


class TrainingError(ValueError):
    """Options that cannot train, or a training run that went wrong (says what and why)."""


@dataclass(frozen=True)
class TrainOptions:
    """The recipe; the defaults are the reference's (K = 2, batch 16, 10 x 100 steps, lr 1e-3)."""

    shots: int = 2
    batch: int = 16
    epochs: int = 10
    steps_per_epoch: int = 100
    lr: float = 1e-3
    weight_decay: float = 0.01
    seed: int = 0
    loss: str = "focal"
    bn_batches: int = 50

    def validate(self) -> "TrainOptions":
        if self.shots < 1:
            raise TrainingError(f"shots must be at least 1, found {self.shots}")
        if self.batch < 2:
            # the heads' BatchNorm layers train on batch statistics
            raise TrainingError(
                f"batch must be at least 2 (one normal and one anomalous query), found {self.batch}"
            )
        if self.epochs < 1 or self.steps_per_epoch < 1:
            raise TrainingError(
                f"epochs and steps per epoch must be at least 1, found {self.epochs} and {self.steps_per_epoch}"
            )
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise TrainingError(f"learning rate must be a positive number, found {self.lr}")
        if not (self.weight_decay >= 0 and math.isfinite(self.weight_decay)):
            raise TrainingError(f"weight decay must be >= 0, found {self.weight_decay}")
        if self.bn_batches < 0:
            raise TrainingError(f"BatchNorm re-estimation batches must be >= 0, found {self.bn_batches}")
        if self.loss not in LOSSES:
            raise TrainingError(f"loss must be one of {list(LOSSES)}, found {self.loss!r}")
        return self

    @property
    def steps(self) -> int:
        return self.epochs * self.steps_per_epoch


@dataclass
class EncodedSet:
    """Frozen-tower features of every training image (row i is image i)."""

    patch_units: torch.Tensor  # [n,3,N,W] patch tokens of the tapped layers, unit length
    embeddings: torch.Tensor  # [n,E] image embeddings (not normalized)
    text_scores: torch.Tensor  # [n] s_a against the image's category prototypes
    labels: torch.Tensor  # [n] 0 normal, 1 anomalous
    category_of: np.ndarray  # [n] index into the category list


@dataclass
class TrainResult:
    losses: List[float]  # total loss of every step
    final_losses: List[float]
    image_losses: List[float]
    step_seconds: List[float]
    encode_seconds: float

    def epoch_means(self, steps_per_epoch: int) -> List[float]:
        return [
            statistics.fmean(self.losses[i : i + steps_per_epoch])
            for i in range(0, len(self.losses), steps_per_epoch)
        ]


def check_categories(categories: Sequence[Category], shots: int) -> None:
    """Every category needs K + 1 normal images (a normal query never is its own shot)."""
    short = [f"{c.name} ({len(c.normal)})" for c in categories if len(c.normal) < shots + 1]
    if short:
        raise DatasetError(
            f"K = {shots} shots need at least {shots + 1} normal images per category "
            f"(train/good and test/good together); too few in: {', '.join(short)}"
        )
    if not any(c.anomalous for c in categories):
        raise DatasetError(
            f"no anomalous images in {[c.name for c in categories]}: training needs labelled "
            "defects under <category>/test/<defect>/"
        )


@torch.no_grad()
def encode_set(model: InCTRL, tokenizer, categories: Sequence[Category], log: Log = _print) -> EncodedSet:
    """Runs the frozen towers once over every image of ``categories``."""
    paths: List[Path] = []
    labels: List[float] = []
    category_of: List[int] = []
    for index, category in enumerate(categories):
        for path, label in [(p, 0.0) for p in category.normal] + [(p, 1.0) for p in category.anomalous]:
            paths.append(path)
            labels.append(label)
            category_of.append(index)
    prototypes = compute_prototypes(model, tokenizer, [c.name for c in categories])
    model.eval()
    units, embeddings = [], []
    start = time.monotonic()
    for first in range(0, len(paths), _ENCODE_BATCH):
        chunk = paths[first : first + _ENCODE_BATCH]
        pixels = []
        for path in chunk:
            try:
                pixels.append(preprocess_file(path))
            except (OSError, ValueError) as e:
                raise DatasetError(f"cannot read image {path}: {e}") from e
        tokens, embedding = model.encode_image(torch.stack(pixels))
        units.append(tokens / tokens.norm(dim=-1, keepdim=True))
        embeddings.append(embedding)
        log(f"encoded {first + len(chunk)}/{len(paths)} images")
    embeddings_all = torch.cat(embeddings)
    category_index = np.asarray(category_of)
    protos = torch.stack([torch.from_numpy(prototypes[c.name]) for c in categories])  # [C,2,E]
    e = embeddings_all / embeddings_all.norm(dim=-1, keepdim=True)
    logits = LOGIT_SCALE * torch.einsum("ne,nke->nk", e, protos[torch.from_numpy(category_index)])
    encoded = EncodedSet(
        patch_units=torch.cat(units),
        embeddings=embeddings_all,
        text_scores=logits.softmax(dim=-1)[:, 1],
        labels=torch.tensor(labels, dtype=torch.float32),
        category_of=category_index,
    )
    log(f"encoded {len(paths)} images of {len(categories)} categories in {time.monotonic() - start:.1f} s")
    return encoded


class BalancedSampler:
    """The reference's batches: batch // 2 normal queries then the rest anomalous, each class
    drawn from its own endless sequence of shuffled orders; K distinct normal shots of the
    query's category per query, never the query itself."""

    def __init__(self, encoded: EncodedSet, batch: int, shots: int, seed: int):
        self._rng = np.random.default_rng(seed)
        labels = encoded.labels.numpy()
        self._normal = np.flatnonzero(labels == 0)
        self._anomalous = np.flatnonzero(labels == 1)
        self._category_of = encoded.category_of
        self._normal_by_category = {
            c: self._normal[self._category_of[self._normal] == c] for c in np.unique(self._category_of)
        }
        self._n_normal = batch // 2
        self._n_anomalous = batch - self._n_normal
        self._shots = shots
        self._orders = {"normal": [], "anomalous": []}

    def _next(self, kind: str, pool: np.ndarray, count: int) -> List[int]:
        order = self._orders[kind]
        out = []
        for _ in range(count):
            if not order:
                order.extend(self._rng.permutation(pool).tolist())
            out.append(order.pop(0))
        return out

    def next_batch(self) -> Tuple[torch.Tensor, torch.Tensor]:
        """(query indices [B], shot indices [B,K])."""
        queries = self._next("normal", self._normal, self._n_normal) + self._next(
            "anomalous", self._anomalous, self._n_anomalous
        )
        shots = []
        for q in queries:
            pool = self._normal_by_category[self._category_of[q]]
            pool = pool[pool != q]
            shots.append(self._rng.choice(pool, size=self._shots, replace=False))
        return torch.tensor(queries, dtype=torch.int64), torch.from_numpy(np.stack(shots).astype(np.int64))


def score_batch(
    model: InCTRL, encoded: EncodedSet, queries: torch.Tensor, shots: torch.Tensor
) -> Tuple[torch.Tensor, torch.Tensor]:
    """(final score [B], image-level score s_i [B]) of each query against its own K shots.

    The reference's scoring per row (inctrl-reference.md); only the adapter and the heads
    carry gradients.
    """
    with torch.no_grad():
        q = encoded.patch_units[queries]  # [B,3,N,W]
        s = encoded.patch_units[shots]  # [B,K,3,N,W]
        b, k, layers, n, w = s.shape
        bank = s.permute(0, 2, 4, 1, 3).reshape(b, layers, w, k * n)  # column k*N + j
        # min_j 0.5 * (1 - cos) is 0.5 * (1 - max_j cos): the map is monotone
        patch_map = (0.5 * (1 - torch.matmul(q, bank).max(dim=-1).values)).mean(dim=1)  # [B,N]
        patch_score = patch_map.max(dim=-1).values
        text_score = encoded.text_scores[queries]
    adapted_query = model.adapter(encoded.embeddings[queries])
    adapted_shots = model.adapter(encoded.embeddings[shots]).mean(dim=1)
    image_score = model.diff_head_ref(adapted_shots - adapted_query)[:, 0]
    holistic = text_score[:, None] + image_score[:, None] + patch_map
    final = (model.diff_head(holistic)[:, 0] + patch_score) / 2
    return final, image_score


def focal_loss(scores: torch.Tensor, labels: torch.Tensor, on_logits: bool, gamma: float = 2.0) -> torch.Tensor:
    """Binary focal loss, mean over the batch (alpha 1).

    ``on_logits`` feeds the scores to the logistic cross-entropy as if they were logits, as the
    reference's code does with its [0, 1] scores; otherwise the cross-entropy of the scores as
    probabilities (the paper's loss).
    """
    if on_logits:
        bce = F.binary_cross_entropy_with_logits(scores, labels, reduction="none")
    else:
        bce = F.binary_cross_entropy(scores, labels, reduction="none")
    return ((1 - torch.exp(-bce)) ** gamma * bce).mean()


def trainable_parameters(model: InCTRL) -> List[torch.nn.Parameter]:
    return [p for name in TRAINABLE_MODULES for p in getattr(model, name).parameters()]


@torch.no_grad()
def reestimate_batch_norm(model: InCTRL, encoded: EncodedSet, sampler: BalancedSampler, batches: int) -> None:
    """Sets the heads' BatchNorm running statistics to their average over ``batches`` draws
    with the final weights (the running averages kept during training lag the moving weights)."""
    # bn1 of each head is never applied
    norms = [bn for head in (model.diff_head, model.diff_head_ref) for bn in (head.bn2, head.bn3)]
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    for name in TRAINABLE_MODULES:
        getattr(model, name).train()
    for _ in range(batches):
        score_batch(model, encoded, *sampler.next_batch())
    for m, momentum in zip(norms, momenta):
        m.momentum = momentum


def _format_seconds(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def train(
    model: InCTRL,
    tokenizer,
    categories: Sequence[Category],
    options: TrainOptions,
    log: Log = _print,
    encoded: Optional[EncodedSet] = None,
) -> TrainResult:
    """Trains ``model``'s adapter and heads in place; logs progress and loss every step.

    ``encoded`` may hold ``encode_set``'s result for these categories (the frozen towers give
    the same features for every copy of a model).
    """
    options.validate()
    check_categories(categories, options.shots)
    for p in model.parameters():
        p.requires_grad_(False)
    params = trainable_parameters(model)
    for p in params:
        p.requires_grad_(True)

    encode_start = time.monotonic()
    if encoded is None:
        encoded = encode_set(model, tokenizer, categories, log)
    encode_seconds = time.monotonic() - encode_start

    torch.manual_seed(options.seed)
    sampler = BalancedSampler(encoded, options.batch, options.shots, options.seed)
    optimizer = torch.optim.AdamW(params, lr=options.lr, betas=(0.9, 0.999), weight_decay=options.weight_decay)
    on_logits = options.loss == "focal-on-logits"
    model.eval()
    for name in TRAINABLE_MODULES:
        getattr(model, name).train()

    result = TrainResult([], [], [], [], encode_seconds)
    try:
        for step in range(options.steps):
            start = time.monotonic()
            queries, shots = sampler.next_batch()
            final, image_score = score_batch(model, encoded, queries, shots)
            labels = encoded.labels[queries]
            final_loss = focal_loss(final, labels, on_logits)
            image_loss = focal_loss(image_score, labels, on_logits)
            loss = final_loss + image_loss
            if not torch.isfinite(loss):
                raise TrainingError(
                    f"loss is {loss.item()} at step {step + 1}: lower the learning rate (now {options.lr})"
                )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seconds = time.monotonic() - start
            result.losses.append(loss.item())
            result.final_losses.append(final_loss.item())
            result.image_losses.append(image_loss.item())
            result.step_seconds.append(seconds)
            left = statistics.median(result.step_seconds) * (options.steps - step - 1)
            log(
                f"step {step + 1}/{options.steps} (epoch {step // options.steps_per_epoch + 1}/{options.epochs}) "
                f"loss {loss.item():.5f} = final {final_loss.item():.5f} + image {image_loss.item():.5f}, "
                f"{seconds * 1000:.1f} ms, about {_format_seconds(left)} left"
            )
            if (step + 1) % options.steps_per_epoch == 0:
                epoch = (step + 1) // options.steps_per_epoch
                log(f"epoch {epoch}/{options.epochs}: mean loss {result.epoch_means(options.steps_per_epoch)[-1]:.5f}")
        if options.bn_batches:
            reestimate_batch_norm(model, encoded, sampler, options.bn_batches)
            log(f"heads' BatchNorm statistics re-estimated on {options.bn_batches} batches with the final weights")
    finally:
        for p in model.parameters():
            p.requires_grad_(False)
        model.eval()
    return result


def _check_checkpoint_path(path: Path) -> None:
    if Path(path).is_dir():
        raise TrainingError(f"checkpoint path {path} is a directory; give a file name such as {Path(path) / 'inctrl.pyth'}")


def write_checkpoint(
    path: Path, built: BuiltModel, categories: Sequence[Category], options: TrainOptions, result: TrainResult
) -> None:
    """A reference-style checkpoint (weights under ``model_state``) plus how it was made."""
    path = Path(path)
    _check_checkpoint_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "model_state": built.model.state_dict(),
        "training": {
            "exporter": EXPORTER_ID,
            "variant": built.model.config.variant,
            "start_weights": built.weights,
            "categories": {c.name: {"normal": len(c.normal), "anomalous": len(c.anomalous)} for c in categories},
            "options": asdict(options),
            "epoch_mean_losses": result.epoch_means(options.steps_per_epoch),
        },
    }
    partial = path.with_name(path.name + ".partial")
    torch.save(checkpoint, partial)
    os.replace(partial, path)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    d = TrainOptions()
    add = parser.add_argument
    add("--dataset", type=Path, required=True, help="MVTec AD layout: <category>/train/good, <category>/test/<defect|good>")
    add("--categories", help="comma-separated categories to train on (default: all in --dataset)")
    add("--variant", choices=["tiny", "official"], required=True)
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--init-seed", type=int, default=0, help="start from the variant's seeded weights (default 0)")
    start.add_argument("--checkpoint", type=Path, help="start from this checkpoint (weights under model_state)")
    add("--bpe", type=Path, help="CLIP's bpe_simple_vocab_16e6.txt.gz (official variant)")
    add("--shots", type=int, default=d.shots, help=f"normal shots per query, K (default {d.shots})")
    add("--batch", type=int, default=d.batch, help=f"queries per step, half of them normal (default {d.batch})")
    add("--epochs", type=int, default=d.epochs, help=f"default {d.epochs}")
    add("--steps-per-epoch", type=int, default=d.steps_per_epoch, help=f"default {d.steps_per_epoch}")
    add("--lr", type=float, default=d.lr, help=f"AdamW learning rate (default {d.lr})")
    add("--weight-decay", type=float, default=d.weight_decay, help=f"AdamW weight decay (default {d.weight_decay})")
    add("--seed", type=int, default=d.seed, help=f"seed of the batch and shot draws (default {d.seed})")
    add("--loss", choices=LOSSES, default=d.loss, help="focal on the scores, or on the scores taken as logits as the reference's code does")
    add("--bn-batches", type=int, default=d.bn_batches,
        help=f"draws to re-estimate the heads' BatchNorm statistics on after training; 0 keeps training's (default {d.bn_batches})")
    add("--out", type=Path, required=True, help="checkpoint file to write")


def run_args(args: argparse.Namespace, log: Log = _print) -> None:
    options = TrainOptions(
        shots=args.shots,
        batch=args.batch,
        epochs=args.epochs,
        steps_per_epoch=args.steps_per_epoch,
        lr=args.lr,
        weight_decay=args.weight_decay,
        seed=args.seed,
        loss=args.loss,
        bn_batches=args.bn_batches,
    ).validate()
    names = [c.strip() for c in args.categories.split(",") if c.strip()] if args.categories else None
    categories = read_mvtec(args.dataset, names)
    check_categories(categories, options.shots)
    _check_checkpoint_path(args.out)
    with tempfile.TemporaryDirectory() as work:
        built = build_model(
            args.variant,
            seed=args.init_seed if args.checkpoint is None else None,
            checkpoint=args.checkpoint,
            bpe=args.bpe,
            work_dir=Path(work),
        )
        log(
            f"training {', '.join(TRAINABLE_MODULES)} of inctrl-{args.variant} ({built.weights}) on "
            + ", ".join(f"{c.name} ({len(c.normal)} normal, {len(c.anomalous)} anomalous)" for c in categories)
            + f"; K = {options.shots}, batch {options.batch}, {options.epochs} x {options.steps_per_epoch} steps, "
            f"lr {options.lr}, seed {options.seed}, loss {options.loss}"
        )
        result = train(built.model, built.tokenizer, categories, options, log)
        write_checkpoint(args.out, built, categories, options, result)
    means = result.epoch_means(options.steps_per_epoch)
    log(
        f"checkpoint written to {args.out}: {options.steps} steps, "
        f"median {statistics.median(result.step_seconds) * 1000:.1f} ms/step, "
        f"mean loss {means[0]:.5f} in the first epoch, {means[-1]:.5f} in the last; make a bundle with: "
        f"python3 -m inctrl_export export --variant {args.variant} --checkpoint {args.out} --out DIR"
    )
