import { loadConfig } from '../../../common/config/index.js';
import type { AnalyticsSink } from '../analytics-sink.port.js';
import { createBigQueryClient } from './bigquery-client.factory.js';
import { bigQuerySinkProvider } from './bigquery-sink.provider.js';

describe('bigQuerySinkProvider', () => {
  it('builds a BigQuery sink from the configuration', () => {
    const config = loadConfig({
      ANALYTICS_SINK: 'bigquery',
      BIGQUERY_PROJECT_ID: 'p',
      BIGQUERY_API_ENDPOINT: 'http://127.0.0.1:9',
    });
    const sink = bigQuerySinkProvider.useFactory(config) as AnalyticsSink;
    expect(sink.kind).toBe('bigquery');
  });
});

describe('createBigQueryClient', () => {
  it('points the client at the configured endpoint, project and location', () => {
    const client = createBigQueryClient({
      bigqueryProjectId: 'p',
      bigqueryLocation: 'EU',
      bigqueryApiEndpoint: 'http://127.0.0.1:9050/',
    });
    expect(client.apiEndpoint).toBe('http://127.0.0.1:9050');
    expect(client.projectId).toBe('p');
    expect(client.location).toBe('EU');
  });

  it('refuses a local endpoint without a project id, saying which variable to set', () => {
    expect(() =>
      createBigQueryClient({
        bigqueryProjectId: undefined,
        bigqueryLocation: 'US',
        bigqueryApiEndpoint: 'http://127.0.0.1:9050',
      }),
    ).toThrow(/set BIGQUERY_PROJECT_ID/);
  });
});
