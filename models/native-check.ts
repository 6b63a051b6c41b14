// Confirms the inference and image native modules load (used by `kiosk doctor`).
export async function checkOnnxRuntime(): Promise<{ ok: boolean; detail: string }> {
  try {
    const ort = await import('onnxruntime-node');
    const backends = typeof ort.listSupportedBackends === 'function' ? ort.listSupportedBackends().filter((b) => b.bundled).map((b) => b.name).join(', ') : 'cpu';
    return { ok: true, detail: `onnxruntime-node loaded (backends: ${backends})` };
  } catch (error) {
    return { ok: false, detail: `onnxruntime-node failed to load: ${(error as Error).message} — reinstall with \`npm ci\`` };
  }
}

export async function checkSharp(): Promise<{ ok: boolean; detail: string }> {
  try {
    const sharp = (await import('sharp')).default;
    return { ok: true, detail: `sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips})` };
  } catch (error) {
    return { ok: false, detail: `sharp failed to load: ${(error as Error).message} — reinstall with \`npm ci\`` };
  }
}
