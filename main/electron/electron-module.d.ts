// Ambient types for the `electron` module: Electron is an optional dependency whose package (and types)
// is absent where its binary cannot be downloaded, so the shell declares the few members it uses.
// Structural types for those members live in electron-api.ts.
declare module 'electron' {
  export interface IpcRendererEvent {
    sender: unknown;
  }
  export const contextBridge: { exposeInMainWorld(key: string, api: Record<string, unknown>): void };
  export const ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: never[]) => void): void;
  };
  const electron: unknown;
  export default electron;
}
