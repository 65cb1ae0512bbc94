// The Pub/Sub v1 messages as proto-loader hands them over (camelCase, int64 as strings, defaults
// filled in), limited to the fields the fake reads or writes.

export interface TimestampWire {
  seconds: string;
  nanos: number;
}

export interface PubsubMessageWire {
  data: Buffer;
  attributes: Record<string, string>;
  messageId: string;
  publishTime: TimestampWire | null;
  orderingKey: string;
}

export interface TopicWire {
  name: string;
  [field: string]: unknown;
}

export interface PushConfigWire {
  pushEndpoint: string;
  attributes: Record<string, string>;
  [field: string]: unknown;
}

export interface DeadLetterPolicyWire {
  deadLetterTopic: string;
  maxDeliveryAttempts: number;
}

export interface SubscriptionWire {
  name: string;
  topic: string;
  pushConfig: PushConfigWire | null;
  ackDeadlineSeconds: number;
  enableMessageOrdering: boolean;
  enableExactlyOnceDelivery: boolean;
  deadLetterPolicy: DeadLetterPolicyWire | null;
  [field: string]: unknown;
}

export interface ReceivedMessageWire {
  ackId: string;
  message: PubsubMessageWire;
  deliveryAttempt: number;
}

export interface PublishRequestWire {
  topic: string;
  messages: PubsubMessageWire[];
}

export interface NameRequestWire {
  topic?: string;
  subscription?: string;
}

export interface PullRequestWire {
  subscription: string;
  returnImmediately: boolean;
  maxMessages: number;
}

export interface AcknowledgeRequestWire {
  subscription: string;
  ackIds: string[];
}

export interface ModifyAckDeadlineRequestWire {
  subscription: string;
  ackIds: string[];
  ackDeadlineSeconds: number;
}

export interface ListRequestWire {
  project: string;
  topic: string;
  pageSize: number;
  pageToken: string;
}

export interface StreamingPullRequestWire {
  subscription: string;
  ackIds: string[];
  modifyDeadlineSeconds: number[];
  modifyDeadlineAckIds: string[];
  streamAckDeadlineSeconds: number;
  clientId: string;
  maxOutstandingMessages: string;
  maxOutstandingBytes: string;
  protocolVersion: string;
}
