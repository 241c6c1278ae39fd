/** `npm run console:openapi`: regenerate console/openapi.json from the route schemas. */
import { writeFile } from 'node:fs/promises';
import { generateOpenApi } from './openapi.js';

const path = new URL('./openapi.json', import.meta.url);
await writeFile(path, await generateOpenApi());
process.stdout.write(`wrote ${path.pathname}\n`);
