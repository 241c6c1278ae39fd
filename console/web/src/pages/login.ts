import { api, ApiFailure, type User } from '../api.js';
import { h } from '../dom.js';
import { getLang, setLang, t } from '../i18n.js';

export function loginPage(done: (u: User, csrf: string) => void): HTMLElement {
  const msg = h('p.error');
  const username = h('input#username', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input#password', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const form = h(
    'form.login-card',
    {
      onsubmit: async (e: Event) => {
        e.preventDefault();
        msg.textContent = '';
        try {
          const r = await api<{ user: User; csrfToken: string }>('POST', '/api/auth/login', {
            username: username.value,
            password: password.value,
          });
          done(r.user, r.csrfToken);
        } catch (err) {
          msg.textContent = err instanceof ApiFailure ? err.body.message : String(err);
        }
      },
    },
    h('div.brand.big', h('span.logo', 'MW'), t('appName')),
    h('label', t('username'), username),
    h('label', t('password'), password),
    h('button.primary#login', { type: 'submit' }, t('login')),
    msg,
    h(
      'button.link',
      {
        type: 'button',
        onclick: () => {
          setLang(getLang() === 'zh' ? 'en' : 'zh');
          location.reload();
        },
      },
      t('language'),
    ),
  );
  return h('div.login-wrap', form);
}
