import type { FastifyInstance } from 'fastify';
import { appendAudit, MuckError, type Role } from '../../core/index.js';
import { DUMMY_HASH, verifyPassword } from '../auth/password.js';
import { SESSION_COOKIE, sessionOf } from '../auth/guard.js';
import type { SessionUser } from '../auth/sessions.js';
import type { RouteContext } from '../context.js';
import { errorSchema, userSchema, emptyBody } from '../schemas.js';

const meSchema = {
  type: 'object',
  required: ['user', 'csrfToken'],
  properties: { user: userSchema, csrfToken: { type: 'string' } },
} as const;

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  jurisdiction_code: string | null;
  team_id: string | null;
  disabled: boolean;
}

export function authRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const cookie = (value: string, maxAge: number): string =>
    `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}` +
    (ctx.secureCookie ? '; Secure' : '');

  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the HttpOnly session cookie and returns the CSRF token',
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 100 },
            password: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: { 200: meSchema, 400: errorSchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      if (await ctx.limiter.blocked(username, req.ip))
        throw new MuckError('MW_LOGIN_RATE_LIMITED', 'Too many failed logins; try again in 15 minutes.');
      const { rows } = await ctx.pool.query<UserRow>(
        `SELECT id, username, display_name, password_hash, role, jurisdiction_code, team_id, disabled
           FROM users WHERE username = $1`,
        [username],
      );
      const row = rows[0];
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      if (!row || !ok || row.disabled) {
        await ctx.limiter.fail(username, req.ip);
        await appendAudit(ctx.pool, {
          actorId: null,
          actor: username,
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: row ? row.id : null,
          details: { ip: req.ip },
        });
        throw new MuckError('MW_LOGIN_FAILED', 'User name or password is wrong.');
      }
      await ctx.limiter.reset(username, req.ip);
      const user: SessionUser = {
        id: Number(row.id),
        username: row.username,
        displayName: row.display_name,
        role: row.role,
        jurisdictionCode: row.jurisdiction_code,
        teamId: row.team_id === null ? null : Number(row.team_id),
      };
      const session = await ctx.sessions.create(user);
      await appendAudit(ctx.pool, {
        actorId: user.id,
        actor: user.username,
        action: 'auth.login',
        targetType: 'user',
        targetId: String(user.id),
        details: { ip: req.ip },
      });
      void reply.header('set-cookie', cookie(session.id, ctx.sessionTtlS));
      return { user, csrfToken: session.csrf };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        body: emptyBody,
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      },
    },
    async (req, reply) => {
      const s = sessionOf(req);
      await ctx.sessions.destroy(s.id);
      void reply.header('set-cookie', cookie('', 0));
      return { ok: true };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['auth'],
        summary: 'Who is logged in, and the CSRF token for changes',
        response: { 200: meSchema, 401: errorSchema },
      },
    },
    (req, reply) => {
      const s = sessionOf(req);
      return reply.send({ user: s.user, csrfToken: s.csrf });
    },
  );
}
