import { api, type IncidentSummary, type Page as ApiPage } from '../api.js';
import { clear, h } from '../dom.js';
import { fmtTime, statusName, t, typeName } from '../i18n.js';
import { onLive } from '../live.js';
import type { Page } from '../page.js';
import { incidentView } from './incident.js';

/** Operators' live alert feed: new alerts appear at the top without reload; click to open. */
export const alertsPage: Page = (root, user) => {
  const list = h('ul.feed#feed');
  const detail = h('section.detail#detail', h('p.muted', t('select')));
  const status = h('select#status-filter', h('option', { value: '' }, `${t('status')}: ${t('all')}`));
  for (const s of ['reported', 'registered', 'dispatched', 'handled', 'verified', 'rework', 'closed'])
    status.append(h('option', { value: s }, statusName(s)));
  let selected = Number(location.hash.split('/')[2] ?? 0) || null;

  const card = (i: IncidentSummary, fresh = false): HTMLElement =>
    h(
      `li.alert-card${fresh ? '.fresh' : ''}${i.id === selected ? '.selected' : ''}`,
      {
        'data-id': String(i.id),
        onclick: () => {
          open(i.id);
        },
      },
      h(
        'div.row',
        h(`span.type.t-${i.type}`, typeName(i.type)),
        h(`span.badge.st-${i.status}`, statusName(i.status)),
      ),
      h(
        'div.row.sub',
        h('span', fmtTime(i.startedAt)),
        h('span', i.jurisdictionCode ?? ''),
        h('span.plate', i.plate ?? ''),
      ),
      slaLine(i),
    );

  const load = async (): Promise<void> => {
    const q = status.value ? `&status=${status.value}` : '';
    const page = await api<ApiPage<IncidentSummary>>('GET', `/api/incidents?pageSize=100${q}`);
    clear(list, ...(page.items.length ? page.items.map((i) => card(i)) : [h('li.muted', t('noAlerts'))]));
  };
  const open = (id: number): void => {
    selected = id;
    history.replaceState(null, '', `#/alerts/${String(id)}`);
    for (const li of list.querySelectorAll('li.alert-card'))
      li.classList.toggle('selected', li.getAttribute('data-id') === String(id));
    void incidentView(detail, id, user, () => void load());
  };
  status.addEventListener('change', () => void load());

  const stop = onLive({
    alert: (e) => {
      // Reload the list (it carries plate and status), then flash the new card.
      void load().then(() => {
        list.querySelector(`li[data-id="${String(e.incidentId)}"]`)?.classList.add('fresh');
        beep();
      });
    },
    incident: (e) => {
      void load();
      if (e.incidentId === selected) void incidentView(detail, e.incidentId, user);
    },
  });

  clear(
    root,
    h('div.split', h('aside.feed-col', h('div.feed-head', h('h2', t('alerts')), status), list), detail),
  );
  void load();
  if (selected) open(selected);
  // SLA timers count down with the list.
  const timer = setInterval(() => void load(), 60_000);
  return () => {
    stop();
    clearInterval(timer);
  };
};

/** A short tone for a new alert (browsers allow it after the user has interacted with the page). */
function beep(): void {
  try {
    const ctx = new AudioContext();
    const o = ctx.createOscillator();
    const g = ctx.createGain();
    o.frequency.value = 880;
    g.gain.value = 0.05;
    o.connect(g).connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.15);
  } catch {
    /* no audio: the card still flashes */
  }
}

/** The step's deadline (SLA timer): time left, or how late it is, refreshed with the list. */
function slaLine(i: IncidentSummary): HTMLElement | null {
  if (!i.slaDueAt || i.status === 'closed') return null;
  const leftMin = Math.round((Date.parse(i.slaDueAt) - Date.now()) / 60_000);
  const late = leftMin < 0;
  const span =
    Math.abs(leftMin) >= 60 ? `${(Math.abs(leftMin) / 60).toFixed(1)} h` : `${String(Math.abs(leftMin))} min`;
  return h(
    `div.row.sub.sla${late ? '.late' : ''}`,
    h('span', `${t('slaDue')} ${fmtTime(i.slaDueAt, false)}`),
    h('span', late ? `${t('overdue')} ${span}` : `${t('left')} ${span}`),
  );
}
