import type { Topic } from '@google-cloud/pubsub';
import { errorMessage } from '../../errors/error-message.js';
import type { TopicCheck } from '../publisher.port.js';
import { withDeadline } from '../../gcp/deadline.js';
import { grpcCodeName } from './publish-error.classification.js';

export interface TopicCheckOptions {
  /** Create the topic when it is missing (PUBSUB_CREATE_MISSING, development). */
  createMissing: boolean;
  timeoutMs: number;
  now: () => Date;
}

/**
 * Whether `topic` exists (GetTopic), creating it only when asked. Never throws: a broker that does
 * not answer, or refuses to say, gives `unchecked` (publishing will tell).
 */
export async function checkTopic(topic: Topic, options: TopicCheckOptions): Promise<TopicCheck> {
  const result = (state: TopicCheck['state'], detail: string): TopicCheck => ({
    state,
    detail,
    checkedAt: options.now().toISOString(),
  });
  const gaxOpts = { timeout: options.timeoutMs };
  try {
    await withDeadline(topic.getMetadata(gaxOpts), options.timeoutMs, `GetTopic ${topic.name}`);
    return result('exists', `${topic.name} exists`);
  } catch (error) {
    const code = grpcCodeName(error);
    if (code === 'PERMISSION_DENIED') {
      return result(
        'unchecked',
        `may not read ${topic.name} (PERMISSION_DENIED; pubsub.topics.get, e.g. roles/pubsub.viewer, lets the boot check it): publishing will tell whether it exists`,
      );
    }
    if (code !== 'NOT_FOUND') {
      return result(
        'unchecked',
        `could not check ${topic.name}: ${errorMessage(error)}; publishing will tell whether it exists`,
      );
    }
  }
  if (!options.createMissing) {
    return result(
      'missing',
      `${topic.name} does not exist: nothing is published to it until it is created (by the deployment, e.g. gcloud pubsub topics create; PUBSUB_CREATE_MISSING=true creates it at boot in development)`,
    );
  }
  try {
    await withDeadline(topic.create(gaxOpts), options.timeoutMs, `CreateTopic ${topic.name}`);
    return result(
      'created',
      `${topic.name} was missing and was created (PUBSUB_CREATE_MISSING=true)`,
    );
  } catch (error) {
    if (grpcCodeName(error) === 'ALREADY_EXISTS') return result('exists', `${topic.name} exists`);
    return result(
      'missing',
      `${topic.name} does not exist and creating it failed (PUBSUB_CREATE_MISSING=true): ${errorMessage(error)}`,
    );
  }
}
