"""The decoder format zoo: tiny ONNX models (random weights, fixed seed) in each output layout
MuckWatch decodes, with the raw outputs and the decoded detections they give for one committed
input, so inference/ can test every decoder against files, not against its own assumptions.

Layouts (B = batch, N = candidate cells, K = kept detections, nc = classes):
  yolov8   (B, 4+nc, N)  cx, cy, w, h in input pixels, then per-class sigmoid scores
                         (Ultralytics YOLOv8 / YOLO11 / this project's own models)
  yolov5   (B, N, 5+nc)  cx, cy, w, h, objectness, then per-class scores; score = obj × cls
  end2end  (B, K, 6)     x1, y1, x2, y2, score, class id (NMS inside the model, e.g. YOLOv10 / YOLO26)
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

from .metrics import decode_yolov8, nms
from .shapes import NAMES

SIZE = 64
STRIDES = (8, 16, 32)
CONF, IOU = 0.25, 0.45
K = 20


def zoo_input() -> np.ndarray:
    """The committed input: seeded noise, 1x3x64x64 float32 in 0..1. Noise rather than a pattern,
    so no two cells share a score and every runtime sorts them the same way."""
    return np.random.default_rng(64).random((1, 3, SIZE, SIZE)).astype(np.float32)


class Features(nn.Module):
    """Random convs → per-cell features (B, F, N) over strides 8/16/32, plus cell centres."""

    def __init__(self, f: int) -> None:
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(3, f, s, s) for s in STRIDES)
        pts = []
        for s in STRIDES:
            gy, gx = torch.meshgrid(torch.arange(SIZE // s), torch.arange(SIZE // s), indexing="ij")
            pts.append((torch.stack([gx, gy], -1).reshape(-1, 2).float() + 0.5) * s)
        self.register_buffer("centres", torch.cat(pts).T.unsqueeze(0))  # (1, 2, N)
        self.register_buffer("stride", torch.cat([torch.full(((SIZE // s) ** 2,), float(s)) for s in STRIDES]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = torch.cat([c(x - 0.5).flatten(2) for c in self.convs], 2)
        # Standardised per channel, so the score offsets below set how many cells fire.
        return (f - f.mean(2, keepdim=True)) / (f.std(2, keepdim=True) + 1e-6)

    def boxes(self, f: torch.Tensor) -> torch.Tensor:
        """(B, 4, N) cx, cy, w, h in pixels, near each cell and of a plausible size."""
        xy = self.centres + torch.tanh(f[:, :2]) * self.stride
        wh = (torch.sigmoid(f[:, 2:4]) * 2.5 + 0.5) * self.stride
        return torch.cat([xy, wh], 1)


class YoloV8(nn.Module):
    def __init__(self, nc: int) -> None:
        super().__init__()
        self.f = Features(4 + nc)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.f(x)
        # Scores skewed low, as in a real model: most cells are background.
        return torch.cat([self.f.boxes(f), torch.sigmoid(f[:, 4:] * 2 - 5.2)], 1)


class YoloV5(nn.Module):
    def __init__(self, nc: int) -> None:
        super().__init__()
        self.f = Features(5 + nc)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.f(x)
        obj = torch.sigmoid(f[:, 4:5] * 2 - 1)
        cls = torch.sigmoid(f[:, 5:] * 2 - 3)
        return torch.cat([self.f.boxes(f), obj, cls], 1).transpose(1, 2)


class End2End(nn.Module):
    """Top-K of a YOLOv8-like output, as x1, y1, x2, y2, score, class (no NMS: it is 'inside')."""

    def __init__(self, nc: int) -> None:
        super().__init__()
        self.v8 = YoloV8(nc)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.v8(x)
        b, s = y[:, :4], y[:, 4:]
        score, cls = s.max(1)
        top = score.topk(K, 1).indices
        xy, wh = b[:, :2], b[:, 2:]
        xyxy = torch.cat([xy - wh / 2, xy + wh / 2], 1).transpose(1, 2)
        pick = top.unsqueeze(-1)
        return torch.cat(
            [xyxy.gather(1, pick.expand(-1, -1, 4)), score.gather(1, top).unsqueeze(-1), cls.gather(1, top).unsqueeze(-1).float()],
            2,
        )


def decode_yolov5(out: np.ndarray) -> np.ndarray:
    """(N, 5+nc) → (k, 6) x1, y1, x2, y2, score, class; score = objectness × class score."""
    scores = out[:, 4:5] * out[:, 5:]
    cls = scores.argmax(1)
    best = scores[np.arange(len(cls)), cls]
    m = best > CONF
    b, s, c = out[m, :4], best[m], cls[m]
    xyxy = np.concatenate([b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2], 1)
    keep = nms(xyxy + c[:, None] * 4096.0, s, IOU)
    return np.concatenate([xyxy[keep], s[keep, None], c[keep, None]], 1)


def detections(d: np.ndarray) -> list[dict]:
    return [{"box": [round(float(v), 4) for v in r[:4]], "score": round(float(r[4]), 6), "class": int(r[5])} for r in d]


def export(net: nn.Module, path: Path, dynamic: bool) -> None:
    torch.onnx.export(
        net,
        torch.zeros(1, 3, SIZE, SIZE),
        str(path),
        opset_version=17,
        input_names=["images"],
        output_names=["output0"],
        dynamic_axes={"images": {0: "batch"}, "output0": {0: "batch"}} if dynamic else None,
    )
    model = onnx.load(str(path))
    # Pin the output's non-batch dimensions, as Ultralytics' exports have them.
    with torch.no_grad():
        shape = net(torch.zeros(1, 3, SIZE, SIZE)).shape
    for d, v in zip(model.graph.output[0].type.tensor_type.shape.dim[1:], shape[1:]):
        d.dim_value = int(v)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))


def manifest(name: str, layout: str, onnx_path: Path) -> dict:
    return {
        "schemaVersion": 1,
        "name": f"zoo-{name}",
        "version": "0.0.0",
        "description": f"Format-zoo model in the {layout} output layout: random weights, for decoder tests only.",
        "file": onnx_path.name,
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "input": {"width": SIZE, "height": SIZE, "channels": "rgb", "scale": 1 / 255, "mean": [0, 0, 0],
                  "std": [1, 1, 1], "letterboxPad": 114},
        "output": {"layout": layout},
        "classes": NAMES,
        "detections": {"truck_uncovered": "uncovered_load", "dust": "dust", "debris_pile": "dumping",
                       "vending_stall": "street_vending"},
        "thresholds": {"default": CONF, "nmsIou": IOU},
    }


def main(out: Path) -> None:
    torch.manual_seed(20260101)
    out.mkdir(parents=True, exist_ok=True)
    x = zoo_input()
    (out / "input.f32").write_bytes(x.astype("<f4").tobytes())
    nc = len(NAMES)
    for name, net, dynamic in (
        ("yolov8", YoloV8(nc), True),
        ("yolov5", YoloV5(nc), False),
        ("end2end", End2End(nc), False),
    ):
        net.eval()
        path = out / f"{name}.onnx"
        export(net, path, dynamic)
        with torch.no_grad():
            y = net(torch.from_numpy(x)).numpy()[0]
        if name == "yolov8":
            dets = decode_yolov8(y, conf=CONF, iou=IOU)
        elif name == "yolov5":
            dets = decode_yolov5(y)
        else:
            dets = y[y[:, 4] > CONF]
        doc = {
            "model": path.name,
            "layout": name,
            "input": {"file": "input.f32", "shape": list(x.shape), "dtype": "float32 little-endian"},
            "output": {"name": "output0", "shape": [1, *y.shape], "data": [round(float(v), 7) for v in y.ravel()]},
            "decoded": {"conf": CONF, "iou": IOU, "classAware": True, "detections": detections(dets)},
        }
        (out / f"{name}.expected.json").write_text(json.dumps(doc) + "\n")
        (out / f"{name}.manifest.json").write_text(json.dumps(manifest(name, name, path), indent=2) + "\n")
        print(f"{path}: output {[1, *y.shape]}, {len(dets)} detections above {CONF}")
