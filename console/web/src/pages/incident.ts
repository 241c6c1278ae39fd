import { api, ApiFailure, type IncidentDetail, type User } from '../api.js';
import { clear, h } from '../dom.js';
import { fmtTime, statusName, t, typeName } from '../i18n.js';
import { trackSvg } from './track.js';

/**
 * One incident: snapshot, clip, linked trucks (confidence + reason), GPS excerpt, the rule's
 * explanation, the lifecycle with the actions this user may take next.
 */
export async function incidentView(
  el: HTMLElement,
  id: number,
  user: User,
  onChange?: () => void,
): Promise<void> {
  let d: IncidentDetail;
  try {
    d = await api<IncidentDetail>('GET', `/api/incidents/${String(id)}`);
  } catch (err) {
    clear(el, h('p.error', err instanceof ApiFailure ? err.body.message : String(err)));
    return;
  }
  const snap = d.evidence.find((e) => e.kind === 'snapshot' && e.status === 'ready' && e.cameraId !== null);
  const photos = d.evidence.filter(
    (e) => e.kind === 'snapshot' && e.status === 'ready' && e.capturedBy !== null,
  );
  const clip = d.evidence.find((e) => e.kind === 'clip' && e.status === 'ready');
  const missing = d.evidence.filter((e) => e.status === 'missing');
  const overdue = d.slaDueAt !== null && Date.parse(d.slaDueAt) < Date.now() && d.status !== 'closed';
  const reload = async (): Promise<void> => {
    await incidentView(el, id, user, onChange);
    onChange?.();
  };
  clear(
    el,
    h(
      'div.detail-head',
      h('h2', `${typeName(d.type)} `, h('small', `#${String(d.id)}`)),
      h(`span.badge.st-${d.status}`, statusName(d.status)),
      overdue ? h('span.badge.overdue', t('overdue')) : null,
    ),
    h(
      'dl.facts',
      h('dt', t('time')),
      h('dd', fmtTime(d.startedAt)),
      h('dt', t('district')),
      h('dd', d.jurisdictionCode ?? '—'),
      h('dt', t('cameras')),
      h('dd', d.cameraName ?? '—'),
      h('dt', t('slaDue')),
      h('dd', fmtTime(d.slaDueAt)),
    ),
    h(
      'div.media',
      snap
        ? h('img.snapshot', { src: `/api/evidence/${String(snap.id)}/content`, alt: t('snapshot') })
        : h('div.placeholder', t('snapshot'), ' —'),
      clip
        ? h('video.clip', {
            src: `/api/evidence/${String(clip.id)}/content`,
            controls: true,
            preload: 'metadata',
          })
        : h('div.placeholder', t('clip'), ' —'),
    ),
    missing.length
      ? h('p.warn', ...missing.map((m) => `${m.kind} ${t('missing')}: ${m.missingReason ?? ''}`))
      : null,
    h('h3', t('trucks')),
    d.vehicles.length
      ? h(
          'table.grid',
          h(
            'thead',
            h(
              'tr',
              h('th', t('plate')),
              h('th', t('company')),
              h('th', t('confidence')),
              h('th', t('reason')),
            ),
          ),
          h(
            'tbody',
            ...d.vehicles.map((v) =>
              h(
                'tr',
                h('td.plate', v.plate),
                h('td', v.company ?? '—'),
                h(
                  'td',
                  h(
                    'span.conf',
                    { style: { '--c': `${String(Math.round(v.confidence * 100))}%` } },
                    `${String(Math.round(v.confidence * 100))}%`,
                  ),
                ),
                h('td', v.reason),
              ),
            ),
          ),
        )
      : h('p.muted', t('noLinkedTruck')),
    h('h3', t('track')),
    trackSvg(d.track, d.location),
    h('h3', t('explanation')),
    h(
      'dl.facts.explain',
      ...Object.entries(d.explanation).flatMap(([k, v]) => [
        h('dt', k),
        h('dd', typeof v === 'string' ? v : JSON.stringify(v)),
      ]),
    ),
    photos.length
      ? h(
          'div.photos',
          ...photos.map((p) =>
            h(
              'figure',
              h('img', { src: `/api/evidence/${String(p.id)}/content`, alt: t('photo') }),
              h('figcaption', `${p.capturedBy ?? ''} ${fmtTime(p.createdAt)}`),
            ),
          ),
        )
      : null,
    h('h3', t('lifecycle')),
    actions(d, user, reload),
    h(
      'ol.timeline',
      ...d.transitions.map((tr) =>
        h(
          'li',
          h('b', statusName(tr.to)),
          ` ${fmtTime(tr.at)} · ${tr.actor}`,
          tr.note ? h('div.note', tr.note) : null,
        ),
      ),
    ),
  );
}

function actions(d: IncidentDetail, user: User, reload: () => Promise<void>): HTMLElement {
  const box = h('div.actions');
  const msg = h('span.error');
  const note = h('input.note', { placeholder: t('note') });
  const run =
    (step: string, body: Record<string, unknown> = {}) =>
    async () => {
      msg.textContent = '';
      try {
        await api('POST', `/api/incidents/${String(d.id)}/${step}`, {
          ...body,
          ...(note.value ? { note: note.value } : {}),
        });
        await reload();
      } catch (err) {
        msg.textContent = err instanceof ApiFailure ? err.body.message : String(err);
      }
    };
  const op = user.role === 'operator' || user.role === 'admin';
  const buttons: HTMLElement[] = [];
  if (op && d.status === 'reported')
    buttons.push(h('button.primary#act-register', { onclick: run('register') }, t('register')));
  if (op && (d.status === 'registered' || d.status === 'rework')) {
    const team = h('select#team');
    const due = h('input#due', { type: 'datetime-local' });
    void api<{ id: number; name: string }[]>('GET', '/api/teams').then((ts) => {
      for (const tm of ts) team.append(h('option', { value: String(tm.id) }, tm.name));
    });
    buttons.push(
      h('label', t('team'), team),
      h('label', t('dueAt'), due),
      h(
        'button.primary#act-dispatch',
        {
          onclick: async () => {
            const body: Record<string, unknown> = { teamId: Number(team.value) };
            // datetime-local is entered in Beijing time (the monitoring center's clock).
            if (due.value) body.dueAt = new Date(`${due.value}:00+08:00`).toISOString();
            await run('dispatch', body)();
          },
        },
        t('dispatch'),
      ),
    );
  }
  if (op && d.status === 'handled') {
    buttons.push(
      h('button.primary#act-verify', { onclick: run('verify', { passed: true }) }, t('verifyPass')),
    );
    buttons.push(
      h('button.danger#act-rework', { onclick: run('verify', { passed: false }) }, t('verifyFail')),
    );
  }
  if (op && (d.status === 'verified' || d.status === 'reported' || d.status === 'registered'))
    buttons.push(h('button#act-close', { onclick: run('close') }, t('close')));
  if (buttons.length === 0) return box;
  box.append(note, ...buttons, msg);
  return box;
}
