import { useEffect, useRef } from 'preact/hooks';

/** A change of one record, as `GET /api/v1/events` sends it. */
export interface ChangeEvent {
  kind: string;
  id: string;
  change: string;
  version: number;
}

/** Calls `onChange` for every change any process makes (the CLI included), while the component is mounted. */
export function useChangeEvents(onChange: (event: ChangeEvent) => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const source = new EventSource('/api/v1/events');
    source.addEventListener('change', (message) => latest.current(JSON.parse((message as MessageEvent<string>).data) as ChangeEvent));
    return () => source.close();
  }, []);
}
