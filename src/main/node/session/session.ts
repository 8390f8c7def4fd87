// The Session: owns one image, its analysis and one machine, and implements the contract for every transport.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ElfError, parseElf, STT_FUNC, type ElfFile } from '../../core/elf/index.ts';
import {
  CONTRACT_VERSION, decodeBase64, functionIds, SpringboardError, type Availability, type CallGraph, type CommandHandlers, type ContractService, type GraphPositions,
  type EventListener, type EventName, type EventOf, type FunctionDetail, type FunctionSummary, type ImageSummary,
  type InstrumentationState, type LogEntry, type MachineStatus, type MetricSample, type ModuleSummary, type TraceBatch,
} from '../../../shared/index.ts';
import type { AnalysedImage, EngineParts, InstrumentPort, LoadedImage, MachinePort, RawMachineStatus } from './ports.ts';
import { MetricHistory } from './metric-history.ts';

export interface SessionOptions {
  readonly parts: EngineParts;
  /** The built minisol image, opened by `image.openDefault`; null when there is none. */
  readonly defaultImagePath: string | null;
  /** Lays out the whole call graph off the event loop (null: the renderer lays it out). */
  readonly layout?: ((graph: CallGraph) => Promise<GraphPositions>) | null;
  /** Host clock in ms (tests pass their own). */
  readonly now?: () => number;
}

const UNKNOWN_MODULE = '(unknown)';

export class Session implements ContractService {
  readonly handlers: CommandHandlers;
  private readonly parts: EngineParts;
  private readonly defaultImagePath: string | null;
  private readonly now: () => number;
  private readonly layout: ((graph: CallGraph) => Promise<GraphPositions>) | null;
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private image: LoadedImage | null = null;
  private analysed: Promise<AnalysedImage> | null = null;
  private laidOut: Promise<GraphPositions | undefined> | null = null;
  private machine: MachinePort | null = null;
  private machineUnsubscribe: (() => void)[] = [];
  private consoleText = '';
  private lastStatus: MachineStatus;
  private rateSample: { instructions: number; time: number } | null = null;
  /** The enabled metrics and their recent samples (for views opened later). */
  private readonly metrics = new MetricHistory();

  constructor(options: SessionOptions) {
    this.parts = options.parts;
    this.defaultImagePath = options.defaultImagePath;
    this.now = options.now ?? (() => Date.now());
    this.layout = options.layout ?? null;
    this.lastStatus = this.idleStatus();
    this.handlers = {
      'session.hello': () => ({
        contractVersion: CONTRACT_VERSION,
        capabilities: {
          machine: availability(this.parts.machine),
          analysis: availability(this.parts.analysis),
          disassembly: availability(this.parts.disassembly),
        },
        image: this.image ? summarise(this.image) : null,
        workloads: typeof this.parts.machine === 'string' ? [] : this.workloads(),
        defaultImage: this.defaultImagePath !== null && existsSync(this.defaultImagePath) ? basename(this.defaultImagePath) : null,
      }),
      'image.open': (r) => {
        const bytes = decodeBase64(r.base64);
        if (bytes === null) throw new SpringboardError('bad-request', 'image.open: "base64" is not base64 text');
        return this.openImage(r.name, bytes);
      },
      'image.openDefault': async () => {
        if (this.defaultImagePath === null) {
          throw new SpringboardError('not-available', 'this build has no minisol kernel image; build it with `npm run build:guest` or open an ELF file');
        }
        let bytes: Uint8Array;
        try {
          bytes = await readFile(this.defaultImagePath);
        } catch {
          throw new SpringboardError('not-available', `the minisol kernel image ${this.defaultImagePath} is missing; build it with \`npm run build:guest\` or open an ELF file`);
        }
        return this.openImage(basename(this.defaultImagePath), bytes);
      },
      'code.functions': () => this.requireImage().functions,
      'analysis.callGraph': async () => {
        const graph = (await this.requireAnalysis()).callGraph();
        const layout = await this.laidOut?.catch(() => undefined);
        return layout === undefined ? graph : { ...graph, layout };
      },
      'analysis.function': async (r) => this.functionDetail(r.id),
      'machine.status': () => this.lastStatus,
      'machine.boot': async (r) => {
        const image = this.requireImage();
        const factory = this.parts.machine;
        if (typeof factory === 'string') throw new SpringboardError('not-available', factory);
        const known = this.workloads().find((w) => w.name === r.workload.name);
        if (!known) throw new SpringboardError('bad-request', `no workload "${r.workload.name}"; choose one of ${this.workloads().map((w) => w.name).join(', ')}`);
        await this.stopMachine();
        const machine = factory();
        this.machine = machine;
        this.consoleText = '';
        this.rateSample = null;
        this.machineUnsubscribe = [
          machine.onStatus((s) => this.acceptStatus(s)),
          machine.onConsole((text) => {
            this.consoleText = (this.consoleText + text).slice(-256 * 1024);
            this.emit('machine.console', { text });
          }),
        ];
        try {
          await machine.boot(image, r);
        } catch (error) {
          throw asMachineError(error);
        }
        const ins = machine.instrument;
        if (typeof ins !== 'string') {
          this.machineUnsubscribe.push(ins.onSamples((samples, traces, state) => this.acceptSamples(samples, traces, state)));
        }
        this.emit('instrument.changed', await this.instrumentState());
        return this.acceptStatus(machine.status());
      },
      'machine.run': async () => {
        const m = this.requireMachine();
        await m.run().catch((e: unknown) => Promise.reject(asMachineError(e)));
        return this.acceptStatus(m.status());
      },
      'machine.pause': async () => {
        const m = this.requireMachine();
        await m.pause().catch((e: unknown) => Promise.reject(asMachineError(e)));
        return this.acceptStatus(m.status());
      },
      'machine.console': () => ({ text: this.consoleText }),
      'instrument.state': () => this.instrumentState(),
      'instrument.enable': async (r) => {
        const info = await this.requireInstrument().enable(r);
        this.metrics.add(info);
        this.log('info', 'instrument', `enabled ${info.key}: ${info.points} splice(s) in ${info.functions} function(s), installed in ${info.installMs} ms${info.skipped.length > 0 ? `; ${info.skipped.length} point(s) skipped` : ''}`);
        this.emit('instrument.changed', await this.instrumentState());
        return info;
      },
      'instrument.disable': async (r) => {
        const state = await this.requireInstrument().disable(r.id);
        this.metrics.remove(r.id);
        this.emit('instrument.changed', state);
        return state;
      },
      'instrument.log': async (r) => {
        const ins = this.instrumentPort();
        return typeof ins === 'string' ? { total: 0, from: 0, entries: [] } : ins.log(r.since);
      },
      'instrument.stream': (r) => {
        const stream = this.metrics.stream(r.id);
        if (stream === null) throw new SpringboardError('bad-request', `no enabled metric ${r.id}`);
        return stream;
      },
    };
  }

  on<E extends EventName>(event: E, listener: EventListener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => void set.delete(l);
  }

  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) {
      try {
        l(payload);
      } catch {
        // A failing listener (a closed socket) must not stop the others.
      }
    }
  }

  log(level: LogEntry['level'], source: string, message: string): void {
    this.emit('log', { level, source, message, time: this.now() });
  }

  /** Opens an image from its bytes (the Electron menu calls this with a file the user chose). */
  async openImage(name: string, bytes: Uint8Array): Promise<ImageSummary> {
    let elf: ElfFile;
    try {
      elf = parseElf(bytes);
    } catch (error) {
      if (error instanceof ElfError) throw new SpringboardError('bad-image', `${name} is not a usable ELF file: ${error.message}`);
      throw error;
    }
    if (elf.header.machine !== 2 && elf.header.machine !== 18) {
      throw new SpringboardError('bad-image', `${name} is not a SPARC ELF file (e_machine ${elf.header.machine}); open a SPARC V8 kernel image`);
    }
    await this.stopMachine();
    const image: LoadedImage = { name, bytes, elf, functions: functionsOf(elf) };
    this.image = image;
    this.analysed = null;
    this.laidOut = null;
    const analysis = this.parts.analysis;
    if (typeof analysis !== 'string') {
      this.emit('progress', { task: 'analysis', done: 0, total: 1, message: `analysing ${name}` });
      this.analysed = analysis.analyse(image, (fraction, phase) => {
        if (this.image === image && fraction < 1) this.emit('progress', { task: 'analysis', done: fraction, total: 1, message: `analysing ${name}: ${phase}` });
      });
      // The whole call graph is laid out right away, in a worker, so the view only has to draw it.
      const layout = this.layout;
      this.laidOut = layout === null ? null : this.analysed.then((a) => layout(a.callGraph())).catch((e: unknown) => {
        this.log('warn', 'layout', `the call graph layout failed (the view lays it out itself): ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      });
      this.analysed.then(
        () => this.emit('progress', { task: 'analysis', done: 1, total: 1, message: `analysed ${name}` }),
        (e: unknown) => this.log('error', 'analysis', `analysis of ${name} failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
    const summary = summarise(image);
    this.lastStatus = this.idleStatus();
    this.emit('image.changed', summary);
    this.emit('machine.status', this.lastStatus);
    this.log('info', 'session', `opened ${name}: ${summary.functionCount} functions in ${summary.modules.length} modules`);
    return summary;
  }

  /** The function containing `pc`, by binary search over the sorted functions. */
  functionAt(pc: number): FunctionSummary | null {
    const fns = this.image?.functions ?? [];
    let lo = 0;
    let hi = fns.length - 1;
    let best: FunctionSummary | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = fns[mid]!;
      if (f.address <= pc) {
        best = f;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best !== null && pc < best.address + Math.max(best.size, 4) ? best : null;
  }

  /**
   * Analyses and lays out the default image in the background before anyone opens it, so its
   * call graph is ready (and, with a cached layout, on disk) by the time the view asks. Never
   * fails: without a default image, analysis or layout it does nothing.
   */
  async prepareDefaultImage(): Promise<void> {
    const analysis = this.parts.analysis;
    const layout = this.layout;
    if (this.defaultImagePath === null || layout === null || typeof analysis === 'string') return;
    try {
      const bytes = await readFile(this.defaultImagePath);
      const elf = parseElf(bytes);
      const name = basename(this.defaultImagePath);
      const analysed = await analysis.analyse({ name, bytes, elf, functions: functionsOf(elf) });
      await layout(analysed.callGraph());
    } catch (error) {
      this.log('warn', 'layout', `preparing the default image's call graph failed (it is laid out when opened): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async dispose(): Promise<void> {
    await this.stopMachine();
    this.listeners.clear();
  }

  private workloads() {
    const factory = this.parts.machine;
    if (typeof factory === 'string') return [];
    return this.machine?.workloads ?? (this.workloadCache ??= probeWorkloads(factory));
  }
  private workloadCache: MachinePort['workloads'] | undefined;

  private async functionDetail(id: string): Promise<FunctionDetail> {
    const image = this.requireImage();
    const summary = image.functions.find((f) => f.id === id);
    if (!summary) throw new SpringboardError('no-such-function', `${image.name} has no function "${id}"`);
    const disassembly = typeof this.parts.disassembly === 'string' ? null : this.parts.disassembly.listing(image, summary);
    if (this.analysed === null) return { summary, cfg: null, disassembly, callers: [], callees: [] };
    const a = await this.analysed;
    return { summary, cfg: a.cfg(id), disassembly, callers: a.callers(id), callees: a.callees(id) };
  }

  private requireImage(): LoadedImage {
    if (this.image === null) throw new SpringboardError('no-image', 'no kernel image is open; open one first');
    return this.image;
  }

  private async requireAnalysis(): Promise<AnalysedImage> {
    this.requireImage();
    if (typeof this.parts.analysis === 'string') throw new SpringboardError('not-available', this.parts.analysis);
    if (this.analysed === null) throw new SpringboardError('internal', 'the analysis did not start');
    return this.analysed;
  }

  /** The machine's metrics, or why there are none (no machine in this build, not booted, not minisol). */
  private instrumentPort(): InstrumentPort | string {
    return typeof this.parts.machine === 'string' ? this.parts.machine : this.machine === null ? 'boot the kernel with a workload first' : this.machine.instrument;
  }

  private requireInstrument(): InstrumentPort {
    const ins = this.requireMachine().instrument;
    if (typeof ins === 'string') throw new SpringboardError('not-available', ins);
    return ins;
  }

  private async instrumentState(): Promise<InstrumentationState> {
    const ins = this.instrumentPort();
    if (typeof ins === 'string') return { available: { available: false, reason: ins }, intervalNs: 0, metrics: [], splices: 0, retiredPatches: 0 };
    return ins.state();
  }

  private acceptSamples(samples: readonly MetricSample[], traces: readonly TraceBatch[], state: InstrumentationState | null): void {
    this.metrics.append(samples);
    this.metrics.appendTraces(traces);
    if (samples.length > 0) this.emit('instrument.samples', samples);
    if (traces.length > 0) this.emit('instrument.trace', traces);
    if (state !== null) this.emit('instrument.changed', state);
  }

  private requireMachine(): MachinePort {
    if (typeof this.parts.machine === 'string') throw new SpringboardError('not-available', this.parts.machine);
    if (this.machine === null) throw new SpringboardError('machine-error', 'the machine has not been booted; boot it with a workload first');
    return this.machine;
  }

  private acceptStatus(raw: RawMachineStatus): MachineStatus {
    const time = this.now();
    let rate = this.lastStatus.instructionsPerSecond;
    if (this.rateSample !== null && time > this.rateSample.time) {
      rate = ((raw.instructions - this.rateSample.instructions) * 1000) / (time - this.rateSample.time);
    }
    if (this.rateSample === null || time - this.rateSample.time >= 250) this.rateSample = { instructions: raw.instructions, time };
    if (raw.state !== 'running') rate = 0;
    const panic = raw.panic && raw.panic.function === null ? { ...raw.panic, function: this.functionAt(raw.panic.pc)?.id ?? null } : raw.panic;
    const status: MachineStatus = {
      ...raw,
      panic,
      instructionsPerSecond: Math.max(0, Math.round(rate)),
      cpus: raw.cpus.map((c) => {
        const f = this.functionAt(c.pc);
        return { ...c, function: f?.id ?? null, module: f?.module ?? null };
      }),
    };
    this.lastStatus = status;
    this.emit('machine.status', status);
    return status;
  }

  private idleStatus(): MachineStatus {
    const m = this.parts.machine;
    return {
      state: typeof m === 'string' ? 'unavailable' : this.image === null ? 'no-image' : 'ready',
      reason: typeof m === 'string' ? m : this.image === null ? 'no kernel image is open' : null,
      cpus: [],
      instructions: 0,
      instructionsPerSecond: 0,
      virtualTimeNs: 0,
      workload: null,
      panic: null,
    };
  }

  private async stopMachine(): Promise<void> {
    const m = this.machine;
    if (m === null) return;
    this.machine = null;
    for (const u of this.machineUnsubscribe) u();
    this.machineUnsubscribe = [];
    this.metrics.clear();
    await m.dispose();
    this.emit('instrument.changed', await this.instrumentState());
  }
}

function availability(part: unknown): Availability {
  return typeof part === 'string' ? { available: false, reason: part } : { available: true };
}

function probeWorkloads(factory: () => MachinePort): MachinePort['workloads'] {
  const m = factory();
  const w = m.workloads;
  void m.dispose();
  return w;
}

function asMachineError(error: unknown): SpringboardError {
  if (error instanceof SpringboardError) return error;
  return new SpringboardError('machine-error', error instanceof Error ? error.message : String(error));
}

/**
 * The image's functions from its symbol table: id, name, module, address, size; sorted by address.
 * Static functions of one name in different files are all kept, told apart by their ids (functionIds).
 */
export function functionsOf(elf: ElfFile): FunctionSummary[] {
  const found: { name: string; module: string; address: number; size: number }[] = [];
  for (const s of elf.symbols) {
    if (s.type !== STT_FUNC || s.section === null || !s.section.isExecutable || s.name === '') continue;
    found.push({ name: s.name, module: s.module ?? UNKNOWN_MODULE, address: s.value, size: s.size });
  }
  found.sort((a, b) => a.address - b.address || a.name.localeCompare(b.name) || a.module.localeCompare(b.module));
  const ids = functionIds(found);
  return found.map((f, i) => ({ id: ids[i]!, ...f }));
}

export function summarise(image: LoadedImage): ImageSummary {
  const modules = new Map<string, { functionCount: number; bytes: number }>();
  for (const f of image.functions) {
    const m = modules.get(f.module) ?? { functionCount: 0, bytes: 0 };
    m.functionCount++;
    m.bytes += f.size;
    modules.set(f.module, m);
  }
  const list: ModuleSummary[] = [...modules].map(([name, m]) => ({ name, ...m })).sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: image.name,
    bytes: image.bytes.length,
    entry: image.elf.header.entry,
    type: image.elf.header.typeName,
    modules: list,
    functionCount: image.functions.length,
  };
}
