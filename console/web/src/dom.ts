/** A tiny element builder: h('div.card', { onclick }, child, …). No framework, no virtual DOM. */
type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(
  spec: K | `${K}${'.' | '#'}${string}`,
  props?: Props | Child,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  // 'tag.class1.class2#id' (the id may come anywhere after the tag).
  const [tag = 'div', ...parts] = spec.split(/(?=[.#])/);
  const el = document.createElement(tag) as HTMLElementTagNameMap[K];
  const classes = parts.filter((p) => p.startsWith('.')).map((p) => p.slice(1));
  const id = parts.find((p) => p.startsWith('#'));
  if (id) el.id = id.slice(1);
  if (classes.length) el.className = classes.join(' ');
  let kids = children;
  if (props instanceof Node || typeof props !== 'object' || props === null) kids = [props, ...children];
  else
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
      else if (k === 'class' && typeof v === 'string') el.className += ` ${v}`;
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k in el && k !== 'list') (el as unknown as Record<string, unknown>)[k] = v;
      else el.setAttribute(k, typeof v === 'string' ? v : JSON.stringify(v));
    }
  for (const c of kids)
    if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren(
    ...children
      .filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : String(c))),
  );
}
