import { api, ApiFailure, type IncidentDetail, type IncidentSummary, type Page as ApiPage } from '../api.js';
import { clear, h } from '../dom.js';
import { fmtTime, statusName, t, typeName } from '../i18n.js';
import type { Page } from '../page.js';
import { withBoxOverlay, type BoxTrack } from './overlay.js';
import { moveTrackCursor, trackSvg } from './track.js';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  hash: string;
}

/** Auditors: audit-chain status and trail, evidence replay, hash verification, export, hold. */
export const auditPage: Page = (root) => {
  const chain = h('div.chain#chain');
  const trail = h('tbody');
  const cases = h('ul.feed.compact');
  const replay = h('section.detail#replay', h('p.muted', t('select')));
  clear(
    root,
    h(
      'div.audit-top',
      chain,
      h('button.primary#check-chain', { onclick: () => void check() }, t('checkChain')),
    ),
    h('div.split', h('aside.feed-col', h('h2', t('evidence')), cases), replay),
    h('h2', t('chain')),
    h(
      'table.grid.trail',
      h(
        'thead',
        h(
          'tr',
          h('th', '#'),
          h('th', t('time')),
          h('th', t('actor')),
          h('th', t('action')),
          h('th', t('target')),
          h('th', 'hash'),
        ),
      ),
      trail,
    ),
  );
  const check = async (): Promise<void> => {
    const r = await api<{
      ok: boolean;
      rows: number;
      problems: { kind: string; id: number; message: string }[];
    }>('POST', '/api/audit/verify');
    clear(
      chain,
      h(`span.badge.${r.ok ? 'ok' : 'bad'}`, r.ok ? t('chainOk') : t('chainBroken')),
      ` ${String(r.rows)} ${t('rows')}`,
      ...r.problems.slice(0, 5).map((p) => h('div.error', `#${String(p.id)} ${p.kind}: ${p.message}`)),
    );
    await loadTrail();
  };
  const loadTrail = async (): Promise<void> => {
    const page = await api<ApiPage<AuditRow>>('GET', '/api/audit?pageSize=30');
    clear(
      trail,
      ...page.items.map((a) =>
        h(
          'tr',
          h('td', String(a.id)),
          h('td', fmtTime(a.at)),
          h('td', a.actor),
          h('td', a.action),
          h('td', `${a.targetType} ${a.targetId ?? ''}`),
          h('td.hash', a.hash.slice(0, 12)),
        ),
      ),
    );
  };
  const open = async (id: number): Promise<void> => {
    const d = await api<IncidentDetail>('GET', `/api/incidents/${String(id)}`);
    const msg = h('p.result#export-result');
    const clip = d.evidence.find((e) => e.kind === 'clip' && e.status === 'ready');
    const map = trackSvg(d.track, d.location);
    const video: HTMLVideoElement | null = clip
      ? h('video', {
          id: 'replay-video',
          className: 'clip',
          src: `/api/evidence/${String(clip.id)}/content`,
          controls: true,
          preload: 'metadata',
        })
      : null;
    const trackEv = d.evidence.find((e) => e.kind === 'track' && e.status === 'ready');
    const boxes = trackEv
      ? await api<BoxTrack>('GET', `/api/evidence/${String(trackEv.id)}/content`).catch(() => null)
      : null;
    // The GPS track plays in step with the clip: clip start time + playback position.
    const clipStart = boxes
      ? Date.parse(boxes.clipStart)
      : clip?.rangeStart
        ? Date.parse(clip.rangeStart)
        : Date.parse(d.startedAt) - 10_000;
    video?.addEventListener('timeupdate', () => {
      moveTrackCursor(map, clipStart + video.currentTime * 1000);
    });
    clear(
      replay,
      h(
        'div.detail-head',
        h('h2', `${typeName(d.type)} `, h('small', `#${String(d.id)}`)),
        h(`span.badge.st-${d.status}`, statusName(d.status)),
      ),
      h(
        'div.media',
        video ? (boxes ? withBoxOverlay(video, boxes) : video) : h('div.placeholder', t('clip'), ' —'),
        map,
      ),
      h(
        'table.grid',
        h('thead', h('tr', h('th', t('evidence')), h('th', 'SHA-256'), h('th', t('status')), h('th', ''))),
        h(
          'tbody',
          ...d.evidence.map((e) => {
            const res = h('span');
            return h(
              'tr',
              h('td', e.kind),
              h('td.hash', e.sha256 ? e.sha256.slice(0, 16) : '—'),
              h(
                'td',
                e.status === 'missing' ? `${t('missing')}: ${e.missingReason ?? ''}` : e.status,
                e.legalHold ? h('span.badge.hold', t('legalHold')) : null,
              ),
              h(
                'td',
                e.status === 'ready'
                  ? h(
                      'button.small.verify-btn',
                      {
                        onclick: async () => {
                          const v = await api<{ ok: boolean }>(
                            'POST',
                            `/api/evidence/${String(e.id)}/verify`,
                          );
                          clear(
                            res,
                            h(`span.badge.${v.ok ? 'ok' : 'bad'}`, v.ok ? t('verified') : t('tampered')),
                          );
                        },
                      },
                      t('verify'),
                    )
                  : null,
                h(
                  'button.small',
                  {
                    onclick: async () => {
                      await api('PUT', `/api/evidence/${String(e.id)}/hold`, { hold: !e.legalHold });
                      await open(id);
                    },
                  },
                  e.legalHold ? t('release') : t('legalHold'),
                ),
                e.kind === 'export' && e.status === 'ready'
                  ? h('a.small', { href: `/api/evidence/${String(e.id)}/content` }, t('download'))
                  : null,
                res,
              ),
            );
          }),
        ),
      ),
      h(
        'button.primary#export',
        {
          onclick: async () => {
            msg.textContent = '…';
            try {
              const r = await api<{ evidenceId: number; sha256: string; files: string[] }>(
                'POST',
                `/api/incidents/${String(id)}/export`,
              );
              await open(id);
              replay.append(
                h(
                  'p.result#export-result',
                  h('span.badge.ok', t('export')),
                  ` ${r.sha256.slice(0, 16)} · ${r.files.join(', ')} `,
                  h('a', { href: `/api/evidence/${String(r.evidenceId)}/content` }, t('download')),
                ),
              );
            } catch (err) {
              msg.textContent = err instanceof ApiFailure ? err.body.message : String(err);
            }
          },
        },
        t('export'),
      ),
      msg,
    );
    await loadTrail();
  };
  void (async () => {
    const page = await api<ApiPage<IncidentSummary>>('GET', '/api/incidents?pageSize=100');
    clear(
      cases,
      ...page.items.map((i) =>
        h(
          'li.alert-card',
          { 'data-id': String(i.id), onclick: () => void open(i.id) },
          h(
            'div.row',
            h(`span.type.t-${i.type}`, typeName(i.type)),
            h(`span.badge.st-${i.status}`, statusName(i.status)),
          ),
          h('div.row.sub', h('span', fmtTime(i.startedAt)), h('span.plate', i.plate ?? '')),
        ),
      ),
    );
    await check();
  })();
  return undefined;
};
