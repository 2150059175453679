// Paths: the shell's working directory, and turning what the user typed into
// the absolute, normalised path the fs server expects.

let cwd = "/";

export function currentDir(): string {
  return cwd;
}

/** Sets the working directory (an absolute, normalised path: see resolvePath). */
export function setCurrentDir(dir: string): void {
  cwd = dir;
}

/**
 * `p` made absolute against the working directory, with "." and ".." resolved
 * and repeated or trailing slashes dropped ("/" stays "/"). ".." above the
 * root stays at the root, as in POSIX.
 */
export function resolvePath(p: string): string {
  const full = p.startsWith("/") ? p : cwd + "/" + p;
  const parts = full.split("/");
  const kept = new Array<string>(0);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.length == 0 || part == ".") continue;
    if (part == "..") {
      if (kept.length > 0) kept.pop();
      continue;
    }
    kept.push(part);
  }
  return "/" + kept.join("/");
}

/** The last component of a path, without a ".wasm" ending: the program's name. */
export function programName(path: string): string {
  const slash = path.lastIndexOf("/");
  let base = slash >= 0 ? path.substring(slash + 1) : path;
  if (base.endsWith(".wasm") && base.length > 5) base = base.substring(0, base.length - 5);
  return base;
}
