"""Write a model manifest (schema: models/manifest.ts) next to an exported ONNX file."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

# What each class means on the street; classes not listed are context (person, car…).
DETECTIONS = {
    "truck_uncovered": "uncovered_load",
    "dust": "dust",
    "debris_pile": "dumping",
    "vending_stall": "street_vending",
}


def threshold_overrides(specs: list[str], names: list[str]) -> dict[str, float]:
    """`--threshold CLASS=SCORE` arguments → {class: score}, for bars chosen on something other than
    validation images (event clips, say). Raises ValueError naming what is wrong."""
    out: dict[str, float] = {}
    for spec in specs:
        cls, sep, value = spec.partition("=")
        if not sep:
            raise ValueError(f"--threshold {spec}: write it as CLASS=SCORE, e.g. truck_uncovered=0.65")
        if cls not in names:
            raise ValueError(f"--threshold {spec}: the model has no class {cls!r} (it has {', '.join(names)})")
        try:
            score = float(value)
        except ValueError:
            score = -1.0
        if not 0 < score < 1:
            raise ValueError(f"--threshold {spec}: the score must be a number between 0 and 1")
        out[cls] = score
    return out


def build_manifest(
    onnx_path: Path,
    names: list[str],
    size: int,
    name: str,
    version: str,
    training: dict[str, Any] | None = None,
    metrics: dict[str, Any] | None = None,
    per_class: dict[str, float] | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schemaVersion": 1,
        "name": name,
        "version": version,
        "description": "MuckWatch detector (anchor-free, Ultralytics YOLOv8 output layout).",
        "file": onnx_path.name,
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "input": {"width": size, "height": size, "channels": "rgb", "scale": 1 / 255, "mean": [0, 0, 0],
                  "std": [1, 1, 1], "letterboxPad": 114},
        "output": {"layout": "yolov8"},
        "classes": names,
        "detections": {k: v for k, v in DETECTIONS.items() if k in names},
        "thresholds": {"default": 0.25, "nmsIou": 0.45},
    }
    if per_class:
        doc["thresholds"]["perClass"] = per_class
    if training:
        doc["training"] = training
    if metrics:
        doc["metrics"] = metrics
    return doc


def write_manifest(path: Path, doc: dict[str, Any]) -> None:
    path.write_text(json.dumps(doc, indent=2) + "\n")
