// The machine in a worker thread: a typed client for the Node side (CLI, daemon, Electron main).
export { MachineWorkerClient, MachineWorkerError } from './client.ts';
export type * from './protocol.ts';
