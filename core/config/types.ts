/** The validated, frozen configuration every process receives. Mirrors SETTINGS (a test keeps them in step). */
export interface Config {
  readonly database: {
    readonly url: string;
    readonly schema: string;
    readonly poolSize: number;
    readonly migrateOnStart: boolean;
  };
  readonly redis: { readonly url: string; readonly prefix: string };
  readonly log: { readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent' };
  readonly node: { readonly id: string };
  readonly ops: { readonly host: string; readonly port: number };
  readonly paths: { readonly dataDir: string; readonly ffmpeg: string };
  readonly console: {
    readonly host: string;
    readonly port: number;
    readonly sessionTtlS: number;
    readonly loginMaxFailures: number;
    readonly secureCookie: boolean;
    readonly cameraStaleS: number;
  };
  readonly gps: {
    readonly host: string;
    readonly jt808Port: number;
    readonly httpPort: number;
    readonly heartbeatTimeoutS: number;
    readonly subpackageTimeoutS: number;
    readonly reorderToleranceS: number;
    readonly futureToleranceS: number;
    readonly maxAgeHours: number;
    readonly maxSpeedKmh: number;
    readonly jumpMinDistanceM: number;
    readonly batchSize: number;
    readonly flushMs: number;
    readonly spoolMaxPoints: number;
    readonly httpMaxBatch: number;
  };
  readonly rules: {
    readonly homeJurisdiction: string;
    readonly stopRadiusM: number;
    readonly stopMinS: number;
    readonly stopByKind: string;
    readonly unloadMinS: number;
    readonly routeDeviationM: number;
    readonly routeDeviationS: number;
    readonly offHoursMinS: number;
    readonly gpsErrorM: number;
    readonly reorderWindowS: number;
    readonly linkLagS: number;
    readonly warmupS: number;
    readonly refreshS: number;
  };
  readonly pipeline: {
    readonly segmentSeconds: number;
    readonly retentionHours: number;
    readonly recordingBudgetMb: number;
    readonly ioTimeoutS: number;
    readonly stallTimeoutS: number;
    readonly fastDecode: boolean;
    readonly frameQueue: number;
    readonly leaseTtlS: number;
    readonly tickS: number;
  };
  readonly evidence: {
    readonly clipPreS: number;
    readonly clipPostS: number;
    readonly retentionDays: number;
    readonly closedRetentionDays: number;
    readonly signingKey: string;
  };
  readonly secrets: {
    readonly key: string;
  };
  readonly inference: {
    readonly model: string;
    readonly workers: number;
    readonly threads: number;
    readonly maxBatch: number;
    readonly queuePerCamera: number;
  };
}
