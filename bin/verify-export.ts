/**
 * `npm run evidence:verify -- PACKAGE.zip [--pubkey KEY.pem]`: check an evidence export offline.
 * Exit 0 when every file matches the signed manifest; otherwise names each file that changed.
 */
import { readFileSync } from 'node:fs';
import { verifyPackage } from '../core/index.js';

const args = process.argv.slice(2);
const k = args.indexOf('--pubkey');
const pubPath = k >= 0 ? args[k + 1] : undefined;
const file = args.find((a, i) => !a.startsWith('--') && (k < 0 || i !== k + 1));
if (!file) {
  process.stderr.write('usage: npm run evidence:verify -- PACKAGE.zip [--pubkey KEY.pem]\n');
  process.exit(2);
}
const verdict = verifyPackage(readFileSync(file), pubPath ? readFileSync(pubPath, 'utf8') : undefined);
if (verdict.ok) {
  const m = verdict.manifest;
  process.stdout.write(
    `OK ${file}: incident ${String(m?.incidentId)}, ${String(m?.files.length)} files, signed ${m?.createdAt ?? ''}` +
      (pubPath ? ' by the trusted key\n' : ' (signer not pinned: pass --pubkey to check who signed)\n'),
  );
} else {
  process.stdout.write(`FAILED ${file}:\n${verdict.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
