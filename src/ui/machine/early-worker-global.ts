// The global where the production page's HTML leaves the machine worker it
// started before any module loaded (src/ui/build/boot-plugin.ts writes the
// script, connectWorker in host-api.ts takes the worker).
export const EARLY_WORKER_GLOBAL = 'wasmosMachineWorker';
/** The id of that inline script, the page's only one (the e2e checks that hostile links add none). */
export const EARLY_SCRIPT_ID = 'wasmos-start-worker';
