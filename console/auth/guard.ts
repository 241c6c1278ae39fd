import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MuckError, ROLES, type Role } from '../../core/index.js';
import type { Session, SessionStore } from './sessions.js';

/**
 * Who may call a route, declared on the route itself (`config.access`): 'public', 'authenticated'
 * (any role), or the roles allowed. A route under /api without one is refused at start-up, so
 * no route can be added without a rule; the authorization matrix test walks the same table.
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    session: Session | null;
  }
}

export const SESSION_COOKIE = 'mw_session';
export const CSRF_HEADER = 'x-csrf-token';

export function allows(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  return access === 'authenticated' || access.includes(role);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Install the rule check; returns the live route table (filled as routes are registered). */
export function installGuard(app: FastifyInstance, sessions: SessionStore): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.decorateRequest('session', null);
  app.addHook('onRoute', (opts) => {
    if (!opts.url.startsWith('/api/')) return;
    const access = opts.config?.access;
    if (access === undefined) throw new Error(`route ${opts.url} has no access rule (config.access)`);
    if (Array.isArray(access) && access.some((r: string) => !(ROLES as readonly string[]).includes(r)))
      throw new Error(`route ${opts.url} names an unknown role`);
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    for (const m of methods) if (m !== 'HEAD') table.push({ method: m, url: opts.url, access });
  });
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const access = req.routeOptions.config.access;
    if (access === undefined) return; // static web assets
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    req.session = id ? await sessions.get(id) : null;
    if (access === 'public') return;
    if (!req.session) throw new MuckError('MW_AUTH_REQUIRED', 'Log in first.');
    // Double-submit check: a cross-site form can send the cookie but cannot read the token.
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== req.session.csrf)
      throw new MuckError('MW_CSRF', `Send the session's CSRF token in the ${CSRF_HEADER} header.`);
    if (!allows(access, req.session.user.role))
      throw new MuckError('MW_FORBIDDEN', `The ${req.session.user.role} role may not do this.`);
  });
  return table;
}

/** The session of a guarded route (the guard has already refused requests without one). */
export function sessionOf(req: FastifyRequest): Session {
  if (!req.session) throw new MuckError('MW_AUTH_REQUIRED', 'Log in first.');
  return req.session;
}
