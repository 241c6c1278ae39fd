"""Assignment, data plumbing and the export graph's layout."""
from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from mwtrain.augment import clip_boxes
from mwtrain.data import Cached, ignore_class, ignore_path, is_ignore, label_path, letterbox
from mwtrain.loss import assign, detection_loss, ignore_cells
from mwtrain.manifest import threshold_overrides
from mwtrain.model import Detector, Exported, make_anchors


class Assignment(unittest.TestCase):
    def setUp(self) -> None:
        self.anchors, _ = make_anchors(64, 64)  # 64 + 16 + 4 = 84 cells
        n = self.anchors.shape[0]
        self.scores = torch.full((1, n, 2), 0.5)
        self.pred = torch.tensor([[0.0, 0.0, 64.0, 64.0]]).repeat(1, n, 1)

    def test_box_gets_positive_cells_inside_it_with_its_class(self) -> None:
        gt = torch.tensor([[[1, 16.0, 16.0, 48.0, 48.0]]])
        t_box, t_scores, fg = assign(self.scores, self.pred, self.anchors, gt, torch.tensor([[True]]))
        self.assertGreater(int(fg.sum()), 0)
        self.assertLessEqual(int(fg.sum()), 10)  # top-k
        inside = self.anchors[fg[0]]
        self.assertTrue(bool(((inside > 16) & (inside < 48)).all()))
        self.assertTrue(torch.equal(t_box[0, fg[0]], gt[0, :, 1:].expand(int(fg.sum()), 4)))
        self.assertTrue(bool((t_scores[0, fg[0], 1] > 0).all()))
        self.assertEqual(float(t_scores[0, fg[0], 0].sum()), 0.0)
        self.assertEqual(float(t_scores[0, ~fg[0]].sum()), 0.0)

    def test_tiny_box_still_gets_its_nearest_cell(self) -> None:
        gt = torch.tensor([[[0, 9.0, 9.0, 10.0, 10.0]]])  # no cell centre inside
        _, _, fg = assign(self.scores, self.pred, self.anchors, gt, torch.tensor([[True]]))
        self.assertEqual(int(fg.sum()), 1)
        self.assertEqual(self.anchors[fg[0]].tolist(), [[8.0, 8.0]])  # stride-16 centre, 1.5 px away

    def test_padding_rows_are_ignored(self) -> None:
        gt = torch.tensor([[[0, 16.0, 16.0, 48.0, 48.0], [0, 0, 0, 0, 0]]])
        _, _, fg1 = assign(self.scores, self.pred, self.anchors, gt, torch.tensor([[True, False]]))
        _, _, fg2 = assign(self.scores, self.pred, self.anchors, gt[:, :1], torch.tensor([[True]]))
        self.assertTrue(torch.equal(fg1, fg2))


    def test_regions_to_ignore_are_not_assigned(self) -> None:
        gt = torch.tensor([[[1, 16.0, 16.0, 48.0, 48.0], [-1, 0.0, 0.0, 64.0, 64.0]]])
        _, _, fg1 = assign(self.scores, self.pred, self.anchors, gt, torch.tensor([[True, False]]))
        _, _, fg2 = assign(self.scores, self.pred, self.anchors, gt[:, :1], torch.tensor([[True]]))
        self.assertTrue(torch.equal(fg1, fg2))


class IgnoreLoss(unittest.TestCase):
    def setUp(self) -> None:
        self.anchors, strides = make_anchors(64, 64)
        self.n = self.anchors.shape[0]

    def test_cells_in_a_region_to_ignore_are_marked_for_its_class_only(self) -> None:
        gt = torch.tensor([[[-3, 0.0, 0.0, 32.0, 32.0], [0, 0, 0, 0, 0]]])  # class 2, top-left quarter
        cells = ignore_cells(self.anchors, gt, torch.tensor([[True, False]]), 3)
        inside = (self.anchors[:, 0] < 32) & (self.anchors[:, 1] < 32)
        self.assertTrue(torch.equal(cells[0, :, 2], inside))
        self.assertFalse(bool(cells[0, :, :2].any()))
        none = ignore_cells(self.anchors, gt, torch.tensor([[False, False]]), 3)
        self.assertFalse(bool(none.any()))

    def test_a_region_to_ignore_removes_only_its_cells_background_loss(self) -> None:
        # No labels: every cell is background. Scores high everywhere make the background loss
        # large; a region over the top-left quarter of class 0 removes that class's share there.
        logits = torch.full((1, self.n, 2), 2.0)
        boxes = torch.tensor([[0.0, 0.0, 8.0, 8.0]]).repeat(1, self.n, 1)
        region = torch.tensor([[[-1, 0.0, 0.0, 32.0, 32.0]]])
        _, plain = detection_loss(boxes, logits, self.anchors, region, torch.tensor([[False]]))
        _, ignored = detection_loss(boxes, logits, self.anchors, region, torch.tensor([[True]]))
        inside = int(((self.anchors[:, 0] < 32) & (self.anchors[:, 1] < 32)).sum())
        per_cell = float(torch.nn.functional.softplus(torch.tensor(2.0)))  # BCE of logit 2, target 0
        self.assertAlmostEqual(plain["cls"] - ignored["cls"], inside * per_cell, places=3)


class DataPlumbing(unittest.TestCase):
    def test_label_path(self) -> None:
        self.assertEqual(label_path(Path("/d/images/train/a.jpg")), Path("/d/labels/train/a.txt"))
        self.assertEqual(ignore_path(Path("/d/images/train/a.jpg")), Path("/d/ignore/train/a.txt"))

    def test_cached_split_reads_regions_to_ignore_as_negative_classes(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for d in ("images/val", "labels/val", "ignore/val"):
                (root / d).mkdir(parents=True)
            Image.new("RGB", (64, 32)).save(root / "images/val/a.png")
            Image.new("RGB", (64, 32)).save(root / "images/val/b.png")
            (root / "labels/val/a.txt").write_text("1 0.5 0.5 0.5 0.5\n")
            (root / "ignore/val/a.txt").write_text("2 0.25 0.25 0.5 0.5\n")
            data = Cached(root / "images/val", 3, 64)
            np.testing.assert_allclose(data.labels[0], [[1, 16, 8, 48, 24], [-3, 0, 0, 32, 16]])
            self.assertEqual(ignore_class(data.labels[0][is_ignore(data.labels[0])]).tolist(), [2])
            self.assertEqual(len(data.labels[1]), 0)  # no label files: an empty image
            self.assertEqual(data.ignored(), 1)

    def test_letterbox_maps_boxes(self) -> None:
        # 100x50 → 64x32 (r 0.64), centred: 16 px of padding above.
        img = np.zeros((50, 100, 3), np.uint8)
        out, b = letterbox(img, np.array([[3, 10, 10, 60, 40]], np.float32), 64)
        self.assertEqual(out.shape, (64, 64, 3))
        self.assertEqual(int(out[0, 0, 0]), 114)
        np.testing.assert_allclose(b[0], [3, 6.4, 22.4, 38.4, 41.6], rtol=1e-5)

    def test_clip_drops_boxes_mostly_outside(self) -> None:
        b = np.array([[0, -50, 0, 10, 10], [1, 50, 50, 70, 70]], np.float32)
        kept = clip_boxes(b, 64)
        self.assertEqual(kept[:, 0].tolist(), [1])
        self.assertEqual(kept[0, 1:].tolist(), [50, 50, 64, 64])


class ExportGraph(unittest.TestCase):
    def test_yolov8_layout(self) -> None:
        torch.manual_seed(0)
        exp = Exported(Detector(7, 0.5).eval(), 64, 96).eval()
        with torch.no_grad():
            y = exp(torch.rand(2, 3, 64, 96))
        self.assertEqual(tuple(y.shape), (2, 11, 8 * 12 + 4 * 6 + 2 * 3))
        self.assertTrue(bool((y[:, 2:4] > 0).all()))  # widths and heights positive
        self.assertTrue(bool(((y[:, 4:] >= 0) & (y[:, 4:] <= 1)).all()))  # sigmoid scores



class ThresholdOverrides(unittest.TestCase):
    NAMES = ["truck_covered", "truck_uncovered", "dust"]

    def test_parses_class_score_pairs(self) -> None:
        got = threshold_overrides(["truck_uncovered=0.65", "dust=0.4"], self.NAMES)
        self.assertEqual(got, {"truck_uncovered": 0.65, "dust": 0.4})
        self.assertEqual(threshold_overrides([], self.NAMES), {})

    def test_names_what_is_wrong(self) -> None:
        for spec, words in [("truck_uncovered", "CLASS=SCORE"), ("tarp=0.5", "no class 'tarp'"),
                            ("dust=1.5", "between 0 and 1"), ("dust=high", "between 0 and 1")]:
            with self.assertRaises(ValueError) as ctx:
                threshold_overrides([spec], self.NAMES)
            self.assertIn(words, str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
