/**
 * Weekly time windows in a named time zone, e.g. permitted hours `22:00–06:00` in Asia/Shanghai.
 * Evaluated on the event time, never the wall clock.
 */
export interface ScheduleWindow {
  /** ISO weekdays the window starts on (1 = Monday … 7 = Sunday); absent = every day. */
  readonly days?: readonly number[];
  /** "HH:MM" local time. A window whose `to` is not after `from` runs past midnight. */
  readonly from: string;
  readonly to: string;
}

export interface Schedule {
  readonly tz: string;
  readonly windows: readonly ScheduleWindow[];
}

export const DEFAULT_TZ = 'Asia/Shanghai';

/** Zones without daylight saving: a fixed offset is exact and far cheaper than Intl. */
const FIXED_OFFSET_MIN: Readonly<Record<string, number>> = {
  'Asia/Shanghai': 480,
  'Asia/Chongqing': 480,
  'Asia/Harbin': 480,
  'Asia/Urumqi': 360,
  'Asia/Hong_Kong': 480,
  PRC: 480,
  UTC: 0,
  'Etc/UTC': 0,
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local weekday (1–7, Monday first) and minute of day of an instant in a time zone. */
export function localTime(tMs: number, tz: string): { isoDay: number; minute: number } {
  const fixed = FIXED_OFFSET_MIN[tz];
  if (fixed !== undefined) {
    const local = tMs + fixed * 60_000;
    const dayIndex = Math.floor(local / 86_400_000);
    const minute = Math.floor((local - dayIndex * 86_400_000) / 60_000);
    // 1970-01-01 was a Thursday (ISO 4).
    const isoDay = ((((dayIndex + 3) % 7) + 7) % 7) + 1;
    return { isoDay, minute };
  }
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  const parts = f.formatToParts(new Date(tMs));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '0';
  const isoDay = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { isoDay, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function parseHHMM(s: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s) ?? (s === '24:00' ? ['', '24', '00'] : null);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Problems with a schedule object, for import errors; empty when it is valid. */
export function scheduleProblems(v: unknown): string[] {
  if (typeof v !== 'object' || v === null) return ['schedule must be an object {tz, windows}'];
  const s = v as { tz?: unknown; windows?: unknown };
  const out: string[] = [];
  if (s.tz !== undefined && typeof s.tz !== 'string') out.push('schedule.tz must be a string');
  if (typeof s.tz === 'string' && FIXED_OFFSET_MIN[s.tz] === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: s.tz });
    } catch {
      out.push(`schedule.tz "${s.tz}" is not a known time zone`);
    }
  }
  if (!Array.isArray(s.windows)) return [...out, 'schedule.windows must be an array'];
  s.windows.forEach((w: unknown, i) => {
    const win = w as Partial<Record<keyof ScheduleWindow, unknown>>;
    if (typeof win.from !== 'string' || parseHHMM(win.from) === null)
      out.push(`schedule.windows[${i}].from must be "HH:MM"`);
    if (typeof win.to !== 'string' || parseHHMM(win.to) === null)
      out.push(`schedule.windows[${i}].to must be "HH:MM"`);
    if (
      win.days !== undefined &&
      !(Array.isArray(win.days) && win.days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7))
    )
      out.push(`schedule.windows[${i}].days must be ISO weekdays 1–7`);
  });
  return out;
}

/** Normalise a stored schedule (tz defaults to Asia/Shanghai); null when absent or invalid. */
export function toSchedule(v: unknown): Schedule | null {
  if (v === null || v === undefined || scheduleProblems(v).length > 0) return null;
  const s = v as { tz?: string; windows: ScheduleWindow[] };
  return { tz: s.tz ?? DEFAULT_TZ, windows: s.windows };
}

/** Is the instant inside any window? An empty window list means never. */
export function isWithin(schedule: Schedule, tMs: number): boolean {
  const { isoDay, minute } = localTime(tMs, schedule.tz);
  const yesterday = isoDay === 1 ? 7 : isoDay - 1;
  for (const w of schedule.windows) {
    const from = parseHHMM(w.from) ?? 0;
    const to = parseHHMM(w.to) ?? 0;
    const startsOn = (d: number): boolean => !w.days || w.days.includes(d);
    if (from < to) {
      if (startsOn(isoDay) && minute >= from && minute < to) return true;
    } else {
      // Past midnight: the evening part belongs to today, the morning part to yesterday's window.
      if (startsOn(isoDay) && minute >= from) return true;
      if (startsOn(yesterday) && minute < to) return true;
    }
  }
  return false;
}
