// docs/sdk.md shows the example programs whole; they are the ones the other
// tests compile and run, so the documentation cannot drift from working code.
import { describe, expect, it } from 'vitest';
import { readRepo } from './helpers.ts';

const doc = readRepo('docs/sdk.md');

describe('docs/sdk.md', () => {
  it.each([
    ['servers/examples/hello/main.ts', 'ts'],
    ['servers/examples/echo-service/main.ts', 'ts'],
    ['servers/examples/echo-client/main.ts', 'ts'],
    ['servers/examples/hello-c/main.c', 'c'],
    ['servers/examples/echo-service-c/main.c', 'c'],
  ])('shows %s exactly', (path, lang) => {
    const source = readRepo(path).replace(/\n+$/, '');
    expect(doc).toContain(`(\`${path}\`)`);
    expect(doc).toContain(`\`\`\`${lang}\n${source}\n\`\`\``);
  });
});
