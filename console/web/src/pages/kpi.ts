import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { t, typeName } from '../i18n.js';
import type { Page } from '../page.js';

interface Rate {
  key: string | null;
  total: number;
  closed: number;
  closedOnTime: number;
  handled: number;
  rework: number;
}
interface Kpi {
  overall: Rate;
  byType: Rate[];
  byDistrict: Rate[];
  byDay: Rate[];
  companies: { company: string; violations: number; vehicles: number }[];
}

const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);

/** Bars drawn as plain HTML: total cases, with the closed and on-time parts inside. */
function bars(rows: Rate[], label: (k: string | null) => string): HTMLElement {
  const max = Math.max(1, ...rows.map((r) => r.total));
  return h(
    'div.bars',
    ...rows.map((r) =>
      h(
        'div.bar-row',
        h('span.bar-label', label(r.key)),
        h(
          'span.bar',
          { style: { width: `${String((100 * r.total) / max)}%` } },
          h('span.bar-closed', { style: { width: `${String(r.total ? (100 * r.closed) / r.total : 0)}%` } }),
          h('span.bar-ontime', {
            style: { width: `${String(r.total ? (100 * r.closedOnTime) / r.total : 0)}%` },
          }),
        ),
        h(
          'span.bar-num',
          `${String(r.closed)}/${String(r.total)} · ${pct(r.rework, r.handled)} ${t('verifyFail')}`,
        ),
      ),
    ),
  );
}

/** KPI page: closure rate, on-time closure rate, rework rate; by type, district, day; company ranking. */
export const kpiPage: Page = (root) => {
  const body = h('div.kpi#kpi');
  const period = h(
    'select#period',
    ...[7, 30, 90].map((d) =>
      h('option', { value: String(d), selected: d === 30 }, `${String(d)} ${t('days')}`),
    ),
  );
  clear(root, h('div.audit-top', h('h2', t('kpi')), period), body);
  const load = async (): Promise<void> => {
    const from = new Date(Date.now() - Number(period.value) * 86_400_000).toISOString();
    const k = await api<Kpi>('GET', `/api/kpi?from=${encodeURIComponent(from)}`);
    const o = k.overall;
    clear(
      body,
      h(
        'div.cards',
        h('div.card', h('span.big', String(o.total)), h('span', t('incident'))),
        h('div.card', h('span.big', pct(o.closed, o.total)), h('span', t('closureRate'))),
        h('div.card', h('span.big', pct(o.closedOnTime, o.total)), h('span', t('onTimeRate'))),
        h('div.card', h('span.big', pct(o.rework, o.handled)), h('span', t('reworkRate'))),
      ),
      h(
        'div.kpi-grid',
        h(
          'section.panel',
          h('h3', t('type')),
          bars(k.byType, (x) => typeName(x ?? '')),
        ),
        h(
          'section.panel',
          h('h3', t('district')),
          bars(k.byDistrict, (x) => x ?? '—'),
        ),
        h(
          'section.panel',
          h('h3', t('time')),
          bars(k.byDay, (x) => x ?? '—'),
        ),
        h(
          'section.panel',
          h('h3', t('companyRanking')),
          h(
            'table.grid',
            h(
              'thead',
              h('tr', h('th', '#'), h('th', t('company')), h('th', t('violations')), h('th', t('trucks'))),
            ),
            h(
              'tbody',
              ...k.companies.map((c, i) =>
                h(
                  'tr',
                  h('td', String(i + 1)),
                  h('td', c.company),
                  h('td', String(c.violations)),
                  h('td', String(c.vehicles)),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };
  period.addEventListener('change', () => void load());
  void load();
  return undefined;
};
