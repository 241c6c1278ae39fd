export * from './camera/index.js';
