import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { errorText, fileText, reportTable, type ReportRow } from '../admin/import-report.js';
import { w } from '../admin/words.js';
import type { Page } from '../page.js';

type Kind = 'companies' | 'vehicles' | 'terminals';
const KINDS: Kind[] = ['companies', 'vehicles', 'terminals'];

/**
 * The fleet registry — companies, vehicles, terminals. Admins add one or bulk-import a CSV after a
 * dry run; operators and auditors read it and export it.
 */
export const setupFleetPage: Page = (root, user) => {
  const admin = user.role === 'admin';
  let kind: Kind = 'vehicles';
  const tabs = h('div.tabs');
  const table = h('div.fleet-table');
  const addRow = h('div.panel.fleet-add');
  const file = h('input#csv-file', { type: 'file', accept: '.csv,text/csv' });
  const text = h('textarea#csv-text', {
    rows: 5,
    cols: 70,
    placeholder: 'plate,company,permit_valid_to,load_sensor',
  });
  const report = h('div#csv-report');
  const exportLink = h('a', { href: '' }, w('exportCsv'));

  const load = async (): Promise<void> => {
    clear(
      tabs,
      ...KINDS.map((k) =>
        h(
          'button.small',
          {
            class: k === kind ? 'active' : '',
            onclick: () => {
              kind = k;
              void load();
            },
          },
          w(k),
        ),
      ),
    );
    exportLink.setAttribute('href', `/api/fleet/export?kind=${kind}`);
    const rows = await api<Record<string, string | null>[]>('GET', `/api/fleet/${kind}`);
    const cols = rows[0] ? Object.keys(rows[0]).filter((c) => c !== 'id') : [];
    clear(
      table,
      h(
        'table.grid',
        h('thead', h('tr', ...cols.map((c) => h('th', c)))),
        h('tbody', ...rows.map((r) => h('tr', ...cols.map((c) => h('td', r[c] ?? '—'))))),
      ),
    );
    const inputs = cols.length > 0 ? cols : ['name'];
    const fields = inputs.map((c) => h('input', { placeholder: c, name: c }));
    const msg = h('span.msg');
    clear(
      addRow,
      ...fields,
      h(
        'button.primary',
        {
          onclick: async () => {
            const body = Object.fromEntries(
              fields.filter((i) => i.value !== '').map((i) => [i.name, i.value]),
            );
            try {
              await api('POST', `/api/fleet/${kind}`, body);
              await load();
            } catch (err) {
              msg.textContent = errorText(err);
            }
          },
        },
        w('add'),
      ),
      msg,
    );
  };
  const runImport = async (dryRun: boolean): Promise<void> => {
    try {
      const csv = text.value.trim() ? text.value : await fileText(file);
      const r = await api<{ applied: boolean; headerErrors: string[]; rows: ReportRow[] }>(
        'POST',
        '/api/fleet/import',
        { kind, csv, dryRun },
      );
      clear(
        report,
        r.applied ? h('p', w('applied')) : null,
        ...r.headerErrors.map((e) => h('p.error', e)),
        reportTable(r.rows),
      );
      if (r.applied) await load();
    } catch (err) {
      clear(report, h('pre.error', errorText(err)));
    }
  };
  clear(
    root,
    h('h2', w('fleet')),
    tabs,
    table,
    admin ? addRow : null,
    admin
      ? h(
          'section.panel',
          h('h3', w('importCsv')),
          file,
          text,
          h('button#csv-dry-run', { onclick: () => void runImport(true) }, w('dryRun')),
          h('button.primary#csv-apply', { onclick: () => void runImport(false) }, w('apply')),
          exportLink,
          report,
        )
      : exportLink,
  );
  void load();
  return undefined;
};
