export { buildApp, type AppOptions } from './app.ts';
export { startServer, type StartOptions } from './server.ts';
export { SnapshotStore } from './store/snapshotStore.ts';
export { SnapshotService } from './services/snapshotService.ts';
