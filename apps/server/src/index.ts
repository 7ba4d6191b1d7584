export { buildApp, type AppOptions } from './app.ts';
export { startServer, type StartOptions } from './server.ts';
export { SnapshotStore } from './store/snapshotStore.ts';
export { SnapshotService } from './services/snapshotService.ts';
export { isLoopback } from './security/accessControl.ts';
export { buildAgentApp, type AgentApp, type AgentOptions } from './agent/agentApp.ts';
export { SECURITY_HEADERS } from './security/securityHeaders.ts';
