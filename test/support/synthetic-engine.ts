// Kernel-scale stand-ins at the Session's ports (test doubles), to exercise the views before the analysis and machine land.
//
// They are test doubles at the port boundary (src/main/node/session/ports.ts), never shipped: the
// call graph has the image's real functions plus generated ones in a dozen modules, so the whole-
// kernel view is drawn at the size minisol will have; the CFGs split the real disassembly.
import type { AnalysedImage, AnalysisPort, LoadedImage, MachinePort, RawMachineStatus } from '../../src/main/node/session/index.ts';
import type { BasicBlock, CallGraph, CallGraphEdge, CallGraphNode, CfgEdge, WorkloadInfo } from '../../src/shared/index.ts';
import { objdumpDisassembly } from '../../src/main/node/session/disassembly.ts';

/** A deterministic pseudo-random sequence (xorshift32). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const MODULES = ['genunix', 'ufs', 'specfs', 'ip', 'tcp', 'udp', 'sockfs', 'procfs', 'unix', 'kstat', 'devices', 'vm'];

export function syntheticAnalysis(functionCount: number, edgesPerFunction: number): AnalysisPort {
  return {
    async analyse(image: LoadedImage): Promise<AnalysedImage> {
      const next = random(42);
      const nodes: CallGraphNode[] = image.functions.map((f) => ({ id: f.id, name: f.name, module: f.module, address: f.address, size: f.size }));
      for (let i = nodes.length; i < functionCount; i++) {
        const module = MODULES[Math.floor(next() * MODULES.length)]!;
        nodes.push({ id: `${module}_fn${i}`, name: `${module}_fn${i}`, module, address: 0x40000000 + i * 64, size: 64 });
      }
      const edges = new Map<string, CallGraphEdge>();
      for (let i = 0; i < nodes.length; i++) {
        for (let k = 0; k < edgesPerFunction; k++) {
          // Mostly calls within the module, some across (as a kernel's layering would have).
          const j = next() < 0.7 ? nearSameModule(nodes, i, next) : Math.floor(next() * nodes.length);
          if (j === i) continue;
          const key = `${nodes[i]!.id}->${nodes[j]!.id}`;
          edges.set(key, { from: nodes[i]!.id, to: nodes[j]!.id, sites: 1 });
        }
      }
      const graph: CallGraph = { nodes, edges: [...edges.values()] };
      return {
        callGraph: () => graph,
        callers: (name) => graph.edges.filter((e) => e.to === name).map((e) => e.from),
        callees: (name) => graph.edges.filter((e) => e.from === name).map((e) => e.to),
        cfg: (name) => {
          const fn = image.functions.find((f) => f.name === name);
          if (!fn) return null;
          const lines = objdumpDisassembly.listing(image, fn);
          const blocks: BasicBlock[] = [];
          for (let i = 0; i < lines.length; i += 4) {
            const part = lines.slice(i, i + 4);
            blocks.push({
              id: `b${blocks.length}`, start: part[0]!.address, end: part[part.length - 1]!.address + 4, loopDepth: blocks.length === 1 ? 1 : 0,
              isEntry: i === 0, isExit: i + 4 >= lines.length,
              instructions: part.map((l) => ({ address: l.address, word: l.word, text: l.text, live: ['%o0', '%sp', '%fp', '%i7'], free: ['%l0', '%l1', '%g1'] })),
            });
          }
          const edgesOut: CfgEdge[] = [];
          for (let b = 0; b + 1 < blocks.length; b++) edgesOut.push({ from: blocks[b]!.id, to: blocks[b + 1]!.id, kind: b === 1 ? 'not-taken' : 'fallthrough' });
          if (blocks.length > 2) edgesOut.push({ from: 'b1', to: 'b1', kind: 'taken' });
          return { blocks, edges: edgesOut, loops: blocks.length > 2 ? [{ header: 'b1', blocks: ['b1'], depth: 1 }] : [] };
        },
      };
    },
  };
}

function nearSameModule(nodes: readonly CallGraphNode[], i: number, next: () => number): number {
  const module = nodes[i]!.module;
  for (let tries = 0; tries < 20; tries++) {
    const j = Math.floor(next() * nodes.length);
    if (nodes[j]!.module === module) return j;
  }
  return Math.floor(next() * nodes.length);
}

/** A machine that streams status at `hz` with pcs walking the image's functions. */
export function streamingMachine(hz: number): () => MachinePort {
  return () => {
    const statusListeners = new Set<(s: RawMachineStatus) => void>();
    const workloads: WorkloadInfo[] = [{ name: 'mixed', description: 'synthetic status stream (test double)', knobs: [{ name: 'clients', label: 'Clients', kind: 'integer', default: 4, min: 1, max: 64, description: 'clients' }] }];
    let functions: readonly { address: number }[] = [];
    let status: RawMachineStatus = { state: 'ready', reason: null, cpus: [], instructions: 0, virtualTimeNs: 0, workload: null, panic: null };
    let timer: NodeJS.Timeout | null = null;
    let tick = 0;
    const emit = () => {
      for (const l of statusListeners) l(status);
    };
    return {
      workloads,
      async boot(image, request) {
        functions = image.functions;
        status = { ...status, state: 'paused', workload: request.workload, cpus: Array.from({ length: request.cpus }, (_, id) => ({ id, pc: functions[id % functions.length]!.address, state: 'running' as const })) };
      },
      async run() {
        status = { ...status, state: 'running' };
        timer ??= setInterval(() => {
          tick++;
          status = {
            ...status,
            instructions: status.instructions + 2_000_000 / hz,
            virtualTimeNs: status.virtualTimeNs + 1e9 / hz,
            cpus: status.cpus.map((c) => ({ ...c, pc: functions[(tick + c.id) % functions.length]!.address })),
          };
          emit();
        }, 1000 / hz);
      },
      async pause() {
        if (timer) clearInterval(timer);
        timer = null;
        status = { ...status, state: 'paused' };
      },
      status: () => status,
      onStatus(l) {
        statusListeners.add(l);
        return () => void statusListeners.delete(l);
      },
      onConsole: () => () => undefined,
      instrument: 'the synthetic machine runs no kernel to splice into',
      async dispose() {
        if (timer) clearInterval(timer);
      },
    };
  };
}
