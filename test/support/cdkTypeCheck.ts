/**
 * `tsc --noEmit` over a fixture CDK app against aws-cdk-lib's own types, with some files'
 * text replaced (a fixed file): the TypeScript compiler is a test-only dependency.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import { sourceFiles } from './cdkConformance';

export function typeErrors(appDir: string, texts: Map<string, string>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, types: [], lib: ['lib.es2020.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => texts.get(path.relative(appDir, file)) ?? readFile(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) => {
    const text = texts.get(path.relative(appDir, file));
    return text !== undefined ? ts.createSourceFile(file, text, language) : getSourceFile(file, language, onError);
  };
  const program = ts.createProgram(sourceFiles(appDir), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(appDir, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** Syntax errors of one file's text, as the TypeScript compiler reads it. */
export function syntaxErrors(fileName: string, text: string): string[] {
  const output = ts.transpileModule(text, { fileName, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
  return (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
