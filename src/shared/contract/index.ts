// The Springboard contract: commands and events written once, and the transports derived from them.
export * from './contract.ts';
export { functionIds, functionLabel, ambiguousNames, type FunctionKeyed } from './function-id.ts';
export type * from './types.ts';
export { COMPARISONS, METRIC_KINDS } from './types.ts';
export { SpringboardError, ERROR_CODES, isErrorCode, toWireError, fromWireError, type ErrorCode, type WireError } from './errors.ts';
export { dispatch, unwrap, directClient, type Envelope } from './envelope.ts';
export { encodeBase64, decodeBase64 } from './base64.ts';
export {
  createSocketClient, parseClientMessage, type ClientMessage, type ServerMessage, type SocketLike,
  type ConnectionState, type SocketClient, type SocketClientOptions, type Timers,
} from './socket.ts';
export {
  bindIpcMain, createIpcBridge, clientFromBridge, ipcCommandChannel, ipcEventChannel,
  type IpcInvokeEventLike, type IpcMainLike, type IpcRendererLike, type IpcTargetLike, type SpringboardBridge,
} from './ipc.ts';
