import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { placementPanel } from '../admin/camera-placement.js';
import type { XY } from '../admin/geo-view.js';
import { imageZonesPanel, type ImageZone } from '../admin/image-zones.js';
import { errorText } from '../admin/import-report.js';
import { w } from '../admin/words.js';
import type { Page } from '../page.js';

interface CameraRow {
  id: number;
  code: string;
  name: string;
  enabled: boolean;
}
interface Settings {
  id: number;
  code: string;
  name: string;
  rtspMainUrl: string;
  rtspSubUrl: string | null;
  transport: 'tcp' | 'udp';
  hasCredentials: boolean;
  position: XY | null;
  headingDeg: number | null;
  hfovDeg: number;
  footprint: XY[] | null;
  detectFps: number;
  loiteringS: number;
  jurisdictionCode: string | null;
  enabled: boolean;
  imageZones: ImageZone[];
}
interface Probe {
  ok: boolean;
  codec?: string;
  width?: number;
  height?: number;
  fps?: number | null;
  failure?: { kind: string; message: string };
}

/** Admin: cameras — add, edit, test the stream, draw image zones on a live snapshot, place on the map. */
export const setupCamerasPage: Page = (root) => {
  const list = h('tbody');
  const detail = h('div.camera-detail');
  const newMsg = h('p.msg');
  const nf = {
    code: h('input#new-camera-code', { placeholder: w('code') }),
    name: h('input#new-camera-name', { placeholder: w('name') }),
    url: h('input#new-camera-url', { placeholder: 'rtsp://…', size: 40 }),
  };

  const loadList = async (): Promise<void> => {
    const cams = await api<CameraRow[]>('GET', '/api/cameras');
    clear(
      list,
      ...cams.map((c) =>
        h(
          'tr',
          { 'data-camera': c.code },
          h('td', c.code),
          h('td', c.name),
          h('td', c.enabled ? '✓' : '—'),
          h('td', h('button.small', { onclick: () => void open(c.id) }, w('edit'))),
        ),
      ),
    );
  };

  const open = async (id: number): Promise<void> => {
    const s = await api<Settings>('GET', `/api/cameras/${String(id)}/settings`);
    const f = {
      name: h('input#camera-name', { value: s.name }),
      main: h('input#camera-main-url', { value: s.rtspMainUrl, size: 40 }),
      sub: h('input#camera-sub-url', { value: s.rtspSubUrl ?? '', size: 40 }),
      transport: h(
        'select',
        ...['tcp', 'udp'].map((v) => h('option', { value: v, selected: v === s.transport }, v)),
      ),
      user: h('input', { placeholder: w('camUser'), autocomplete: 'off' }),
      pass: h('input', { placeholder: w('camPass'), type: 'password', autocomplete: 'new-password' }),
      fps: h('input', { type: 'number', step: '0.5', value: String(s.detectFps) }),
      loitering: h('input#camera-loitering', { type: 'number', value: String(s.loiteringS) }),
      district: h('input', { value: s.jurisdictionCode ?? '' }),
      enabled: h('input', { type: 'checkbox', checked: s.enabled }),
    };
    const msg = h('p.msg');
    const probe = h('p#probe-result');
    const save = async (): Promise<void> => {
      try {
        await api('PATCH', `/api/cameras/${String(id)}`, {
          name: f.name.value,
          rtspMainUrl: f.main.value,
          rtspSubUrl: f.sub.value || null,
          transport: f.transport.value,
          detectFps: Number(f.fps.value),
          loiteringS: Number(f.loitering.value),
          jurisdictionCode: f.district.value || null,
          enabled: f.enabled.checked,
          ...(f.user.value || f.pass.value
            ? { credentials: { user: f.user.value, pass: f.pass.value } }
            : {}),
        });
        msg.textContent = w('saved');
        await loadList();
      } catch (err) {
        msg.textContent = errorText(err);
      }
    };
    const test = async (): Promise<void> => {
      probe.textContent = w('testing');
      try {
        const r = await api<Probe>('POST', `/api/cameras/${String(id)}/test`, {});
        probe.textContent = r.ok
          ? `✓ ${r.codec ?? ''} ${String(r.width)}×${String(r.height)} @ ${String(r.fps ?? '?')} fps`
          : `✗ ${r.failure?.kind ?? ''}: ${r.failure?.message ?? ''}`;
      } catch (err) {
        probe.textContent = errorText(err);
      }
    };
    const row = (label: string, el: HTMLElement): HTMLElement => h('label.field', h('span', label), el);
    clear(
      detail,
      h(
        'section.panel.camera-form',
        h('h3', `${s.code} · ${s.name}`),
        row(w('name'), f.name),
        row(w('mainUrl'), f.main),
        row(w('subUrl'), f.sub),
        row(w('transport'), f.transport),
        row(w('camUser'), f.user),
        row(w('camPass'), f.pass),
        s.hasCredentials ? h('p.hint', w('credentialsSet')) : null,
        row(w('detectFps'), f.fps),
        row(w('loitering'), f.loitering),
        row('jurisdiction', f.district),
        row(w('enabled'), f.enabled),
        h(
          'div',
          h('button.primary#save-camera', { onclick: () => void save() }, w('save')),
          h('button#test-camera', { onclick: () => void test() }, w('testConnection')),
        ),
        probe,
        msg,
      ),
      imageZonesPanel(id, s.imageZones, () => undefined),
      placementPanel(id, {
        position: s.position,
        headingDeg: s.headingDeg,
        hfovDeg: s.hfovDeg,
        footprint: s.footprint,
      }),
    );
  };

  const create = async (): Promise<void> => {
    try {
      const { id } = await api<{ id: number }>('POST', '/api/cameras', {
        code: nf.code.value,
        name: nf.name.value || nf.code.value,
        rtspMainUrl: nf.url.value,
      });
      newMsg.textContent = w('saved');
      await loadList();
      await open(id);
    } catch (err) {
      newMsg.textContent = errorText(err);
    }
  };

  clear(
    root,
    h('h2', w('setupCameras')),
    h(
      'div.panel',
      nf.code,
      nf.name,
      nf.url,
      h('button.primary#create-camera', { onclick: () => void create() }, w('add')),
      newMsg,
    ),
    h(
      'table.grid',
      h('thead', h('tr', h('th', w('code')), h('th', w('name')), h('th', w('enabled')), h('th', ''))),
      list,
    ),
    detail,
  );
  void loadList();
  return undefined;
};
