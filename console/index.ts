export { buildApp, type ConsoleDeps } from './app.js';
