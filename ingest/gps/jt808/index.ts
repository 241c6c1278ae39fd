export * from './bytes.js';
export * from './frame.js';
export * from './location.js';
export * from './messages.js';
export { Reassembler } from './subpackage.js';
