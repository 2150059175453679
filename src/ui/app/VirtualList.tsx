// A list that renders only the rows in view (plus a few): the trace viewer
// shows 100,000 events with a few dozen DOM rows. Rows have a fixed height.
// With `follow`, the list sticks to its end while the user is there, so new
// events scroll in; scrolling up stops that until the user returns.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  /** Rendered above the rows, sticking to the top while scrolling; a function gets the rendered range. */
  header?: ReactNode | ((first: number, last: number) => ReactNode);
  /** Called with the visible range (end exclusive) before the rows are rendered (the diagram picks its lifelines). */
  onRange?: (first: number, last: number) => void;
  headerHeight?: number;
  overscan?: number;
  follow?: boolean;
  /** Scrolled into view when it changes. */
  scrollToIndex?: number | null;
  /** Height assumed before the list is laid out (and where there is no layout: tests). */
  fallbackHeight?: number;
  /** Width of the rows when wider than the list (horizontal scrolling). */
  contentWidth?: number;
  className?: string;
  role?: string;
  'aria-label'?: string;
  'aria-rowcount'?: number;
  'aria-activedescendant'?: string;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  tabIndex?: number;
}

export function VirtualList(props: VirtualListProps): ReactNode {
  const { count, rowHeight, renderRow, header, headerHeight = 0, overscan = 8, follow = false, scrollToIndex = null } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(props.fallbackHeight ?? 600);
  const atEnd = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => { if (el.clientHeight > 0) setHeight(el.clientHeight); };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight * 1.5;
  }, [rowHeight]);

  // Follow the end as rows arrive.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !follow || !atEnd.current) return;
    const bottom = Math.max(0, headerHeight + count * rowHeight - height);
    el.scrollTop = bottom;
    setScrollTop(bottom);
  }, [count, follow, rowHeight, height, headerHeight]);

  useEffect(() => {
    const el = ref.current;
    if (!el || scrollToIndex === null || scrollToIndex < 0) return;
    const top = scrollToIndex * rowHeight;
    const view = height - headerHeight;
    let next = el.scrollTop;
    if (top < next) next = top;
    else if (top + rowHeight > next + view) next = top + rowHeight - view;
    if (next !== el.scrollTop) {
      el.scrollTop = next;
      setScrollTop(next);
      atEnd.current = next + height >= headerHeight + count * rowHeight - rowHeight * 1.5;
    }
  }, [scrollToIndex, rowHeight, height, headerHeight, count]);

  const visible = Math.ceil(Math.max(0, height - headerHeight) / rowHeight);
  const top = Math.max(0, Math.min(count - 1, Math.floor(scrollTop / rowHeight)));
  const first = Math.max(0, top - overscan);
  const last = Math.min(count, top + visible + overscan);
  props.onRange?.(top, Math.min(count, top + visible));
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i));
  const head = typeof header === 'function' ? header(first, last) : header;

  return (
    <div
      ref={ref}
      className={`vlist ${props.className ?? ''}`}
      onScroll={onScroll}
      role={props.role}
      aria-label={props['aria-label']}
      aria-rowcount={props['aria-rowcount']}
      aria-activedescendant={props['aria-activedescendant']}
      tabIndex={props.tabIndex}
      onKeyDown={props.onKeyDown}
    >
      <div className="vlist-content" style={{ height: headerHeight + count * rowHeight, minWidth: props.contentWidth }}>
        {header !== undefined && <div className="vlist-header" style={{ height: headerHeight }}>{head}</div>}
        <div className="vlist-rows" style={{ transform: `translateY(${first * rowHeight}px)` }}>{rows}</div>
      </div>
    </div>
  );
}
