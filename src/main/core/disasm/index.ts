// The objdump -d listing of a parsed ELF file, and objdump's rules for naming addresses.
export {
  disassembleToChunks, disassembleToString, codeSections, targetName, listingSymbolNames, SymbolLookup,
  type AddressPrinter, type InstructionFormatter, type ListingOptions,
} from './listing.ts';
export { SymbolModel, BSF, compareSymbols, type DisasmSymbol } from './symbols.ts';
export { decoderMode, isSparc, sparcMachine, type SparcMachine } from './mode.ts';
export { sparcFormatter } from './sparc-formatter.ts';
