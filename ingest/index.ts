export * from './camera/index.js';
export * from './gps/index.js';
export * from './evidence/index.js';
