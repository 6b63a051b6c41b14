// A TCP port free on loopback right now, for test servers that must be told their port up front (PostgreSQL,
// swtpm, moto). Another process may still take it before the server binds.
import net from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
