"""Training images in the MVTec AD folder layout.

    DIR/<category>/train/good/*.png          normal
    DIR/<category>/test/good/*.png           normal
    DIR/<category>/test/<defect>/*.png       anomalous (any folder name other than good)

Other folders of a category (MVTec's ``ground_truth`` masks, for instance) are ignored. As in
the reference's training lists, a category's normal images are those of ``train/good`` and
``test/good`` together, its anomalies those of every ``test/<defect>`` folder.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")


class DatasetError(ValueError):
    """A dataset folder that does not hold what training needs (says what is missing)."""


@dataclass(frozen=True)
class Category:
    name: str
    normal: Tuple[Path, ...]  # train/good then test/good, sorted by path
    anomalous: Tuple[Path, ...]  # test/<defect>/..., sorted by path


def _images(folder: Path) -> List[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def _read_category(folder: Path) -> Category:
    train_good = folder / "train" / "good"
    test = folder / "test"
    missing = [str(p.relative_to(folder.parent)) for p in (train_good, test) if not p.is_dir()]
    if missing:
        raise DatasetError(
            f"category {folder.name} of {folder.parent} lacks {' and '.join(missing)} "
            "(expected the MVTec AD layout: <category>/train/good, <category>/test/<defect or good>)"
        )
    normal = _images(train_good)
    anomalous: List[Path] = []
    for sub in sorted(p for p in test.iterdir() if p.is_dir()):
        if sub.name == "good":
            normal.extend(_images(sub))
        else:
            anomalous.extend(_images(sub))
    return Category(folder.name, tuple(normal), tuple(anomalous))


def read_mvtec(root, categories: Optional[Sequence[str]] = None) -> List[Category]:
    """The categories of an MVTec-layout folder (all of them, or the named ones, in that order)."""
    root = Path(root)
    if not root.is_dir():
        raise DatasetError(f"dataset folder {root} does not exist or is not a directory")
    present = sorted(p.name for p in root.iterdir() if p.is_dir())
    if categories is None:
        names = [n for n in present if (root / n / "train").is_dir() or (root / n / "test").is_dir()]
        if not names:
            raise DatasetError(
                f"no category folders in {root}: expected <category>/train/good and "
                f"<category>/test/<defect or good>, found {present or 'no subfolders'}"
            )
    else:
        names = list(categories)
        if not names:
            raise DatasetError("no categories given")
        if len(set(names)) != len(names):
            raise DatasetError(f"categories given more than once: {names}")
        unknown = [n for n in names if n not in present]
        if unknown:
            raise DatasetError(f"categories {unknown} not found in {root}; it holds {present}")
    return [_read_category(root / n) for n in names]
