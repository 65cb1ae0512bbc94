/**
 * The validated workflow configuration (config/workflows.yaml, production shape), as the rest of
 * the workflows module sees it. Loading and validation live in decisions/ (the loader); the
 * executor in execution/ only reads these types.
 */
export type WorkflowPriority = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export type DecisionType = 'fixed_time' | 'self_aware' | 'game_aware' | 'discovery';
export type StepType = 'single' | 'parallel' | 'sequential';

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
  /** Steps that must finish first (their outputs are passed on to this step's calls). */
  dependsOn: readonly string[];
}

export type WorkflowSchedule =
  | { kind: 'fixed_time'; fixedTime: string; toleranceMinutes: number }
  | { kind: 'self_aware'; idealWindow: { startHour: number; endHour: number } }
  | { kind: 'game_aware'; hoursBeforeFirstGame: number; frequencyHours: number }
  | { kind: 'discovery'; maxAttemptsPerDay: number; minIntervalHours: number };

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
}

export interface WorkflowsDefinition {
  /** The file it came from, for messages. */
  source: string;
  timezone: string;
  controllerIntervalMinutes: number;
  scrapers: ReadonlyMap<string, ScraperDefinition>;
  workflows: readonly WorkflowDefinition[];
}
