import type { FastifyInstance } from 'fastify';
import { appendAudit, MuckError } from '../../core/index.js';
import { sessionOf } from '../auth/guard.js';
import { hashPassword } from '../auth/password.js';
import type { RouteContext } from '../context.js';
import { errorResponses, idParams, nullableString, roleSchema } from '../schemas.js';
import { createUser, type NewUser } from '../users.js';

const ADMIN = ['admin'] as const;
const userItem = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    role: roleSchema,
    jurisdictionCode: nullableString,
    teamId: { type: ['integer', 'null'] },
    disabled: { type: 'boolean' },
  },
} as const;

/** Users (issue 12's first slice): list, create, disable (ends their sessions), reset password. */
export function userRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/api/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Every user',
        response: { 200: { type: 'array', items: userItem }, ...errorResponses },
      },
    },
    async () => {
      const { rows } = await ctx.pool.query<{
        id: string;
        username: string;
        display_name: string;
        role: string;
        jurisdiction_code: string | null;
        team_id: string | null;
        disabled: boolean;
      }>(
        'SELECT id, username, display_name, role, jurisdiction_code, team_id, disabled FROM users ORDER BY id',
      );
      return rows.map((u) => ({
        id: Number(u.id),
        username: u.username,
        displayName: u.display_name,
        role: u.role,
        jurisdictionCode: u.jurisdiction_code,
        teamId: u.team_id === null ? null : Number(u.team_id),
        disabled: u.disabled,
      }));
    },
  );

  app.post<{ Body: NewUser }>(
    '/api/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Create a user',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'displayName', 'password', 'role'],
          properties: {
            username: { type: 'string', pattern: '^[A-Za-z0-9._-]{2,64}$' },
            displayName: { type: 'string', minLength: 1, maxLength: 100 },
            password: { type: 'string', minLength: 8, maxLength: 200 },
            role: roleSchema,
            jurisdictionCode: { type: ['string', 'null'], maxLength: 64, default: null },
            teamId: { type: ['integer', 'null'], minimum: 1, default: null },
          },
        },
        response: { 200: { type: 'object', properties: { id: { type: 'integer' } } }, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      return { id: await createUser(ctx.pool, req.body, { id: user.id, name: user.username }) };
    },
  );

  const change = (
    path: string,
    summary: string,
    body: object,
    apply: (id: number, b: Record<string, unknown>) => Promise<Record<string, unknown>>,
  ): void => {
    app.post<{ Params: { id: number }; Body: Record<string, unknown> }>(
      `/api/users/:id/${path}`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['admin'],
          summary,
          params: idParams,
          body,
          response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, ...errorResponses },
        },
      },
      async (req) => {
        const { user } = sessionOf(req);
        const exists = await ctx.pool.query<{ disabled: boolean }>(
          'SELECT disabled FROM users WHERE id = $1',
          [req.params.id],
        );
        const was = exists.rows[0];
        if (!was) throw new MuckError('MW_NOT_FOUND', `User ${String(req.params.id)} does not exist.`);
        const details = await apply(req.params.id, { ...req.body, wasDisabled: was.disabled });
        // Whatever changed, the user's open sessions end: they log in again under the new state.
        await ctx.sessions.destroyAllFor(req.params.id);
        await appendAudit(ctx.pool, {
          actorId: user.id,
          actor: user.username,
          action: `user.${path}`,
          targetType: 'user',
          targetId: String(req.params.id),
          details,
        });
        return { ok: true };
      },
    );
  };

  change(
    'disable',
    'Disable or re-enable a user (ends their sessions)',
    {
      type: 'object',
      additionalProperties: false,
      required: ['disabled'],
      properties: { disabled: { type: 'boolean' } },
    },
    async (id, b) => {
      await ctx.pool.query('UPDATE users SET disabled = $2, updated_at = now() WHERE id = $1', [
        id,
        b.disabled,
      ]);
      return { changes: { disabled: { before: b.wasDisabled, after: b.disabled } } };
    },
  );
  change(
    'password',
    'Reset a password (ends their sessions)',
    {
      type: 'object',
      additionalProperties: false,
      required: ['password'],
      properties: { password: { type: 'string', minLength: 8, maxLength: 200 } },
    },
    async (id, b) => {
      await ctx.pool.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [
        id,
        await hashPassword(String(b.password)),
      ]);
      // The password itself never reaches the audit log; that it was reset does.
      return { changes: { password: { before: 'set', after: 'reset' } } };
    },
  );
}
