/** `npm run docs:config`: regenerate the configuration table in README.md from the settings list. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigReference } from '../core/index.js';

const before = readFileSync('README.md', 'utf8');
const after = withConfigReference(before);
writeFileSync('README.md', after);
process.stdout.write(
  before === after ? 'README.md configuration reference is up to date\n' : 'README.md updated\n',
);
