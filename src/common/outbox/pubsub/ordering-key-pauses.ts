/** What a publish with an ordering key must do first. */
export type KeyResume =
  /** The key is not paused. */
  | 'none'
  /** The key is paused by this very message: this publish is its retry; resume, then publish. */
  | 'retry'
  /**
   * The key is paused by another message, which therefore got delivered by another holder of the
   * topic's lease (this dispatcher restarted past it): nothing can be overtaken; resume.
   */
  | 'delivered-elsewhere';

/**
 * The Pub/Sub client pauses an ordering key when a publish with it fails: every later publish with
 * that key is refused until `topic.resumePublishing(key)`. A key is resumed only just before the
 * next publish with it, and the dispatcher makes that publish the retry of the failed message (it
 * retries a failed message before any later one of its topic, from its stored checkpoint), so no
 * later message of the stream can overtake the failed one.
 */
export class OrderingKeyPauses {
  /** `<topic>\n<key>` -> the id of the message whose failure paused it. */
  private readonly paused = new Map<string, string>();

  /** A publish of `messageId` with `key` failed: the client has paused the key. */
  failed(topic: string, key: string, messageId: string): void {
    this.paused.set(pauseId(topic, key), messageId);
  }

  /** Before publishing `messageId` with `key`: whether (and why) the key must be resumed first. */
  resumeBefore(topic: string, key: string, messageId: string): KeyResume {
    const id = pauseId(topic, key);
    const pausedBy = this.paused.get(id);
    if (pausedBy === undefined) return 'none';
    this.paused.delete(id);
    return pausedBy === messageId ? 'retry' : 'delivered-elsewhere';
  }

  /** The message that paused `key`, if it is paused. */
  pausedBy(topic: string, key: string): string | undefined {
    return this.paused.get(pauseId(topic, key));
  }
}

function pauseId(topic: string, key: string): string {
  return `${topic}\n${key}`;
}
