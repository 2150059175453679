#!/usr/bin/env node
// The `wasmos` command. The implementation is TypeScript (src/cli/main.ts),
// loaded through tsx so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');

let status;
try {
  status = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`wasmos: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
  status = 1;
}
// Let stdout drain (it is asynchronous for some pipes) before exiting; exit
// explicitly because stdin may still hold the event loop open.
process.stdout.write('', () => process.exit(status));
