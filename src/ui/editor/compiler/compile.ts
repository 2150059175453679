// One entry for both front ends, by language.
import { compileAssemblyScript } from './compile-as.ts';
import { compileWat } from './compile-wat.ts';
import type { CompilePhase, CompileRequest, CompileResult } from './diagnostic.ts';

export function compileSource(req: CompileRequest, onPhase?: (p: CompilePhase) => void): Promise<CompileResult> {
  return req.language === 'wat' ? compileWat(req, onPhase) : compileAssemblyScript(req, onPhase);
}
