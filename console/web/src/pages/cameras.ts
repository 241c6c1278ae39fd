import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { cameraStateName, fmtTime, t } from '../i18n.js';
import { onLive } from '../live.js';
import type { Page } from '../page.js';
import { liveView, type LiveFormat } from '../video/live-view.js';

interface Camera {
  id: number;
  code: string;
  name: string;
  enabled: boolean;
  jurisdictionCode: string | null;
  health: {
    state: string;
    stale: boolean;
    node: string;
    fpsIn: number;
    fpsOut: number;
    reportedAt: string;
    lastError: { kind: string; message: string } | null;
  } | null;
}

/** `#/cameras/12` opens camera 12's live view; `#/cameras/12/mpegts` forces the JSMpeg player. */
const selection = (): { id: number; format?: LiveFormat } | null => {
  const [, , id, format] = location.hash.replace(/^#/, '').split('/');
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) return null;
  return format === 'mpegts' || format === 'fmp4' ? { id: n, format } : { id: n };
};

/**
 * Camera wall: one tile per camera with its health, updated live as nodes report. Clicking a
 * tile opens its live view above the wall (operators and admins; the server checks the district).
 */
export const camerasPage: Page = (root, user) => {
  const wall = h('div.wall#wall');
  const viewer = h('div.live-slot');
  clear(root, h('h2', t('cameras')), viewer, wall);
  const canWatch = user.role === 'operator' || user.role === 'admin';
  let cams: Camera[] = [];
  let shown: { id: number; format: string; stop: () => void } | null = null;
  const showSelected = (): void => {
    const sel = selection();
    const cam = sel ? cams.find((c) => c.id === sel.id) : undefined;
    if (shown && (!sel || shown.id !== sel.id || shown.format !== (sel.format ?? ''))) {
      shown.stop();
      shown = null;
      clear(viewer);
    }
    if (!sel || !cam || shown || !canWatch) return;
    const v = liveView(cam, sel.format);
    shown = { id: cam.id, format: sel.format ?? '', stop: v.stop };
    clear(
      viewer,
      h(
        'div.live-panel',
        v.element,
        h('button.link#close-live', { onclick: () => (location.hash = '#/cameras') }, t('closeView')),
      ),
    );
  };
  const tile = (c: Camera): HTMLElement => {
    const st = c.health ? (c.health.stale ? 'stale' : c.health.state) : 'unknown';
    return h(
      `div.tile.cs-${st}`,
      { 'data-id': String(c.id) },
      h(
        'div.tile-view',
        canWatch
          ? {
              title: t('watchLive'),
              class: 'watchable',
              onclick: () => (location.hash = `#/cameras/${String(c.id)}`),
            }
          : {},
        h('span.cam-code', c.code),
      ),
      h(
        'div.tile-body',
        h('b', c.name),
        h(
          'div',
          h(
            `span.badge.cs-${st}`,
            c.health ? (c.health.stale ? t('stale') : cameraStateName(c.health.state)) : '—',
          ),
          ` ${c.jurisdictionCode ?? ''}`,
        ),
        c.health
          ? h(
              'div.muted',
              `${t('node')} ${c.health.node} · ${c.health.fpsIn.toFixed(1)}/${c.health.fpsOut.toFixed(1)} ${t('fps')} · ${fmtTime(c.health.reportedAt, false)}`,
            )
          : null,
        c.health?.lastError ? h('div.error', `${t('lastError')}: ${c.health.lastError.message}`) : null,
      ),
    );
  };
  const load = async (): Promise<void> => {
    cams = await api<Camera[]>('GET', '/api/cameras');
    clear(wall, ...cams.map(tile));
    showSelected();
  };
  void load();
  window.addEventListener('hashchange', showSelected);
  let pending: ReturnType<typeof setTimeout> | null = null;
  const stopLive = onLive({
    camera: () => {
      // Coalesce bursts of health changes into one reload.
      pending ??= setTimeout(() => {
        pending = null;
        void load();
      }, 500);
    },
  });
  return () => {
    stopLive();
    window.removeEventListener('hashchange', showSelected);
    shown?.stop();
  };
};
