/** One pulled subscription and the route (message pattern) whose handler takes its messages. */
export interface SubscriptionRoute {
  /** The handler's pattern, e.g. `prediction-completions` (the push endpoint's name). */
  readonly route: string;
  /** The full name, `projects/<project>/subscriptions/<name>`. */
  readonly subscription: string;
  /** The project of `subscription`. */
  readonly projectId: string;
}

export type SubscriptionMapResult =
  | { readonly ok: true; readonly routes: readonly SubscriptionRoute[] }
  | { readonly ok: false; readonly problem: string };

/** Most pairs one process pulls: far above the routes that exist, low enough to bound the parse. */
export const MAX_SUBSCRIPTION_ROUTES = 32;

const ROUTE = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Pub/Sub's own rules: a project id, then 3 to 255 characters starting with a letter. */
const SUBSCRIPTION =
  /^projects\/([a-z][a-z0-9-.:]{0,99})\/subscriptions\/([A-Za-z][\w.~+%-]{2,254})$/;

/**
 * Parses PUBSUB_SUBSCRIPTIONS: comma-separated `route=projects/<p>/subscriptions/<s>` pairs,
 * e.g. `prediction-completions=projects/p/subscriptions/a,phase2-completions=projects/p/subscriptions/b`.
 * Blank means none. A route may take several subscriptions; a subscription feeds one route (two
 * routes on one subscription would split its messages between them).
 */
export function parseSubscriptionMap(text: string): SubscriptionMapResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, routes: [] };
  const pairs = trimmed.split(',').map((pair) => pair.trim());
  if (pairs.length > MAX_SUBSCRIPTION_ROUTES) {
    return {
      ok: false,
      problem: `${pairs.length} pairs, more than the ${MAX_SUBSCRIPTION_ROUTES} accepted`,
    };
  }
  const routes: SubscriptionRoute[] = [];
  const seen = new Map<string, string>();
  for (const [index, pair] of pairs.entries()) {
    const parsed = parsePair(pair, index + 1);
    if (!parsed.ok) return parsed;
    const earlier = seen.get(parsed.route.subscription);
    if (earlier !== undefined) {
      return {
        ok: false,
        problem:
          `${parsed.route.subscription} is given twice (for ${earlier} and ${parsed.route.route}); ` +
          'a subscription feeds one route',
      };
    }
    seen.set(parsed.route.subscription, parsed.route.route);
    routes.push(parsed.route);
  }
  return { ok: true, routes };
}

function parsePair(
  pair: string,
  position: number,
): { ok: true; route: SubscriptionRoute } | { ok: false; problem: string } {
  const equals = pair.indexOf('=');
  if (equals < 0) {
    return {
      ok: false,
      problem: `pair ${position} (${JSON.stringify(pair)}) has no "=" between route and subscription`,
    };
  }
  const route = pair.slice(0, equals).trim();
  const subscription = pair.slice(equals + 1).trim();
  if (!ROUTE.test(route)) {
    return {
      ok: false,
      problem: `pair ${position}: route ${JSON.stringify(route)} is not a route name (lower-case letters, digits and "-")`,
    };
  }
  const match = SUBSCRIPTION.exec(subscription);
  if (!match) {
    return {
      ok: false,
      problem:
        `pair ${position}: ${JSON.stringify(subscription)} is not a full subscription name ` +
        '(projects/<project>/subscriptions/<name>, the name 3 to 255 characters starting with a letter)',
    };
  }
  return { ok: true, route: { route, subscription, projectId: match[1]! } };
}
