import type { User } from './api.js';

/** A page draws into `root` and returns how to stop (timers, live listeners). */
export type Page = (root: HTMLElement, user: User) => (() => void) | undefined;
