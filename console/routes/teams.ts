import type { FastifyInstance } from 'fastify';
import { MuckError, ROLES, type Pool } from '../../core/index.js';
import { auditChange } from '../admin/changes.js';
import { sessionOf } from '../auth/guard.js';
import type { RouteContext } from '../context.js';
import { errorResponses, idParams, roleSchema } from '../schemas.js';

const ADMIN = ['admin'] as const;
const code = { type: 'string', minLength: 1, maxLength: 64 } as const;
const teamFields = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  jurisdictionCode: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
  districts: { type: 'array', items: code, maxItems: 50, uniqueItems: true },
} as const;

interface TeamBody {
  name?: string;
  jurisdictionCode?: string | null;
  districts?: string[];
}
interface UserBody {
  displayName?: string;
  role?: (typeof ROLES)[number];
  jurisdictionCode?: string | null;
  teamId?: number | null;
}

/** District codes that are not jurisdiction zones: a typo must not silently scope nothing. */
async function unknownDistricts(pool: Pool, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const { rows } = await pool.query<{ code: string }>(
    `SELECT code FROM zones WHERE kind = 'jurisdiction' AND code = ANY($1)`,
    [codes],
  );
  const known = new Set(rows.map((r) => r.code));
  return codes.filter((c) => !known.has(c));
}

async function teamRow(pool: Pool, id: number): Promise<Record<string, unknown> | undefined> {
  const { rows } = await pool.query<{ name: string; jurisdiction_code: string | null; districts: string[] }>(
    'SELECT name, jurisdiction_code, districts FROM teams WHERE id = $1',
    [id],
  );
  const t = rows[0];
  return t && { name: t.name, jurisdictionCode: t.jurisdiction_code, districts: t.districts };
}

async function userRow(pool: Pool, id: number): Promise<Record<string, unknown> | undefined> {
  const { rows } = await pool.query<{
    display_name: string;
    role: string;
    jurisdiction_code: string | null;
    team_id: string | null;
  }>('SELECT display_name, role, jurisdiction_code, team_id FROM users WHERE id = $1', [id]);
  const u = rows[0];
  return (
    u && {
      displayName: u.display_name,
      role: u.role,
      jurisdictionCode: u.jurisdiction_code,
      teamId: u.team_id === null ? null : Number(u.team_id),
    }
  );
}

/** Enforcement teams and their districts; a user's role, district and team. Audited before → after. */
export function teamRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const checkTeam = async (b: TeamBody): Promise<void> => {
    const codes = [...(b.districts ?? []), ...(b.jurisdictionCode ? [b.jurisdictionCode] : [])];
    const unknown = await unknownDistricts(ctx.pool, codes);
    if (unknown.length > 0)
      throw new MuckError(
        'MW_VALIDATION',
        `No jurisdiction zone ${unknown.join(', ')}; draw or import the district first.`,
        unknown.map((c) => `district ${c} is not a jurisdiction zone`),
      );
  };
  const nameTaken = (err: unknown, name: string | undefined): never => {
    if ((err as { code?: string }).code === '23505')
      throw new MuckError('MW_VALIDATION', `A team named ${String(name)} already exists.`);
    throw err;
  };

  app.post<{ Body: TeamBody }>(
    '/api/teams',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Create an enforcement team with its home district and the districts it covers',
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: teamFields },
        response: { 200: { type: 'object', properties: { id: { type: 'integer' } } }, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      await checkTeam(req.body);
      const { rows } = await ctx.pool
        .query<{ id: string }>(
          'INSERT INTO teams (name, jurisdiction_code, districts) VALUES ($1, $2, $3) RETURNING id',
          [req.body.name, req.body.jurisdictionCode ?? null, req.body.districts ?? []],
        )
        .catch((err: unknown) => nameTaken(err, req.body.name));
      const id = Number(rows[0]?.id);
      await auditChange(
        ctx.pool,
        user,
        'team.create',
        { type: 'team', id },
        null,
        (await teamRow(ctx.pool, id)) ?? {},
      );
      return { id };
    },
  );

  app.patch<{ Params: { id: number }; Body: TeamBody }>(
    '/api/teams/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Rename a team or change its districts',
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: teamFields },
        response: { 200: { type: 'object', properties: { id: { type: 'integer' } } }, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const before = await teamRow(ctx.pool, req.params.id);
      if (!before) throw new MuckError('MW_NOT_FOUND', `Team ${String(req.params.id)} does not exist.`);
      await checkTeam(req.body);
      const b = req.body;
      await ctx.pool
        .query(
          `UPDATE teams SET name = COALESCE($2, name),
                  jurisdiction_code = CASE WHEN $3 THEN $4 ELSE jurisdiction_code END,
                  districts = COALESCE($5, districts), updated_at = now() WHERE id = $1`,
          [
            req.params.id,
            b.name ?? null,
            'jurisdictionCode' in b,
            b.jurisdictionCode ?? null,
            b.districts ?? null,
          ],
        )
        .catch((err: unknown) => nameTaken(err, b.name));
      const after = (await teamRow(ctx.pool, req.params.id)) ?? {};
      await auditChange(ctx.pool, user, 'team.update', { type: 'team', id: req.params.id }, before, after);
      return { id: req.params.id };
    },
  );

  app.patch<{ Params: { id: number }; Body: UserBody }>(
    '/api/users/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary:
          'Change a user’s name, role, district scope or team (a change of access ends their sessions)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            displayName: { type: 'string', minLength: 1, maxLength: 100 },
            role: roleSchema,
            jurisdictionCode: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
            teamId: { type: ['integer', 'null'], minimum: 1 },
          },
        },
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const before = await userRow(ctx.pool, req.params.id);
      if (!before) throw new MuckError('MW_NOT_FOUND', `User ${String(req.params.id)} does not exist.`);
      const b = req.body;
      const merged = { ...before, ...b };
      if (merged.role === 'enforcement' && merged.teamId === null)
        throw new MuckError('MW_VALIDATION', 'An enforcement officer needs a team.');
      if (b.jurisdictionCode) {
        const unknown = await unknownDistricts(ctx.pool, [b.jurisdictionCode]);
        if (unknown.length > 0)
          throw new MuckError('MW_VALIDATION', `No jurisdiction zone ${b.jurisdictionCode}.`, [
            `district ${b.jurisdictionCode} is not a jurisdiction zone`,
          ]);
      }
      await ctx.pool
        .query(
          `UPDATE users SET display_name = $2, role = $3, jurisdiction_code = $4, team_id = $5, updated_at = now()
            WHERE id = $1`,
          [req.params.id, merged.displayName, merged.role, merged.jurisdictionCode, merged.teamId],
        )
        .catch((err: unknown) => {
          if ((err as { code?: string }).code === '23503')
            throw new MuckError('MW_VALIDATION', `Team ${String(b.teamId)} does not exist.`);
          throw err;
        });
      const after = (await userRow(ctx.pool, req.params.id)) ?? {};
      const accessChanged = ['role', 'jurisdictionCode', 'teamId'].some(
        (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
      );
      // Sessions carry the user's role and scope: a changed scope must not live on in an old session.
      if (accessChanged) await ctx.sessions.destroyAllFor(req.params.id);
      await auditChange(ctx.pool, user, 'user.update', { type: 'user', id: req.params.id }, before, after, {
        sessionsEnded: accessChanged,
      });
      return { ok: true };
    },
  );
}
