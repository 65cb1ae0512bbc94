import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server speaking the subset of the BigQuery REST v2 API that
 * @google-cloud/bigquery uses for the analytics sink: datasets get/insert, tables
 * get/insert/patch, jobs insert (query; load through the multipart upload endpoint), jobs get,
 * queries getQueryResults. It keeps tables (metadata and loaded rows) in memory, answers query
 * jobs with programmed rows and statistics, or from the rows planted in a table the SQL names
 * (filtered by its partition filter, billed and capped as BigQuery does), can fail loads and
 * queries on demand, and records every request for assertions.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The JSON body; for a multipart upload, the job resource (first part). */
  body: unknown;
  /** For a multipart upload: the data part (newline-delimited JSON). */
  uploadData?: string;
}

export interface FakeTable {
  metadata: Record<string, unknown>;
  rows: Array<Record<string, unknown>>;
}

export interface ProgrammedQuery {
  fields: Array<{ name: string; type: string }>;
  rows: Array<Record<string, string | number | null>>;
  totalBytesProcessed: number;
  totalBytesBilled: number;
  cacheHit: boolean;
  durationMs: number;
}

/**
 * A table another system loads (e.g. the schedule), answered from its rows: the query must filter
 * `partitionColumn` with `BETWEEN @a AND @b` (requirePartitionFilter), and is billed
 * `bytesPerRow` per row of the filtered partitions, at least 10 MiB, rounded up to the MiB.
 */
export interface PlantedTable {
  partitionColumn: string;
  fields: Array<{ name: string; type: string }>;
  rows: Array<Record<string, string | number | null>>;
  bytesPerRow: number;
}

/**
 * How a programmed load failure looks: `job` = the job is created and fails (backendError);
 * `http` = the insert answers 503 and no job exists; `lost-response` = the job runs and loads
 * the rows, but the insert answers 503.
 */
export type LoadFailureMode = 'job' | 'http' | 'lost-response';

type Json = Record<string, unknown>;

/** The parts of a query job's `configuration.query` the planted tables read. */
interface QueryConfiguration {
  query: string;
  maximumBytesBilled?: string;
  queryParameters?: Array<{ name: string; parameterValue: { value: string } }>;
}

const CREATION_TIME_MS = 1_767_225_600_000;
const MIB = 1_048_576;
const MIN_BILLED_BYTES = 10 * MIB;

export class FakeBigQueryServer {
  readonly requests: RecordedRequest[] = [];
  readonly datasets = new Map<string, Json>();
  readonly tables = new Map<string, FakeTable>();
  readonly jobs = new Map<string, Json>();
  nextQuery: ProgrammedQuery = {
    fields: [],
    rows: [],
    totalBytesProcessed: 0,
    totalBytesBilled: 0,
    cacheHit: false,
    durationMs: 0,
  };
  /** Planted tables by `project.dataset.table`. */
  readonly planted = new Map<string, PlantedTable>();
  private readonly jobAnswers = new Map<string, ProgrammedQuery>();
  private loadFailures: LoadFailureMode[] = [];
  private queryFailure: { reason: string; message: string } | null = null;
  private server: Server | null = null;

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('FakeBigQueryServer: call start() before reading url');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) =>
        this.send(res, 500, { error: { code: 500, message: String(error) } }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  failNextLoads(count: number, mode: LoadFailureMode): void {
    for (let i = 0; i < count; i += 1) this.loadFailures.push(mode);
  }

  failQueriesWith(reason: string, message: string): void {
    this.queryFailure = { reason, message };
  }

  stopFailingQueries(): void {
    this.queryFailure = null;
  }

  /** Answers queries naming `` `project.dataset.table` `` from `table`'s rows (see PlantedTable). */
  plantTable(project: string, dataset: string, table: string, planted: PlantedTable): void {
    this.planted.set(`${project}.${dataset}.${table}`, planted);
  }

  /** Puts a table as if someone had created it (e.g. with another layout). */
  putTable(project: string, dataset: string, table: string, metadata: Json): void {
    this.datasets.set(`${project}/${dataset}`, {
      datasetReference: { projectId: project, datasetId: dataset },
    });
    this.tables.set(`${project}/${dataset}/${table}`, {
      metadata: {
        ...metadata,
        tableReference: { projectId: project, datasetId: dataset, tableId: table },
      },
      rows: [],
    });
  }

  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const raw = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: null,
    };
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/related')) {
      const [metadata, data] = parseMultipart(raw, contentType);
      recorded.body = JSON.parse(metadata ?? 'null');
      recorded.uploadData = data ?? '';
    } else if (raw.length > 0) {
      recorded.body = JSON.parse(raw);
    }
    this.requests.push(recorded);
    this.route(recorded, res);
  }

  private route(r: RecordedRequest, res: ServerResponse): void {
    const p = r.path.split('/').filter(Boolean);
    const api = p[0] === 'upload' ? p.slice(1) : p;
    // api: bigquery v2 projects {p} ...
    if (api[0] !== 'bigquery' || api[1] !== 'v2' || api[2] !== 'projects')
      return this.notFound(res, `unknown path ${r.path}`);
    const project = api[3]!;
    const rest = api.slice(4);
    const body = (r.body ?? {}) as Json;
    if (rest[0] === 'datasets') {
      if (rest.length === 1 && r.method === 'POST') {
        const ref = body.datasetReference as { datasetId: string };
        const key = `${project}/${ref.datasetId}`;
        if (this.datasets.has(key)) return this.conflict(res, `dataset ${key} exists`);
        this.datasets.set(key, body);
        return this.send(res, 200, body);
      }
      const datasetKey = `${project}/${rest[1]}`;
      if (rest.length === 2 && r.method === 'GET') {
        const dataset = this.datasets.get(datasetKey);
        return dataset ? this.send(res, 200, dataset) : this.notFound(res, `dataset ${datasetKey}`);
      }
      if (rest[2] === 'tables') return this.routeTables(r, res, datasetKey, rest.slice(3), body);
    }
    if (rest[0] === 'jobs') {
      if (rest.length === 1 && r.method === 'POST') return this.insertJob(r, res, body);
      if (rest.length === 2 && r.method === 'GET') {
        const job = this.jobs.get(rest[1]!);
        return job ? this.send(res, 200, job) : this.notFound(res, `job ${rest[1]}`);
      }
    }
    if (rest[0] === 'queries' && rest.length === 2 && r.method === 'GET')
      return this.queryResults(res, rest[1]!);
    return this.notFound(res, `unsupported ${r.method} ${r.path}`);
  }

  private routeTables(
    r: RecordedRequest,
    res: ServerResponse,
    datasetKey: string,
    rest: string[],
    body: Json,
  ): void {
    if (!this.datasets.has(datasetKey)) return this.notFound(res, `dataset ${datasetKey}`);
    if (rest.length === 0 && r.method === 'POST') {
      const ref = body.tableReference as { tableId: string };
      const key = `${datasetKey}/${ref.tableId}`;
      if (this.tables.has(key)) return this.conflict(res, `table ${key} exists`);
      this.tables.set(key, { metadata: body, rows: [] });
      return this.send(res, 200, body);
    }
    const key = `${datasetKey}/${rest[0]}`;
    const table = this.tables.get(key);
    if (!table) return this.notFound(res, `table ${key}`);
    if (r.method === 'GET') return this.send(res, 200, table.metadata);
    if (r.method === 'PATCH' || r.method === 'PUT') {
      table.metadata = { ...table.metadata, ...body };
      return this.send(res, 200, table.metadata);
    }
    return this.notFound(res, `unsupported ${r.method} on table ${key}`);
  }

  private insertJob(r: RecordedRequest, res: ServerResponse, body: Json): void {
    const reference = body.jobReference as { jobId: string; projectId: string; location?: string };
    if (this.jobs.has(reference.jobId))
      return this.conflict(res, `Already Exists: Job ${reference.projectId}:${reference.jobId}`);
    const configuration = body.configuration as Json;
    if (configuration.load) return this.insertLoadJob(r, res, body, reference);
    const dryRun = configuration.dryRun === true;
    const fromPlanted = this.answerFromPlanted(configuration.query as QueryConfiguration);
    const answer = 'error' in fromPlanted ? this.nextQuery : (fromPlanted.answer ?? this.nextQuery);
    const job: Json = {
      ...body,
      id: `${reference.projectId}:${reference.jobId}`,
      status: { state: 'DONE' },
      statistics: this.queryStatistics(answer, dryRun),
    };
    const failure = this.queryFailure ?? ('error' in fromPlanted ? fromPlanted.error : null);
    if (failure && !dryRun) {
      const error = { reason: failure.reason, message: failure.message };
      job.status = { state: 'DONE', errorResult: error, errors: [error] };
    }
    this.jobs.set(reference.jobId, job);
    this.jobAnswers.set(reference.jobId, answer);
    return this.send(res, 200, job);
  }

  /**
   * The answer of a query naming a planted table: its rows inside the partition filter, billed
   * like BigQuery; an error without the filter or over maximumBytesBilled. `answer: null` when
   * the SQL names no planted table.
   */
  private answerFromPlanted(
    query: QueryConfiguration,
  ): { answer: ProgrammedQuery | null } | { error: { reason: string; message: string } } {
    const entry = [...this.planted].find(([name]) => query.query.includes(`\`${name}\``));
    if (!entry) return { answer: null };
    const [name, table] = entry;
    const filter = new RegExp(`\\b${table.partitionColumn} BETWEEN @(\\w+) AND @(\\w+)`).exec(
      query.query,
    );
    const value = (param: string | undefined) =>
      query.queryParameters?.find((p) => p.name === param)?.parameterValue.value;
    const [from, to] = [value(filter?.[1]), value(filter?.[2])];
    if (from === undefined || to === undefined)
      return {
        error: {
          reason: 'invalidQuery',
          message: `Cannot query over table '${name}' without a filter over column(s) '${table.partitionColumn}' that can be used for partition elimination`,
        },
      };
    const rows = table.rows.filter((row) => {
      const day = String(row[table.partitionColumn]);
      return day >= from && day <= to;
    });
    const processed = rows.length * table.bytesPerRow;
    const billed = Math.max(MIN_BILLED_BYTES, Math.ceil(processed / MIB) * MIB);
    const cap = Number(query.maximumBytesBilled ?? Infinity);
    if (billed > cap)
      return {
        error: {
          reason: 'bytesBilledLimitExceeded',
          message: `Query exceeded limit for bytes billed: ${cap}. ${billed} or higher required.`,
        },
      };
    return {
      answer: {
        fields: table.fields,
        rows,
        totalBytesProcessed: processed,
        totalBytesBilled: billed,
        cacheHit: false,
        durationMs: 25,
      },
    };
  }

  private queryStatistics(q: ProgrammedQuery, dryRun: boolean): Json {
    return {
      creationTime: String(CREATION_TIME_MS),
      startTime: String(CREATION_TIME_MS),
      ...(dryRun ? {} : { endTime: String(CREATION_TIME_MS + q.durationMs) }),
      totalBytesProcessed: String(q.totalBytesProcessed),
      query: {
        totalBytesProcessed: String(q.totalBytesProcessed),
        ...(dryRun ? {} : { totalBytesBilled: String(q.totalBytesBilled), cacheHit: q.cacheHit }),
      },
    };
  }

  private insertLoadJob(
    r: RecordedRequest,
    res: ServerResponse,
    body: Json,
    reference: { jobId: string; projectId: string },
  ): void {
    const failure = this.loadFailures.shift();
    if (failure === 'http')
      return this.send(res, 503, {
        error: { code: 503, message: 'Backend error', errors: [{ reason: 'backendError' }] },
      });
    const load = (body.configuration as Json).load as {
      destinationTable: { projectId: string; datasetId: string; tableId: string };
    };
    const destination = load.destinationTable;
    const table = this.tables.get(
      `${destination.projectId}/${destination.datasetId}/${destination.tableId}`,
    );
    const lines = (r.uploadData ?? '').split('\n').filter((line) => line.trim() !== '');
    const job: Json = { ...body, id: `${reference.projectId}:${reference.jobId}` };
    if (failure === 'job' || !table) {
      const error = table
        ? { reason: 'backendError', message: 'Backend error. Job aborted.' }
        : { reason: 'notFound', message: `Not found: Table ${destination.tableId}` };
      job.status = { state: 'DONE', errorResult: error, errors: [error] };
    } else {
      table.rows.push(...lines.map((line) => JSON.parse(line) as Record<string, unknown>));
      job.status = { state: 'DONE' };
      job.statistics = {
        creationTime: String(CREATION_TIME_MS),
        startTime: String(CREATION_TIME_MS),
        endTime: String(CREATION_TIME_MS + 1200),
        load: {
          inputFiles: '1',
          inputFileBytes: String(Buffer.byteLength(r.uploadData ?? '')),
          outputRows: String(lines.length),
          outputBytes: String(lines.length * 100),
        },
      };
    }
    this.jobs.set(reference.jobId, job);
    if (failure === 'lost-response')
      return this.send(res, 503, { error: { code: 503, message: 'Backend error' } });
    return this.send(res, 200, job);
  }

  private queryResults(res: ServerResponse, jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return this.notFound(res, `job ${jobId}`);
    const q = this.jobAnswers.get(jobId) ?? this.nextQuery;
    return this.send(res, 200, {
      kind: 'bigquery#getQueryResultsResponse',
      jobReference: job.jobReference,
      jobComplete: true,
      schema: { fields: q.fields.map((field) => ({ ...field, mode: 'NULLABLE' })) },
      rows: q.rows.map((row) => ({
        f: q.fields.map((field) => ({
          v: row[field.name] == null ? null : String(row[field.name]),
        })),
      })),
      totalRows: String(q.rows.length),
      totalBytesProcessed: String(q.totalBytesProcessed),
      cacheHit: q.cacheHit,
    });
  }

  private notFound(res: ServerResponse, what: string): void {
    this.send(res, 404, {
      error: { code: 404, message: `Not found: ${what}`, errors: [{ reason: 'notFound' }] },
    });
  }

  private conflict(res: ServerResponse, message: string): void {
    this.send(res, 409, { error: { code: 409, message, errors: [{ reason: 'duplicate' }] } });
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The contents of each part of a multipart/related body, in order. */
function parseMultipart(raw: string, contentType: string): string[] {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error(`multipart body without boundary: ${contentType}`);
  return raw
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith('--'))
    .map((part) => {
      const start = part.indexOf('\r\n\r\n');
      const content = start >= 0 ? part.slice(start + 4) : part;
      return content.endsWith('\r\n') ? content.slice(0, -2) : content;
    });
}
