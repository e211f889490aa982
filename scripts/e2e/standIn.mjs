// A small stand-in for the extensions users already have beside this one (HashiCorp Terraform,
// Red Hat YAML), written by the real-editor runner into its temp folder: it contributes its own
// `terraform` language for `.tf` and its own TextMate grammar, registers `yaml.customTags` as
// Red Hat YAML does, and on activation puts one diagnostic of its own on each Terraform file, so
// the suite can tell that both extensions run side by side.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const STAND_IN_ID = 'e2e-stand-in.terraform-and-yaml';

export function writeStandInExtension(dir) {
  mkdirSync(dir, { recursive: true });
  const json = (name, value) => writeFileSync(path.join(dir, name), JSON.stringify(value, null, 2));
  json('package.json', {
    name: 'terraform-and-yaml',
    publisher: 'e2e-stand-in',
    version: '0.0.1',
    engines: { vscode: '^1.91.0' },
    main: './extension.js',
    activationEvents: ['onLanguage:terraform'],
    contributes: {
      languages: [{ id: 'terraform', aliases: ['Terraform (stand-in)'], extensions: ['.tf'], configuration: './language-configuration.json' }],
      grammars: [{ language: 'terraform', scopeName: 'source.hcl.terraform', path: './terraform.tmLanguage.json' }],
      configuration: {
        title: 'YAML (stand-in)',
        properties: { 'yaml.customTags': { type: 'array', items: { type: 'string' }, default: [], description: 'Custom YAML tags.' } },
      },
    },
  });
  json('language-configuration.json', { comments: { lineComment: '#' }, brackets: [['{', '}']] });
  json('terraform.tmLanguage.json', {
    scopeName: 'source.hcl.terraform',
    patterns: [{ match: '\\b(resource|variable)\\b', name: 'keyword.standin.terraform' }],
  });
  writeFileSync(path.join(dir, 'extension.js'), `const vscode = require('vscode');
exports.activate = (context) => {
  const diagnostics = vscode.languages.createDiagnosticCollection('stand-in');
  const check = (doc) => {
    if (doc.languageId !== 'terraform') return;
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), 'stand-in saw this file', vscode.DiagnosticSeverity.Information);
    d.source = 'stand-in';
    diagnostics.set(doc.uri, [d]);
  };
  vscode.workspace.textDocuments.forEach(check);
  context.subscriptions.push(diagnostics, vscode.workspace.onDidOpenTextDocument(check));
};
`);
  return dir;
}
