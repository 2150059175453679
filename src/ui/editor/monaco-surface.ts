/// <reference types="vite/client" />
// Monaco as the editing surface. This module is the editor's heavy chunk:
// the panel imports it dynamically the first time it is shown, never before.
// AssemblyScript is edited in TypeScript mode against AssemblyScript's own
// typings (i32, load<T>, memory.size...) and the SDK's sources (given as
// extra libraries at their repository paths, so `../../sdk/assembly` resolves);
// WAT gets a Monarch tokenizer. Workers are Vite worker chunks.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/typescript/register';
import { typescriptDefaults, ModuleKind, ModuleResolutionKind, ScriptTarget } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';
import asStdTypings from 'assemblyscript/std/assembly/index.d.ts?raw';
import type { Theme } from '../app/theme.ts';
import type { CodeSurface, SurfaceDocument, SurfaceFactory, SurfaceOptions } from './code-surface.ts';
import type { Diagnostic } from './compiler/diagnostic.ts';
import { SDK_FILES } from './compiler/sdk-sources.ts';
import { WAT_ID, watConfiguration, watLanguage } from './wat-language.ts';

/** Markers from our compilers (the TypeScript service keeps its own owner). */
const OWNER = 'wasmos-build';

// TypeScript errors that are not errors in AssemblyScript: decorators on functions
// (@inline, @external), and "not all code paths return" around unreachable().
const IGNORED_TS_CODES = [1206, 1249, 2355, 7030];

let configured = false;

function configureOnce(): void {
  if (configured) return;
  configured = true;
  globalThis.MonacoEnvironment = {
    getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
  };
  typescriptDefaults.setCompilerOptions({
    target: ScriptTarget.ESNext,
    module: ModuleKind.ESNext,
    moduleResolution: ModuleResolutionKind.NodeJs,
    noLib: true,
    allowNonTsExtensions: true,
    experimentalDecorators: true,
    strict: true,
    noImplicitReturns: false,
  });
  typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, diagnosticCodesToIgnore: IGNORED_TS_CODES });
  typescriptDefaults.addExtraLib(asStdTypings, 'file:///node_modules/assemblyscript/std/assembly/index.d.ts');
  for (const [path, text] of SDK_FILES) typescriptDefaults.addExtraLib(text, `file:///${path}`);
  monaco.languages.register({ id: WAT_ID, extensions: ['.wat', '.wast'], aliases: ['WebAssembly text', 'wat'] });
  monaco.languages.setMonarchTokensProvider(WAT_ID, watLanguage);
  monaco.languages.setLanguageConfiguration(WAT_ID, watConfiguration);
}

const monacoTheme = (t: Theme): string => (t === 'dark' ? 'vs-dark' : 'vs');
const languageId = (doc: SurfaceDocument): string => (doc.language === 'wat' ? WAT_ID : 'typescript');

function modelFor(doc: SurfaceDocument): monaco.editor.ITextModel {
  const uri = monaco.Uri.parse(`file:///${doc.path}`);
  const existing = monaco.editor.getModel(uri);
  if (existing) {
    if (existing.getValue() !== doc.value) existing.setValue(doc.value);
    return existing;
  }
  return monaco.editor.createModel(doc.value, languageId(doc), uri);
}

function toMarker(d: Diagnostic): monaco.editor.IMarkerData {
  const severity = d.severity === 'error' ? monaco.MarkerSeverity.Error : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
  return {
    severity, message: d.message, source: d.code?.startsWith('AS') ? 'asc' : 'wabt', code: d.code,
    startLineNumber: d.line, startColumn: d.column, endLineNumber: d.endLine, endColumn: d.endColumn,
  };
}

export const createMonacoSurface: SurfaceFactory = (host: HTMLElement, options: SurfaceOptions): Promise<CodeSurface> => {
  configureOnce();
  monaco.editor.setTheme(monacoTheme(options.theme));
  let current = options.document;
  const editor = monaco.editor.create(host, {
    model: modelFor(current),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    tabSize: 2,
    ariaLabel: options.ariaLabel,
    fixedOverflowWidgets: true,
  });
  let silent = false;
  editor.onDidChangeModelContent(() => { if (!silent) options.onChange(editor.getValue()); });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => options.onRun());

  return Promise.resolve({
    kind: 'monaco',
    open(doc: SurfaceDocument) {
      current = doc;
      silent = true;
      try {
        editor.setModel(modelFor(doc));
      } finally {
        silent = false;
      }
    },
    getValue: () => editor.getValue(),
    setValue(text: string) {
      // Through an edit, so Reset can be undone with Ctrl+Z.
      const model = editor.getModel();
      if (!model) return;
      editor.executeEdits('reset', [{ range: model.getFullModelRange(), text }]);
      editor.pushUndoStop();
    },
    setDiagnostics(ds: readonly Diagnostic[]) {
      const model = editor.getModel();
      if (!model) return;
      monaco.editor.setModelMarkers(model, OWNER, ds.filter((d) => d.file === current.path).map(toMarker));
    },
    reveal(line: number, column: number) {
      editor.setPosition({ lineNumber: line, column });
      editor.revealLineInCenterIfOutsideViewport(line);
      editor.focus();
    },
    setTheme(t: Theme) { monaco.editor.setTheme(monacoTheme(t)); },
    dispose() { editor.dispose(); },
  });
};
