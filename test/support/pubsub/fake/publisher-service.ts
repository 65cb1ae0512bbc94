import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Broker } from './broker.js';
import { unary } from './unary.js';
import type {
  ListRequestWire,
  NameRequestWire,
  PublishRequestWire,
  TopicWire,
} from './wire-types.js';

/** google.pubsub.v1.Publisher: the calls the client makes for topics and publishing. */
export function publisherService(broker: () => Broker): UntypedServiceImplementation {
  return {
    createTopic: unary((topic: TopicWire) => broker().createTopic(topic)),
    getTopic: unary((request: NameRequestWire) => broker().topic(request.topic ?? '')),
    deleteTopic: unary((request: NameRequestWire) => {
      broker().deleteTopic(request.topic ?? '');
      return {};
    }),
    publish: unary((request: PublishRequestWire) => ({
      messageIds: broker().publish(request.topic, request.messages),
    })),
    listTopics: unary((request: ListRequestWire) => ({
      topics: broker().listTopics(request.project),
      nextPageToken: '',
    })),
    listTopicSubscriptions: unary((request: ListRequestWire) => ({
      subscriptions: broker().topicSubscriptions(request.topic),
      nextPageToken: '',
    })),
  };
}
