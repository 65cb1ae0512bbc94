/** Command-line options shared by the suites: `--name value` pairs and bare `--flags`. */
export class BenchOptions {
  constructor(private readonly args: readonly string[]) {}

  value(name: string, fallback: string): string {
    const index = this.args.indexOf(`--${name}`);
    return index >= 0 && this.args[index + 1] ? this.args[index + 1]! : fallback;
  }

  has(flag: string): boolean {
    return this.args.includes(`--${flag}`);
  }

  get quick(): boolean {
    return this.has('quick');
  }

  /** `FULL` or `NORMAL`; exits 2 on anything else. */
  get synchronous(): 'FULL' | 'NORMAL' {
    const synchronous = this.value('synchronous', 'FULL').toUpperCase();
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      console.error(`--synchronous must be FULL or NORMAL, got ${synchronous}`);
      process.exit(2);
    }
    return synchronous;
  }
}
