export { buildApp, type ConsoleApp, type ConsoleDeps } from './app.js';
export { createUser, type NewUser } from './users.js';
