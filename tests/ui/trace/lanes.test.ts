import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../../src/board/devices/trace.ts';
import { pickLanes } from '../../../src/ui/trace/lanes.ts';

const msg = (src: number, dst: number): TraceRecord => ({ time: 0, task: src, kind: 'ipc', op: 'send', src, dst, type: 1, len: 8, result: 8, payload: new Uint8Array() });
const born = (id: number): TraceRecord => ({ time: 0, task: 0, kind: 'task-create', id, parent: 0, priority: 4, name: `t${id}` });

describe('pickLanes', () => {
  it('gives every task a lifeline when they fit, in id order', () => {
    const l = pickLanes([msg(130, 129), born(140), msg(0, 130)], 6);
    expect(l.ids).toEqual([0, 129, 130, 140]);
    expect(l.others).toBe(false);
    expect(l.indexOf(130)).toBe(2);
  });

  it('prefers the tasks of the visible rows, then the busiest around them, and sends the rest to "others"', () => {
    const around = [msg(500, 501), msg(500, 501), msg(500, 502), msg(500, 502)];
    const l = pickLanes([msg(129, 130), born(131)], 4, null, around);
    expect(l.ids).toEqual([129, 130, 131]);
    expect(l.others).toBe(true);
    expect(l.count).toBe(4);
    expect(l.indexOf(500)).toBe(3); // the others lane
  });

  it('always keeps the filtered task', () => {
    const l = pickLanes([msg(1, 2), msg(3, 4), msg(5, 6)], 3, 99);
    expect(l.ids).toContain(99);
    expect(l.ids.length).toBe(2);
  });
});
