// The shared layer: the contract between the engine and its users (IPC, WebSocket, renderer), and small helpers both sides use.
export * from './contract/index.ts';
export { keepLast } from './bounded.ts';
