import { describe, expect, it } from 'vitest';
import { initKalman, kalmanBox, kalmanVelocity, predictKalman, updateKalman } from './kalman.js';

describe('constant-velocity Kalman filter', () => {
  it('starts at the measured box with zero velocity', () => {
    const k = initKalman({ x: 10, y: 20, w: 40, h: 20 }, 0.2);
    const b = kalmanBox(k);
    expect(b.x).toBeCloseTo(10, 9);
    expect(b.y).toBeCloseTo(20, 9);
    expect(b.w).toBeCloseTo(40, 9);
    expect(b.h).toBeCloseTo(20, 9);
    expect(kalmanVelocity(k)).toEqual({ vx: 0, vy: 0 });
  });

  it('learns a constant velocity in pixels per second and predicts ahead', () => {
    // A box moving +50 px/s in x, −10 px/s in y, observed at 5 fps for 4 s.
    const box = (t: number) => ({ x: 100 + 50 * t, y: 200 - 10 * t, w: 60, h: 30 });
    const k = initKalman(box(0), 0.2);
    for (let i = 1; i <= 20; i++) {
      predictKalman(k, 0.2, 0.2, false);
      updateKalman(k, box(i * 0.2));
    }
    const v = kalmanVelocity(k);
    // Converging, not yet exact after 20 steps: within 2 % of the true speed.
    expect(Math.abs(v.vx - 50)).toBeLessThan(1);
    expect(Math.abs(v.vy + 10)).toBeLessThan(1);
    // One second with no measurement: the prediction follows the motion.
    predictKalman(k, 1, 0.2, true);
    expect(kalmanBox(k).x).toBeCloseTo(box(5).x, -1);
  });

  it('takes a dropped frame as a longer step, not as a slower object', () => {
    const box = (t: number) => ({ x: 40 * t, y: 0, w: 20, h: 20 });
    const k = initKalman(box(0), 0.2);
    let t = 0;
    for (const dt of [0.2, 0.2, 0.6, 0.2, 0.4, 0.2, 0.2, 0.6, 0.2, 0.2, 0.2, 0.2]) {
      t += dt;
      predictKalman(k, dt, 0.2, false);
      updateKalman(k, box(t));
    }
    expect(kalmanVelocity(k).vx).toBeGreaterThan(35);
    expect(kalmanVelocity(k).vx).toBeLessThan(45);
  });
});
