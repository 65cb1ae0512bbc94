import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A workflows YAML (production shape) for execution tests: scrapers a, b, c, slow; workflow
 * `wf_parallel` (a, b, c in parallel, 2 workers), `wf_slow` (slow then a, sequential) and
 * `wf_disabled`. Returns the file path (pass it as WORKFLOWS_CONFIG_PATH).
 */
export function writeExecutionWorkflowsYaml(dir: string): string {
  const path = join(dir, 'workflows-execution.yaml');
  writeFileSync(
    path,
    `settings:
  timezone: America/New_York
  controller_interval_minutes: 60
scrapers:
  a: { critical: true }
  b: { critical: false }
  c: { critical: false }
  slow: { critical: true }
workflows:
  wf_parallel:
    enabled: true
    priority: HIGH
    decision_type: fixed_time
    schedule: { fixed_time: "10:00", tolerance_minutes: 30 }
    execution_plan: { type: parallel, scrapers: [a, b, c] }
    execution_mode: parallel
    max_workers: 2
  wf_slow:
    enabled: true
    priority: MEDIUM
    decision_type: discovery
    schedule: { max_attempts_per_day: 12, retry_interval_hours: 2 }
    execution_plan: { type: sequential, scrapers: [slow, a] }
    execution_mode: sequential
  wf_disabled:
    enabled: false
    priority: LOW
    decision_type: discovery
    schedule: { max_attempts_per_day: 12, retry_interval_hours: 2 }
    execution_plan: { type: single, scraper: a }
`,
  );
  return path;
}
