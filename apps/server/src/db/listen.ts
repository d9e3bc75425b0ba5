// LISTEN on a connection of its own that comes back after the server restarts or drops it.
import pg from 'pg';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export interface Listener {
  close(): Promise<void>;
}

export interface ListenOptions {
  /**
   * Called after a lost connection has been re-established. Notifications sent while it was down
   * are gone, so consumers re-read whatever state they track.
   */
  onReconnect?: () => void;
  log?: (message: string) => void;
}

/** Resolves once the first LISTEN is in place: every NOTIFY committed after that is delivered. */
export async function listen(
  databaseUrl: string,
  channel: string,
  onPayload: (payload: string) => void,
  options: ListenOptions = {},
): Promise<Listener> {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    next.on('error', (error) => options.log?.(`listen ${channel}: ${error.message}`));
    next.on('end', () => {
      if (closed || client !== next) return;
      client = undefined;
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    client = next;
    delay = RECONNECT_MIN_MS;
  };

  const scheduleReconnect = () => {
    timer = setTimeout(() => {
      connect().then(
        () => (closed ? client?.end() : options.onReconnect?.()),
        (error: Error) => {
          options.log?.(`listen ${channel}: reconnect failed: ${error.message}`);
          delay = Math.min(delay * 2, RECONNECT_MAX_MS);
          if (!closed) scheduleReconnect();
        },
      );
    }, delay);
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await client?.end();
    },
  };
}
