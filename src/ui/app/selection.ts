// The task the user picked in the Tasks panel; the trace viewer follows it.

export class Selection {
  task: number | null = null;
  private listeners = new Set<() => void>();

  setTask(id: number | null): void {
    if (this.task === id) return;
    this.task = id;
    for (const l of this.listeners) l();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
