import type { FastifyInstance } from 'fastify';
import { appendAudit, MuckError, type IncidentStatus } from '../../core/index.js';
import { transitionIncident } from '../../rules/index.js';
import { sessionOf, type Access } from '../auth/guard.js';
import type { SessionUser } from '../auth/sessions.js';
import type { RouteContext } from '../context.js';
import {
  incidentExtras,
  listIncidents,
  loadVisibleIncident,
  type IncidentFilter,
} from '../incidents-repo.js';
import { errorResponses, idParams, emptyBody } from '../schemas.js';
import {
  dispatchBody,
  handleBody,
  incidentDetail,
  listQuery,
  listResponse,
  noteBody,
  transitionResponse,
  verifyBody,
} from './incident-schemas.js';

const OPERATORS: Access = ['operator', 'admin'];

interface StepBody {
  note?: string;
  teamId?: number;
  dueAt?: string;
  passed?: boolean;
}

export function incidentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: IncidentFilter }>(
    '/api/incidents',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['incidents'],
        summary: 'Incidents in your scope, newest first (paged)',
        querystring: listQuery,
        response: { 200: listResponse, ...errorResponses },
      },
    },
    async (req) => listIncidents(ctx.pool, sessionOf(req).user, req.query),
  );

  app.get<{ Params: { id: number } }>(
    '/api/incidents/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['incidents'],
        summary: 'One incident: rule explanation, linked trucks, evidence, GPS excerpt, lifecycle',
        params: idParams,
        response: { 200: incidentDetail, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const inc = await loadVisibleIncident(ctx.pool, user, req.params.id);
      const extras = await incidentExtras(ctx.pool, inc.id, inc.startedAt, inc.endedAt);
      await audit(ctx, user, 'incident.view', inc.id, {});
      return { ...inc, ...extras };
    },
  );

  /** One lifecycle step per route, so each can carry its own roles and body. */
  const step = (
    path: string,
    access: Access,
    summary: string,
    body: object,
    target: (b: StepBody) => IncidentStatus,
    around?: { before?: StepHook; after?: StepHook },
  ): void => {
    app.post<{ Params: { id: number }; Body: StepBody | undefined }>(
      `/api/incidents/:id/${path}`,
      {
        config: { access },
        schema: {
          tags: ['lifecycle'],
          summary,
          params: idParams,
          body,
          response: { 200: transitionResponse, ...errorResponses },
        },
      },
      async (req) => {
        const { user } = sessionOf(req);
        const b = req.body ?? {};
        const inc = await loadVisibleIncident(ctx.pool, user, req.params.id);
        const to = target(b);
        if (around?.before) await around.before(ctx, user, inc.id, b);
        const plan = await transitionIncident(ctx.pool, inc.id, {
          to,
          at: Date.now(),
          actor: user.username,
          actorId: user.id,
          note: b.note ?? null,
        });
        let due = plan.dueAt === null ? null : new Date(plan.dueAt).toISOString();
        if (around?.after) due = (await around.after(ctx, user, inc.id, b)) ?? due;
        await audit(ctx, user, `incident.${to}`, inc.id, {
          from: plan.from,
          to,
          note: b.note ?? null,
          ...(b.teamId !== undefined ? { teamId: b.teamId } : {}),
          dueAt: due,
          late: plan.late,
        });
        await ctx.live.publish({
          kind: 'incident',
          incidentId: inc.id,
          status: to,
          jurisdictionCode: inc.jurisdictionCode,
          ...(b.teamId !== undefined ? { teamId: b.teamId } : {}),
        });
        return { id: inc.id, from: plan.from, status: to, slaDueAt: due, late: plan.late };
      },
    );
  };

  step('register', OPERATORS, 'Register the case (立案)', noteBody, () => 'registered');
  step(
    'dispatch',
    OPERATORS,
    'Dispatch to an enforcement team with a due time (派遣)',
    dispatchBody,
    () => 'dispatched',
    {
      before: checkTeam,
      after: recordDispatch,
    },
  );
  step('handle', ['enforcement', 'admin'], 'Mark handled with notes (处置)', handleBody, () => 'handled', {
    after: recordHandling,
  });
  step(
    'verify',
    OPERATORS,
    'Verify the handling: passed → verified, failed → rework (核查/返工)',
    verifyBody,
    (b) => (b.passed ? 'verified' : 'rework'),
  );
  step('close', OPERATORS, 'Close the case (结案)', noteBody, () => 'closed');

  app.post<{ Params: { id: number } }>(
    '/api/incidents/:id/accept',
    {
      config: { access: ['enforcement', 'admin'] },
      schema: {
        tags: ['lifecycle'],
        summary: "Accept a case dispatched to your team (the status stays 'dispatched')",
        body: emptyBody,
        params: idParams,
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, ...errorResponses },
      },
    },
    async (req) => {
      const { user } = sessionOf(req);
      const inc = await loadVisibleIncident(ctx.pool, user, req.params.id);
      if (inc.status !== 'dispatched')
        throw new MuckError(
          'MW_INCIDENT_TRANSITION',
          `Only a dispatched case can be accepted; this one is ${inc.status}.`,
        );
      await ctx.pool.query(
        `UPDATE dispatches SET accepted_at = coalesce(accepted_at, now())
          WHERE id = (SELECT max(id) FROM dispatches WHERE incident_id = $1)`,
        [inc.id],
      );
      await audit(ctx, user, 'incident.accept', inc.id, {});
      return { ok: true };
    },
  );
}

type StepHook = (
  ctx: RouteContext,
  user: SessionUser,
  id: number,
  b: StepBody,
) => Promise<string | null | undefined>;

const checkTeam: StepHook = async (ctx, user, _id, b) => {
  const { rows } = await ctx.pool.query<{ jurisdiction_code: string | null }>(
    'SELECT jurisdiction_code FROM teams WHERE id = $1',
    [b.teamId],
  );
  const team = rows[0];
  if (!team) throw new MuckError('MW_VALIDATION', `Team ${String(b.teamId)} does not exist.`);
  if (user.jurisdictionCode !== null && team.jurisdiction_code !== user.jurisdictionCode)
    throw new MuckError('MW_FORBIDDEN', 'You may dispatch only to teams of your own district.');
  if (b.dueAt !== undefined && Date.parse(b.dueAt) <= Date.now())
    throw new MuckError('MW_VALIDATION', 'The due time must be in the future.');
  return undefined;
};

const recordDispatch: StepHook = async (ctx, user, id, b) => {
  const { rows } = await ctx.pool.query<{ due: Date | null }>(
    `WITH d AS (
       INSERT INTO dispatches (incident_id, team_id, dispatched_by, due_at, notes)
       SELECT $1, $2, $3, coalesce($4::timestamptz, i.sla_due_at), $5 FROM incidents i WHERE i.id = $1
       RETURNING due_at)
     UPDATE incidents SET sla_due_at = (SELECT due_at FROM d) WHERE id = $1 RETURNING sla_due_at AS due`,
    [id, b.teamId, user.id, b.dueAt ?? null, b.note ?? null],
  );
  return rows[0]?.due?.toISOString() ?? null;
};

const recordHandling: StepHook = async (ctx, _user, id, b) => {
  await ctx.pool.query(
    `UPDATE dispatches SET handled_at = now(), notes = $2, accepted_at = coalesce(accepted_at, now())
      WHERE id = (SELECT max(id) FROM dispatches WHERE incident_id = $1)`,
    [id, b.note ?? null],
  );
  return undefined;
};

export async function audit(
  ctx: RouteContext,
  user: SessionUser,
  action: string,
  incidentId: number,
  details: Record<string, unknown>,
): Promise<void> {
  await appendAudit(ctx.pool, {
    actorId: user.id,
    actor: user.username,
    action,
    targetType: 'incident',
    targetId: String(incidentId),
    details,
  });
}
