import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { fmtTime, t } from '../i18n.js';
import { onLive } from '../live.js';

interface Terminal {
  terminalId: string;
  vehicleId: number | null;
  plate: string | null;
  company: string | null;
  online: boolean;
  since: string | null;
}

/** The gateway names terminals without leading zeros; the fleet list keeps them. */
const bare = (id: string): string => id.replace(/^0+/, '');

/**
 * Vehicle GPS terminals: how many are connected, and each change as the gateway announces it
 * (newest first), so an operator sees a truck's terminal drop off the moment it does.
 */
export function terminalsPanel(): { element: HTMLElement; stop: () => void } {
  const counts = h('div.term-counts');
  const list = h('ul.term-list#terminals');
  const element = h('aside.term-panel', h('b', t('terminals')), counts, list);
  const byId = new Map<string, Terminal>();
  const draw = (): void => {
    const all = [...byId.values()];
    const online = all.filter((x) => x.online).length;
    clear(
      counts,
      h('span.badge.cs-streaming', `${t('online')} ${String(online)}`),
      ' ',
      h('span.badge', `${t('offline')} ${String(all.length - online)}`),
    );
    const recent = all
      .filter((x) => x.since !== null)
      .sort((a, b) => (b.since ?? '').localeCompare(a.since ?? ''))
      .slice(0, 12);
    clear(
      list,
      ...recent.map((x) =>
        h(
          `li.term.${x.online ? 'on' : 'off'}`,
          { 'data-terminal': bare(x.terminalId) },
          h('span.dot'),
          `${x.plate ?? x.terminalId} ${x.online ? t('online') : t('offline')} ${fmtTime(x.since, false)}`,
        ),
      ),
    );
  };
  void api<Terminal[]>('GET', '/api/terminals/presence').then((all) => {
    for (const x of all) byId.set(bare(x.terminalId), x);
    draw();
  });
  const stop = onLive({
    terminal: (e) => {
      const known = byId.get(e.terminalId);
      byId.set(e.terminalId, {
        terminalId: known?.terminalId ?? e.terminalId,
        vehicleId: e.vehicleId,
        plate: known?.plate ?? null,
        company: known?.company ?? null,
        online: e.online,
        since: e.since,
      });
      draw();
    },
  });
  return { element, stop };
}
