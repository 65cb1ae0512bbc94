import type { JobStatistics } from '../analytics-sink.port.js';

/** The parts of a REST `Job` resource read for statistics (int64 values arrive as strings). */
export interface JobResource {
  jobReference?: { jobId?: string };
  statistics?: {
    creationTime?: string;
    startTime?: string;
    endTime?: string;
    totalBytesProcessed?: string;
    query?: { totalBytesProcessed?: string; totalBytesBilled?: string; cacheHit?: boolean };
    load?: { outputRows?: string; outputBytes?: string; inputFileBytes?: string };
  };
}

const toNumber = (value: string | undefined): number => {
  const parsed = Number(value ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
};

/** The JobStatistics of a query or load job as BigQuery reports them (estimated: false). */
export function mapJobStatistics(job: JobResource): JobStatistics {
  const statistics = job.statistics ?? {};
  const created = toNumber(statistics.creationTime);
  const ended = toNumber(statistics.endTime);
  return {
    jobId: job.jobReference?.jobId ?? null,
    totalBytesProcessed: toNumber(
      statistics.query?.totalBytesProcessed ?? statistics.totalBytesProcessed,
    ),
    totalBytesBilled: toNumber(statistics.query?.totalBytesBilled),
    cacheHit: statistics.query?.cacheHit ?? false,
    durationMs: created > 0 && ended >= created ? ended - created : 0,
    estimated: false,
  };
}
