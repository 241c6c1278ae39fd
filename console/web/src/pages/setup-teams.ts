import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { errorText } from '../admin/import-report.js';
import { w } from '../admin/words.js';
import type { Page } from '../page.js';

interface Team {
  id: number;
  name: string;
  jurisdictionCode: string | null;
  districts: string[];
}

const codes = (s: string): string[] => s.split(/[,，\s]+/).filter((c) => c !== '');

/** Admin: enforcement teams, their home district and the districts they cover. */
export const setupTeamsPage: Page = (root) => {
  const tbody = h('tbody');
  const msg = h('p.msg');
  const f = {
    name: h('input#team-name', { placeholder: w('name') }),
    home: h('input#team-home', { placeholder: w('homeDistrict') }),
    districts: h('input#team-districts', { placeholder: w('districts') }),
  };
  const load = async (): Promise<void> => {
    const teams = await api<Team[]>('GET', '/api/teams');
    clear(
      tbody,
      ...teams.map((t) => {
        const districts = h('input', { value: t.districts.join(', ') });
        return h(
          'tr',
          h('td', t.name),
          h('td', t.jurisdictionCode ?? '—'),
          h('td', districts),
          h(
            'td',
            h(
              'button.small',
              {
                onclick: async () => {
                  try {
                    await api('PATCH', `/api/teams/${String(t.id)}`, { districts: codes(districts.value) });
                    msg.textContent = w('saved');
                  } catch (err) {
                    msg.textContent = errorText(err);
                  }
                },
              },
              w('save'),
            ),
          ),
        );
      }),
    );
  };
  const create = async (): Promise<void> => {
    try {
      await api('POST', '/api/teams', {
        name: f.name.value,
        jurisdictionCode: f.home.value || null,
        districts: codes(f.districts.value),
      });
      f.name.value = '';
      await load();
    } catch (err) {
      msg.textContent = errorText(err);
    }
  };
  clear(
    root,
    h('h2', w('teams')),
    h(
      'div.panel',
      f.name,
      f.home,
      f.districts,
      h('button.primary', { onclick: () => void create() }, w('add')),
      msg,
    ),
    h(
      'table.grid',
      h(
        'thead',
        h('tr', h('th', w('name')), h('th', w('homeDistrict')), h('th', w('districts')), h('th', '')),
      ),
      tbody,
    ),
  );
  void load();
  return undefined;
};
