import type { Pool } from '../../core/index.js';
import type { RulesParams } from '../params.js';
import { buildWorld, type World } from '../world.js';
import { loadCameras, loadTerminals, loadVehicles, loadZones, referenceSignature } from './world-repo.js';

export interface LoadedWorld {
  readonly world: World;
  readonly terminals: Map<string, number>;
  readonly signature: string;
}

/** Everything the rules read from PostGIS, as one consistent snapshot. */
export async function loadWorld(pool: Pool, params: RulesParams): Promise<LoadedWorld> {
  const signature = await referenceSignature(pool);
  const [zones, vehicles, cameras, terminals] = await Promise.all([
    loadZones(pool),
    loadVehicles(pool),
    loadCameras(pool),
    loadTerminals(pool),
  ]);
  return { world: buildWorld(zones, vehicles, cameras, params), terminals, signature };
}
