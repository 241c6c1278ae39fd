import { ApiFailure } from '../api.js';
import { h } from '../dom.js';
import { w, type Word } from './words.js';

/** One row of an import report (a CSV line or a GeoJSON feature). */
export interface ReportRow {
  line?: number;
  index?: number;
  key?: string | null;
  code?: string | null;
  action: string | null;
  changes?: Record<string, { before: unknown; after: unknown }>;
  errors: string[];
}

const show = (v: unknown): string =>
  v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);

/** The dry-run table: per row what would change (before → after) and every error. */
export function reportTable(rows: readonly ReportRow[]): HTMLElement {
  return h(
    'table.grid.import-report',
    h('thead', h('tr', h('th', w('line')), h('th', w('code')), h('th', w('action')), h('th', w('errors')))),
    h(
      'tbody',
      ...rows.map((r) =>
        h(
          'tr',
          {
            class: r.errors.length > 0 ? 'row-error' : '',
            style: r.errors.length > 0 ? { background: '#fdecea' } : {},
          },
          h('td', String(r.line ?? `#${String(r.index ?? '')}`)),
          h('td', r.key ?? r.code ?? '—'),
          h(
            'td',
            r.action ? w(r.action as Word) : '—',
            ...Object.entries(r.changes ?? {}).map(([k, c]) =>
              h('div.change', `${k}: ${show(c.before)} → ${show(c.after)}`),
            ),
          ),
          h('td', ...r.errors.map((e) => h('div.error', e))),
        ),
      ),
    ),
  );
}

/** An API error as text a person can act on (with every detail line). */
export const errorText = (err: unknown): string =>
  err instanceof ApiFailure ? [err.body.message, ...(err.body.details ?? [])].join('\n') : String(err);

/** Read a chosen file as text. */
export const fileText = (input: HTMLInputElement): Promise<string> =>
  input.files?.[0] ? input.files[0].text() : Promise.resolve('');
