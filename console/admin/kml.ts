/** Pure: zones (GeoJSON features) as KML 2.2, for tools that read KML rather than GeoJSON. */
type Pos = readonly [number, number];

export interface KmlFeature {
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const coords = (ring: readonly Pos[]): string =>
  `<coordinates>${ring.map((p) => `${String(p[0])},${String(p[1])}`).join(' ')}</coordinates>`;

const polygon = (rings: readonly (readonly Pos[])[]): string =>
  `<Polygon>${rings
    .map((r, i) =>
      i === 0
        ? `<outerBoundaryIs><LinearRing>${coords(r)}</LinearRing></outerBoundaryIs>`
        : `<innerBoundaryIs><LinearRing>${coords(r)}</LinearRing></innerBoundaryIs>`,
    )
    .join('')}</Polygon>`;

function geometry(g: KmlFeature['geometry']): string {
  if (!g) return '';
  if (g.type === 'LineString') return `<LineString>${coords(g.coordinates as Pos[])}</LineString>`;
  if (g.type === 'Polygon') return polygon(g.coordinates as Pos[][]);
  if (g.type === 'MultiPolygon')
    return `<MultiGeometry>${(g.coordinates as Pos[][][]).map(polygon).join('')}</MultiGeometry>`;
  return '';
}

export function zonesToKml(features: readonly KmlFeature[]): string {
  const placemarks = features.map((f) => {
    const data = Object.entries(f.properties)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(
        ([k, v]) =>
          `<Data name="${esc(k)}"><value>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</value></Data>`,
      )
      .join('');
    const name = typeof f.properties.name === 'string' ? f.properties.name : '';
    return `<Placemark><name>${esc(name)}</name><ExtendedData>${data}</ExtendedData>${geometry(f.geometry)}</Placemark>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>MuckWatch zones</name>${placemarks.join('')}</Document></kml>\n`;
}
