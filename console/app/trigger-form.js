// @ts-check
import { useState } from 'preact/hooks';
import { ApiError, post } from './api.js';
import { html } from './html.js';
import { Outcome } from './ui.js';

export const REASON_MAX_CHARS = 500;

/**
 * Trigger phase 3 by hand: a reason (required), a confirmation, then the call.
 * @param {{ gameDate: string, triggered: boolean, done: () => Promise<void> }} props
 */
export function TriggerForm({ gameDate, triggered, done }) {
  const [step, setStep] = useState(/** @type {'closed' | 'reason' | 'confirm'} */ ('closed'));
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState(
    /** @type {{ ok: boolean, text: string } | null} */ (null),
  );

  const trigger = async () => {
    setStep('closed');
    try {
      await post(`/v1/phases/${gameDate}/trigger`, { reason: reason.trim() });
      setOutcome({ ok: true, text: `Phase 3 of ${gameDate} triggered (manual).` });
      setReason('');
    } catch (error) {
      const already = error instanceof ApiError && error.status === 409;
      setOutcome({
        ok: false,
        text: already
          ? `Already triggered: ${error.message}`
          : String(error instanceof Error ? error.message : error),
      });
    }
    await done();
  };

  return html`<div>
    ${
      step === 'closed' && !triggered
        ? html`<button
            type="button"
            class="danger"
            onClick=${() => {
              setOutcome(null);
              setStep('reason');
            }}
          >
            Trigger phase 3
          </button>`
        : null
    }
    ${
      step === 'reason'
        ? html`<form
            class="stack"
            onSubmit=${(/** @type {Event} */ e) => {
              e.preventDefault();
              if (reason.trim()) setStep('confirm');
            }}
          >
            <label class="field" for="trigger-reason"
              >Reason for triggering phase 3 by hand (required, at most ${REASON_MAX_CHARS}
              characters)</label
            >
            <textarea
              id="trigger-reason"
              required
              maxlength=${REASON_MAX_CHARS}
              rows="3"
              value=${reason}
              onInput=${(/** @type {any} */ e) => setReason(e.currentTarget.value)}
            ></textarea>
            <div class="row">
              <button type="submit">Continue</button>
              <button type="button" class="quiet" onClick=${() => setStep('closed')}>Cancel</button>
            </div>
          </form>`
        : null
    }
    ${
      step === 'confirm'
        ? html`<div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
            <p id="confirm-text">
              Trigger phase 3 of <strong>${gameDate}</strong> now, with the reason
              “${reason.trim()}”? The missing processors will not be waited for.
            </p>
            <div class="row">
              <button type="button" class="danger" onClick=${trigger}>Confirm trigger</button>
              <button type="button" class="quiet" onClick=${() => setStep('reason')}>Back</button>
            </div>
          </div>`
        : null
    }
    <${Outcome} outcome=${outcome} label="Trigger outcome" />
  </div>`;
}
