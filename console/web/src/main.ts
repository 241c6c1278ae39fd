import { api, setCsrf, type User } from './api.js';
import { clear, h } from './dom.js';
import { getLang, setLang, t, type Key } from './i18n.js';
import { connectLive, disconnectLive, onLive } from './live.js';
import { alertsPage } from './pages/alerts.js';
import { auditPage } from './pages/audit.js';
import { camerasPage } from './pages/cameras.js';
import { loginPage } from './pages/login.js';
import { kpiPage } from './pages/kpi.js';
import { mapPage } from './pages/map.js';
import { tasksPage } from './pages/tasks.js';
import { setupCamerasPage } from './pages/setup-cameras.js';
import { setupFleetPage } from './pages/setup-fleet.js';
import { setupTeamsPage } from './pages/setup-teams.js';
import { setupZonesPage } from './pages/setup-zones.js';
import { usersPage } from './pages/users.js';
import type { Page } from './page.js';

const PAGES: { path: string; label: Key; roles: User['role'][]; page: Page }[] = [
  { path: 'alerts', label: 'alerts', roles: ['operator', 'admin'], page: alertsPage },
  { path: 'map', label: 'map', roles: ['operator', 'admin', 'auditor'], page: mapPage },
  { path: 'cameras', label: 'cameras', roles: ['operator', 'admin', 'auditor'], page: camerasPage },
  { path: 'tasks', label: 'tasks', roles: ['enforcement', 'admin'], page: tasksPage },
  { path: 'audit', label: 'audit', roles: ['auditor', 'admin'], page: auditPage },
  { path: 'kpi', label: 'kpi', roles: ['operator', 'auditor', 'admin'], page: kpiPage },
  { path: 'users', label: 'users', roles: ['admin'], page: usersPage },
  { path: 'setup-cameras', label: 'setupCameras', roles: ['admin'], page: setupCamerasPage },
  { path: 'setup-zones', label: 'setupZones', roles: ['admin'], page: setupZonesPage },
  // Operators and auditors look trucks up here too; only admins change the registry.
  { path: 'setup-fleet', label: 'setupFleet', roles: ['admin', 'operator', 'auditor'], page: setupFleetPage },
  { path: 'setup-teams', label: 'setupTeams', roles: ['admin'], page: setupTeamsPage },
];

/** Where each role lands after logging in. */
const HOME: Record<User['role'], string> = {
  operator: 'alerts',
  enforcement: 'tasks',
  auditor: 'audit',
  admin: 'alerts',
};

const app = document.getElementById('app') as HTMLElement;
let user: User | null = null;
let stopPage: (() => void) | undefined = undefined;

async function start(): Promise<void> {
  setLang(getLang());
  try {
    const me = await api<{ user: User; csrfToken: string }>('GET', '/api/auth/me');
    user = me.user;
    setCsrf(me.csrfToken);
  } catch {
    user = null;
  }
  route();
}

function route(): void {
  if (typeof stopPage === 'function') stopPage();
  stopPage = undefined;
  if (!user) {
    disconnectLive();
    clear(
      app,
      loginPage((u, csrf) => {
        user = u;
        setCsrf(csrf);
        location.hash = `#/${HOME[u.role]}`;
        route();
      }),
    );
    return;
  }
  connectLive();
  const u = user;
  const allowed = PAGES.filter((p) => p.roles.includes(u.role));
  const path = location.hash.replace(/^#\//, '').split('/')[0] ?? '';
  const current =
    allowed.find((p) => p.path === path) ?? allowed.find((p) => p.path === HOME[u.role]) ?? allowed[0];
  app.dataset.top = current?.path ?? '';
  const liveDot = h('span.live-dot', { title: t('live') });
  const main = h('main.page');
  clear(
    app,
    h(
      'header.topbar',
      h('div.brand', h('span.logo', 'MW'), t('appName')),
      h(
        'nav',
        ...allowed.map((p) =>
          h('a', { href: `#/${p.path}`, class: p === current ? 'active' : '' }, t(p.label)),
        ),
      ),
      h(
        'div.who',
        liveDot,
        h('span', `${u.displayName}${u.jurisdictionCode ? ` · ${u.jurisdictionCode}` : ''}`),
        h(
          'button.link',
          {
            onclick: () => {
              setLang(getLang() === 'zh' ? 'en' : 'zh');
              route();
            },
          },
          t('language'),
        ),
        h('button.link#logout', { onclick: () => void logout() }, t('logout')),
      ),
    ),
    main,
  );
  const stopDot = onLive({ state: (ok) => liveDot.classList.toggle('on', ok) });
  const stop = current ? current.page(main, u) : undefined;
  stopPage = () => {
    stopDot();
    if (typeof stop === 'function') stop();
  };
}

async function logout(): Promise<void> {
  await api('POST', '/api/auth/logout').catch(() => undefined);
  user = null;
  location.hash = '';
  route();
}

window.addEventListener('hashchange', () => {
  // Sub-routes (#/alerts/12) are handled by the page itself.
  const top = location.hash.replace(/^#\//, '').split('/')[0];
  if (top !== (app.dataset.top ?? '')) {
    app.dataset.top = top;
    route();
  }
});
void start();
