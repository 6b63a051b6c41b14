// A serial port as the drivers use it: open with typed errors, byte events, awaited writes, disconnect detection.
import { SerialPort } from 'serialport';
import { DeviceBusyError, DeviceDisconnectedError, DeviceNotFoundError } from '../errors.js';

let openCount = 0;
/** Number of SerialLinks currently open in this process (tests check that none leak). */
export function openSerialLinks(): number {
  return openCount;
}

export interface SerialLinkOptions {
  path: string;
  baudRate: number;
}

function mapOpenError(path: string, error: Error): Error {
  const msg = error.message;
  if (/lock|EBUSY|Resource temporarily unavailable/i.test(msg)) return new DeviceBusyError(`Serial port ${path} is in use by another program`, { cause: error, details: { path } });
  if (/ENOENT|No such file/i.test(msg)) return new DeviceNotFoundError(`Serial port ${path} does not exist`, { cause: error, details: { path } });
  return new DeviceDisconnectedError(`Serial port ${path} could not be opened`, { cause: error, details: { path } });
}

/** How often an open link checks that its device still exists (a hung-up tty may otherwise read EOF forever). */
const WATCHDOG_MS = 200;
const GONE = /Input\/output error|EIO|ENXIO|ENODEV|No such device|Bad file descriptor/i;

export class SerialLink {
  private released = false;
  private closeNotified = false;
  private readonly watchdog: NodeJS.Timeout;
  private readonly dataListeners = new Set<(chunk: Buffer) => void>();
  private readonly closeListeners = new Set<(error: Error | undefined) => void>();
  private constructor(
    private readonly port: SerialPort,
    readonly path: string,
  ) {
    port.on('data', (chunk: Buffer) => {
      for (const l of this.dataListeners) l(chunk);
    });
    // Errors also arrive through 'close' (with disconnected=true) when the device goes away.
    port.on('error', () => undefined);
    port.on('close', (error?: Error) => this.closed(error ? new DeviceDisconnectedError(`Serial port ${this.path} was disconnected`, { cause: error, details: { path: this.path } }) : undefined));
    this.watchdog = setInterval(() => this.probe(), WATCHDOG_MS);
  }

  private closed(error: Error | undefined): void {
    clearInterval(this.watchdog);
    if (!this.released) {
      this.released = true;
      openCount--;
    }
    if (this.closeNotified) return;
    this.closeNotified = true;
    for (const l of this.closeListeners) l(error);
  }

  /**
   * Asks the tty for its modem lines: a live port answers (or says the ioctl does not apply, as a pty does); an
   * unplugged one fails with EIO/ENXIO. serialport alone misses some hang-ups (reads then return EOF forever).
   */
  private probe(): void {
    if (this.released || !this.port.isOpen) return;
    this.port.get((error) => {
      if (!error || !GONE.test(error.message) || this.released) return;
      this.closed(new DeviceDisconnectedError(`Serial port ${this.path} was disconnected`, { cause: error, details: { path: this.path } }));
      if (this.port.isOpen) this.port.close(() => undefined);
    });
  }

  static open(options: SerialLinkOptions): Promise<SerialLink> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false, lock: true });
      port.open((error) => {
        if (error) {
          reject(mapOpenError(options.path, error));
          return;
        }
        openCount++;
        resolve(new SerialLink(port, options.path));
      });
    });
  }

  get isOpen(): boolean {
    return !this.released && this.port.isOpen;
  }

  get baudRate(): number {
    return this.port.baudRate;
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  /** Called once when the port closes; with an error when it was not closed by us (unplugged). */
  onClose(listener: (error: Error | undefined) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new DeviceDisconnectedError(`Serial port ${this.path} is closed`, { details: { path: this.path } }));
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(bytes), (error) => {
        if (error) reject(new DeviceDisconnectedError(`Write to ${this.path} failed`, { cause: error, details: { path: this.path } }));
      });
      this.port.drain((error) => (error ? reject(new DeviceDisconnectedError(`Write to ${this.path} failed`, { cause: error, details: { path: this.path } })) : resolve()));
    });
  }

  setBaudRate(baudRate: number): Promise<void> {
    return new Promise((resolve, reject) => this.port.update({ baudRate }, (error) => (error ? reject(new DeviceDisconnectedError(`Cannot set ${baudRate} baud on ${this.path}`, { cause: error })) : resolve())));
  }

  /** Discards bytes received but not read yet. */
  flush(): Promise<void> {
    if (!this.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.flush(() => resolve()));
  }

  close(): Promise<void> {
    if (this.released || !this.port.isOpen) {
      this.closed(undefined);
      return Promise.resolve();
    }
    this.closeNotified = true;
    return new Promise((resolve) => {
      this.port.close(() => {
        this.closed(undefined);
        resolve();
      });
    });
  }
}
