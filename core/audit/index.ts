export {
  GENESIS_HASH,
  canonicalJson,
  rowHash,
  verifyChain,
  type AuditEntry,
  type AuditRow,
  type ChainProblem,
} from './chain.js';
export {
  appendAudit,
  appendAuditMany,
  auditRowFromDb,
  readAudit,
  type AuditDbRow,
  type NewAuditEntry,
} from './repo.js';
