import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz.js';

/** Nothing may throw, every frame's handling must finish, and every answer must be a valid frame. */
const FRAMES = 120_000;

describe('fuzz: random and mutated JT/T 808 traffic', () => {
  it(`survives ${String(FRAMES)} frames with no throw, no hang and only well-formed answers`, async () => {
    const r = await runFuzz(FRAMES);
    expect(r.errors).toEqual([]);
    expect(r.hung).toBe(false);
    expect(r.frames).toBeGreaterThan(FRAMES / 2);
    expect(r.malformedAnswers).toBe(0);
    expect(r.answers).toBeGreaterThan(r.frames / 4);
    expect(r.stats.badChecksum + r.stats.badFrames + r.stats.badMessages).toBeGreaterThan(1000);
    expect(r.points).toBeGreaterThan(1000);
    expect(r.closes).toBeGreaterThan(0);
    expect(r.stats.frames).toBe(r.frames + FRAMES / 5000);
    console.log(`fuzz: ${String(r.frames)} frames in ${String(r.elapsedMs)} ms`, r.stats);
  }, 60_000);
});
