"""Training loop: AdamW with warm-up and cosine decay, EMA, per-epoch validation (mAP),
checkpoints (last.pt / best.pt, resumable), a progress bar and a training-curve PNG."""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info
from tqdm import tqdm

from .augment import TrainSampler
from .data import Cached, read_spec
from .engine import EMA, evaluate_model, load_checkpoint, report, to_batch
from .loss import detection_loss
from .model import Detector, decode_ltrb, flatten, make_anchors


class Augmented(Dataset):
    def __init__(self, data: Cached, size: int, seed: int) -> None:
        self.data = data
        self.sampler = TrainSampler(data, size, seed)
        # Shared memory, so switching mosaic off late in training reaches persistent workers.
        self.mosaic_p = torch.tensor([0.5]).share_memory_()

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, i: int):
        self.sampler.mosaic_p = float(self.mosaic_p[0])
        return self.sampler(i)


def _seed_worker(worker_id: int) -> None:
    info = get_worker_info()
    assert info is not None
    ds: Augmented = info.dataset  # type: ignore[assignment]
    ds.sampler.rng = np.random.default_rng(torch.initial_seed() % 2**32 + worker_id)


def add_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", required=True, help="data.yaml of a YOLO-format dataset")
    p.add_argument("--out", default=".data/models/runs/train", help="run folder (checkpoints, curves)")
    p.add_argument("--imgsz", type=int, default=320)
    p.add_argument("--width", type=float, default=1.0)
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--minutes", type=float, default=0, help="training-time budget: the LR schedule follows the clock")
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (smoke tests)")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3)
    # One thread: on a shared CPU, OpenMP threads spin on barriers and two run several times slower than one.
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--limit-train", type=int, default=0)
    p.add_argument("--limit-val", type=int, default=300)
    p.add_argument("--close-mosaic", type=float, default=0.15, help="last fraction of epochs without mosaic")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    p.add_argument("--init", default="", help="start from these weights (fine-tuning)")
    p.add_argument("--no-progress", action="store_true")


def plot(history: list[dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ep = [h["epoch"] for h in history]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    for k in ("box", "cls"):
        a.plot(ep, [h[k] for h in history], label=f"{k} loss")
    a.set_xlabel("epoch")
    a.legend()
    for k in ("map50", "map"):
        b.plot(ep, [h[k] for h in history], label="mAP@0.5" if k == "map50" else "mAP@0.5:0.95")
    b.set_xlabel("epoch")
    b.set_ylim(0, 1)
    b.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def run(args: argparse.Namespace) -> dict[str, Any]:
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    spec = read_spec(args.data)
    nc = len(spec.names)
    t0 = time.time()
    train = Cached(spec.splits["train"], nc, args.imgsz, args.limit_train or None)
    val = Cached(spec.splits.get("val", spec.splits["train"]), nc, args.imgsz, args.limit_val or None)
    print(f"data: {len(train)} train / {len(val)} val images, {nc} classes, cached in {time.time() - t0:.0f}s")

    net = Detector(nc, args.width)
    ema = EMA(net)
    decay, no_decay = [], []
    for p in net.parameters():
        (decay if p.ndim > 1 else no_decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0}], lr=args.lr)
    state = {"epoch": 0, "step": 0, "epochs": args.epochs, "history": [], "best": -1.0}
    if args.resume and (out / "last.pt").exists():
        ck = load_checkpoint(out / "last.pt")
        net.load_state_dict(ck["model"])
        ema.ema.load_state_dict(ck["ema"])
        ema.updates = ck["ema_updates"]
        opt.load_state_dict(ck["optimizer"])
        state = ck["state"]
        state["epochs"] = max(state["epochs"], args.epochs)  # a larger --epochs extends the run
        print(f"resumed at epoch {state['epoch']} of {state['epochs']}")
    elif args.init:
        ck = load_checkpoint(args.init)
        own = net.state_dict()
        # Fine-tuning may change the class count: keep every tensor whose shape still fits.
        src = ck.get("ema") or ck["model"]
        fit = {k: v.to(own[k].dtype) for k, v in src.items() if k in own and own[k].shape == v.shape}
        net.load_state_dict(fit, strict=False)
        ema = EMA(net)
        print(f"initialised {len(fit)}/{len(own)} tensors from {args.init}")

    ds = Augmented(train, args.imgsz, args.seed)
    loader = DataLoader(
        ds,
        batch_size=args.batch,
        shuffle=True,
        drop_last=len(train) >= args.batch,
        num_workers=args.workers,
        collate_fn=to_batch,
        worker_init_fn=_seed_worker if args.workers else None,
        persistent_workers=args.workers > 0,
        generator=torch.Generator().manual_seed(args.seed + state["epoch"]),
    )
    anchors, strides = make_anchors(args.imgsz, args.imgsz)
    per_epoch = len(loader)
    warmup = min(300, per_epoch * 2)
    budget = args.minutes * 60
    spent = state.get("seconds", 0.0)  # training time of earlier sessions (resume)
    done = False

    def progress() -> float:
        """0..1 through the run: by steps, or by the clock when a time budget is set."""
        by_steps = state["step"] / max(1, state["epochs"] * per_epoch)
        return min(1.0, max(by_steps, spent / budget) if budget else by_steps)

    while state["epoch"] < state["epochs"] and not done:
        # Mosaic off for the last stretch, so the net finishes on whole frames as inference sees them.
        ds.mosaic_p[0] = 0.0 if progress() >= 1 - args.close_mosaic else 0.5
        net.train()
        te = time.time()
        sums = {"box": 0.0, "cls": 0.0}
        bar = tqdm(loader, desc=f"epoch {state['epoch'] + 1}", disable=args.no_progress, leave=False)
        n = 0
        for imgs, gt, mask in bar:
            ts = time.time()
            p = progress()
            lr = args.lr * min(1.0, (state["step"] + 1) / warmup) * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * p)))
            for g in opt.param_groups:
                g["lr"] = lr
            box, cls = flatten(net(imgs))
            loss, parts = detection_loss(decode_ltrb(box, anchors, strides), cls, anchors, gt, mask)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
            opt.step()
            ema.update(net)
            state["step"] += 1
            n += 1
            spent += time.time() - ts
            for k in sums:
                sums[k] += parts[k]
            bar.set_postfix(box=f"{parts['box']:.3f}", cls=f"{parts['cls']:.3f}", lr=f"{lr:.1e}", done=f"{p:.0%}")
            if (args.max_steps and state["step"] >= args.max_steps) or (budget and spent >= budget):
                done = True
                break
            if budget and ds.mosaic_p[0] > 0 and progress() >= 1 - args.close_mosaic:
                break  # start a fresh pass without mosaic
        state["seconds"] = spent
        res = evaluate_model(ema.ema, val, args.imgsz)
        state["epoch"] += 1
        if budget and state["epoch"] >= state["epochs"] and not done:
            state["epochs"] += 1  # the clock, not the epoch count, ends a budgeted run
        h = {"epoch": state["epoch"], "box": sums["box"] / max(n, 1), "cls": sums["cls"] / max(n, 1),
             "map50": res["map50"], "map": res["map"], "seconds": time.time() - te}
        state["history"].append(h)
        print(f"epoch {state['epoch']}/{state['epochs']}: box {h['box']:.3f} cls {h['cls']:.3f} "
              f"mAP50 {h['map50']:.3f} mAP {h['map']:.3f} ({h['seconds']:.0f}s)", flush=True)
        ck = {"model": net.state_dict(), "ema": ema.ema.state_dict(), "ema_updates": ema.updates,
              "optimizer": opt.state_dict(), "state": state, "names": spec.names, "width": args.width,
              "imgsz": args.imgsz, "batch": args.batch, "data": str(args.data), "metrics": {"map50": res["map50"], "map": res["map"],
              "ap": res["ap"].tolist()}}
        torch.save(ck, out / "last.pt")
        fitness = 0.5 * res["map50"] + 0.5 * res["map"]
        if fitness > state["best"]:
            state["best"] = fitness
            torch.save({k: v for k, v in ck.items() if k != "optimizer"}, out / "best.pt")
        plot(state["history"], out / "curves.png")
        (out / "history.json").write_text(json.dumps(state["history"], indent=1))
    if not state["history"]:
        return {}
    print(f"best fitness {state['best']:.3f}; last epoch:")
    print(report(res, spec.names) if "res" in locals() else "(no new epoch)")
    return state["history"][-1]
