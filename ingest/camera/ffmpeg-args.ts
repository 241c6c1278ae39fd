/** Pure: the ffmpeg command line for one camera — one input, two outputs (recording + frames). */

export interface CameraSource {
  readonly url: string;
  readonly transport: 'tcp' | 'udp';
}

export interface FrameSpec {
  /** Detect rate, frames per second. */
  readonly fps: number;
  /** Model input size; frames are letterboxed to it inside ffmpeg. */
  readonly width: number;
  readonly height: number;
}

export interface RecordingSpec {
  readonly dir: string;
  readonly segmentSeconds: number;
  /** CSV list ffmpeg appends to as each segment closes: name,start,end (stream seconds). */
  readonly listFile: string;
}

export interface FfmpegPlan {
  readonly input: string;
  readonly inputOptions: string[];
  readonly recording: { target: string; options: string[] };
  readonly frames: { options: string[] };
}

/** YOLO letterbox pad value 114 = 0x72. */
export const LETTERBOX_PAD = '0x727272';

export function letterboxFilter(spec: FrameSpec): string {
  const { fps, width: w, height: h } = spec;
  return [
    `fps=${String(fps)}`,
    `scale=${String(w)}:${String(h)}:force_original_aspect_ratio=decrease:flags=fast_bilinear`,
    `pad=${String(w)}:${String(h)}:(ow-iw)/2:(oh-ih)/2:color=${LETTERBOX_PAD}`,
    'format=rgb24',
  ].join(',');
}

/**
 * Decoder options. Always one decoder thread: the same pictures (H.264 decoding is exact) for
 * about a fifth less CPU, as many cameras on few cores waste less on thread hand-offs. Fast decode
 * also skips the deblocking filter: about a sixth less again, for slightly blockier frames (it can
 * move detection scores; off by default). Recordings are stream copies, untouched by either.
 */
export function decoderOptions(fast: boolean): string[] {
  return ['-threads', '1', ...(fast ? ['-skip_loop_filter', 'all'] : [])];
}

export function ffmpegPlan(
  src: CameraSource,
  frames: FrameSpec,
  rec: RecordingSpec,
  timeouts: { ioSeconds: number },
  decode: { fast: boolean } = { fast: false },
): FfmpegPlan {
  const isRtsp = src.url.startsWith('rtsp://') || src.url.startsWith('rtsps://');
  const inputOptions = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'warning',
    ...(isRtsp
      ? ['-rtsp_transport', src.transport, '-timeout', String(Math.round(timeouts.ioSeconds * 1e6))]
      : ['-re']),
    '-fflags',
    '+genpts+discardcorrupt',
    ...decoderOptions(decode.fast),
  ];
  return {
    input: src.url,
    inputOptions,
    recording: {
      // Segment files are named by their wall-clock start (UTC); the CSV list gives exact bounds.
      target: `${rec.dir}/%Y%m%dT%H%M%SZ.ts`,
      options: [
        '-map',
        '0:v:0',
        '-c',
        'copy',
        '-f',
        'segment',
        '-segment_time',
        String(rec.segmentSeconds),
        '-segment_format',
        'mpegts',
        '-segment_list',
        rec.listFile,
        '-segment_list_type',
        'csv',
        '-segment_list_flags',
        'live',
        '-strftime',
        '1',
        '-reset_timestamps',
        '1',
      ],
    },
    frames: {
      options: [
        '-map',
        '0:v:0',
        '-an',
        '-vf',
        letterboxFilter(frames),
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
      ],
    },
  };
}

/** Bytes in one RGB frame. */
export const frameBytes = (spec: FrameSpec): number => spec.width * spec.height * 3;
