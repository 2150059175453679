// Other panels (a lesson step) may ask the trace viewer to show the events
// matching a search term; the viewer puts it into its search box.
const listeners = new Set<(search: string) => void>();

export function requestTraceSearch(search: string): void {
  for (const l of listeners) l(search);
}

export function onTraceSearchRequest(fn: (search: string) => void): () => void {
  listeners.add(fn);
  return () => { listeners.delete(fn); };
}
