"""Sub-commands of mw.py."""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from .export import export_main


def _scores(res: dict, names: list[str], split: str, data) -> dict:
    """The JSON `eval --json` and `eval-onnx --json` write; a class without ground truth has null AP."""
    def ap(v: float) -> float | None:
        return None if np.isnan(v) else float(v)

    per = {n: {"ap50": ap(res["ap"][c][0]), "ap": ap(res["ap"][c].mean())} for c, n in enumerate(names)}
    out = {"split": split, "images": len(data), "ignoreRegions": data.ignored(), "map50": res["map50"],
           "map": res["map"], "perClass": per}
    iv = res.get("interval")
    if iv:
        out["interval"] = {"level": iv["level"], "resamples": iv["reps"], "map50": iv["map50"],
                           "ap50": dict(zip(names, iv["ap50"]))}
    return out


def _heading(split: str, data, what: str = "") -> str:
    ignored = data.ignored()
    regions = f", {ignored} regions to ignore" if ignored else ""
    return f"{split}: {len(data)} images{regions}{what}"


def _train(a: argparse.Namespace) -> None:
    from .train import run

    run(a)


def _eval(a: argparse.Namespace) -> None:
    from .data import Cached, read_spec
    from .engine import build, evaluate_model, load_checkpoint, report

    ck = load_checkpoint(a.weights)
    spec = read_spec(a.data)
    size = a.imgsz or ck["imgsz"]
    data = Cached(spec.splits[a.split], len(spec.names), size, a.limit or None)
    res = evaluate_model(build(ck), data, size, a.bootstrap)
    print(_heading(a.split, data))
    print(report(res, spec.names))
    if a.json:
        Path(a.json).write_text(json.dumps(_scores(res, spec.names, a.split, data), indent=2) + "\n")


def _eval_onnx(a: argparse.Namespace) -> None:
    from .data import Cached, read_spec
    from .engine import report
    from .export import evaluate_onnx

    spec = read_spec(a.data)
    data = Cached(spec.splits[a.split], len(spec.names), a.imgsz, a.limit or None)
    with tempfile.TemporaryDirectory(prefix="mw-eval-onnx-") as work:
        res = evaluate_onnx(Path(a.model), data, len(spec.names), a.imgsz, Path(work), bootstrap=a.bootstrap)
    print(_heading(a.split, data, f", {a.model} in onnxruntime-node"))
    print(report(res, spec.names))
    if a.json:
        Path(a.json).write_text(json.dumps(_scores(res, spec.names, a.split, data), indent=2) + "\n")


def _export(a: argparse.Namespace) -> None:
    from .engine import load_checkpoint
    from .manifest import build_manifest, threshold_overrides, write_manifest

    try:  # checked before the export's minutes of work
        overrides = threshold_overrides(a.threshold, list(load_checkpoint(a.weights)["names"]))
    except ValueError as err:
        raise SystemExit(f"export: {err}") from err
    res = export_main(a.weights, a.out, a.imgsz, a.data, a.split, a.limit, a.keep_verify)
    if a.weights_out:
        # Compact fine-tuning start point: the EMA weights in float16 (`train --init` reads it).
        import torch

        ck = load_checkpoint(a.weights)
        src = ck.get("ema") or ck["model"]
        small = {k: (v.half() if v.dtype.is_floating_point else v) for k, v in src.items()}
        torch.save({"ema": small, "names": ck["names"], "width": ck["width"], "imgsz": ck["imgsz"]}, a.weights_out)
        print(f"weights {a.weights_out} ({Path(a.weights_out).stat().st_size / 1e6:.2f} MB)")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2) + "\n")
    if not a.manifest:
        return
    names, verified = res["names"], res["verify"]
    splits = list(verified)
    training = metrics = per_class = None
    if splits:
        # Thresholds come from the first split verified (val), metrics from the last (test),
        # both measured in onnxruntime-node, the runtime that ships.
        f1 = verified[splits[0]]["f1_conf"]
        per_class = {n: round(min(0.9, max(0.1, t)), 3) for n, t in zip(names, f1) if t is not None}
        last = verified[splits[-1]]
        ap = np.array(last["onnxruntime_node"]["ap"], dtype=float)
        metrics = {
            "split": splits[-1],
            "images": last["images"],
            "map50": round(last["onnxruntime_node"]["map50"], 4),
            "map": round(last["onnxruntime_node"]["map"], 4),
            "perClass": {
                n: {"ap50": None if np.isnan(ap[c, 0]) else round(float(ap[c, 0]), 4),
                    "ap": None if np.isnan(ap[c, 0]) else round(float(ap[c].mean()), 4)}
                for c, n in enumerate(names)
            },
        }
        ck = load_checkpoint(a.weights)
        st = ck["state"]
        counts = {}
        from .data import list_images, read_spec

        for sp, folder in read_spec(a.data).splits.items():
            counts[sp] = len(list_images(folder))
        training = {
            "dataset": a.dataset_name or str(a.data),
            "images": counts,
            "imgsz": ck["imgsz"],
            "epochs": int(st["epoch"]),
            "minutes": round(st.get("seconds", 0.0) / 60, 1),
            "notes": f"{st['step']} steps of batch {ck.get('batch', '?')}, AdamW, EMA weights, CPU",
        }
    if overrides:
        per_class = {**(per_class or {}), **overrides}
    onnx_path = Path(a.out)
    doc = build_manifest(onnx_path, names, res["imgsz"], a.name or onnx_path.parent.name, a.version,
                         training, metrics, per_class)
    write_manifest(Path(a.manifest), doc)
    print(f"manifest {a.manifest}")


def _shapes(a: argparse.Namespace) -> None:
    from .shapes import make

    print(make(Path(a.out), a.train, a.val, seed=a.seed))


def _zoo(a: argparse.Namespace) -> None:
    from .zoo import main

    main(Path(a.out))


def _bootstrap_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bootstrap", type=int, default=0, metavar="N",
                   help="also give a 95%% interval of AP@0.5 from N resamples of the images (e.g. 200)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from .train import add_args

    p = sub.add_parser("train", help="train a detector on a YOLO-format dataset")
    add_args(p)
    p.set_defaults(func=_train)

    p = sub.add_parser("eval", help="mAP@0.5 and mAP@0.5:0.95 per class of a checkpoint")
    p.add_argument("--weights", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="val")
    p.add_argument("--imgsz", type=int, default=0)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--json", default="")
    _bootstrap_arg(p)
    p.set_defaults(func=_eval)

    p = sub.add_parser("eval-onnx", help="mAP per class of an exported ONNX file, run in onnxruntime-node")
    p.add_argument("--model", required=True, help="ONNX file in the YOLOv8 layout")
    p.add_argument("--data", required=True)
    p.add_argument("--split", default="test")
    p.add_argument("--imgsz", type=int, default=320, help="the model's input size (square)")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--json", default="")
    _bootstrap_arg(p)
    p.set_defaults(func=_eval_onnx)

    p = sub.add_parser("export", help="ONNX in the YOLOv8 layout, verified in onnxruntime-node")
    p.add_argument("--weights", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--imgsz", type=int, default=0)
    p.add_argument("--data", default="", help="verify on this dataset's split with onnxruntime-node")
    p.add_argument("--split", default="val", help="comma list, e.g. val,test: thresholds from the first, metrics from the last")
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--json", default="")
    p.add_argument("--manifest", default="", help="also write a manifest (models/manifest.ts schema) here")
    p.add_argument("--name", default="")
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--dataset-name", default="", help="how the manifest names the training data")
    p.add_argument("--weights-out", default="", help="also save compact float16 weights for fine-tuning")
    p.add_argument("--threshold", action="append", default=[], metavar="CLASS=SCORE",
                   help="a class's manifest threshold instead of its validation F1 optimum (repeatable)")
    p.add_argument("--keep-verify", action="store_true", help="keep the verification inputs/outputs (tests)")
    p.set_defaults(func=_export)

    p = sub.add_parser("shapes", help="write a tiny shapes dataset (tests, smoke runs)")
    p.add_argument("out")
    p.add_argument("--train", type=int, default=32)
    p.add_argument("--val", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_shapes)

    p = sub.add_parser("zoo", help="regenerate the decoder format zoo")
    p.add_argument("--out", default="models/zoo")
    p.set_defaults(func=_zoo)
