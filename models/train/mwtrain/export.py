"""ONNX export in the Ultralytics YOLOv8 layout, checked with onnx.checker, and verified by
running the file in onnxruntime-node (models/ort-run.ts) on validation images."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import torch

from .augment import val_item
from .data import Cached
from .engine import build, evaluate_outputs, load_checkpoint, to_batch
from .model import Exported

OPSET = 17
REPO = Path(__file__).resolve().parents[3]


def export_onnx(ckpt: dict[str, Any], path: Path, imgsz: int | None = None) -> Exported:
    size = imgsz or ckpt["imgsz"]
    exp = Exported(build(ckpt), size, size).eval()
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        exp,
        torch.zeros(1, 3, size, size),
        str(path),
        opset_version=OPSET,
        input_names=["images"],
        output_names=["output0"],
        dynamic_axes={"images": {0: "batch"}, "output0": {0: "batch"}},
        do_constant_folding=True,
    )
    model = onnx.load(str(path))
    # The exporter leaves the channel dimension symbolic after the transpose; pin it so a
    # reader (and the manifest check) sees 1x(4+nc)xN exactly as Ultralytics writes it.
    n = exp.anchors.shape[0]
    dims = model.graph.output[0].type.tensor_type.shape.dim
    dims[0].dim_param = "batch"
    dims[1].dim_value = 4 + exp.net.nc
    dims[2].dim_value = n
    model.doc_string = "MuckWatch detector, Ultralytics YOLOv8 output layout"
    meta = {"names": json.dumps(ckpt["names"]), "imgsz": json.dumps([size, size]), "layout": "yolov8"}
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=v)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))
    return exp


def run_ort(model: Path, inputs: Path, outputs: Path, shape: tuple[int, ...], threads: int = 2) -> None:
    """Run the ONNX file in onnxruntime-node over a raw float32 input file."""
    cmd = ["node", "--import", "tsx", "models/ort-run.ts", str(model), str(inputs), str(outputs), ",".join(map(str, shape)), str(threads)]
    subprocess.run(cmd, cwd=REPO, check=True)


def _letterboxed(data: Cached, size: int, batch: int):
    """Yield ((B,3,size,size) 0..1 tensor, letterboxed ground truth per image) over a split, in order."""
    for s in range(0, len(data), batch):
        items = [val_item(data, i, size) for i in range(s, min(s + batch, len(data)))]
        x, _, _ = to_batch(items)
        yield x, [gt for _, gt in items]


def verify(
    exp: Exported, onnx_path: Path, data: Cached, size: int, work: Path, batch: int = 8, keep: bool = False
) -> dict[str, Any]:
    """PyTorch vs onnxruntime-node on the same letterboxed images: max |Δ| and mAP of each."""
    work.mkdir(parents=True, exist_ok=True)
    inp, gts, torch_out = work / "inputs.f32", [], []
    with open(inp, "wb") as f, torch.no_grad():
        for x, g in _letterboxed(data, size, batch):
            f.write(x.numpy().astype("<f4").tobytes())
            torch_out.append(exp(x).numpy())
            gts.extend(g)
    t_out = np.concatenate(torch_out)
    run_ort(onnx_path, inp, work / "outputs.f32", (len(data), 3, size, size))
    o_out = np.fromfile(work / "outputs.f32", dtype="<f4").reshape(t_out.shape)
    nc = exp.net.nc
    m_t = evaluate_outputs(zip(t_out, gts), nc)
    m_o = evaluate_outputs(zip(o_out, gts), nc)
    if keep:  # left for tests that check the file in onnxruntime-node themselves
        (work / "torch.f32").write_bytes(t_out.astype("<f4").tobytes())
    else:
        inp.unlink()
        (work / "outputs.f32").unlink()
        work.rmdir()
    return {
        "images": len(data),
        "max_abs_diff": float(np.abs(t_out - o_out).max()),
        # Boxes are pixels (up to the input size): float32 rounding there is ~1e-4 absolute.
        "max_abs_diff_boxes_px": float(np.abs(t_out[:, :4] - o_out[:, :4]).max()),
        "max_abs_diff_scores": float(np.abs(t_out[:, 4:] - o_out[:, 4:]).max()),
        "torch": {"map50": m_t["map50"], "map": m_t["map"]},
        "onnxruntime_node": {"map50": m_o["map50"], "map": m_o["map"], "ap": m_o["ap"].tolist()},
        "f1_conf": m_o["f1_conf"],
    }


def evaluate_onnx(
    onnx_path: Path, data: Cached, nc: int, size: int, work: Path, batch: int = 8, bootstrap: int = 0
) -> dict[str, Any]:
    """mAP of an ONNX file (YOLOv8 layout) as onnxruntime-node runs it: letterboxed images in,
    the same decoding and COCO-style AP as training's validation. `work`: an existing folder for
    the raw tensors, which the caller removes."""
    inp, out, gts = work / "inputs.f32", work / "outputs.f32", []
    with open(inp, "wb") as f:
        for x, g in _letterboxed(data, size, batch):
            f.write(x.numpy().astype("<f4").tobytes())
            gts.extend(g)
    run_ort(onnx_path, inp, out, (len(data), 3, size, size))
    y = np.fromfile(out, dtype="<f4").reshape(len(data), 4 + nc, -1)
    return evaluate_outputs(zip(y, gts), nc, bootstrap)


def export_main(
    weights: str, out: str, imgsz: int | None, data_path: str, split: str, limit: int, keep: bool = False
) -> dict[str, Any]:
    from .data import read_spec

    ck = load_checkpoint(weights)
    path = Path(out)
    exp = export_onnx(ck, path, imgsz)
    size = imgsz or ck["imgsz"]
    result: dict[str, Any] = {"onnx": str(path), "bytes": path.stat().st_size, "opset": OPSET, "imgsz": size}
    result["names"] = ck["names"]
    print(f"exported {path} ({path.stat().st_size / 1e6:.2f} MB), onnx.checker clean")
    result["verify"] = {}
    for sp in [s for s in split.split(",") if s] if data_path else []:
        spec = read_spec(data_path)
        data = Cached(spec.splits[sp], len(spec.names), size, limit or None)
        v = verify(exp, path, data, size, path.parent / ".verify", keep=keep)
        result["verify"][sp] = v
        d = abs(v["torch"]["map50"] - v["onnxruntime_node"]["map50"])
        d95 = abs(v["torch"]["map"] - v["onnxruntime_node"]["map"])
        print(f"verify on {v['images']} {sp} images: max |torch - onnxruntime-node| boxes {v['max_abs_diff_boxes_px']:.1e} px, "
              f"scores {v['max_abs_diff_scores']:.1e}; "
              f"mAP50 torch {v['torch']['map50']:.4f} vs ort {v['onnxruntime_node']['map50']:.4f}")
        if d > 0.01 or d95 > 0.01:
            raise SystemExit(f"onnxruntime-node mAP differs from PyTorch by more than 0.01 ({d:.4f}, {d95:.4f})")
    return result
