// The analysis port over src/main/core/analysis: one ProgramAnalysis per image, mapped to the contract's types.
import {
  analysisFunctionIds, analyzeProgramAsync, contractCallGraph, contractFunctionDetail, elfCodeSource, kernelPolicy, type ProgramAnalysis,
} from '../../core/analysis/index.ts';
import { SpringboardError, type CallGraph, type FunctionDetail } from '../../../shared/index.ts';
import type { AnalysedImage, AnalysisPort, LoadedImage } from './ports.ts';

/**
 * Analyses with the kernel register policy: the workbench's images are kernels, and the kernel
 * policy is the conservative one (it reserves the trap handlers' scratch globals, so nothing a
 * splice calls "free" can be in use by an interrupt).
 */
export const programAnalysis: AnalysisPort = {
  async analyse(image: LoadedImage, onProgress?: (fraction: number, phase: string) => void): Promise<AnalysedImage> {
    let a: ProgramAnalysis;
    try {
      a = await analyzeProgramAsync(elfCodeSource(image.elf, image.name), {
        policy: kernelPolicy(),
        onProgress: (p) => onProgress?.(p.fraction, p.phase),
      });
    } catch (error) {
      throw new SpringboardError('not-available', `the analysis of ${image.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The Session's ids (from the symbol table) by address, so the graph and the details key on
    // the same ids as code.functions; functions the analysis found without a symbol keep its own.
    const symbolIds = new Map<number, string>();
    for (const f of image.functions) if (!symbolIds.has(f.address)) symbolIds.set(f.address, f.id);
    const own = analysisFunctionIds(a);
    const taken = new Set<string>();
    const ids = a.functions.map((f, i) => {
      let id = symbolIds.get(f.address) ?? own[i]!;
      if (taken.has(id)) id = `${f.name}@0x${(f.address >>> 0).toString(16)}`;
      taken.add(id);
      return id;
    });
    const indexOfAddress = new Map(a.functions.map((f, i) => [f.address, i]));
    const indexOfId = new Map(ids.map((id, i) => [id, i]));
    const resolve = (id: string): string => {
      const symbol = image.functions.find((f) => f.id === id);
      const i = symbol === undefined ? indexOfId.get(id) : indexOfAddress.get(symbol.address);
      return i === undefined ? id : ids[i]!;
    };
    let graph: CallGraph | null = null;
    const details = new Map<string, FunctionDetail | null>();
    const detail = (id: string): FunctionDetail | null => {
      if (!details.has(id)) details.set(id, contractFunctionDetail(a, resolve(id), ids));
      return details.get(id)!;
    };
    return {
      callGraph: () => (graph ??= contractCallGraph(a, ids)),
      cfg: (id) => detail(id)?.cfg ?? null,
      callers: (id) => detail(id)?.callers ?? [],
      callees: (id) => detail(id)?.callees ?? [],
    };
  },
};
