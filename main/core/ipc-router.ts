// Validates every IPC call against the contract, runs its handler, and answers in the {ok, value | error} envelope.
import type { Logger } from 'pino';
import { KioskError, toKioskErrorShape } from '../contract/errors.js';
import { fail, ok, type Envelope } from '../contract/envelope.js';
import { channels, isChannelName, type ChannelName } from '../contract/ipc.js';
import type { CallContext, Handler, HandlerMap } from './handlers.js';

export class UnknownChannelError extends KioskError {
  override name = 'UnknownChannelError';
  constructor(channel: string) {
    super('UNKNOWN_CHANNEL', `Unknown channel: ${channel.slice(0, 80)}`, { details: { channel: channel.slice(0, 80) } });
  }
}

export class RequestInvalidError extends KioskError {
  override name = 'RequestInvalidError';
  constructor(channel: string, issues: { path: string; message: string }[]) {
    super('VALIDATION_FAILED', `Invalid request for ${channel}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, {
      details: { channel, issues },
    });
  }
}

export class IpcRouter {
  private readonly handlers: HandlerMap = {};

  constructor(
    private readonly logger: Logger,
    /** Runs before validation and the handler (main/core/access-policy.ts); throws to refuse. */
    private readonly access?: (channel: ChannelName, ctx: CallContext) => void,
  ) {}

  register(map: HandlerMap): void {
    for (const [name, handler] of Object.entries(map)) {
      if (!isChannelName(name)) throw new Error(`Handler for unknown channel ${name}`);
      if (this.handlers[name]) throw new Error(`Duplicate handler for ${name}`);
      (this.handlers as Record<string, unknown>)[name] = handler;
    }
  }

  registeredChannels(): ChannelName[] {
    return Object.keys(this.handlers) as ChannelName[];
  }

  async dispatch(channel: string, payload: unknown, ctx: CallContext): Promise<Envelope<unknown>> {
    const started = performance.now();
    try {
      if (!isChannelName(channel)) throw new UnknownChannelError(channel);
      const handler = this.handlers[channel] as Handler<typeof channel> | undefined;
      if (!handler) throw new UnknownChannelError(channel);
      this.access?.(channel, ctx);
      const spec = channels[channel];
      const parsed = spec.request.safeParse(payload ?? {});
      if (!parsed.success) {
        throw new RequestInvalidError(
          channel,
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      const value = await (handler as (req: unknown, ctx: CallContext) => Promise<unknown>)(parsed.data, ctx);
      const checked = spec.response.safeParse(value);
      if (!checked.success) {
        this.logger.error({ channel, issues: checked.error.issues.map((i) => i.path.join('.')) }, 'handler returned a value outside the contract');
        throw new KioskError('INTERNAL', 'Internal error');
      }
      return ok(checked.data);
    } catch (error) {
      const shape = toKioskErrorShape(error);
      if (shape.code === 'INTERNAL') this.logger.error({ channel, err: error }, 'ipc handler failed');
      else this.logger.info({ channel, code: shape.code }, 'ipc call refused');
      return fail(shape);
    } finally {
      const ms = performance.now() - started;
      if (ms > 250) this.logger.warn({ channel, ms: Math.round(ms) }, 'slow ipc call');
    }
  }
}
