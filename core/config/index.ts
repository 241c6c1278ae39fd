export type { Config } from './types.js';
export { loadConfig, loadProcessConfig, type ConfigSources } from './load.js';
export { SETTINGS, type Setting } from './settings.js';
export { configReferenceMarkdown, withConfigReference } from './reference.js';
export { SERVICES_ENV_FILE, parseEnvFile, readEnvFile } from './env-file.js';
