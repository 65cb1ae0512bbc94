/**
 * The validated workflow configuration (config/workflows.yaml, production shape), as the rest of
 * the workflows module sees it. Loading and validation live in decisions/ (the loader); the
 * executor in execution/ only reads these types.
 */
export type WorkflowPriority = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export type DecisionType =
  | 'fixed_time'
  | 'self_aware'
  | 'game_aware'
  | 'game_aware_yesterday'
  | 'game_aware_early'
  | 'discovery';
export type StepType = 'single' | 'parallel' | 'sequential';
/** A workflow's `alerts.<condition>` level. */
export type AlertLevel = 'CRITICAL' | 'WARNING' | 'INFO';

export interface ScraperDefinition {
  name: string;
  critical: boolean;
  processorName: string | null;
  estimatedDurationSeconds: number | null;
  /** Scrapers whose output this one needs (run after them in a sequential plan). */
  dependsOn: readonly string[];
  /** A 0-row answer counts as success for this scraper. */
  treatNoDataAsSuccess: boolean;
}

export interface ExecutionStep {
  /** `step_1`...; a flat plan is one step named `main`. */
  name: string;
  type: StepType;
  scrapers: readonly string[];
  /**
   * As written: steps, or scrapers of other steps, that must finish first (validated; their
   * outputs are passed on to this step's calls).
   */
  dependsOn: readonly string[];
}

/** `HH:MM` ± minutes, not wrapping past midnight. */
export interface FixedTime {
  fixedTime: string;
  toleranceMinutes: number;
}

export type WorkflowSchedule =
  | ({ kind: 'fixed_time' } & FixedTime)
  | {
      kind: 'self_aware';
      idealWindow: { startHour: number; endHour: number };
      /** Skip once an execution of the day completed (default true). */
      runOnceDaily: boolean;
    }
  | {
      kind: 'game_aware';
      windowBeforeGameHours: number;
      /** Local hours, start inclusive, end exclusive (default 0-24). */
      businessHours: { start: number; end: number };
      frequencyHours: number;
    }
  | ({ kind: 'game_aware_yesterday' } & FixedTime)
  | ({
      kind: 'game_aware_early';
      /** Games starting before this local hour are early. */
      earlyGameCutoffHour: number;
      collectionDelayHours: number;
    } & FixedTime)
  | {
      kind: 'discovery';
      maxAttemptsPerDay: number;
      retryIntervalHours: number;
      requiresGameDay: boolean;
      /** Accepted and shown (production stops discovering after it); null when absent. */
      discoveryDurationWeeks: number | null;
    };

/** The alert conditions Shotclock raises, with the level each is raised at (null: not raised). */
export interface WorkflowAlertLevels {
  /** An execution finished `failed`. */
  failure: AlertLevel | null;
  /** An execution (manual or late) started outside the workflow's window. */
  timingDrift: AlertLevel | null;
  /** Discovery spent its attempts of the day (ABORT). */
  maxAttemptsReached: AlertLevel | null;
}

export interface WorkflowDefinition {
  name: string;
  enabled: boolean;
  priority: WorkflowPriority;
  decisionType: DecisionType;
  schedule: WorkflowSchedule;
  /** Steps in a valid topological order (validated: known scrapers, no cycles). */
  steps: readonly ExecutionStep[];
  /** From the YAML (`execution_mode`); defaults from the plan's type. */
  executionMode: 'parallel' | 'sequential';
  /** From the YAML (`max_workers`, >= 1); default 10. */
  maxWorkers: number;
  /** `completed` needs every critical scraper to succeed (else: at least one scraper). */
  requireAllCritical: boolean;
  alerts: WorkflowAlertLevels;
}

/** `settings.scraper_timeouts`, in seconds as written. */
export interface ScraperTimeouts {
  defaultSeconds: number | null;
  futureOverheadSeconds: number | null;
  overrides: ReadonlyMap<string, number>;
}

/** A key accepted but not understood (unknown), or a mismatch that does not stop the boot. */
export interface ConfigWarning {
  /** Dotted path from the file's root, e.g. `workflows.betting_lines.schedule.foo`. */
  path: string;
  message: string;
}

export interface WorkflowsDefinition {
  /** The file it came from, for messages. */
  source: string;
  /** Top-level `version`; null when absent. */
  version: string | null;
  /** Top-level `environment` (`production`, `dev`...); null when absent. */
  environment: string | null;
  timezone: string;
  controllerIntervalMinutes: number;
  /** `settings.schedule_refresh_interval_hours`; null when absent. */
  scheduleRefreshIntervalHours: number | null;
  /** `settings.scraper_timeouts`; null when absent (TimeoutConfig applies). */
  scraperTimeouts: ScraperTimeouts | null;
  scrapers: ReadonlyMap<string, ScraperDefinition>;
  workflows: readonly WorkflowDefinition[];
  warnings: readonly ConfigWarning[];
  /**
   * Keys accepted and shown as Shotclock understood them (GET /v1/workflows/config), by section:
   * `settings`, `scrapers.<name>`, `workflows.<name>`; snake_case, as in the file.
   */
  shown: ShownConfig;
}

export interface ShownConfig {
  settings: Readonly<Record<string, unknown>>;
  scrapers: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  workflows: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}
