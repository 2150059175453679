// The panels of the page and where they go. The page has two areas, each a
// set of tabs; a feature adds its panel with registerPanel() (the editor and
// the file panel of later steps plug in here) and the app lays them out.
import type { ReactNode } from 'react';

export type PanelAreaId = 'primary' | 'secondary';

export interface PanelProps {
  /** Whether the panel's tab is the visible one (panels stay mounted when hidden). */
  active: boolean;
  /** Boot arguments the page was opened with. */
  initialBootargs: string;
}

export interface PanelDef {
  id: string;
  title: string;
  area: PanelAreaId;
  /** Position among the area's tabs (smaller first). */
  order: number;
  /** Alt+<key> shows the panel. */
  shortcut?: string;
  render: (props: PanelProps) => ReactNode;
}

export class PanelRegistry {
  private panels: PanelDef[] = [];

  register(def: PanelDef): void {
    if (this.panels.some((p) => p.id === def.id)) throw new Error(`panel "${def.id}" is already registered`);
    this.panels.push(def);
  }

  in(area: PanelAreaId): PanelDef[] {
    return this.panels.filter((p) => p.area === area).sort((a, b) => a.order - b.order);
  }

  get all(): readonly PanelDef[] { return this.panels; }

  byShortcut(key: string): PanelDef | undefined {
    return this.panels.find((p) => p.shortcut === key);
  }
}
