// Confirms the serial native module loads (used by `kiosk doctor`).
export async function checkSerialNative(): Promise<{ ok: boolean; detail: string }> {
  try {
    const mod = await import('serialport');
    const ports = await mod.SerialPort.list().catch((e: Error) => e);
    return ports instanceof Error
      ? { ok: true, detail: `serialport loaded; port enumeration unavailable (${ports.message}) — configure device paths explicitly` }
      : { ok: true, detail: `serialport loaded; ${ports.length} port(s) enumerated` };
  } catch (error) {
    return { ok: false, detail: `serialport failed to load: ${(error as Error).message} — run \`npm rebuild @serialport/bindings-cpp\`` };
  }
}
