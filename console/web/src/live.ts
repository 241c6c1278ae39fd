/** The server's event stream (SSE): EventSource reconnects by itself after a drop. */
export interface LiveHandlers {
  alert?: (e: {
    incidentId: number;
    type: string;
    jurisdictionCode: string | null;
    startedAt: string;
  }) => void;
  incident?: (e: { incidentId: number; status: string }) => void;
  camera?: (e: { cameraId: number; state: string; stale: boolean; node: string }) => void;
  terminal?: (e: { terminalId: string; vehicleId: number | null; online: boolean; since: string }) => void;
  state?: (connected: boolean) => void;
}

let source: EventSource | null = null;
const handlers = new Set<LiveHandlers>();

export function connectLive(): void {
  if (source) return;
  source = new EventSource('/api/stream');
  source.onopen = () => {
    for (const h of handlers) h.state?.(true);
  };
  source.onerror = () => {
    for (const h of handlers) h.state?.(false);
  };
  for (const kind of ['alert', 'incident', 'camera', 'terminal'] as const) {
    source.addEventListener(kind, (ev) => {
      const data = JSON.parse((ev as MessageEvent<string>).data) as never;
      for (const h of handlers) h[kind]?.(data);
    });
  }
}

export function disconnectLive(): void {
  source?.close();
  source = null;
}

/** Listen while a page is shown; the returned function stops listening. */
export function onLive(h: LiveHandlers): () => void {
  handlers.add(h);
  // A page shown after the stream opened would otherwise never hear that it is connected.
  if (source) h.state?.(source.readyState === EventSource.OPEN);
  return () => handlers.delete(h);
}
