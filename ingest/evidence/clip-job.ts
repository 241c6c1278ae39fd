import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendAudit, type EvidenceStore, type JobOf, type JobStatus, type Pool } from '../../core/index.js';
import type { RecordingIndex } from '../camera/index.js';
import { cutClip, probeVideo, snapshotWithBoxes } from './clipper.js';

export interface ClipJobDeps {
  readonly pool: Pool;
  readonly store: EvidenceStore;
  readonly index: RecordingIndex;
  readonly ffmpeg: string;
  /** How long after the range end we keep waiting for its segments before calling them missing. */
  readonly graceMs: number;
  readonly now?: () => number;
}

interface DetectionRow {
  frame_time: Date;
  class: string;
  confidence: number;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
  track_id: string | null;
}

export class NotRecordedYet extends Error {}

/**
 * Make an incident's camera evidence: the clip (stream copy), the timed box track and the
 * best-frame snapshot with boxes. If the recording is gone, a 'missing' row says why.
 */
export async function makeClipEvidence(deps: ClipJobDeps, job: JobOf<'clips'>): Promise<JobStatus> {
  const { pool, store, index } = deps;
  const fromMs = Date.parse(job.from);
  const toMs = Date.parse(job.to);
  const meta = { incidentId: job.incidentId, cameraId: job.cameraId, rangeStartMs: fromMs, rangeEndMs: toMs };
  const done = await pool.query(
    "SELECT 1 FROM evidence WHERE incident_id = $1 AND camera_id = $2 AND kind = 'clip' AND status IN ('ready','missing')",
    [job.incidentId, job.cameraId],
  );
  if (done.rowCount) return 'skipped';

  const cover = await index.cover(job.cameraId, fromMs, toMs);
  const lastEnd = cover.segments.at(-1)?.endMs ?? 0;
  const now = (deps.now ?? Date.now)();
  if (lastEnd < toMs - 1000 && now < toMs + deps.graceMs) {
    throw new NotRecordedYet(`camera ${String(job.cameraId)} has not recorded up to ${job.to} yet`);
  }
  if (cover.segments.length === 0) {
    const why = cover.gaps.length
      ? `camera down: ${cover.gaps.map((g) => g.cause).join('; ')}`
      : 'no recording covers this range (never recorded, or deleted by retention)';
    await store.recordMissing({ ...meta, kind: 'clip' }, why);
    await audit(pool, job, 'evidence.missing', { reason: why });
    return 'success';
  }

  const dir = await mkdtemp(join(tmpdir(), 'mw-clip-'));
  try {
    const clipPath = join(dir, 'clip.mp4');
    const cut = await cutClip({
      ffmpeg: deps.ffmpeg,
      segments: cover.segments,
      fromMs,
      toMs,
      outPath: clipPath,
    });
    const probe = await probeVideo(deps.ffmpeg, clipPath);
    const clipStartMs = (cover.segments[0]?.startMs ?? fromMs) + Math.round(cut.startS * 1000);
    const clip = await store.put(clipPath, 'clip');
    await store.record({ ...meta, kind: 'clip', durationS: probe.durationS, codec: probe.codec }, clip);

    const dets = await pool.query<DetectionRow>(
      `SELECT frame_time, class, confidence, box_x, box_y, box_w, box_h, track_id FROM detections
       WHERE camera_id = $1 AND frame_time BETWEEN to_timestamp($2 / 1000.0) AND to_timestamp($3 / 1000.0)
       ORDER BY frame_time, id`,
      [job.cameraId, fromMs, toMs],
    );
    const track = dets.rows.map((d) => ({
      t: (d.frame_time.getTime() - clipStartMs) / 1000,
      cls: d.class,
      confidence: d.confidence,
      box: { x: d.box_x, y: d.box_y, w: d.box_w, h: d.box_h },
      trackId: d.track_id === null ? null : Number(d.track_id),
    }));
    const trackPath = join(dir, 'track.json');
    await writeFile(
      trackPath,
      JSON.stringify({ clipStart: new Date(clipStartMs).toISOString(), boxes: track }),
    );
    await store.record({ ...meta, kind: 'track' }, await store.put(trackPath, 'track'));

    const best = [...track].sort((a, b) => b.confidence - a.confidence)[0];
    if (best) {
      const snapPath = join(dir, 'snapshot.jpg');
      await snapshotWithBoxes({
        ffmpeg: deps.ffmpeg,
        clip: clip.path,
        atS: best.t,
        boxes: track.filter((b) => b.t === best.t).map((b) => b.box),
        outPath: snapPath,
      });
      await store.record({ ...meta, kind: 'snapshot' }, await store.put(snapPath, 'snapshot'));
    }
    await audit(pool, job, 'evidence.create', {
      sha256: clip.sha256,
      durationS: probe.durationS,
      gaps: cover.gaps,
      boxes: track.length,
    });
    return 'success';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function audit(
  pool: Pool,
  job: JobOf<'clips'>,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  await appendAudit(pool, {
    actorId: null,
    actor: 'evidence-worker',
    action,
    targetType: 'incident',
    targetId: String(job.incidentId),
    details: { cameraId: job.cameraId, from: job.from, to: job.to, ...details },
  });
}
