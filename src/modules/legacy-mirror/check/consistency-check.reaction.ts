import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, inRollout, type AppConfig } from '../../../common/config/index.js';
import { ProjectionRunner } from '../../../common/projections/projection-runner.js';
import { defineReaction } from '../../../common/projections/reaction-definition.js';
import { BATCH_EVENTS, type BatchEvent } from '../../batches/index.js';
import { LEGACY_MIRROR_PROJECTION } from '../legacy-mirror.projection.js';
import { ConsistencyCheckService } from './consistency-check.service.js';

/** The rollout name of the sample: a batch is in it by its bucket, as a flag's units are. */
const CHECK_SAMPLE = 'LEGACY_MIRROR_CHECK_PERCENT';

/**
 * Checks a sample of batches (LEGACY_MIRROR_CHECK_PERCENT, sticky per batch id) once they
 * complete and the mirror has written their completion.
 */
@Injectable()
export class ConsistencyCheckReaction {
  constructor(
    private readonly checks: ConsistencyCheckService,
    private readonly runner: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  readonly definition = defineReaction<BatchEvent>()({
    name: 'legacy-mirror-check',
    eventTypes: [BATCH_EVENTS.completed],
    handle: async (event) => {
      const batchId = event.data.batch_id;
      if (event.data.reason === 'legacy_import') return;
      if (!inRollout(CHECK_SAMPLE, batchId, this.config.legacyMirror.legacyMirrorCheckPercent)) {
        return;
      }
      await this.runner.waitFor(
        LEGACY_MIRROR_PROJECTION,
        event.position,
        this.config.timeouts.readYourWritesMs,
      );
      await this.checks.check(batchId, `legacy-mirror-check:${event.eventId}`);
    },
  });
}
