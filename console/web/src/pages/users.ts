import { api, ApiFailure } from '../api.js';
import { clear, h } from '../dom.js';
import { t } from '../i18n.js';
import type { Page } from '../page.js';

interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: string;
  jurisdictionCode: string | null;
  teamId: number | null;
  disabled: boolean;
}

const ROLE_NAMES: Record<string, string> = {
  operator: '值班员',
  enforcement: '执法队员',
  auditor: '审计员',
  admin: '管理员',
};

/** Admin: users, their role and district; create, disable (ends their sessions), reset password. */
export const usersPage: Page = (root) => {
  const tbody = h('tbody');
  const msg = h('p.error');
  const f = {
    username: h('input', { placeholder: t('username'), name: 'new-username' }),
    displayName: h('input', { placeholder: t('displayName') }),
    password: h('input', { placeholder: t('password'), type: 'password', autocomplete: 'new-password' }),
    role: h('select', ...Object.entries(ROLE_NAMES).map(([v, n]) => h('option', { value: v }, `${n} ${v}`))),
    jurisdiction: h('input', { placeholder: `${t('district')} (${t('all')})` }),
    team: h('input', { placeholder: `${t('team')} ID`, type: 'number' }),
  };
  const load = async (): Promise<void> => {
    const users = await api<UserRow[]>('GET', '/api/users');
    clear(
      tbody,
      ...users.map((u) => {
        // Role, district and team edited in place; saving ends the user's sessions when access changes.
        const role = h(
          'select',
          ...Object.entries(ROLE_NAMES).map(([v, n]) => h('option', { value: v, selected: v === u.role }, n)),
        );
        const district = h('input', { value: u.jurisdictionCode ?? '', placeholder: t('all'), size: 6 });
        const team = h('input', {
          value: u.teamId === null ? '' : String(u.teamId),
          type: 'number',
          style: { width: '5em' },
        });
        return h(
          'tr',
          { 'data-user': u.username },
          h('td', String(u.id)),
          h('td', u.username),
          h('td', u.displayName),
          h('td', role),
          h('td', district),
          h('td', team),
          h(
            'td',
            h(
              'button.small',
              {
                onclick: async () => {
                  msg.textContent = '';
                  try {
                    await api('PATCH', `/api/users/${String(u.id)}`, {
                      role: role.value,
                      jurisdictionCode: district.value || null,
                      teamId: team.value ? Number(team.value) : null,
                    });
                    await load();
                  } catch (err) {
                    msg.textContent =
                      err instanceof ApiFailure
                        ? `${err.body.message} ${(err.body.details ?? []).join('; ')}`
                        : String(err);
                  }
                },
              },
              t('save'),
            ),
            h(
              'button.small',
              {
                onclick: async () => {
                  await api('POST', `/api/users/${String(u.id)}/disable`, { disabled: !u.disabled });
                  await load();
                },
              },
              u.disabled ? t('enable') : t('disable'),
            ),
            h(
              'button.small',
              {
                onclick: async () => {
                  const pw = prompt(t('newPassword'));
                  if (pw)
                    await api('POST', `/api/users/${String(u.id)}/password`, { password: pw }).catch(
                      (e: unknown) => {
                        alert(String(e));
                      },
                    );
                },
              },
              t('resetPassword'),
            ),
          ),
        );
      }),
    );
  };
  const create = async (): Promise<void> => {
    msg.textContent = '';
    try {
      await api('POST', '/api/users', {
        username: f.username.value,
        displayName: f.displayName.value || f.username.value,
        password: f.password.value,
        role: f.role.value,
        jurisdictionCode: f.jurisdiction.value || null,
        teamId: f.team.value ? Number(f.team.value) : null,
      });
      f.username.value = '';
      f.password.value = '';
      await load();
    } catch (err) {
      msg.textContent =
        err instanceof ApiFailure
          ? `${err.body.message} ${(err.body.details ?? []).join('; ')}`
          : String(err);
    }
  };
  clear(
    root,
    h('h2', t('users')),
    h(
      'div.panel.user-form',
      f.username,
      f.displayName,
      f.password,
      f.role,
      f.jurisdiction,
      f.team,
      h('button.primary', { onclick: () => void create() }, t('create')),
      msg,
    ),
    h(
      'table.grid',
      h(
        'thead',
        h(
          'tr',
          h('th', '#'),
          h('th', t('username')),
          h('th', t('displayName')),
          h('th', t('role')),
          h('th', t('district')),
          h('th', t('team')),
          h('th', ''),
        ),
      ),
      tbody,
    ),
  );
  void load();
  return undefined;
};
