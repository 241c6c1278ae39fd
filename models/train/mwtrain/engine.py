"""Batching, EMA, checkpoints and evaluation shared by training, eval and export."""
from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from torch import nn

from .augment import val_item
from .data import Cached
from .metrics import Evaluator, decode_yolov8
from .model import Detector, Exported


def to_batch(items: list[tuple[np.ndarray, np.ndarray]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """HWC uint8 images + box lists → (B,3,H,W) 0..1, padded (B,M,5) boxes and their mask."""
    imgs = torch.from_numpy(np.stack([i for i, _ in items])).permute(0, 3, 1, 2).float().div_(255)
    m = max(1, max(len(b) for _, b in items))
    gt = torch.zeros(len(items), m, 5)
    mask = torch.zeros(len(items), m, dtype=torch.bool)
    for k, (_, b) in enumerate(items):
        if len(b):
            gt[k, : len(b)] = torch.from_numpy(np.asarray(b, np.float32))
            mask[k, : len(b)] = True
    return imgs, gt, mask


class EMA:
    """Exponential moving average of weights; the averaged copy is what gets evaluated and shipped."""

    def __init__(self, model: nn.Module, decay: float = 0.9995, tau: float = 1000.0) -> None:
        self.ema = copy.deepcopy(model).eval()
        for p in self.ema.parameters():
            p.requires_grad_(False)
        self.decay, self.tau, self.updates = decay, tau, 0

    @torch.no_grad()
    def update(self, model: nn.Module) -> None:
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / self.tau))
        msd = model.state_dict()
        for k, v in self.ema.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(msd[k].detach(), alpha=1 - d)
            else:
                v.copy_(msd[k])


def build(ckpt: dict[str, Any], use_ema: bool = True) -> Detector:
    net = Detector(len(ckpt["names"]), ckpt["width"])
    net.load_state_dict(ckpt["ema" if use_ema and ckpt.get("ema") else "model"])
    return net.eval()


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    return torch.load(path, map_location="cpu")


@torch.no_grad()
def predict(exported: Callable[[torch.Tensor], torch.Tensor], data: Cached, size: int, batch: int = 16):
    """Yield (raw (4+nc, N) output, letterboxed gt) per image, in dataset order."""
    for s in range(0, len(data), batch):
        items = [val_item(data, i, size) for i in range(s, min(s + batch, len(data)))]
        x, _, _ = to_batch(items)
        out = exported(x).numpy()
        for k, (_, gt) in enumerate(items):
            yield out[k], gt


def evaluate_outputs(pairs, nc: int, bootstrap: int = 0) -> dict[str, Any]:
    """AP per class of raw outputs; with `bootstrap` > 0, also an interval of AP@0.5 from that
    many resamples of the images (`res["interval"]`)."""
    ev = Evaluator(nc)
    for out, gt in pairs:
        ev.add(decode_yolov8(out), gt)
    res = ev.result()
    if bootstrap:
        res["interval"] = ev.bootstrap_ap50(bootstrap)
    return res


def evaluate_model(net: Detector, data: Cached, size: int, bootstrap: int = 0) -> dict[str, Any]:
    exp = Exported(net.eval(), size, size).eval()
    return evaluate_outputs(predict(exp, data, size), net.nc, bootstrap)


def report(res: dict[str, Any], names: list[str]) -> str:
    iv = res.get("interval")
    lines = [f"{'class':<18}{'AP50':>8}{'AP50:95':>10}" + (f"  AP50 {round(100 * iv['level'])}%" if iv else "")]

    def span(v: list[float] | None) -> str:
        return f"  {v[0]:.3f}-{v[1]:.3f}" if v else ""

    for c, n in enumerate(names):
        a = res["ap"][c]
        lines.append(f"{n:<18}{a[0]:>8.3f}{np.mean(a):>10.3f}" + (span(iv["ap50"][c]) if iv else ""))
    lines.append(f"{'all':<18}{res['map50']:>8.3f}{res['map']:>10.3f}" + (span(iv["map50"]) if iv else ""))
    return "\n".join(lines)
