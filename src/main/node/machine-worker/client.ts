// MachineWorkerClient: drives a machine in a worker thread with typed requests and events.
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../worker-url.ts';
import type { FromWorker, RequestOf, RequestResults, RequestType, StoppedEvent, WorkerEvent, WorkerStatus, InitRequest } from './protocol.ts';

/** A request the worker refused or failed, with the worker's error code. */
export class MachineWorkerError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'MachineWorkerError';
    this.code = code;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class MachineWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: WorkerEvent) => void>();
  private closed = false;

  constructor() {
    this.worker = new Worker(workerUrl(import.meta.url, './worker.ts', 'machine-worker'));
    this.worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'event') {
        for (const l of this.listeners) l(msg.event);
        return;
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new MachineWorkerError(msg.error.code, msg.error.message));
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new MachineWorkerError('worker-exit', `the machine worker exited with code ${code}`));
    });
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  /** Sends a request; resolves with its typed result. */
  request<T extends RequestType>(request: RequestOf<T>, transfer: ArrayBuffer[] = []): Promise<RequestResults[T]> {
    if (this.closed) return Promise.reject(new MachineWorkerError('closed', 'the machine worker was closed'));
    const id = this.nextId++;
    return new Promise<RequestResults[T]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request }, transfer);
    });
  }

  /** Listens to status, stopped and output events; returns a function that stops listening. */
  onEvent(listener: (e: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  init(init: InitRequest): Promise<WorkerStatus> {
    return this.request({ type: 'init', init });
  }

  /** Starts running; resolves when the run ends (event, limit or pause) with its stopped event. */
  async runUntilStopped(maxSteps?: number): Promise<StoppedEvent> {
    const stopped = new Promise<StoppedEvent>((resolve) => {
      const off = this.onEvent((e) => {
        if (e.kind === 'stopped') {
          off();
          resolve(e);
        }
      });
    });
    await this.request({ type: 'run', ...(maxSteps !== undefined ? { maxSteps } : {}) });
    return stopped;
  }

  pause(): Promise<WorkerStatus> {
    return this.request({ type: 'pause' });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new MachineWorkerError('closed', 'the machine worker was closed'));
    await this.worker.terminate();
  }
}
