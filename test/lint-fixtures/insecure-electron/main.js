// A deliberately insecure Electron main file: electronegativity must report it.
const { BrowserWindow } = require('electron');
const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
win.loadURL('http://example.com/');
