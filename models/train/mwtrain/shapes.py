"""A tiny YOLO-format dataset of coloured shapes, one per MuckWatch class: enough to prove the
pipeline (tests, smoke runs) in seconds, never to train a useful model. Every third image also
holds a faint plume written to ignore/ as a region to ignore."""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import yaml
from PIL import Image, ImageDraw

NAMES = ["truck_covered", "truck_uncovered", "dust", "debris_pile", "vending_stall", "person", "car"]
COLOURS = [(40, 90, 200), (220, 60, 40), (200, 200, 190), (120, 80, 40), (240, 200, 30), (30, 160, 60), (160, 40, 200)]


def draw(d: ImageDraw.ImageDraw, c: int, box: tuple[int, int, int, int]) -> None:
    x1, y1, x2, y2 = box
    col = COLOURS[c]
    if c in (0, 1, 6):
        d.rectangle(box, fill=col)
        if c == 1:  # an open load: a darker band on top
            d.rectangle((x1, y1, x2, y1 + (y2 - y1) // 3), fill=(90, 60, 30))
    elif c in (2, 3):
        d.ellipse(box, fill=col)
    elif c == 4:
        d.polygon([(x1, y2), ((x1 + x2) // 2, y1), (x2, y2)], fill=col)
    else:
        d.rectangle(((x1 + x2) // 2 - max(1, (x2 - x1) // 4), y1, (x1 + x2) // 2 + max(1, (x2 - x1) // 4), y2), fill=col)


def make(root: Path, n_train: int = 32, n_val: int = 8, size: tuple[int, int] = (160, 120), seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    w, h = size
    for split, n in (("train", n_train), ("val", n_val)):
        (root / "images" / split).mkdir(parents=True, exist_ok=True)
        (root / "labels" / split).mkdir(parents=True, exist_ok=True)
        (root / "ignore" / split).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            bg = rng.integers(60, 140, (h, w, 3)).astype(np.uint8)
            img = Image.fromarray(bg)
            d = ImageDraw.Draw(img)
            lines = []
            for _ in range(int(rng.integers(1, 4))):
                c = int(rng.integers(0, len(NAMES)))
                bw, bh = int(rng.integers(w // 8, w // 3)), int(rng.integers(h // 8, h // 3))
                x1, y1 = int(rng.integers(0, w - bw)), int(rng.integers(0, h - bh))
                draw(d, c, (x1, y1, x1 + bw, y1 + bh))
                lines.append(f"{c} {(x1 + bw / 2) / w:.6f} {(y1 + bh / 2) / h:.6f} {bw / w:.6f} {bh / h:.6f}")
            if i % 3 == 0:  # a plume barely lighter than the ground around it
                bw, bh = w // 4, h // 4
                x1, y1 = int(rng.integers(0, w - bw)), int(rng.integers(0, h - bh))
                d.ellipse((x1, y1, x1 + bw, y1 + bh), fill=(150, 150, 145))
                region = f"2 {(x1 + bw / 2) / w:.6f} {(y1 + bh / 2) / h:.6f} {bw / w:.6f} {bh / h:.6f}\n"
                (root / "ignore" / split / f"{i:04d}.txt").write_text(region)
            img.save(root / "images" / split / f"{i:04d}.png")
            (root / "labels" / split / f"{i:04d}.txt").write_text("\n".join(lines) + "\n")
    spec = {"path": str(root.resolve()), "train": "images/train", "val": "images/val", "names": NAMES}
    (root / "data.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    return root / "data.yaml"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    p.add_argument("--train", type=int, default=32)
    p.add_argument("--val", type=int, default=8)
    a = p.parse_args(argv)
    print(make(Path(a.out), a.train, a.val))


if __name__ == "__main__":
    main()
