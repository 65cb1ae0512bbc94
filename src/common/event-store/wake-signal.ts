/** Lets a sleeping loop be woken early: `wait(ms)` resolves on `notify()` or after ms, whichever first. */
export class WakeSignal {
  private waiter: (() => void) | null = null;
  private pending = false;

  notify(): void {
    if (this.waiter) {
      const wake = this.waiter;
      this.waiter = null;
      wake();
    } else {
      this.pending = true;
    }
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve();
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
