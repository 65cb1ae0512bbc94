import type { Provider, Type } from '@nestjs/common';
import type { ProjectionDefinition } from '../../common/projections/projection-definition.js';

/** What one part of the workflows module brings to it (WorkflowsModule puts the parts together). */
export interface WorkflowsPart {
  controllers: Type<unknown>[];
  providers: Provider[];
  projections: ProjectionDefinition[];
}
