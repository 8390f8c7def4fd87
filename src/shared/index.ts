// The contract between the engine and its users (IPC, WebSocket, renderer).
export * from './contract/index.ts';
