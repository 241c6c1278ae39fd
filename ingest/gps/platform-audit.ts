/**
 * The audit record of a change to a platform (its token, its switch, its scope). Shared by
 * `platforms.ts` and `platform-scope.ts`, and kept out of both so that neither exports it.
 */

import { appendAudit, type Pool } from '../../core/index.js';

export async function auditPlatform(
  pool: Pool,
  actor: string,
  action: string,
  id: string,
  details: unknown,
): Promise<void> {
  await appendAudit(pool, {
    actor,
    actorId: null,
    action,
    targetType: 'gps_platform',
    targetId: id,
    details,
  });
}
