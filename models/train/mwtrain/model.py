"""A compact anchor-free detector in the spirit of YOLOv8n, sized for one CPU thread.

Backbone of strided convs + C2f blocks, a top-down FPN, and a decoupled head per stride
(8, 16, 32). Boxes are predicted as distances (left, top, right, bottom) from each grid
cell's centre, in stride units; classes as independent logits (no objectness). `Exported`
wraps a trained net so its single output is exactly Ultralytics YOLOv8's: (B, 4+nc, N) with
cx, cy, w, h in input pixels followed by per-class sigmoid scores.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

STRIDES = (8, 16, 32)


class Conv(nn.Module):
    """Conv + BN + ReLU (ReLU rather than SiLU: onnxruntime fuses it into the conv kernel)."""

    def __init__(self, c_in: int, c_out: int, k: int = 3, s: int = 1, groups: int = 1) -> None:
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, s, k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(c_out, eps=1e-3, momentum=0.03)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.bn(self.conv(x)))


class Bottleneck(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.a = Conv(c, c, 3)
        self.b = Conv(c, c, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.b(self.a(x))


class C2f(nn.Module):
    """YOLOv8's cross-stage block: split, n bottlenecks on one half, concat every stage."""

    def __init__(self, c_in: int, c_out: int, n: int = 1) -> None:
        super().__init__()
        self.h = c_out // 2
        self.cv1 = Conv(c_in, 2 * self.h, 1)
        self.blocks = nn.ModuleList(Bottleneck(self.h) for _ in range(n))
        self.cv2 = Conv((2 + n) * self.h, c_out, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = list(self.cv1(x).chunk(2, 1))
        for b in self.blocks:
            y.append(b(y[-1]))
        return self.cv2(torch.cat(y, 1))


class SPPF(nn.Module):
    def __init__(self, c: int) -> None:
        super().__init__()
        self.cv1 = Conv(c, c // 2, 1)
        self.cv2 = Conv(c * 2, c, 1)
        self.pool = nn.MaxPool2d(5, 1, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.cv1(x)
        y1 = self.pool(x)
        y2 = self.pool(y1)
        return self.cv2(torch.cat([x, y1, y2, self.pool(y2)], 1))


class Branch(nn.Module):
    """One head branch: depthwise 3x3 + pointwise, twice, then a 1x1 predictor (cheap on CPU)."""

    def __init__(self, c_in: int, c: int, c_out: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            Conv(c_in, c_in, 3, groups=c_in), Conv(c_in, c, 1), Conv(c, c, 3, groups=c), Conv(c, c, 1)
        )
        self.pred = nn.Conv2d(c, c_out, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pred(self.body(x))


class Detector(nn.Module):
    """Returns raw per-level maps in training; `Exported` turns them into the YOLOv8 layout."""

    def __init__(self, nc: int, width: float = 1.0) -> None:
        super().__init__()
        self.nc = nc
        self.width = width
        c = [max(8, int(round(v * width / 8)) * 8) for v in (16, 32, 64, 96, 128)]
        self.stem = nn.Sequential(Conv(3, c[0], 3, 2), Conv(c[0], c[1], 3, 2))
        self.s3 = nn.Sequential(Conv(c[1], c[2], 3, 2), C2f(c[2], c[2], 1))
        self.s4 = nn.Sequential(Conv(c[2], c[3], 3, 2), C2f(c[3], c[3], 1))
        self.s5 = nn.Sequential(Conv(c[3], c[4], 3, 2), C2f(c[4], c[4], 1), SPPF(c[4]))
        self.up = nn.Upsample(scale_factor=2.0, mode="nearest")
        self.f4 = C2f(c[4] + c[3], c[3], 1)
        self.f3 = C2f(c[3] + c[2], c[2], 1)
        chans = (c[2], c[3], c[4])
        ch = max(32, c[2])
        self.box = nn.ModuleList(Branch(ci, ch, 4) for ci in chans)
        self.cls = nn.ModuleList(Branch(ci, ch, nc) for ci in chans)
        self._init_bias()

    def _init_bias(self) -> None:
        # Start every class score near 1%: the usual prior so early BCE is not swamped by negatives.
        for b in self.cls:
            nn.init.constant_(b.pred.bias, -math.log((1 - 0.01) / 0.01))
        for b in self.box:
            nn.init.constant_(b.pred.bias, 1.0)

    def forward(self, x: torch.Tensor) -> list[tuple[torch.Tensor, torch.Tensor]]:
        p3 = self.s3(self.stem(x))
        p4 = self.s4(p3)
        p5 = self.s5(p4)
        n4 = self.f4(torch.cat([self.up(p5), p4], 1))
        n3 = self.f3(torch.cat([self.up(n4), p3], 1))
        return [(self.box[i](f), self.cls[i](f)) for i, f in enumerate((n3, n4, p5))]


def make_anchors(h: int, w: int, device: torch.device | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Grid-cell centres in input pixels (N, 2) and their strides (N, 1), P3 then P4 then P5."""
    pts, strides = [], []
    for s in STRIDES:
        gy, gx = torch.meshgrid(
            torch.arange(h // s, device=device, dtype=torch.float32),
            torch.arange(w // s, device=device, dtype=torch.float32),
            indexing="ij",
        )
        pts.append((torch.stack([gx, gy], -1).reshape(-1, 2) + 0.5) * s)
        strides.append(torch.full((pts[-1].shape[0], 1), float(s), device=device))
    return torch.cat(pts), torch.cat(strides)


def flatten(outs: list[tuple[torch.Tensor, torch.Tensor]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-level maps → (B, N, 4) distance logits and (B, N, nc) class logits."""
    box = torch.cat([b.flatten(2) for b, _ in outs], 2).transpose(1, 2)
    cls = torch.cat([c.flatten(2) for _, c in outs], 2).transpose(1, 2)
    return box, cls


def decode_ltrb(box_logits: torch.Tensor, anchors: torch.Tensor, strides: torch.Tensor) -> torch.Tensor:
    """Distance logits → x1, y1, x2, y2 in input pixels. softplus keeps distances positive."""
    d = F.softplus(box_logits) * strides
    return torch.cat([anchors - d[..., :2], anchors + d[..., 2:]], -1)


class Exported(nn.Module):
    """The deployable graph: image in, (B, 4+nc, N) out, exactly Ultralytics YOLOv8's layout."""

    def __init__(self, net: Detector, h: int, w: int) -> None:
        super().__init__()
        self.net = net
        anchors, strides = make_anchors(h, w)
        self.register_buffer("anchors", anchors)
        self.register_buffer("strides", strides)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        box, cls = flatten(self.net(x))
        xyxy = decode_ltrb(box, self.anchors, self.strides)
        xywh = torch.cat([(xyxy[..., :2] + xyxy[..., 2:]) / 2, xyxy[..., 2:] - xyxy[..., :2]], -1)
        return torch.cat([xywh, cls.sigmoid()], -1).transpose(1, 2)
