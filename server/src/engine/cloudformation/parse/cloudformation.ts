/**
 * The CloudFormation format adapter: YAML or JSON template text → the common `SourceFile`.
 *
 * Whether a file is a template is decided by its content (see `isTemplateRoot`), never its
 * name, so the server can offer every `.yaml`/`.yml`/`.json`/`.template` file. In a YAML
 * stream the first document that is a template is the one read. Errors never throw: what
 * parses is kept (see `cfnSalvage.ts`) and the errors' ranges are reported.
 */
import type { Block, Comment, SourceFile } from '../../model/syntax';
import type { Range } from '../../types';
import { looksLikeJson, mightBeTemplate } from './cfnDetect';
import { parseJsonDocument } from './cfnJson';
import { salvageDocument } from './cfnSalvage';
import { isTemplateRoot, templateBlocks } from './cfnTemplate';
import { SourceText } from './cfnText';
import type { ParsedDocument } from './cfnText';
import { parseYamlDocuments } from './cfnYaml';
import { reparseEntry, reparseWindow, yamlBase, type YamlBase } from './cfnIncremental';
import { salvageEntryLocally } from './cfnLocalSalvage';
import { jsonBase, reparseJsonEntry, type JsonBase } from './cfnJsonIncremental';
import { salvageJsonEntryLocally } from './cfnJsonLocalSalvage';

interface Template {
  blocks: Block[];
  comments: Comment[];
  syntaxErrors: Range[];
}

/** The last clean parse of an open template, in its syntax: the next keystroke re-parses one entry of it. */
type Base = { json: false; base: YamlBase } | { json: true; base: JsonBase };

/** The template in `text` in the common model; undefined when `text` is not a CloudFormation template. */
export function parseCloudFormation(uri: string, text: string): SourceFile | undefined {
  const template = readTemplate(text);
  return template && { uri, format: 'cloudformation', text, blocks: template.blocks, comments: template.comments, syntaxErrors: template.syntaxErrors };
}

/**
 * True for a template: a top-level `AWSTemplateFormatVersion`, or a top-level `Resources`
 * mapping with `Type: AWS::…` / `Custom::…` entries. Cheap for the files that are not (a text
 * check, no parse); the parse of those that are is kept for the `parseCloudFormation` call
 * that usually follows.
 */
export function isCloudFormationTemplate(text: string): boolean {
  return readTemplate(text) !== undefined;
}

/** The last text read and its template: the server asks "is it?" and then "parse it". */
let lastRead: { text: string; template: Template | undefined } | undefined;

function readTemplate(text: string): Template | undefined {
  if (!mightBeTemplate(text)) return undefined;
  if (lastRead?.text !== text) lastRead = { text, template: buildTemplate(new SourceText(text)) };
  return lastRead.template;
}

/**
 * Parses the templates open in an editor. The last clean parse of each template is kept, so
 * that a keystroke re-parses the one entry it falls in (see `cfnIncremental.ts` and
 * `cfnJsonIncremental.ts`); anything unusual parses whole.
 */
export class CloudFormationParser {
  private readonly bases = new Map<string, Base>();

  parse(uri: string, text: string): SourceFile | undefined {
    if (!mightBeTemplate(text)) {
      this.bases.delete(uri);
      return undefined;
    }
    const source = new SourceText(text);
    const kept = this.bases.get(uri);
    const json = looksLikeJson(text);
    const document = !kept || kept.json !== json ? undefined
      : kept.json ? reparseJsonEntry(kept.base, source) ?? salvageJsonEntryLocally(kept.base, source)
        : reparseEntry(kept.base, source) ?? reparseWindow(kept.base, source) ?? salvageEntryLocally(kept.base, source);
    if (document && isTemplateRoot(document.root)) {
      // A half-typed version is no base: the next keystroke is applied to the last clean one.
      if (document.syntaxErrors.length === 0) this.bases.set(uri, json ? { json, base: { source, document: document as JsonBase['document'] } } : { json, base: { source, document: document as YamlBase['document'] } });
      return { uri, format: 'cloudformation', text, ...templateOf(document, source) };
    }
    const template = buildTemplate(source);
    // A half-typed version is no base: the next keystroke is applied to the last clean one.
    if (template?.base) this.bases.set(uri, template.base);
    else if (!template) this.bases.delete(uri);
    return template && { uri, format: 'cloudformation', text, blocks: template.blocks, comments: template.comments, syntaxErrors: template.syntaxErrors };
  }

  forget(uri: string): void {
    this.bases.delete(uri);
  }
}

function buildTemplate(source: SourceText): (Template & { base?: Base }) | undefined {
  const text = source.text;
  if (looksLikeJson(text)) {
    const document = salvageDocument(parseJsonDocument(source), source, true, (masked) => parseJsonDocument(new SourceText(masked)));
    if (isTemplateRoot(document.root)) {
      const base = jsonBase(source, document);
      return { ...templateOf(document, source), base: base && { json: true, base } };
    }
    // `{` can also open a YAML flow mapping; only worth a second reader when JSON failed.
    if (document.syntaxErrors.length === 0) return undefined;
  }
  const documents = parseYamlDocuments(source);
  for (const [index, candidate] of documents.entries()) {
    const document = salvageDocument(candidate, source, false, (masked) => {
      // Blanking never adds or removes a document marker; only where the content starts moves.
      const again = parseYamlDocuments(new SourceText(masked))[index];
      return again?.end === candidate.end ? again : undefined;
    });
    if (isTemplateRoot(document.root)) {
      const base = yamlBase(source, document);
      return { ...templateOf(document, source), base: base && { json: false, base } };
    }
  }
  return undefined;
}

function templateOf(document: ParsedDocument, source: SourceText): Template {
  return {
    blocks: isTemplateRoot(document.root) ? templateBlocks(document.root, source) : [],
    comments: document.comments,
    syntaxErrors: document.syntaxErrors,
  };
}
