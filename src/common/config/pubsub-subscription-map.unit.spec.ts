import { MAX_SUBSCRIPTION_ROUTES, parseSubscriptionMap } from './pubsub-subscription-map.js';

describe('parseSubscriptionMap (PUBSUB_SUBSCRIPTIONS)', () => {
  it('reads route=subscription pairs, with their projects, around blanks', () => {
    expect(
      parseSubscriptionMap(
        ' prediction-completions=projects/nba-props/subscriptions/shotclock-predictions , ' +
          'phase2-completions = projects/other-project/subscriptions/shotclock.phase2 ',
      ),
    ).toEqual({
      ok: true,
      routes: [
        {
          route: 'prediction-completions',
          subscription: 'projects/nba-props/subscriptions/shotclock-predictions',
          projectId: 'nba-props',
        },
        {
          route: 'phase2-completions',
          subscription: 'projects/other-project/subscriptions/shotclock.phase2',
          projectId: 'other-project',
        },
      ],
    });
  });

  it.each(['', '   '])('reads %j as no subscriptions', (text) => {
    expect(parseSubscriptionMap(text)).toEqual({ ok: true, routes: [] });
  });

  it('lets one route take several subscriptions', () => {
    const parsed = parseSubscriptionMap(
      'prediction-completions=projects/p1/subscriptions/aaa,prediction-completions=projects/p2/subscriptions/bbb',
    );
    expect(parsed.ok && parsed.routes.map((entry) => entry.projectId)).toEqual(['p1', 'p2']);
  });

  it.each([
    ['a pair without "="', 'prediction-completions', /pair 1 .*has no "="/],
    [
      'a short subscription name',
      'prediction-completions=shotclock-predictions',
      /pair 1: "shotclock-predictions" is not a full subscription name/,
    ],
    [
      'a topic instead of a subscription',
      'prediction-completions=projects/p/topics/predictions',
      /not a full subscription name/,
    ],
    [
      'a subscription name of 2 characters',
      'prediction-completions=projects/p/subscriptions/ab',
      /not a full subscription name/,
    ],
    ['an empty route', '=projects/p/subscriptions/abc', /route "" is not a route name/],
    [
      'a route with capitals',
      'Prediction-Completions=projects/p/subscriptions/abc',
      /route "Prediction-Completions"/,
    ],
    [
      'an empty pair (a trailing comma)',
      'prediction-completions=projects/p/subscriptions/abc,',
      /pair 2 \(""\) has no "="/,
    ],
    [
      'one subscription for two routes',
      'prediction-completions=projects/p/subscriptions/abc,phase2-completions=projects/p/subscriptions/abc',
      /projects\/p\/subscriptions\/abc is given twice \(for prediction-completions and phase2-completions\)/,
    ],
  ])('refuses %s, naming the problem', (_what, text, problem) => {
    const parsed = parseSubscriptionMap(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });

  it(`refuses more than ${MAX_SUBSCRIPTION_ROUTES} pairs before reading them`, () => {
    const text = Array.from(
      { length: MAX_SUBSCRIPTION_ROUTES + 1 },
      (_, n) => `prediction-completions=projects/p/subscriptions/sub-${n}`,
    ).join(',');
    expect(parseSubscriptionMap(text)).toEqual({
      ok: false,
      problem: `${MAX_SUBSCRIPTION_ROUTES + 1} pairs, more than the ${MAX_SUBSCRIPTION_ROUTES} accepted`,
    });
  });
});
