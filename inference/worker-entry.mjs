// Worker threads do not inherit a TypeScript loader under every runner: register tsx, then load.
import { register } from 'tsx/esm/api';

register();
await import('./session-worker.ts');
