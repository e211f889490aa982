/**
 * The one interface between the format-neutral core (analyzer, rules, suppressions) and the
 * code of an input language. Each language lives in a folder of its own (`terraform/`,
 * `cloudformation/`, `policyDocuments/`) and turns its files into format-neutral facts; the
 * analyzer never names a format, it asks the adapters of the registry (`adapters.ts`) in order.
 */
import type { SourceFile } from './model/syntax';
import type { TrailFacts } from './analysis/facts';
import type { KeyFacts } from './analysis/keyFacts';
import type { EventDataStoreFacts } from './analysis/eventDataStoreFacts';
import type { TopicFacts } from './analysis/topicFacts';
import type { ResourceSuppressions } from './suppressions';

/** What the rules look at for the findings of one file. */
export interface FileFacts {
  trails: TrailFacts[];
  keys: KeyFacts[];
  /** CloudTrail Lake event data stores (CTK301–CTK304); absent when the format has none. */
  eventDataStores?: EventDataStoreFacts[];
  /** The trails' encrypted notification topics and their keys (CTK401). */
  topics?: TopicFacts[];
  topicKeys?: KeyFacts[];
  /** The file asked about, as parsed: its comments hold its suppressions. */
  file: SourceFile;
  /** Suppressions written on resources rather than in comments (CloudFormation's `Metadata`). */
  resourceSuppressions?: ResourceSuppressions;
}

/** The analyzer's files, as an adapter sees them: editor text first, parsed once per text. */
export interface AdapterFiles {
  /** The editor's text of a file if it is open, else the host's; undefined when it cannot be read. */
  text(uri: string): string | undefined;
  /** The file as this adapter's `parse` reads it, parsed once per text; undefined when it is not one. */
  parsed(uri: string): SourceFile | undefined;
  /** The files of a folder (the host's listing and open documents not saved yet), sorted. */
  folder(dirUri: string): string[];
  /**
   * A value computed once per request: one file's analysis, or a whole batch of a scan (so a
   * Terraform module is analysed once for all its files).
   */
  memo<T>(key: string, compute: () => T): T;
}

export interface InputAdapter {
  /**
   * The files a finding of `uri` depends on share a scope: a Terraform module's folder, or the
   * file itself. A workspace overview visits each scope once.
   */
  scopeOf(uri: string): string;
  /** Whether a file's text can hold a trail (or a call of a module that may): cheap, before any parse. */
  mayHoldTrail(text: string): boolean;
  /**
   * Whether a file of a claimed name is this adapter's at all, decided without reading it (a
   * `.ts` file outside a CDK app is not): when false, its text is not even read. Absent: yes.
   */
  reads?(uri: string, files: AdapterFiles): boolean;
  /** Parses a file for `AdapterFiles.parsed` (text with lone CRs already read as LF). */
  parse?(uri: string, text: string, open: boolean): SourceFile | undefined;
  /** The facts for the findings of `uri`; undefined when the file is not this adapter's (decided by content). */
  facts(uri: string, files: AdapterFiles): FileFacts | undefined;
  /**
   * Why a file of this adapter's name is deliberately left out of what is judged (an OpenTofu
   * `x.tofu` hides `x.tf`), for a note where the user looks at it; undefined when it is read.
   */
  ignoredBecause?(uri: string, files: AdapterFiles): string | undefined;
  /** An editor closed a document: drop what the adapter keeps for it (incremental parse state). */
  forget?(uri: string): void;
}

/** An entry of the registry. */
export interface InputLanguage {
  readonly name: string;
  /**
   * Whether this language reports findings in a file of this (lower-case) name. Cheap: it runs
   * for every file a scan walks. Several languages may claim a name (`.json`); the first whose
   * adapter recognises the content wins.
   */
  claims(fileName: string): boolean;
  /**
   * Names only this language reads, claimed or not (a Terraform variables file is part of a
   * module but gets no findings): the languages after it are not asked about them.
   */
  owns?(fileName: string): boolean;
  /** The adapter of one analyzer (it may keep per-document parse state). */
  createAdapter(): InputAdapter | Promise<InputAdapter>;
  /** Loads what every adapter of this language needs (a parser's WASM), ahead of the first `createAdapter`. */
  preload?(): Promise<unknown>;
}
