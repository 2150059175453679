// The page's entry, kept tiny so the machine starts at once: it fetches the
// kernel and the OS image and boots them in the worker the HTML started
// (machine/early-boot.ts). The session, the share code and the React app are
// separate chunks, requested once those two downloads are done so they do not
// compete with them (measured: sooner or later than that, the prompt came
// later); the worker keeps the output for the terminal.
// Query parameters: ?bootargs=... (what to boot; default: the OS, to the
// shell), ?prompt=... (the console text that ends "time to prompt"; the
// benchmark uses it).
import { startEarly } from './machine/early-boot.ts';

const early = startEarly(location);
void Promise.allSettled([early.image, early.initrd])
  .then(() => Promise.all([import('./start-ui.ts'), import('./app/mount.tsx')]))
  .then(([{ startUi }, { mount }]) => {
    mount(document.getElementById('root')!, startUi(early, location.hash), early.bootargs);
  });
