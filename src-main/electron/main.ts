// Electron main process: see src-main/electron/README (filled in by the foundation work).
export {};
