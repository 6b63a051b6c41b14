// The wizard's one way to change an enrollment: send an action channel, render the WorkflowView it answers.
import type { RequestOf } from '../../../../main/contract/ipc';

/** Channels whose answer is the new WorkflowView. */
export type ViewChannel =
  | 'kiosk:workflow.goTo'
  | 'kiosk:workflow.consent'
  | 'kiosk:workflow.demographics'
  | 'kiosk:workflow.face'
  | 'kiosk:workflow.faceException'
  | 'kiosk:workflow.fingers'
  | 'kiosk:workflow.dedup'
  | 'kiosk:workflow.adjudicate'
  | 'kiosk:workflow.confirm'
  | 'kiosk:workflow.approve'
  | 'kiosk:workflow.reject';

/** Sends the action; resolves true when it succeeded (the wizard then shows the new view), false after showing why not. */
export type Act = <C extends ViewChannel>(channel: C, request: RequestOf<C>, measure?: string, options?: ActOptions) => Promise<boolean>;

/** quiet: a background save — no busy state, failures not announced (the next explicit action reports them). */
export interface ActOptions {
  quiet?: boolean;
}
