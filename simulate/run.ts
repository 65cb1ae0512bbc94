// `npm run simulate -- --date 2026-01-22 [--url http://host:port]`
// Drives a realistic day against Shotclock over HTTP and prints a summary. Without --url it starts
// the service itself (a child process on a fresh SQLite file) with compressed timings set through
// configuration only (TIMEOUT_* and flags), and a built-in scraper stub. With --url, start that
// service with the environment printed by `--print-env` first.
import { JsonClient } from '../bench/json-client.js';
import { startChild, type RunningChild } from '../bench/child-process.js';
import { SERVICE_ENTRY } from '../bench/service-under-bench.js';
import { ScraperStub } from '../test/support/scraper-stub.js';
import { makeTempDir } from '../test/support/temp-dir.js';
import type { SceneContext, SceneReport } from './scene.js';
import { phaseFanInScene } from './scenes/phase-fan-in.scene.js';
import { predictionBatchScene } from './scenes/prediction-batch.scene.js';
import { programScrapers, workflowsScene } from './scenes/workflows.scene.js';
import { alertsScene } from './scenes/alerts.scene.js';
import { formatSummary } from './summary.js';
import { PHASE2_DEADLINE_MINUTES, simulationEnv, STALL_MS } from './simulation-env.js';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const gameDate = argument('date') ?? new Date().toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(gameDate) || Number.isNaN(Date.parse(gameDate))) {
  console.error(`--date ${gameDate}: expected a date YYYY-MM-DD`);
  process.exit(2);
}

const dir = makeTempDir('shotclock-simulate-');
let service: RunningChild | undefined;
let stub: ScraperStub | undefined;
let exitCode = 1;
try {
  stub = await ScraperStub.start();
  programScrapers(stub);
  const env = simulationEnv(dir.path, gameDate, stub.url);
  if (process.argv.includes('--print-env')) {
    for (const [key, value] of Object.entries(env)) console.log(`${key}=${value}`);
    process.exit(0);
  }
  const url = argument('url');
  if (!url) {
    console.error('starting Shotclock with compressed timings ...');
    service = await startChild(SERVICE_ENTRY, env, '/health/ready');
  }
  const client = new JsonClient(url ?? service!.baseUrl);
  const context: SceneContext = {
    client,
    gameDate,
    progress: (line) => console.error(`- ${line}`),
  };
  const reports: SceneReport[] = [];
  const deadlineMs = PHASE2_DEADLINE_MINUTES * 60_000;
  reports.push(await phaseFanInScene(context, deadlineMs * 4));
  reports.push(await predictionBatchScene(context, STALL_MS * 4));
  reports.push(await workflowsScene(context, 30_000));
  reports.push(await alertsScene(context));
  client.close();
  console.log(formatSummary(gameDate, reports));
  exitCode = reports.every((report) => report.checks.every((c) => c.ok)) ? 0 : 1;
} catch (error) {
  console.error(`simulation failed: ${error instanceof Error ? error.stack : String(error)}`);
  if (service) console.error(`service output (tail):\n${service.output().slice(-4000)}`);
} finally {
  await service?.stop();
  await stub?.close();
  dir.cleanup();
}
process.exit(exitCode);
