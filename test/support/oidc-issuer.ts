import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenClaims {
  iss?: string;
  aud?: string;
  email?: string;
  email_verified?: boolean;
  iat?: number;
  exp?: number;
  sub?: string;
}

/**
 * A stand-in for Google's token signer: an RSA key whose public half is served, as Google serves
 * its certificates, from a local HTTP server as `{ "<kid>": "<PEM>" }` with a Cache-Control max-age.
 * Counts certificate fetches so tests can see the cache work.
 */
export class OidcIssuer {
  readonly kid = 'test-key-1';
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private server: Server | undefined;
  certificateFetches = 0;
  /** While false the certificate server answers 503 (Google unreachable). */
  available = true;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.certificateFetches += 1;
      if (!this.available) {
        res.writeHead(503).end('unavailable');
        return;
      }
      const pem = this.keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'cache-control': 'public, max-age=3600',
        })
        .end(JSON.stringify({ [this.kid]: pem }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/oauth2/v1/certs`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** An RS256 token like the one Pub/Sub push attaches, with `claims` over sensible defaults. */
  token(
    claims: TokenClaims,
    options: { kid?: string; key?: KeyObject; alg?: string } = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: options.alg ?? 'RS256', kid: options.kid ?? this.kid, typ: 'JWT' };
    const payload = {
      iss: 'https://accounts.google.com',
      iat: now,
      exp: now + 3600,
      sub: '1234',
      ...claims,
    };
    const signed = `${encode(header)}.${encode(payload)}`;
    const signature = createSign('RSA-SHA256')
      .update(signed)
      .sign(options.key ?? this.keys.privateKey)
      .toString('base64url');
    return `${signed}.${signature}`;
  }
}

/** Another RSA key, for tokens whose signature must not verify. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
