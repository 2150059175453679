// The whole-OS harness for the tests (it lives in src/cli/os-session.ts, shared with the benchmarks).
export { bootOs, outputOf, KERNEL, PROMPT, type OsBootOptions, type OsBootResult } from '../../src/cli/os-session.ts';
