"""Task-aligned assignment (as in YOLOv8/TOOD) and the detection loss: BCE on IoU-aware class
targets plus CIoU on the boxes of assigned cells."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def box_iou_pairwise(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """IoU of broadcastable xyxy boxes (..., 4) → (...)."""
    lt = torch.maximum(a[..., :2], b[..., :2])
    rb = torch.minimum(a[..., 2:], b[..., 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    area_a = (a[..., 2:] - a[..., :2]).clamp(min=0).prod(-1)
    area_b = (b[..., 2:] - b[..., :2]).clamp(min=0).prod(-1)
    return inter / (area_a + area_b - inter + eps)


def ciou(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """Complete IoU of matching xyxy boxes (n, 4) → (n,)."""
    iou = box_iou_pairwise(a, b, eps)
    cw = torch.maximum(a[:, 2], b[:, 2]) - torch.minimum(a[:, 0], b[:, 0])
    ch = torch.maximum(a[:, 3], b[:, 3]) - torch.minimum(a[:, 1], b[:, 1])
    c2 = cw**2 + ch**2 + eps
    rho2 = ((a[:, 0] + a[:, 2] - b[:, 0] - b[:, 2]) ** 2 + (a[:, 1] + a[:, 3] - b[:, 1] - b[:, 3]) ** 2) / 4
    wa, ha = a[:, 2] - a[:, 0], (a[:, 3] - a[:, 1]).clamp(min=eps)
    wb, hb = b[:, 2] - b[:, 0], (b[:, 3] - b[:, 1]).clamp(min=eps)
    v = (4 / math.pi**2) * (torch.atan(wb / hb) - torch.atan(wa / ha)) ** 2
    with torch.no_grad():
        alpha = v / (v - iou + (1 + eps))
    return iou - (rho2 / c2 + v * alpha)


@torch.no_grad()
def assign(
    scores: torch.Tensor,  # (B, N, C) sigmoid
    pred: torch.Tensor,  # (B, N, 4) xyxy
    anchors: torch.Tensor,  # (N, 2)
    gt: torch.Tensor,  # (B, M, 5) cls, x1, y1, x2, y2
    gt_mask: torch.Tensor,  # (B, M) bool
    topk: int = 10,
    alpha: float = 0.5,
    beta: float = 6.0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Returns target boxes (B, N, 4), target scores (B, N, C) and the foreground mask (B, N)."""
    b, n, c = scores.shape
    m = gt.shape[1]
    if m == 0:
        return torch.zeros_like(pred), torch.zeros_like(scores), torch.zeros(b, n, dtype=torch.bool)
    gt_cls = gt[..., 0].long().clamp(0, c - 1)
    gt_box = gt[..., 1:]
    # Cells whose centre lies inside the box are the candidates.
    ax, ay = anchors[:, 0].view(1, 1, n), anchors[:, 1].view(1, 1, n)
    inside = (
        (ax > gt_box[..., 0:1]) & (ax < gt_box[..., 2:3]) & (ay > gt_box[..., 1:2]) & (ay < gt_box[..., 3:4])
    ) & gt_mask.unsqueeze(-1)
    cx, cy = (gt_box[..., 0:1] + gt_box[..., 2:3]) / 2, (gt_box[..., 1:2] + gt_box[..., 3:4]) / 2
    dist = (ax - cx) ** 2 + (ay - cy) ** 2  # (B, M, N)
    # A box too small to contain any cell centre still gets its nearest cell.
    orphan = gt_mask & ~inside.any(-1)
    if orphan.any():
        nearest = torch.zeros_like(inside).scatter_(-1, dist.argmin(-1, keepdim=True), True)
        inside = inside | (nearest & orphan.unsqueeze(-1))
    ious = box_iou_pairwise(gt_box.unsqueeze(2), pred.unsqueeze(1)).clamp(min=0) * inside
    cls_score = scores.gather(2, gt_cls.unsqueeze(1).expand(b, n, m)).transpose(1, 2)  # (B, M, N)
    metric = cls_score.pow(alpha) * ious.pow(beta) * inside
    # Tie-break tiny objects whose candidates all score zero: fall back to centre distance.
    metric = metric + inside * 1e-9 / (1 + dist)
    k = min(topk, n)
    top = metric.topk(k, dim=-1).indices
    pos = torch.zeros_like(metric, dtype=torch.bool).scatter_(-1, top, True) & inside
    # A cell claimed by several boxes goes to the one it overlaps most.
    multi = pos.sum(1, keepdim=True) > 1
    if multi.any():
        best = (ious + inside * 1e-6 / (1 + dist)).argmax(1, keepdim=True)
        one = torch.zeros_like(pos).scatter_(1, best, True)
        pos = torch.where(multi, one, pos)
    fg = pos.any(1)
    idx = pos.float().argmax(1)  # (B, N)
    t_box = gt_box.gather(1, idx.unsqueeze(-1).expand(b, n, 4))
    t_cls = gt_cls.gather(1, idx)
    metric = metric * pos
    ious = ious * pos
    norm = (metric * ious.amax(-1, keepdim=True) / (metric.amax(-1, keepdim=True) + 1e-9)).amax(1)  # (B, N)
    t_scores = F.one_hot(t_cls, c).float() * (norm * fg).unsqueeze(-1)
    return t_box, t_scores, fg


def ignore_cells(anchors: torch.Tensor, gt: torch.Tensor, gt_mask: torch.Tensor, nc: int) -> torch.Tensor:
    """(B, N, C) bool: cells whose centre lies in a region to ignore (gt rows of class -1 - c) of class c."""
    ign = gt_mask & (gt[..., 0] < 0)  # (B, M)
    b, n = gt.shape[0], anchors.shape[0]
    if not ign.any():
        return torch.zeros(b, n, nc, dtype=torch.bool)
    box = gt[..., 1:]
    ax, ay = anchors[:, 0].view(1, 1, n), anchors[:, 1].view(1, 1, n)
    inside = (ax > box[..., 0:1]) & (ax < box[..., 2:3]) & (ay > box[..., 1:2]) & (ay < box[..., 3:4])
    inside = (inside & ign.unsqueeze(-1)).float()  # (B, M, N)
    cls = F.one_hot((-1 - gt[..., 0]).long().clamp(0, nc - 1), nc).float()  # (B, M, C)
    return torch.einsum("bmn,bmc->bnc", inside, cls) > 0


def detection_loss(
    box_xyxy: torch.Tensor,
    cls_logits: torch.Tensor,
    anchors: torch.Tensor,
    gt: torch.Tensor,
    gt_mask: torch.Tensor,
    box_gain: float = 7.5,
    cls_gain: float = 0.5,
) -> tuple[torch.Tensor, dict[str, float]]:
    labels = gt_mask & (gt[..., 0] >= 0)
    t_box, t_scores, fg = assign(cls_logits.detach().sigmoid(), box_xyxy.detach(), anchors, gt, labels)
    tss = t_scores.sum().clamp(min=1)
    # In a region to ignore, a cell no label claims is not taught that its class is absent.
    keep = ~(ignore_cells(anchors, gt, gt_mask, cls_logits.shape[-1]) & ~fg.unsqueeze(-1))
    bce = F.binary_cross_entropy_with_logits(cls_logits, t_scores, reduction="none")
    l_cls = (bce * keep).sum() / tss
    if fg.any():
        w = t_scores.sum(-1)[fg]
        l_box = ((1 - ciou(box_xyxy[fg], t_box[fg])) * w).sum() / tss
    else:
        l_box = box_xyxy.sum() * 0
    total = box_gain * l_box + cls_gain * l_cls
    return total, {"box": float(l_box), "cls": float(l_cls)}
