export {
  GENESIS_HASH,
  canonicalJson,
  rowHash,
  verifyChain,
  type AuditEntry,
  type AuditRow,
  type ChainProblem,
} from './chain.js';
export { appendAudit, readAudit, type NewAuditEntry } from './repo.js';
