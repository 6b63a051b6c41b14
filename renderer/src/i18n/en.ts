// English message catalog. Keys are shared with ar.ts (the type checks they match).
export const en = {
  app: { title: 'Enrollment kiosk', demo: 'Demo mode', skipToContent: 'Skip to content' },
  nav: { home: 'Home', settings: 'Settings', signIn: 'Sign in', signOut: 'Sign out' },
  status: {
    kiosk: 'Kiosk {{id}}',
    operator: 'Operator: {{name}}',
    noOperator: 'Nobody signed in',
    online: 'Online',
    offline: 'Offline',
    devices: 'Devices: {{ready}} of {{total}} ready',
    connecting: 'Connecting to the kiosk core…',
    disconnected: 'Connection to the kiosk core lost — reconnecting…',
  },
  signIn: {
    title: 'Sign in',
    operatorId: 'Operator ID',
    pin: 'PIN',
    submit: 'Sign in',
    digitsHint: 'Arabic-Indic or Latin digits are both accepted',
    required: 'This field is required',
    pinDigits: 'The PIN is 4 to 8 digits',
    notAvailable: 'Sign-in needs the enrollment store, which is not open on this kiosk yet',
  },
  home: {
    title: 'Home',
    today: 'Enrolled today',
    pendingApproval: 'Pending approval',
    awaitingUpload: 'Awaiting upload',
    total: 'Total on this kiosk',
    countsUnavailable: 'Store not open',
    devicesTitle: 'Devices',
    syncTitle: 'Sync',
    lastSync: 'Last successful sync: {{when}}',
    neverSynced: 'Never synced',
    backlog: '{{n}} packets waiting',
  },
  deviceState: { ready: 'Ready', busy: 'Busy', disconnected: 'Disconnected', not_configured: 'Not configured', error: 'Error' },
  syncState: { idle: 'Up to date', syncing: 'Syncing', paused: 'Paused', offline: 'Offline', not_registered: 'Kiosk not registered', error: 'Sync error' },
  settings: {
    title: 'Settings',
    language: 'Language',
    arabic: 'العربية',
    english: 'English',
    camera: 'Camera',
    cameraDefault: 'Default camera',
    saved: 'Saved',
    version: 'Version {{version}}',
  },
  errors: {
    generic: 'Something went wrong ({{code}})',
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;
