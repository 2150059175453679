// What the Machine panel offers to boot. The default is the OS: init starts
// the servers and the shell from the boot archive the page packs.

export interface BootMode {
  id: string;
  label: string;
  bootargs: string;
  description: string;
}

export const BOOT_MODES: readonly BootMode[] = [
  { id: 'selftest', label: 'Self-test', bootargs: 'selftest', description: 'The kernel tests itself: IPC, services, faults, memory; then powers off.' },
  { id: 'init', label: 'Init (shell)', bootargs: '', description: 'The normal boot: init and the shell from the boot archive.' },
  { id: 'bench', label: 'Kernel benchmarks', bootargs: 'bench', description: 'Boot time, IPC round trip and context switch, in guest instructions.' },
];

export const DEFAULT_BOOT_MODE = 'init';

/** The mode whose bootargs these are, or null for custom ones. */
export function modeForBootargs(bootargs: string): BootMode | null {
  return BOOT_MODES.find((m) => m.bootargs === bootargs.trim()) ?? null;
}
