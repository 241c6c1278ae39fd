/**
 * `npm run zones -- import FILE.geojson` / `npm run zones -- export [FILE.geojson]`
 *
 * Zones drawn in any GIS tool come in as a GeoJSON FeatureCollection (validated: every problem is
 * listed, naming its feature) and go out the same way. Import replaces zones by code; a running
 * rules worker picks the change up on its next refresh (RULES_REFRESH_S).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createPool, isMuckError, loadProcessConfig, MuckError } from '../core/index.js';
import { zonesFromGeoJSON, zonesToGeoJSON } from './geojson.js';
import { loadZones, saveZones } from './pg/world-repo.js';

async function main(argv: readonly string[]): Promise<void> {
  const [verb, file] = argv.filter((a) => !a.startsWith('--'));
  if (verb !== 'import' && verb !== 'export') {
    throw new MuckError('MW_VALIDATION', 'Usage: zones import FILE.geojson | zones export [FILE.geojson]');
  }
  if (verb === 'import' && !file) throw new MuckError('MW_VALIDATION', 'zones import needs a GeoJSON file');
  const config = loadProcessConfig(argv);
  const pool = createPool(config.database);
  try {
    if (verb === 'import') {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(file as string, 'utf8'));
      } catch (err) {
        throw new MuckError(
          'MW_ZONE_INVALID',
          `${String(file)} is not readable JSON: ${(err as Error).message}`,
        );
      }
      const zones = zonesFromGeoJSON(doc);
      const n = await saveZones(pool, zones);
      process.stderr.write(`imported ${n} zone(s) from ${String(file)}\n`);
    } else {
      const text = JSON.stringify(zonesToGeoJSON(await loadZones(pool)), null, 2) + '\n';
      if (file) writeFileSync(file, text);
      else process.stdout.write(text);
    }
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`zones: ${isMuckError(err) ? err.format() : String((err as Error).stack ?? err)}\n`);
    process.exit(isMuckError(err) && err.code !== 'MW_DB_UNREACHABLE' ? 1 : 2);
  },
);
