import type { Pool } from '../../core/index.js';

/** What a pipeline node needs to run a camera; a change to any field restarts its supervisor. */
export interface CameraSettings {
  readonly id: number;
  readonly code: string;
  readonly url: string;
  readonly transport: 'tcp' | 'udp';
  readonly fps: number;
  readonly width: number;
  readonly height: number;
}

export async function loadEnabledCameras(pool: Pool): Promise<CameraSettings[]> {
  const { rows } = await pool.query<{
    id: string;
    code: string;
    rtsp_main_url: string;
    transport: 'tcp' | 'udp';
    detect_fps: number;
    detect_width: number;
    detect_height: number;
  }>(
    `SELECT id, code, rtsp_main_url, transport, detect_fps, detect_width, detect_height
     FROM cameras WHERE enabled ORDER BY id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    url: r.rtsp_main_url,
    transport: r.transport,
    fps: r.detect_fps,
    width: r.detect_width,
    height: r.detect_height,
  }));
}

export const settingsKey = (c: CameraSettings): string => JSON.stringify(c);
