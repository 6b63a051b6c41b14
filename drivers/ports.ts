// Serial port discovery with vendor/product ids (serialport's list()). On Linux, list() needs udevadm; when
// enumeration is unavailable we say so and fall back to the paths the configuration names.
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';

export interface SerialPortEntry {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  /** The USB-UART bridge, when the vendor/product id is a well-known one (sensor modules ship with these). */
  bridge?: string;
  /** From the configuration rather than enumeration. */
  configured?: boolean;
}

export interface PortListing {
  /** False when the OS enumeration failed (e.g. no udevadm in a container). */
  enumerated: boolean;
  reason?: string;
  ports: SerialPortEntry[];
}

const BRIDGES: Record<string, string> = {
  '10c4:ea60': 'Silicon Labs CP210x',
  '1a86:7523': 'WCH CH340',
  '1a86:55d4': 'WCH CH9102',
  '0403:6001': 'FTDI FT232R',
  '0403:6015': 'FTDI FT-X',
  '067b:2303': 'Prolific PL2303',
};

export async function listSerialPorts(options: { configuredPaths?: string[]; list?: () => Promise<{ path: string; manufacturer?: string; serialNumber?: string; vendorId?: string; productId?: string }[]> } = {}): Promise<PortListing> {
  const configured = [...new Set(options.configuredPaths ?? [])];
  const fromConfig = configured.filter((p) => existsSync(p)).map((path) => ({ path, configured: true }) satisfies SerialPortEntry);
  let listed;
  try {
    listed = await (options.list ?? (() => SerialPort.list()))();
  } catch (error) {
    const msg = error instanceof Error ? error.message : String(error);
    return {
      enumerated: false,
      reason: `serial port enumeration is unavailable here (${msg}); configure the device path explicitly (devices.fingerprint[].path)`,
      ports: fromConfig,
    };
  }
  const ports: SerialPortEntry[] = listed.map((p) => {
    const key = p.vendorId && p.productId ? `${p.vendorId.toLowerCase()}:${p.productId.toLowerCase()}` : '';
    const entry: SerialPortEntry = { path: p.path };
    if (p.manufacturer) entry.manufacturer = p.manufacturer;
    if (p.serialNumber) entry.serialNumber = p.serialNumber;
    if (p.vendorId) entry.vendorId = p.vendorId;
    if (p.productId) entry.productId = p.productId;
    if (BRIDGES[key]) entry.bridge = BRIDGES[key];
    return entry;
  });
  for (const c of fromConfig) if (!ports.some((p) => p.path === c.path)) ports.push(c);
  return { enumerated: true, ports };
}
