export { postgresUnavailable, startPostgres, type TestPostgres } from './startPostgres.ts';
export { startHoplens, type HoplensProcess } from './startHoplens.ts';
export { FakeClock, settle } from './fakeClock.ts';
export { importThenKill, type ImportThenKill } from './importThenKill.ts';
