// The `wasmos` command: dispatches subcommands and turns every failure the
// user can cause into one line on stderr and exit status 1.
import { boardRun, RunError, type Terminal } from './board-run.ts';
import { BOARD_RUN_USAGE, parseBoardRunArgs, UsageError } from './board-run-options.ts';
import { BOOT_USAGE, osBoot, parseBootArgs } from './os-boot.ts';

export const MAIN_USAGE = `usage: wasmos <command> [options]

commands:
  boot [--script FILE] [--host DIR]
                              boot WasmOS (kernel, servers, shell) in this terminal
  run APP.wasm [ARGS...] [--with S.wasm] [--dir DIR] [--forward H:G]
                              run a WasmOS app on Node's WebAssembly (no board, no kernel)
  board run IMAGE [options]   run a RISC-V image on the emulated board (QEMU virt compatible)
  bench [--runs N] [--no-qemu] [NAME...]
                              run the benchmarks (from a source checkout; = npm run bench)

Run \`wasmos board --help\` or \`wasmos board run --help\` for the options.
`;

export const BOARD_USAGE = `usage: wasmos board <command>

commands:
  run IMAGE [options]   run IMAGE on the board; see \`wasmos board run --help\`

${BOARD_RUN_USAGE}`;

const isHelp = (a: string | undefined): boolean => a === '--help' || a === '-h' || a === 'help';

/** Runs the command line `argv` (without node and the script); returns the exit status. */
export async function main(argv: string[], t: Terminal = process): Promise<number> {
  try {
    const [cmd, sub, ...rest] = argv;
    if (cmd === undefined) throw new UsageError('missing command');
    if (isHelp(cmd)) {
      t.stdout.write(MAIN_USAGE);
      return 0;
    }
    if (cmd === 'bench') {
      // Loaded on demand: the benchmarks live in the source tree, not in the command.
      const { benchMain } = await import('../../bench/run.ts');
      return benchMain(argv.slice(1));
    }
    if (cmd === 'boot') {
      const opts = parseBootArgs(argv.slice(1));
      if (opts === 'help') {
        t.stdout.write(BOOT_USAGE);
        return 0;
      }
      return await osBoot(opts, t);
    }
    if (cmd === 'run') return await (await import('./run.ts')).runCommand(argv.slice(1), t);
    if (cmd !== 'board') throw new UsageError(`unknown command "${cmd}"`);
    if (isHelp(sub)) {
      t.stdout.write(BOARD_USAGE);
      return 0;
    }
    if (sub === undefined) throw new UsageError('missing board command (run)');
    if (sub !== 'run') throw new UsageError(`unknown board command "${sub}"`);
    const opts = parseBoardRunArgs(rest);
    if (opts === 'help') {
      t.stdout.write(BOARD_RUN_USAGE);
      return 0;
    }
    return await boardRun(opts, t);
  } catch (e) {
    if (e instanceof UsageError) {
      t.stderr.write(`wasmos: ${e.message}\nTry \`wasmos --help\`.\n`);
      return 1;
    }
    if (e instanceof RunError) {
      t.stderr.write(`wasmos: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
