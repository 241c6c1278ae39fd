import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { GeoView, ringsOf, type GeoFeature, type XY } from '../admin/geo-view.js';
import { errorText, fileText, reportTable, type ReportRow } from '../admin/import-report.js';
import { PolyEditor } from '../admin/poly-editor.js';
import { w } from '../admin/words.js';
import type { Page } from '../page.js';

const KINDS = [
  'jurisdiction',
  'construction_site',
  'disposal_site',
  'approved_route',
  'no_vending',
  'restricted',
] as const;

/** Admin: geo zones — draw and edit on the offline map, schedules, GeoJSON import (dry run first) and export. */
export const setupZonesPage: Page = (root) => {
  const canvas = h('canvas#zones-map', {
    width: 800,
    height: 480,
    style: { width: '100%', maxWidth: '900px', border: '1px solid #ccc' },
  });
  const view = new GeoView(canvas);
  const list = h('tbody');
  const msg = h('p.msg#zone-msg');
  let features: GeoFeature[] = [];
  let editing: number | null = null;
  let geometry: GeoFeature['geometry'] = null;
  const f = {
    code: h('input#zone-code', { placeholder: w('code') }),
    name: h('input#zone-name', { placeholder: w('name') }),
    kind: h('select#zone-kind-geo', ...KINDS.map((k) => h('option', { value: k }, `${w(k)} ${k}`))),
    parent: h('input#zone-parent', { placeholder: w('parentCode') }),
    width: h('input#zone-width', { type: 'number', placeholder: w('widthM') }),
    schedule: h('textarea#zone-schedule', {
      rows: 2,
      cols: 50,
      placeholder: '{"tz":"Asia/Shanghai","windows":[{"from":"07:00","to":"19:00"}]}',
    }),
  };
  const redraw = (): void => {
    view.drawFeatures(
      editing === null && geometry
        ? [...features, { geometry, properties: { kind: f.kind.value } }]
        : features,
      editing ?? undefined,
    );
    editor.drawOverlay(view.ctx);
  };
  const editor = new PolyEditor(
    canvas,
    (p) => view.unproject(p),
    (p) => view.project(p),
    redraw,
    (pts) => {
      geometry =
        f.kind.value === 'approved_route'
          ? { type: 'LineString', coordinates: pts }
          : { type: 'Polygon', coordinates: [[...pts, pts[0] as XY]] };
      redraw();
    },
  );
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    view.zoom(e.deltaY < 0 ? 1.25 : 0.8);
    redraw();
  });

  const load = async (): Promise<void> => {
    const fc = await api<{ features: GeoFeature[] }>('GET', '/api/zones/export');
    const fitNow = features.length === 0;
    features = fc.features;
    if (fitNow) view.fit(features.flatMap((z) => ringsOf(z.geometry).flat()));
    clear(
      list,
      ...features.map((z) =>
        h(
          'tr',
          { 'data-zone': String(z.properties.code) },
          h('td', String(z.properties.code)),
          h('td', String(z.properties.name)),
          h('td', String(z.properties.kind)),
          h(
            'td',
            h(
              'button.small',
              {
                onclick: () => {
                  pick(z);
                },
              },
              w('edit'),
            ),
            h(
              'button.small',
              {
                onclick: async () => {
                  await api('DELETE', `/api/zones/${String(z.id)}`).catch(
                    (err: unknown) => (msg.textContent = errorText(err)),
                  );
                  await load();
                },
              },
              w('deactivate'),
            ),
          ),
        ),
      ),
    );
    redraw();
  };
  const pick = (z: GeoFeature | null): void => {
    editing = z?.id ?? null;
    geometry = z?.geometry ?? null;
    const p = z?.properties ?? {};
    f.code.value = typeof p.code === 'string' ? p.code : '';
    f.name.value = typeof p.name === 'string' ? p.name : '';
    f.kind.value = typeof p.kind === 'string' ? p.kind : 'no_vending';
    f.parent.value = typeof p.parent_code === 'string' ? p.parent_code : '';
    f.width.value = typeof p.width_m === 'number' ? String(p.width_m) : '';
    f.schedule.value = p.schedule ? JSON.stringify(p.schedule) : '';
    msg.textContent = '';
    redraw();
  };
  const save = async (): Promise<void> => {
    try {
      const known = features.find((z) => z.id === editing)?.properties ?? {};
      const props: Record<string, unknown> = {
        ...Object.fromEntries(
          Object.entries(known).filter(([k]) => !['parent_code', 'width_m', 'schedule'].includes(k)),
        ),
        code: f.code.value,
        name: f.name.value || f.code.value,
        kind: f.kind.value,
        ...(f.parent.value ? { parent_code: f.parent.value } : {}),
        ...(f.width.value ? { width_m: Number(f.width.value) } : {}),
        ...(f.schedule.value.trim() ? { schedule: JSON.parse(f.schedule.value) as unknown } : {}),
      };
      const body = { type: 'Feature', geometry, properties: props };
      if (editing === null) await api('POST', '/api/zones', body);
      else await api('PUT', `/api/zones/${String(editing)}`, body);
      pick(null);
      msg.textContent = w('saved');
      await load();
    } catch (err) {
      msg.textContent = errorText(err);
    }
  };

  const file = h('input#geojson-file', { type: 'file', accept: '.geojson,.json,application/geo+json' });
  const text = h('textarea#geojson-text', {
    rows: 4,
    cols: 60,
    placeholder: '{"type":"FeatureCollection","features":[…]}',
  });
  const report = h('div#zone-report');
  const runImport = async (dryRun: boolean): Promise<void> => {
    try {
      const raw = text.value.trim() || (await fileText(file));
      const r = await api<{ applied: boolean; features: ReportRow[] }>('POST', '/api/zones/import', {
        geojson: JSON.parse(raw) as unknown,
        dryRun,
      });
      clear(report, r.applied ? h('p', w('applied')) : null, reportTable(r.features));
      if (r.applied) await load();
    } catch (err) {
      clear(report, h('pre.error', errorText(err)));
    }
  };

  clear(
    root,
    h('h2', w('zones')),
    canvas,
    h(
      'section.panel.zone-form',
      h(
        'button.small#new-zone',
        {
          onclick: () => {
            pick(null);
          },
        },
        w('newZone'),
      ),
      f.code,
      f.name,
      f.kind,
      f.parent,
      f.width,
      f.schedule,
      h(
        'button.small#draw-geo-zone',
        {
          onclick: () => {
            editor.start(f.kind.value === 'approved_route');
          },
        },
        w('drawZone'),
      ),
      editor.tools,
      h('button.primary#save-zone', { onclick: () => void save() }, w('save')),
      msg,
    ),
    h(
      'table.grid',
      h('thead', h('tr', h('th', w('code')), h('th', w('name')), h('th', w('kind')), h('th', ''))),
      list,
    ),
    h(
      'section.panel',
      h('h3', w('importGeojson')),
      file,
      text,
      h('button#zone-dry-run', { onclick: () => void runImport(true) }, w('dryRun')),
      h('button.primary#zone-apply', { onclick: () => void runImport(false) }, w('apply')),
      h('a', { href: '/api/zones/export', download: 'zones.geojson' }, w('exportGeojson')),
      report,
    ),
  );
  void load();
  return undefined;
};
