import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import type { AnalyticsConfig } from '../../../common/config/namespaces/analytics.config.js';

/**
 * Credentials for a local endpoint (tests, emulators): a fixed placeholder bearer token, so the
 * client neither looks for Application Default Credentials nor calls the metadata server, and
 * real tokens are never sent to a non-Google endpoint. The client library only calls
 * getRequestHeaders on the auth client it is given (google-auth-library GoogleAuth#getClient
 * returns it as is).
 */
const LOCAL_ENDPOINT_AUTH = {
  getRequestHeaders: async (): Promise<Headers> =>
    new Headers({ authorization: 'Bearer local-endpoint-no-credentials' }),
};

/**
 * The real client: Google's endpoint with Application Default Credentials, or, when
 * BIGQUERY_API_ENDPOINT is set, that endpoint with placeholder credentials.
 */
export function createBigQueryClient(
  analytics: Pick<
    AnalyticsConfig,
    'bigqueryProjectId' | 'bigqueryLocation' | 'bigqueryApiEndpoint'
  >,
): BigQuery {
  const options: BigQueryOptions = {
    location: analytics.bigqueryLocation,
    ...(analytics.bigqueryProjectId ? { projectId: analytics.bigqueryProjectId } : {}),
  };
  if (analytics.bigqueryApiEndpoint) {
    if (!analytics.bigqueryProjectId)
      throw new Error(
        'BIGQUERY_API_ENDPOINT is set but BIGQUERY_PROJECT_ID is not: a local endpoint has no ' +
          'credentials to take the project from; set BIGQUERY_PROJECT_ID',
      );
    options.apiEndpoint = analytics.bigqueryApiEndpoint.replace(/\/+$/, '');
    // The library types authClient as a google-auth-library AuthClient; it only calls
    // getRequestHeaders on it, which this object provides.
    options.authClient = LOCAL_ENDPOINT_AUTH as unknown as Required<BigQueryOptions>['authClient'];
  }
  return new BigQuery(options);
}
