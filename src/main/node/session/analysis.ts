// The analysis port over src/main/core/analysis: one ProgramAnalysis per image, mapped to the contract's types.
import {
  analyzeProgramAsync, contractCallGraph, contractFunctionDetail, elfCodeSource, kernelPolicy, type ProgramAnalysis,
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
    let graph: CallGraph | null = null;
    const details = new Map<string, FunctionDetail | null>();
    const detail = (name: string): FunctionDetail | null => {
      if (!details.has(name)) details.set(name, contractFunctionDetail(a, name));
      return details.get(name)!;
    };
    return {
      callGraph: () => (graph ??= contractCallGraph(a)),
      cfg: (name) => detail(name)?.cfg ?? null,
      callers: (name) => detail(name)?.callers ?? [],
      callees: (name) => detail(name)?.callees ?? [],
    };
  },
};
