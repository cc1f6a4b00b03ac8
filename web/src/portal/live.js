// The owner's tracking events, live, over Server-Sent Events (GET /api/v1/events/stream). The
// browser's EventSource reconnects by itself and resumes with Last-Event-ID.
import { useEffect } from 'preact/hooks';

export const eventActions = ['created', 'mail_delivered', 'link_opened', 'file_downloaded',
  'file_partially_downloaded', 'zip_downloaded', 'zip_partially_downloaded', 'revoked', 'expired',
  'closed', 'deposit_received'];

/** Calls onEvent(action, data) for each event whose data matches `filter` (e.g. {transfer_id}). */
export function useLiveEvents(filter, onEvent) {
  const key = JSON.stringify(filter);
  useEffect(() => {
    const source = new EventSource('/api/v1/events/stream');
    const handle = (e) => {
      let data = {};
      try { data = JSON.parse(e.data); } catch { return; }
      if (Object.entries(filter).every(([k, v]) => data[k] === v)) onEvent(e.type, data);
    };
    for (const a of eventActions) source.addEventListener(a, handle);
    return () => source.close();
  }, [key]);
}
