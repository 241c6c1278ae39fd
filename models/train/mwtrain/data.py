"""YOLO-format datasets: data.yaml + images/ + labels/ (one `cls cx cy w h` line per box, 0..1).

An optional ignore/ folder beside labels/ holds regions to ignore in the same format (objects at
the edge of visibility, like COCO's crowd boxes): training neither rewards nor penalises their
class there, and scoring counts a detection there neither way. In memory they are rows whose
class is -1 - cls, so they follow every augmentation step with the labels.

Images are decoded once and cached in memory at the training size (long side = imgsz), so an
epoch on a 2-core machine costs augmentation, not JPEG decoding.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from PIL import Image

IMG_EXT = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
PAD = 114


@dataclass
class DataSpec:
    root: Path
    names: list[str]
    splits: dict[str, Path]


def read_spec(path: str | Path) -> DataSpec:
    """Parse data.yaml: `path` (root, default its folder), `train`/`val`/`test` dirs, `names`."""
    path = Path(path)
    doc = yaml.safe_load(path.read_text())
    root = Path(doc.get("path") or path.parent)
    if not root.is_absolute():
        root = (path.parent / root).resolve()
    names = doc["names"]
    if isinstance(names, dict):
        names = [names[k] for k in sorted(names, key=int)]
    splits = {k: root / doc[k] for k in ("train", "val", "test") if doc.get(k)}
    return DataSpec(root, list(names), splits)


def label_path(img: Path, folder: str = "labels") -> Path:
    """YOLO convention: the last `images` folder in the path becomes `labels`, extension `.txt`."""
    parts = list(img.parts)
    idx = len(parts) - 1 - parts[::-1].index("images")
    parts[idx] = folder
    return Path(*parts).with_suffix(".txt")


def ignore_path(img: Path) -> Path:
    """Where an image's regions to ignore live: the `ignore` folder beside `labels`."""
    return label_path(img, "ignore")


def is_ignore(rows: np.ndarray) -> np.ndarray:
    """Which rows of (cls, ...) arrays are regions to ignore rather than labels."""
    return rows[:, 0] < 0


def ignore_class(rows: np.ndarray) -> np.ndarray:
    """The class of each region to ignore (rows with a negative class id)."""
    return -1 - rows[:, 0].astype(np.int64)


def read_labels(path: Path, nc: int) -> np.ndarray:
    """(n, 5) float32 rows of cls, cx, cy, w, h (normalised); a missing file is an empty image."""
    if not path.exists():
        return np.zeros((0, 5), np.float32)
    rows = [line.split() for line in path.read_text().splitlines() if line.strip()]
    arr = np.array([[float(v) for v in r[:5]] for r in rows], np.float32).reshape(-1, 5)
    bad = (arr[:, 0] < 0) | (arr[:, 0] >= nc)
    if bad.any():
        raise ValueError(f"{path}: class id outside 0..{nc - 1}")
    return arr


def list_images(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMG_EXT)


def resize_long(img: Image.Image, size: int) -> np.ndarray:
    w, h = img.size
    r = size / max(w, h)
    if r != 1:
        img = img.resize((max(1, round(w * r)), max(1, round(h * r))), Image.BILINEAR)
    return np.asarray(img.convert("RGB"), dtype=np.uint8)


class Cached:
    """All images of one split resized to long side `size`, with labels in pixels (cls, x1, y1, x2, y2)
    followed by regions to ignore (class -1 - cls)."""

    def __init__(self, folder: Path, nc: int, size: int, limit: int | None = None) -> None:
        self.paths = list_images(folder)[:limit]
        if not self.paths:
            raise FileNotFoundError(f"no images under {folder}")
        self.images: list[np.ndarray] = []
        self.labels: list[np.ndarray] = []
        for p in self.paths:
            with Image.open(p) as im:
                arr = resize_long(im, size)
            h, w = arr.shape[:2]
            lab = read_labels(label_path(p), nc)
            ign = read_labels(ignore_path(p), nc)
            ign[:, 0] = -1 - ign[:, 0]
            lab = np.concatenate([lab, ign])
            px = np.zeros((len(lab), 5), np.float32)
            px[:, 0] = lab[:, 0]
            px[:, 1] = (lab[:, 1] - lab[:, 3] / 2) * w
            px[:, 2] = (lab[:, 2] - lab[:, 4] / 2) * h
            px[:, 3] = (lab[:, 1] + lab[:, 3] / 2) * w
            px[:, 4] = (lab[:, 2] + lab[:, 4] / 2) * h
            self.images.append(arr)
            self.labels.append(px)

    def __len__(self) -> int:
        return len(self.images)

    def ignored(self) -> int:
        """How many regions to ignore the split holds."""
        return int(sum(is_ignore(b).sum() for b in self.labels))


def letterbox(img: np.ndarray, boxes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Centre an image (long side ≤ size) on a size×size canvas of 114, as inference does."""
    h, w = img.shape[:2]
    r = min(size / h, size / w)
    if r != 1:
        img = np.asarray(Image.fromarray(img).resize((round(w * r), round(h * r)), Image.BILINEAR))
        h, w = img.shape[:2]
    top, left = (size - h) // 2, (size - w) // 2
    out = np.full((size, size, 3), PAD, np.uint8)
    out[top : top + h, left : left + w] = img
    b = boxes.copy()
    b[:, 1:] *= r
    b[:, [1, 3]] += left
    b[:, [2, 4]] += top
    return out, b
