// The contract between the engine and its users (IPC, WebSocket, renderer); grows with the workbench.
export const CONTRACT_VERSION = 1;
