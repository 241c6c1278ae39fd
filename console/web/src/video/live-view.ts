import { h } from '../dom.js';
import { t } from '../i18n.js';
import { playJsmpeg } from './jsmpeg-player.js';
import { mseSupported, playMse, type LivePlayback } from './mse-player.js';

export type LiveFormat = 'fmp4' | 'mpegts';

/** A camera's live picture: MSE when the browser plays H.264 there (lower latency, no re-encode), else JSMpeg. */
export function liveView(
  camera: { id: number; code: string; name: string },
  forced?: LiveFormat,
): { element: HTMLElement; stop: () => void } {
  const format: LiveFormat = forced ?? (mseSupported() ? 'fmp4' : 'mpegts');
  const url = `/api/cameras/${String(camera.id)}/live?format=${format}`;
  const status = h('div.live-status.muted', t('connecting'));
  const media = document.createElement(format === 'fmp4' ? 'video' : 'canvas');
  media.className = 'live-media';
  media.id = 'live-media';
  const element = h(
    'section.live-view',
    { 'data-format': format, 'data-camera': String(camera.id) },
    h(
      'div.live-head',
      h('b', `${camera.code} · ${camera.name}`),
      h('span.muted', format === 'fmp4' ? 'MSE' : 'JSMpeg'),
    ),
    media,
    status,
  );
  let playback: LivePlayback | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const start = (): void => {
    status.textContent = t('connecting');
    const onEnd = (why: string): void => {
      playback?.stop();
      playback = null;
      if (stopped) return;
      status.textContent = `${t('liveLost')}: ${why}`;
      element.dataset.state = 'lost';
      // The camera may come back (the wall shows its health meanwhile): try again shortly.
      retry = setTimeout(start, 3000);
    };
    playback = media instanceof HTMLVideoElement ? playMse(media, url, onEnd) : playJsmpeg(media, url, onEnd);
    element.dataset.state = 'playing';
  };
  if (media instanceof HTMLVideoElement)
    media.addEventListener('playing', () => {
      status.textContent = t('live');
    });
  start();
  return {
    element,
    stop: () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      playback?.stop();
    },
  };
}
