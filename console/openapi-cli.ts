/** `npm run console:openapi`: regenerate console/openapi.json from the route schemas. */
import { writeFile } from 'node:fs/promises';
import { generateOpenApi, OPENAPI_PATH } from './openapi.js';

await writeFile(OPENAPI_PATH, await generateOpenApi());
process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
