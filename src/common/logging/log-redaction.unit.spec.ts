import {
  isCredentialParam,
  isSensitiveKey,
  isWebhookUrl,
  redactLogLine,
  redactWebhookUrls,
} from './log-redaction.js';

describe('log redaction', () => {
  it('recognises sensitive key names, exact or as a suffix, in any case or separator style', () => {
    for (const key of [
      'token',
      'password',
      'secret',
      'apiKey',
      'api_key',
      'webhookUrl',
      'Authorization',
      'proxy-authorization',
      'cookie',
      'set-cookie',
      'accessToken',
      'clientSecret',
    ]) {
      expect(isSensitiveKey(key)).toBe(true);
    }
    for (const key of ['tokens', 'message', 'secretName', 'correlation_id', 'keyCount']) {
      expect(isSensitiveKey(key)).toBe(false);
    }
  });

  it('recognises webhook URLs', () => {
    expect(isWebhookUrl('https://hooks.slack.com/services/T0/B0/abc')).toBe(true);
    expect(isWebhookUrl('https://example.com/api/webhooks/123/xyz')).toBe(true);
    expect(isWebhookUrl('https://example.com/x/hooks/abc')).toBe(true);
    expect(isWebhookUrl('https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t')).toBe(
      true,
    );
    expect(isWebhookUrl('https://example.com/orders/42')).toBe(false);
  });

  it('cuts webhook URLs out of text and leaves other URLs alone', () => {
    expect(
      redactWebhookUrls(
        'post to https://hooks.slack.com/services/T0/B0/abc failed, see https://example.com/docs',
      ),
    ).toBe('post to [REDACTED] failed, see https://example.com/docs');
  });

  it('redacts sensitive keys at any depth of a serialised line and keeps the newline', () => {
    const line = `${JSON.stringify({ message: 'm', a: { b: [{ password: 'p1', keep: 1 }] }, token: 't1' })}\n`;
    const out = redactLogLine(line);
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out)).toEqual({
      message: 'm',
      a: { b: [{ password: '[REDACTED]', keep: 1 }] },
      token: '[REDACTED]',
    });
  });

  it('returns lines with nothing to redact unchanged', () => {
    const line = `${JSON.stringify({ message: 'nothing here', tokens: 3, authorization: '[REDACTED]' })}\n`;
    expect(redactLogLine(line)).toBe(line);
  });

  it('redacts credential query parameters in any URL of a line, and nothing else', () => {
    const line = JSON.stringify({
      req: { url: '/v1/flags?access_token=tok-1&limit=5&key=AIzaKey&X-Goog-Signature=abc123' },
      message: 'fetching https://x.example/a?sig=s1&page=2&code=c1;password=p1',
    });
    const written = redactLogLine(`${line}\n`);
    for (const secret of ['tok-1', 'AIzaKey', 'abc123', 's1', 'c1', 'p1']) {
      expect(written).not.toContain(secret);
    }
    expect(written).toContain('limit=5');
    expect(written).toContain('page=2');
    expect(written).toContain('access_token=[REDACTED]');
  });

  it('recognises credential parameter names, percent-encoded too', () => {
    expect(
      ['access_token', 'Key', 'api-key', 'X-Goog-Signature', 'client_secret', '%61ccess_token'].map(
        isCredentialParam,
      ),
    ).toEqual([true, true, true, true, true, true]);
    expect(['limit', 'after', 'cursor', 'keys', 'monkey'].map(isCredentialParam)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
