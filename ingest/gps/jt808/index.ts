export * from './bytes.js';
export * from './frame.js';
export * from './location.js';
export * from './messages.js';
export * from './resend.js';
export { Reassembler, type MissingPackets } from './subpackage.js';
