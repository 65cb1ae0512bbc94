import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../common/config/index.js';
import {
  aggregateStream,
  handleCommand,
  STORAGE,
  type CommandResult,
  type EventMetadata,
  type Storage,
} from '../../common/event-store/index.js';
import {
  phase2Decider,
  type Phase2Command,
  type Phase2Context,
  type Phase2Decision,
} from './phase2.decider.js';
import { phase2Stream } from './phase2.events.js';
import type { Phase2State } from './phase2.state.js';
import { PHASE2, PROCESSORS_CONFIG, type ProcessorsConfig } from './processors-config.js';

/** The decision, the state after its events (the state read when nothing was appended), the append. */
export type Phase2Outcome = CommandResult<Phase2State, Phase2Decision>;

/** Reads a game date's phase-2 stream, decides a command against it, and appends (with retries). */
@Injectable()
export class Phase2StreamService {
  constructor(
    @Inject(STORAGE) private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROCESSORS_CONFIG) private readonly processors: ProcessorsConfig,
  ) {}

  /** The state folded from `phase2-<game_date>` (version 0 when the stream does not exist). */
  async load(gameDate: string): Promise<Phase2State> {
    const { state } = await aggregateStream(
      this.storage,
      phase2Stream(gameDate),
      phase2Decider(gameDate),
    );
    return state;
  }

  /** Config and clock as they are now, for deciding about `gameDate`. */
  context(gameDate: string): Phase2Context {
    return {
      phase: this.processors.phases[PHASE2]!,
      nowMs: this.clock.now().getTime(),
      deadlineEnabled: this.config.flags.isEnabled('ENABLE_PHASE2_COMPLETION_DEADLINE', gameDate),
      deadlineMs: this.config.timeouts.phase2CompletionDeadlineMs,
      mode: this.config.orchestration.phase2TriggerMode,
    };
  }

  /**
   * Decides `command` on the current stream and appends its events against the version read:
   * a concurrent append makes it read and decide again, so each decision sees every event before it.
   */
  execute(
    gameDate: string,
    command: Phase2Command,
    metadata: EventMetadata,
  ): Promise<Phase2Outcome> {
    return handleCommand(
      this.storage,
      phase2Stream(gameDate),
      phase2Decider(gameDate),
      command,
      this.context(gameDate),
      { metadata },
    );
  }
}
