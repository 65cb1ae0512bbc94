import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A recognisable secret path: it must never show up in a log line or an event. */
export const WEBHOOK_SECRET_PATH = '/services/T0SHOTCLOCK/B0ALERTS/leak-canary-7f3a9c2e';

export interface SlackRequest {
  path: string;
  contentType: string | undefined;
  body: { text: string };
}

/** How the fake endpoint answers one request: a status code, or `hang` (never answers). */
export type SlackAnswer = number | 'hang';

export interface FakeSlack {
  /** The webhook URL to configure as SLACK_WEBHOOK_URL. */
  url: string;
  requests: SlackRequest[];
  /** Requests whose text mentions `needle` (e.g. an alert id). */
  requestsFor(needle: string): SlackRequest[];
  /** Stops listening and drops open (hanging) connections; closing twice is harmless. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on a free local port standing in for a Slack incoming webhook. `answer`
 * decides each reply from the request (its text, and how many requests for the same text came
 * before); the default accepts everything with Slack's `200 ok`.
 */
export async function startFakeSlack(
  answer: (request: SlackRequest, previousSameText: number) => SlackAnswer = () => 200,
): Promise<FakeSlack> {
  const requests: SlackRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: SlackRequest = {
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string },
      };
      const previous = requests.filter((r) => r.body.text === request.body.text).length;
      requests.push(request);
      const reply = answer(request, previous);
      if (reply === 'hang') return;
      res.writeHead(reply, { 'content-type': 'text/plain' });
      res.end(reply < 300 ? 'ok' : 'internal_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${WEBHOOK_SECRET_PATH}`,
    requests,
    requestsFor: (needle) => requests.filter((r) => r.body.text.includes(needle)),
    close: () => {
      if (!server.listening) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
