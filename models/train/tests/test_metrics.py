"""COCO-style AP against cases worked out by hand (numbers in the comments)."""
from __future__ import annotations

import math
import unittest

import numpy as np

from mwtrain.metrics import Evaluator, average_precision, decode_yolov8, iou_matrix, nms


def det(*rows: tuple[float, ...]) -> np.ndarray:
    return np.array(rows, np.float32).reshape(-1, 6)


def gt(*rows: tuple[float, ...]) -> np.ndarray:
    return np.array(rows, np.float32).reshape(-1, 5)


class AveragePrecision(unittest.TestCase):
    def test_tp_fp_tp_two_ground_truths(self) -> None:
        # TP, FP, TP: recall .5 .5 1, precision 1 .5 .667 → monotone 1 .667 .667.
        # 51 recall points ≤ .5 read 1, 50 points above read 2/3: (51 + 100/3) / 101.
        ap = average_precision(np.array([1, 0, 1], bool), np.array([0.9, 0.8, 0.7]), 2)
        self.assertAlmostEqual(ap, (51 + 100 / 3) / 101, places=9)

    def test_perfect_and_empty(self) -> None:
        self.assertEqual(average_precision(np.array([1, 1], bool), np.array([0.9, 0.5]), 2), 1.0)
        self.assertEqual(average_precision(np.zeros(0, bool), np.zeros(0), 3), 0.0)
        self.assertTrue(math.isnan(average_precision(np.zeros(0, bool), np.zeros(0), 0)))

    def test_half_recall(self) -> None:
        # One of two found, precision 1: 51 of 101 recall points (0 … 0.5) read 1.
        self.assertAlmostEqual(average_precision(np.array([1], bool), np.array([0.9]), 2), 51 / 101)


class EvaluatorCases(unittest.TestCase):
    def test_iou_thresholds(self) -> None:
        # IoU 0.62 is a hit at 0.50, 0.55, 0.60 and a miss at the seven higher thresholds.
        ev = Evaluator(1)
        ev.add(det((0, 0, 10, 6.2, 0.9, 0)), gt((0, 0, 0, 10, 10)))
        r = ev.result()
        self.assertEqual(r["ap"][0].tolist(), [1.0] * 3 + [0.0] * 7)
        self.assertAlmostEqual(r["map50"], 1.0)
        self.assertAlmostEqual(r["map"], 0.3)

    def test_duplicate_is_false_positive_and_order_is_by_score(self) -> None:
        # Scores .9 (hit) and .8 (duplicate of the same box): TP, FP over one GT → AP 1.
        # Reversing which one overlaps better must not matter: the higher score claims the box.
        ev = Evaluator(1)
        ev.add(det((0, 0, 10, 10, 0.8, 0), (0, 0, 10, 9, 0.9, 0)), gt((0, 0, 0, 10, 10)))
        self.assertEqual(ev.result()["ap"][0, 0], 1.0)
        self.assertEqual(ev.tps[0][0][:, 0].tolist(), [True, False])

    def test_class_must_match(self) -> None:
        ev = Evaluator(2)
        ev.add(det((0, 0, 10, 10, 0.9, 1)), gt((0, 0, 0, 10, 10)))
        r = ev.result()
        self.assertEqual(r["ap"][0, 0], 0.0)  # class 0 missed
        self.assertTrue(math.isnan(r["ap"][1, 0]))  # class 1 has no ground truth: not scored
        self.assertEqual(r["map50"], 0.0)

    def test_greedy_match_takes_best_unmatched(self) -> None:
        # Two GTs; the first detection overlaps B best, so the second one still finds A.
        ev = Evaluator(1)
        ev.add(det((10, 0, 20, 10, 0.9, 0), (0, 0, 11, 10, 0.8, 0)), gt((0, 0, 0, 10, 10), (0, 10, 0, 20, 10)))
        self.assertEqual(ev.tps[0][0][:, 0].tolist(), [True, True])
        self.assertEqual(ev.result()["ap"][0, 0], 1.0)

    def test_detections_pooled_across_images(self) -> None:
        # Image 1: FP at .95; image 2: TP at .6; 1 GT in all → TP at rank 2: precision .5 → AP .5.
        ev = Evaluator(1)
        ev.add(det((50, 50, 60, 60, 0.95, 0)), gt())
        ev.add(det((0, 0, 10, 10, 0.6, 0)), gt((0, 0, 0, 10, 10)))
        self.assertAlmostEqual(ev.result()["ap"][0, 0], 0.5)

    def test_classes_without_ground_truth_are_left_out_of_the_mean(self) -> None:
        ev = Evaluator(3)
        ev.add(det((0, 0, 10, 10, 0.9, 0)), gt((0, 0, 0, 10, 10), (1, 20, 20, 30, 30)))
        r = ev.result()
        self.assertAlmostEqual(r["map50"], 0.5)  # (1 + 0) / 2, class 2 excluded

    def test_region_to_ignore_takes_unmatched_detections_of_its_class(self) -> None:
        # GT A at (0,0,10,10); a region to ignore of class 0 at (50,50,70,70).
        # .95 lies in the region (dropped), .9 hits A, .8 is a class-1 box in the region (its own
        # class has no region there: nothing for class 1 to score), .7 is an FP elsewhere.
        # Class 0: TP .9 then FP .7 over one GT → AP 1; without the region .95 would be an FP first.
        ev = Evaluator(2)
        ev.add(det((52, 52, 68, 68, 0.95, 0), (0, 0, 10, 10, 0.9, 0), (52, 52, 68, 68, 0.8, 1),
                   (100, 100, 110, 110, 0.7, 0)),
               gt((0, 0, 0, 10, 10), (-1, 50, 50, 70, 70)))
        r = ev.result()
        self.assertEqual(r["ap"][0, 0], 1.0)
        self.assertEqual(ev.n_gt.tolist(), [1, 0])  # the region is not ground truth
        self.assertEqual(ev.ignored[0][0][:, 0].tolist(), [True, False, False])
        plain = Evaluator(2)
        plain.add(det((52, 52, 68, 68, 0.95, 0), (0, 0, 10, 10, 0.9, 0)), gt((0, 0, 0, 10, 10)))
        self.assertAlmostEqual(plain.result()["ap"][0, 0], 0.5)  # FP .95 then TP .9: precision .5

    def test_region_to_ignore_needs_the_detection_inside_it_per_threshold(self) -> None:
        # The detection (0,0,10,10) lies 60 % inside the region (4,0,20,10): dropped at IoU
        # thresholds .5 and .55 and .6, a false positive at the seven above; no GT → AP nan, so
        # the per-threshold flags are what this checks. A matched detection is never dropped.
        ev = Evaluator(1)
        ev.add(det((0, 0, 10, 10, 0.9, 0), (30, 30, 40, 40, 0.8, 0)),
               gt((-1, 4, 0, 20, 10), (0, 30, 30, 40, 40), (-1, 30, 30, 40, 40)))
        self.assertEqual(ev.ignored[0][0][0].tolist(), [True] * 3 + [False] * 7)
        self.assertEqual(ev.ignored[0][0][1].tolist(), [False] * 10)
        self.assertAlmostEqual(ev.result()["ap"][0, 0], 1.0)
        self.assertAlmostEqual(ev.result()["ap"][0, 9], 0.5)  # FP .9 before TP .8 at IoU .95

    def test_bootstrap_of_identical_images_is_the_point_estimate(self) -> None:
        # Every image: an FP at .95 and a TP at .6 → any resample is the same pool, AP .5 each time.
        # A third image's FP lies inside a region to ignore, so it never counts.
        ev = Evaluator(2)
        for _ in range(6):
            ev.add(det((50, 50, 60, 60, 0.95, 0), (0, 0, 10, 10, 0.6, 0), (80, 80, 90, 90, 0.99, 0)),
                   gt((0, 0, 0, 10, 10), (-1, 75, 75, 95, 95)))
        iv = ev.bootstrap_ap50(50)
        self.assertAlmostEqual(ev.result()["ap"][0, 0], 0.5)
        self.assertAlmostEqual(iv["ap50"][0][0], 0.5)
        self.assertAlmostEqual(iv["ap50"][0][1], 0.5)
        self.assertIsNone(iv["ap50"][1])  # class 1 has no ground truth
        self.assertAlmostEqual(iv["map50"][0], 0.5)

    def test_bootstrap_spans_what_resampling_can_give(self) -> None:
        # Image A: its box found; image B: missed. Resamples AA → 1, BB → 0 (a quarter each),
        # AB → 51/101: the 95 % interval runs from 0 to 1 around the point estimate 51/101.
        ev = Evaluator(1)
        ev.add(det((0, 0, 10, 10, 0.9, 0)), gt((0, 0, 0, 10, 10)))
        ev.add(det(), gt((0, 0, 0, 10, 10)))
        iv = ev.bootstrap_ap50(400, seed=1)
        self.assertAlmostEqual(ev.result()["ap"][0, 0], 51 / 101)
        self.assertEqual(iv["ap50"][0], [0.0, 1.0])
        self.assertEqual(iv, ev.bootstrap_ap50(400, seed=1))  # the same seed, the same interval

    def test_f1_threshold(self) -> None:
        # TP .9, FP .8, TP .7 over 2 GT: F1 at the three cuts is .667, .5, .8 → threshold .7.
        ev = Evaluator(1)
        ev.add(det((0, 0, 10, 10, 0.9, 0), (50, 50, 60, 60, 0.8, 0), (20, 0, 30, 10, 0.7, 0)),
               gt((0, 0, 0, 10, 10), (0, 20, 0, 30, 10)))
        self.assertAlmostEqual(ev.f1_threshold(0), 0.7, places=6)
        self.assertIsNone(Evaluator(1).f1_threshold(0))


class PostProcessing(unittest.TestCase):
    def test_iou(self) -> None:
        m = iou_matrix(np.array([[0, 0, 10, 10]], float), np.array([[5, 0, 15, 10], [20, 20, 30, 30]], float))
        self.assertAlmostEqual(m[0, 0], 50 / 150)
        self.assertEqual(m[0, 1], 0.0)

    def test_nms(self) -> None:
        boxes = np.array([[0, 0, 10, 10], [1, 0, 11, 10], [20, 20, 30, 30]], float)
        self.assertEqual(nms(boxes, np.array([0.5, 0.9, 0.7]), 0.5).tolist(), [1, 2])

    def test_decode_is_class_aware(self) -> None:
        # Two cells on the same box, one per class: both survive; a weaker same-class copy does not.
        out = np.zeros((4 + 2, 3), np.float32)
        out[:4] = np.array([[50, 50, 20, 20], [50, 50, 20, 20], [51, 50, 20, 20]], np.float32).T
        out[4:] = np.array([[0.9, 0.0], [0.0, 0.8], [0.7, 0.0]], np.float32).T
        d = decode_yolov8(out, conf=0.25, iou=0.5)
        self.assertEqual(d[:, 5].tolist(), [0, 1])
        self.assertEqual(d[0, :4].tolist(), [40, 40, 60, 60])


if __name__ == "__main__":
    unittest.main()
