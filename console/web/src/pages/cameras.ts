import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { cameraStateName, fmtTime, t } from '../i18n.js';
import { onLive } from '../live.js';
import type { Page } from '../page.js';

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

/** Camera wall: one tile per camera with its health, updated live as nodes report. */
export const camerasPage: Page = (root) => {
  const wall = h('div.wall#wall');
  clear(root, h('h2', t('cameras')), wall);
  const tile = (c: Camera): HTMLElement => {
    const st = c.health ? (c.health.stale ? 'stale' : c.health.state) : 'unknown';
    return h(
      `div.tile.cs-${st}`,
      { 'data-id': String(c.id) },
      h('div.tile-view', h('span.cam-code', c.code)),
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
    const cams = await api<Camera[]>('GET', '/api/cameras');
    clear(wall, ...cams.map(tile));
  };
  void load();
  let pending: ReturnType<typeof setTimeout> | null = null;
  return onLive({
    camera: () => {
      // Coalesce bursts of health changes into one reload.
      pending ??= setTimeout(() => {
        pending = null;
        void load();
      }, 500);
    },
  });
};
