/**
 * The two live-view encodings a browser can be sent:
 * - `fmp4`: the camera's H.264 copied (no re-encode) into fragmented MP4, one fragment per frame,
 *   for Media Source Extensions (a <video> element).
 * - `mpegts`: MPEG-1 video in MPEG-TS for JSMpeg (decoded in JavaScript onto a canvas), for
 *   browsers whose MSE has no H.264. This one re-encodes, so it costs a core share per camera.
 */
export const LIVE_FORMATS = ['fmp4', 'mpegts'] as const;
export type LiveFormat = (typeof LIVE_FORMATS)[number];

export interface LiveInput {
  readonly url: string;
  readonly transport: 'tcp' | 'udp';
}

/** JSMpeg decodes in JavaScript: past this width a phone or a busy wall falls behind. */
const MPEG1_MAX_WIDTH = 960;

export function liveFfmpegArgs(input: LiveInput, format: LiveFormat): string[] {
  const common = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    // No probe-time buffering and no reordering wait: the wall wants the newest frame now.
    '-fflags',
    'nobuffer',
    '-flags',
    'low_delay',
    '-probesize',
    '500000',
    '-analyzeduration',
    '500000',
    '-rtsp_transport',
    input.transport,
    // Socket I/O timeout (µs): a camera that goes silent ends the feed instead of hanging it.
    '-timeout',
    '5000000',
    '-i',
    input.url,
    '-an',
    '-sn',
    '-dn',
  ];
  if (format === 'fmp4') {
    return [
      ...common,
      '-c:v',
      'copy',
      '-f',
      'mp4',
      '-movflags',
      'empty_moov+default_base_moof+frag_every_frame',
      '-flush_packets',
      '1',
      'pipe:1',
    ];
  }
  return [
    ...common,
    '-vf',
    `scale='min(${String(MPEG1_MAX_WIDTH)},iw)':-2`,
    '-c:v',
    'mpeg1video',
    // MPEG-1 allows only the standard frame rates; 25 also bounds the decoder's work.
    '-r',
    '25',
    '-b:v',
    '1000k',
    '-bf',
    '0',
    // A picture group a second long: a new viewer waits at most that for its first picture.
    '-g',
    '25',
    '-f',
    'mpegts',
    '-muxdelay',
    '0.001',
    '-flush_packets',
    '1',
    'pipe:1',
  ];
}
