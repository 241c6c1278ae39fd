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
  /** The camera's main stream: recorded, and decoded for analysis unless a detect stream is given. */
  readonly input: string;
  readonly inputOptions: string[];
  /** The camera's sub stream, decoded for analysis (the second input) while the main one is recorded. */
  readonly detectInput: { readonly url: string; readonly options: string[] } | null;
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

/** Per-input options: RTSP transport and socket timeout (a file is read at its native rate). */
function sourceOptions(src: CameraSource, ioSeconds: number): string[] {
  const isRtsp = src.url.startsWith('rtsp://') || src.url.startsWith('rtsps://');
  return [
    ...(isRtsp
      ? ['-rtsp_transport', src.transport, '-timeout', String(Math.round(ioSeconds * 1e6))]
      : ['-re']),
    '-fflags',
    '+genpts+discardcorrupt',
  ];
}

/**
 * With `detect` (the camera's sub stream) the main stream is only copied to the recording and the
 * sub stream is decoded for analysis: a 360p stream costs a fraction of a 1080p one to decode, and
 * decoding is most of a camera's CPU. Without it, the main stream serves both.
 */
export function ffmpegPlan(
  src: CameraSource,
  frames: FrameSpec,
  rec: RecordingSpec,
  timeouts: { ioSeconds: number },
  decode: { fast: boolean } = { fast: false },
  detect: CameraSource | null = null,
): FfmpegPlan {
  const inputOptions = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'warning',
    ...sourceOptions(src, timeouts.ioSeconds),
    ...(detect ? [] : decoderOptions(decode.fast)),
  ];
  return {
    input: src.url,
    inputOptions,
    detectInput: detect
      ? {
          url: detect.url,
          options: [...sourceOptions(detect, timeouts.ioSeconds), ...decoderOptions(decode.fast)],
        }
      : null,
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
        detect ? '1:v:0' : '0:v:0',
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
