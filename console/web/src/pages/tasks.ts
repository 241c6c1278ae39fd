import { api, ApiFailure, type IncidentDetail, type IncidentSummary, type Page as ApiPage } from '../api.js';
import { clear, h } from '../dom.js';
import { fmtTime, statusName, t, typeName } from '../i18n.js';
import { onLive } from '../live.js';
import type { Page } from '../page.js';

/** Enforcement, phone-sized: my team's dispatched cases; accept, see where, note, mark handled. */
export const tasksPage: Page = (root) => {
  const list = h('div.tasks#tasks');
  clear(root, h('div.phone', h('h2', t('tasks')), list));
  const load = async (): Promise<void> => {
    const page = await api<ApiPage<IncidentSummary>>('GET', '/api/incidents?status=dispatched&pageSize=50');
    clear(list, ...(page.items.length ? page.items.map(task) : [h('p.muted', t('noTasks'))]));
  };
  const task = (i: IncidentSummary): HTMLElement => {
    const notes = h('textarea.notes', { placeholder: t('notes'), rows: 3 });
    const photo = h('input.photo', { type: 'file', accept: 'image/*', capture: 'environment' });
    const msg = h('p.error');
    const body = h('div.task-more');
    const act = (step: string, payload?: object) => async () => {
      msg.textContent = '';
      try {
        await api('POST', `/api/incidents/${String(i.id)}/${step}`, payload);
        await load();
      } catch (err) {
        msg.textContent = err instanceof ApiFailure ? err.body.message : String(err);
      }
    };
    const card = h(
      'article.task',
      { 'data-id': String(i.id) },
      h(
        'div.row',
        h(`span.type.t-${i.type}`, typeName(i.type)),
        h(`span.badge.st-${i.status}`, statusName(i.status)),
      ),
      h('div.row.sub', h('span', fmtTime(i.startedAt)), h('span.plate', i.plate ?? '')),
      h('div.row.sub', h('span', `${t('slaDue')} ${fmtTime(i.slaDueAt)}`)),
      i.location
        ? h(
            'div.row.sub',
            h('span', `${t('where')}: ${i.location[1].toFixed(5)}, ${i.location[0].toFixed(5)}`),
          )
        : null,
      body,
      notes,
      h('label.photo-label', t('photo'), photo),
      h(
        'div.row',
        h('button', { onclick: act('accept') }, t('accept')),
        h(
          'button.primary.handle',
          {
            onclick: async () => {
              const file = photo.files?.[0];
              if (file) {
                try {
                  await api('POST', `/api/incidents/${String(i.id)}/photos`, {
                    jpegBase64: await toJpegBase64(file),
                  });
                } catch (err) {
                  msg.textContent = err instanceof ApiFailure ? err.body.message : String(err);
                  return;
                }
              }
              await act('handle', { note: notes.value.trim() || '—' })();
            },
          },
          t('handle'),
        ),
      ),
      msg,
    );
    // Snapshot for the officer to recognise the place (the view is audited like any other).
    void api<IncidentDetail>('GET', `/api/incidents/${String(i.id)}`).then((d) => {
      const snap = d.evidence.find((e) => e.kind === 'snapshot' && e.status === 'ready');
      if (snap)
        body.append(
          h('img.snapshot.small', { src: `/api/evidence/${String(snap.id)}/content`, alt: t('snapshot') }),
        );
    });
    return card;
  };
  void load();
  return onLive({ incident: () => void load() });
};

/** Phone photos are large: re-encode to a JPEG of at most 1600 px on the long side before upload. */
async function toJpegBase64(file: File): Promise<string> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const dataUrl = canvas.toDataURL('image/jpeg', 0.85);
  return dataUrl.slice(dataUrl.indexOf(',') + 1);
}
