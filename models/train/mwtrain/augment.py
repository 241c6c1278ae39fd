"""Training augmentation on cached uint8 images: mosaic, random scale/translate, flip, colour,
blur and noise. Boxes are (cls, x1, y1, x2, y2) in pixels and follow every geometric step."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from .data import PAD, Cached, letterbox


def _place(canvas: np.ndarray, img: np.ndarray, boxes: np.ndarray, x: int, y: int) -> np.ndarray:
    """Paste img with its top-left at (x, y), clipped to the canvas; returns shifted boxes."""
    s_h, s_w = canvas.shape[:2]
    h, w = img.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, s_w), min(y + h, s_h)
    if x1 > x0 and y1 > y0:
        canvas[y0:y1, x0:x1] = img[y0 - y : y1 - y, x0 - x : x1 - x]
    b = boxes.copy()
    b[:, [1, 3]] += x
    b[:, [2, 4]] += y
    return b


def _scaled(img: np.ndarray, boxes: np.ndarray, r: float) -> tuple[np.ndarray, np.ndarray]:
    h, w = img.shape[:2]
    nw, nh = max(2, round(w * r)), max(2, round(h * r))
    out = np.asarray(Image.fromarray(img).resize((nw, nh), Image.BILINEAR))
    b = boxes.copy()
    b[:, 1:] *= np.array([nw / w, nh / h, nw / w, nh / h], np.float32)
    return out, b


def clip_boxes(boxes: np.ndarray, size: int, min_keep: float = 0.4, min_px: float = 3) -> np.ndarray:
    """Clip to the canvas; drop boxes that lost most of their area or became slivers."""
    if len(boxes) == 0:
        return boxes
    area0 = (boxes[:, 3] - boxes[:, 1]) * (boxes[:, 4] - boxes[:, 2])
    b = boxes.copy()
    b[:, 1:] = b[:, 1:].clip(0, size)
    w, h = b[:, 3] - b[:, 1], b[:, 4] - b[:, 2]
    keep = (w >= min_px) & (h >= min_px) & (w * h >= min_keep * np.maximum(area0, 1e-6))
    return b[keep]


def random_scaled(data: Cached, i: int, size: int, rng: np.random.Generator, scale: tuple[float, float]):
    """One image at a random scale and position on a size×size canvas."""
    img, boxes = _scaled(data.images[i], data.labels[i], rng.uniform(*scale))
    canvas = np.full((size, size, 3), PAD, np.uint8)
    h, w = img.shape[:2]
    x = int(rng.integers(min(0, size - w), max(0, size - w) + 1))
    y = int(rng.integers(min(0, size - h), max(0, size - h) + 1))
    return canvas, clip_boxes(_place(canvas, img, boxes, x, y), size)


def mosaic(data: Cached, idx: list[int], size: int, rng: np.random.Generator, scale: tuple[float, float]):
    """Four images meeting at a random centre: more objects, more context, smaller scales."""
    canvas = np.full((size, size, 3), PAD, np.uint8)
    xc, yc = (int(rng.uniform(0.3, 0.7) * size) for _ in range(2))
    out = []
    for k, i in enumerate(idx):
        img, boxes = _scaled(data.images[i], data.labels[i], rng.uniform(*scale) * 0.6)
        h, w = img.shape[:2]
        x = xc - w if k in (0, 2) else xc
        y = yc - h if k in (0, 1) else yc
        # Clip each tile to its own quadrant so tiles never cover each other.
        quad = np.full_like(canvas, PAD)
        b = _place(quad, img, boxes, x, y)
        qx0, qx1 = (0, xc) if k in (0, 2) else (xc, size)
        qy0, qy1 = (0, yc) if k in (0, 1) else (yc, size)
        canvas[qy0:qy1, qx0:qx1] = quad[qy0:qy1, qx0:qx1]
        if len(b):
            b0 = b.copy()
            b[:, [1, 3]] = b[:, [1, 3]].clip(qx0, qx1)
            b[:, [2, 4]] = b[:, [2, 4]].clip(qy0, qy1)
            area0 = (b0[:, 3] - b0[:, 1]) * (b0[:, 4] - b0[:, 2])
            area = (b[:, 3] - b[:, 1]) * (b[:, 4] - b[:, 2])
            b = b[(area >= 0.4 * area0) & (b[:, 3] - b[:, 1] >= 3) & (b[:, 4] - b[:, 2] >= 3)]
        out.append(b)
    return canvas, np.concatenate(out) if out else np.zeros((0, 5), np.float32)


def photometric(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Brightness, contrast, saturation, per-channel gain; sometimes blur; sometimes noise."""
    x = img.astype(np.float32)
    x = x * rng.uniform(0.7, 1.3) + rng.uniform(-25, 25)
    mean = x.mean()
    x = (x - mean) * rng.uniform(0.75, 1.25) + mean
    grey = x.mean(2, keepdims=True)
    x = grey + (x - grey) * rng.uniform(0.6, 1.4)
    x = x * rng.uniform(0.92, 1.08, size=3).astype(np.float32)
    if rng.random() < 0.15:
        x = np.asarray(
            Image.fromarray(x.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5))),
            np.float32,
        )
    if rng.random() < 0.25:
        x = x + rng.normal(0, rng.uniform(2, 8), x.shape).astype(np.float32)
    return x.clip(0, 255).astype(np.uint8)


class TrainSampler:
    """Produces one augmented (image, boxes) pair per index."""

    def __init__(self, data: Cached, size: int, seed: int, mosaic_p: float = 0.5, scale=(0.6, 1.3)) -> None:
        self.data, self.size, self.mosaic_p, self.scale = data, size, mosaic_p, scale
        self.rng = np.random.default_rng(seed)

    def __call__(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        rng, n = self.rng, len(self.data)
        if rng.random() < self.mosaic_p:
            idx = [i, *(int(j) for j in rng.integers(0, n, 3))]
            img, boxes = mosaic(self.data, idx, self.size, rng, self.scale)
        else:
            img, boxes = random_scaled(self.data, i, self.size, rng, self.scale)
        if rng.random() < 0.5:
            img = img[:, ::-1].copy()
            boxes = boxes.copy()
            boxes[:, [1, 3]] = self.size - boxes[:, [3, 1]]
        return photometric(img, rng), boxes


def val_item(data: Cached, i: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    return letterbox(data.images[i], data.labels[i], size)
