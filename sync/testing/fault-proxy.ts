// Fault-injecting TCP proxy for sync tests and benchmarks. Per connection it picks one fault (seeded PRNG):
//   pass                 forward both ways
//   delay                hold the connection 50–400 ms before forwarding
//   drop-request         cut both sides after a random number of request bytes (mid-chunk)
//   reset-after-commit   forward the whole request, then cut the client off when the server starts answering
//                        (the server has committed; the client never sees the response)
//   status-500/503       answer with a canned HTTP error without contacting the server
//   duplicate-response   deliver the server's response bytes twice
//   duplicate-request    after the exchange, replay the client's bytes to the server on a second connection
// Optional link emulation for every connection: one-way latency and a bandwidth cap per direction.
import net from 'node:net';

export const FAULTS = ['pass', 'delay', 'drop-request', 'reset-after-commit', 'status-500', 'status-503', 'duplicate-response', 'duplicate-request'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultProxyOptions {
  targetHost?: string;
  targetPort: number;
  /** Relative weights; faults not named get 0, and `pass` gets the rest up to 1 when the sum is < 1. */
  faults?: Partial<Record<Fault, number>>;
  seed?: number;
  /** One-way latency added to every delivered piece (ms). */
  latencyMs?: number;
  /** Bandwidth per direction (bytes/s); 0 = unlimited. */
  bandwidthBytesPerSec?: number;
  /** Upper bound of the random cut point for drop-request (bytes). */
  dropWithinBytes?: number;
  /** Man-in-the-middle: rewrite each whole response (buffered until the server closes) before delivery. */
  rewriteResponse?: (response: Buffer) => Buffer;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Delivers pieces in order after latency, serialised at the bandwidth. */
class Link {
  private busyUntil = 0;
  private lastAt = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  constructor(
    private readonly latencyMs: number,
    private readonly bw: number,
  ) {}

  send(fn: () => void, bytes: number): void {
    if (this.latencyMs <= 0 && this.bw <= 0) return fn();
    const now = performance.now();
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + (this.bw > 0 ? (bytes / this.bw) * 1000 : 0);
    const at = Math.max(this.lastAt, this.busyUntil + this.latencyMs);
    this.lastAt = at;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, at - now);
    this.timers.add(t);
  }

  cancel(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

const PIECE = 16 * 1024;

export class FaultProxy {
  readonly stats: Record<Fault, number> = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly links = new Set<Link>();
  private readonly random: () => number;
  private faults: Partial<Record<Fault, number>>;
  port = 0;

  private constructor(private readonly o: FaultProxyOptions) {
    this.random = mulberry32(o.seed ?? 1);
    this.faults = o.faults ?? {};
    this.server = net.createServer((client) => this.handle(client));
  }

  static async start(o: FaultProxyOptions): Promise<FaultProxy> {
    const p = new FaultProxy(o);
    await new Promise<void>((resolve, reject) => {
      p.server.once('error', reject);
      p.server.listen(0, '127.0.0.1', () => resolve());
    });
    p.port = (p.server.address() as net.AddressInfo).port;
    return p;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setFaults(faults: Partial<Record<Fault, number>>): void {
    this.faults = faults;
  }

  setTarget(port: number): void {
    this.o.targetPort = port;
  }

  private pick(): Fault {
    let r = this.random();
    for (const f of FAULTS) {
      if (f === 'pass') continue;
      const w = this.faults[f] ?? 0;
      if (r < w) return f;
      r -= w;
    }
    return 'pass';
  }

  private track(s: net.Socket): net.Socket {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
    return s;
  }

  private handle(client: net.Socket): void {
    this.track(client);
    const fault = this.pick();
    this.stats[fault]++;
    if (fault === 'status-500' || fault === 'status-503') {
      client.once('data', () => {
        const text = fault === 'status-500' ? '500 Internal Server Error' : '503 Service Unavailable';
        client.end(`HTTP/1.1 ${text}\r\ncontent-type: text/plain\r\ncontent-length: 5\r\nconnection: close\r\n\r\nfault`);
      });
      return;
    }
    const up = this.track(net.connect(this.o.targetPort, this.o.targetHost ?? '127.0.0.1'));
    const toServer = new Link(this.o.latencyMs ?? 0, this.o.bandwidthBytesPerSec ?? 0);
    const toClient = new Link(this.o.latencyMs ?? 0, this.o.bandwidthBytesPerSec ?? 0);
    this.links.add(toServer).add(toClient);
    const kill = () => {
      toServer.cancel();
      toClient.cancel();
      client.destroy();
      up.destroy();
    };
    client.on('close', () => {
      this.links.delete(toServer);
      up.destroy();
    });
    up.on('close', () => this.links.delete(toClient));
    up.on('error', () => client.destroy());

    const cutAt = fault === 'drop-request' ? 1 + Math.floor(this.random() * (this.o.dropWithinBytes ?? 64 * 1024)) : Infinity;
    const requestBytes: Buffer[] = [];
    let sent = 0;
    const start = () => {
      client.on('data', (d: Buffer) => {
        if (fault === 'duplicate-request') requestBytes.push(d);
        if (sent + d.length >= cutAt) {
          const part = d.subarray(0, cutAt - sent);
          sent = cutAt;
          toServer.send(() => up.write(part, () => kill()), part.length);
          return;
        }
        sent += d.length;
        for (let i = 0; i < d.length; i += PIECE) {
          const piece = d.subarray(i, i + PIECE);
          toServer.send(() => up.write(piece), piece.length);
        }
      });
      client.on('end', () => toServer.send(() => up.end(), 0));
      const response: Buffer[] = [];
      up.on('data', (d: Buffer) => {
        if (fault === 'reset-after-commit' || fault === 'drop-request') return kill();
        if (fault === 'duplicate-response' || this.o.rewriteResponse) response.push(d);
        if (this.o.rewriteResponse) return;
        for (let i = 0; i < d.length; i += PIECE) {
          const piece = d.subarray(i, i + PIECE);
          toClient.send(() => client.write(piece), piece.length);
        }
      });
      up.on('end', () => {
        if (this.o.rewriteResponse) {
          const all = this.o.rewriteResponse(Buffer.concat(response));
          toClient.send(() => client.write(all), all.length);
        }
        if (fault === 'duplicate-response') {
          const all = Buffer.concat(response);
          toClient.send(() => client.write(all), all.length);
        }
        if (fault === 'duplicate-request' && requestBytes.length) {
          const replay = this.track(net.connect(this.o.targetPort, this.o.targetHost ?? '127.0.0.1'));
          replay.on('data', () => undefined);
          replay.end(Buffer.concat(requestBytes));
        }
        toClient.send(() => client.end(), 0);
      });
    };
    if (fault === 'delay') {
      client.pause();
      const t = setTimeout(() => {
        client.resume();
        start();
      }, 50 + Math.floor(this.random() * 350));
      client.once('close', () => clearTimeout(t));
    } else start();
  }

  async close(): Promise<void> {
    for (const l of this.links) l.cancel();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
