"""Post-processing (decode + class-aware NMS) and COCO-style average precision.

AP follows pycocotools for one area range: detections sorted by score (stable), each matched
greedily to the unmatched ground-truth box of the same class with the highest IoU ≥ threshold,
precision made monotone, then sampled at 101 recall points. Regions to ignore play the part of
COCO's crowd boxes: they are not ground truth, and a detection that matches no box but lies in a
region of its class (intersection over the detection's own area ≥ threshold) is dropped, counted
neither true nor false.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)


def _overlaps(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intersection areas of xyxy boxes (n, 4) and (m, 4) → (n, m), and each side's own areas."""
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(-1)
    return inter, np.clip(a[:, 2:] - a[:, :2], 0, None).prod(-1), np.clip(b[:, 2:] - b[:, :2], 0, None).prod(-1)


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU between xyxy boxes (n, 4) and (m, 4) → (n, m)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), np.float64)
    inter, area_a, area_b = _overlaps(a, b)
    return inter / (area_a[:, None] + area_b[None, :] - inter + 1e-12)


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> np.ndarray:
    """Greedy NMS; returns kept indices, highest score first."""
    order = np.argsort(-scores, kind="stable")
    over = iou_matrix(boxes[order], boxes[order]) > iou
    removed = np.zeros(len(order), bool)
    keep = []
    for i in range(len(order)):
        if not removed[i]:
            keep.append(order[i])
            removed |= over[i]
    return np.array(keep, dtype=np.int64)


def decode_yolov8(out: np.ndarray, conf: float = 0.001, iou: float = 0.6, max_det: int = 300) -> np.ndarray:
    """One image's (4+nc, N) output → (k, 6) rows of x1, y1, x2, y2, score, class after class-aware NMS."""
    boxes_xywh, scores = out[:4].T, out[4:].T
    cls = scores.argmax(1)
    best = scores[np.arange(len(cls)), cls]
    m = best > conf
    if not m.any():
        return np.zeros((0, 6), np.float32)
    b, s, c = boxes_xywh[m], best[m], cls[m]
    if len(s) > 1000:  # bound the NMS cost on a barely trained model
        top = np.argsort(-s, kind="stable")[:1000]
        b, s, c = b[top], s[top], c[top]
    xyxy = np.concatenate([b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2], 1)
    # Offsetting boxes by class makes one NMS pass class-aware.
    keep = nms(xyxy + c[:, None] * 4096.0, s, iou)[:max_det]
    return np.concatenate([xyxy[keep], s[keep, None], c[keep, None]], 1).astype(np.float32)


def inside_share(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of each xyxy box of (n, 4) that lies inside each of (m, 4) → (n, m)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), np.float64)
    inter, area_a, _ = _overlaps(a, b)
    return inter / (area_a[:, None] + 1e-12)


def average_precision(tp: np.ndarray, scores: np.ndarray, n_gt: int) -> float:
    """COCO 101-point interpolated AP for one class at one IoU threshold; nan without ground truth."""
    if n_gt == 0:
        return float("nan")
    if len(scores) == 0:
        return 0.0
    order = np.argsort(-scores, kind="mergesort")
    tp = tp[order].astype(np.float64)
    ctp, cfp = np.cumsum(tp), np.cumsum(1 - tp)
    recall = ctp / n_gt
    precision = ctp / np.maximum(ctp + cfp, np.finfo(np.float64).eps)
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    points = np.linspace(0, 1, 101)
    idx = np.searchsorted(recall, points, side="left")
    return float(np.mean([precision[i] if i < len(precision) else 0.0 for i in idx]))


@dataclass
class Evaluator:
    """Accumulates per-image detections and ground truth; `result()` gives per-class AP."""

    nc: int
    scores: list[list[float]] = field(default_factory=list)
    tps: list[list[np.ndarray]] = field(default_factory=list)
    #: Per class and image: which detections a region to ignore took, per IoU threshold.
    ignored: list[list[np.ndarray]] = field(default_factory=list)
    #: Per image: ground-truth boxes per class (what a bootstrap resamples).
    gt_per_image: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.scores = [[] for _ in range(self.nc)]
        self.tps = [[] for _ in range(self.nc)]
        self.ignored = [[] for _ in range(self.nc)]
        self.gt_per_image = []

    @property
    def n_gt(self) -> np.ndarray:
        """Ground-truth boxes per class over every image added."""
        return np.sum(self.gt_per_image, 0) if self.gt_per_image else np.zeros(self.nc, np.int64)

    def add(self, det: np.ndarray, gt: np.ndarray) -> None:
        """det: (k, 6) x1, y1, x2, y2, score, cls; gt: (m, 5) cls, x1, y1, x2, y2, where a row of
        class -1 - c is a region to ignore of class c."""
        counts = np.zeros(self.nc, np.int64)
        self.gt_per_image.append(counts)
        for c in range(self.nc):
            d = det[det[:, 5] == c]
            d = d[np.argsort(-d[:, 4], kind="mergesort")]
            g = gt[gt[:, 0] == c, 1:]
            regions = gt[gt[:, 0] == -1 - c, 1:]
            counts[c] = len(g)
            tp = np.zeros((len(d), len(IOU_THRESHOLDS)), bool)
            if len(g) and len(d):
                ious = iou_matrix(d[:, :4], g)
                taken = np.zeros((len(IOU_THRESHOLDS), len(g)), bool)
                rows = np.arange(len(IOU_THRESHOLDS))
                for i in range(len(d)):  # by score; all thresholds at once
                    cand = np.where(~taken & (ious[i][None, :] >= IOU_THRESHOLDS[:, None] - 1e-12), ious[i][None, :], -1.0)
                    j = cand.argmax(1)
                    hit = cand[rows, j] >= 0
                    taken[rows[hit], j[hit]] = True
                    tp[i] = hit
            ign = np.zeros_like(tp)
            if len(regions) and len(d):
                share = inside_share(d[:, :4], regions).max(1)
                ign = ~tp & (share[:, None] >= IOU_THRESHOLDS[None, :] - 1e-12)
            self.scores[c].extend(d[:, 4].tolist())
            self.tps[c].append(tp)
            self.ignored[c].append(ign)

    def f1_threshold(self, c: int) -> float | None:
        """The score threshold with the best F1 at IoU 0.5 for class c (None without ground truth)."""
        if self.n_gt[c] == 0 or not self.scores[c]:
            return None
        keep = ~np.concatenate(self.ignored[c])[:, 0]
        s = np.array(self.scores[c])[keep]
        tp = np.concatenate(self.tps[c])[keep, 0]
        if len(s) == 0:
            return None
        order = np.argsort(-s, kind="mergesort")
        s, ctp = s[order], np.cumsum(tp[order])
        precision, recall = ctp / np.arange(1, len(s) + 1), ctp / self.n_gt[c]
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
        return float(s[int(f1.argmax())])

    def bootstrap_ap50(self, reps: int, seed: int = 0, level: float = 0.95) -> dict[str, Any]:
        """Percentile interval of AP@0.5 per class and of its mean over classes, from `reps`
        resamples of the images with replacement (a small test split gives a loose AP: this says how
        loose). Per class: [low, high], or None for a class without ground truth."""
        rng = np.random.default_rng(seed)
        n = len(self.gt_per_image)
        gt = np.array(self.gt_per_image).reshape(n, self.nc)
        per_class = []
        for c in range(self.nc):
            lens = np.array([len(t) for t in self.tps[c]], dtype=np.int64)
            ends = np.cumsum(lens)
            starts = ends - lens
            s = np.array(self.scores[c])
            tp = [t[:, 0] for t in self.tps[c]]
            ign = [g[:, 0] for g in self.ignored[c]]
            per_class.append((starts, ends, s, tp, ign))
        draws = np.full((reps, self.nc), np.nan)
        for r in range(reps):
            idx = rng.integers(0, n, n)
            for c, (starts, ends, s, tp, ign) in enumerate(per_class):
                n_gt = int(gt[idx, c].sum())
                if n_gt == 0:
                    continue
                sc = np.concatenate([s[starts[i] : ends[i]] for i in idx])
                hit = np.concatenate([tp[i] for i in idx]).astype(bool)
                keep = ~np.concatenate([ign[i] for i in idx]).astype(bool)
                draws[r, c] = average_precision(hit[keep], sc[keep], n_gt)
        q = [50 * (1 - level), 50 * (1 + level)]

        def span(v: np.ndarray) -> list[float] | None:
            v = v[~np.isnan(v)]
            return [float(x) for x in np.percentile(v, q)] if len(v) else None

        with np.errstate(all="ignore"):
            means = np.array([np.nanmean(d) if not np.isnan(d).all() else np.nan for d in draws])
        return {"level": level, "reps": reps, "ap50": [span(draws[:, c]) for c in range(self.nc)],
                "map50": span(means)}

    def result(self) -> dict[str, Any]:
        """ap: (nc, 10) per class and IoU threshold (nan for classes without ground truth)."""
        ap = np.full((self.nc, len(IOU_THRESHOLDS)), np.nan)
        n_gt = self.n_gt
        for c in range(self.nc):
            s = np.array(self.scores[c])
            empty = np.zeros((0, len(IOU_THRESHOLDS)), bool)
            tp = np.concatenate(self.tps[c]) if self.tps[c] else empty
            ign = np.concatenate(self.ignored[c]) if self.ignored[c] else empty
            for t in range(len(IOU_THRESHOLDS)):
                keep = ~ign[:, t]
                ap[c, t] = average_precision(tp[keep, t], s[keep], int(n_gt[c]))
        present = ~np.isnan(ap[:, 0])
        return {
            "ap": ap,
            "f1_conf": [self.f1_threshold(c) for c in range(self.nc)],
            "map50": float(ap[present, 0].mean()) if present.any() else 0.0,
            "map": float(ap[present].mean()) if present.any() else 0.0,
        }
