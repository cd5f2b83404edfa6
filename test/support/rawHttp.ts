import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** The response head (status line and headers), as received. */
  head: string;
  body: string;
}

/**
 * Sends bytes exactly as given over a plain TCP socket (no client normalises the target or the headers)
 * and reads the answer: the whole response for a closed connection, or the head of a 101 once an upgrade
 * is granted (the socket is then closed by us). Resolves only when the server answers or hangs up, so a
 * refused upgrade that left its socket open would hold the test until its timeout.
 */
export function rawExchange(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const at = text.indexOf('\r\n\r\n');
      resolvePromise({ status, head: at === -1 ? text : text.slice(0, at), body: at === -1 ? '' : text.slice(at + 4) });
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.startsWith('HTTP/1.1 101') && text.includes('\r\n\r\n')) {
        finish();
        socket.destroy();
      }
    });
    socket.on('close', finish);
    socket.on('error', (err) => (settled ? undefined : reject(err)));
  });
}

/** The error code of a JSON error body, or null when the body is something else. */
export function errorCode(body: string): string | null {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}
