/**
 * Hover for a trail or a CloudTrail key: the resolved chain (trail → alias → key) as links,
 * then one ✓/✗/? line per requirement, so a reader sees at once what the linter concluded and
 * why, without waiting for a squiggle. The findings themselves are the editor's to show (once
 * each, beside this hover): repeating them here would only push the checklist down. Places
 * are links (a chain step, where a requirement is decided), never repeated prose.
 */
import type { Location, Position, Range } from '../types';
import { rangeContains } from '../types';
import { baseNameOfUri } from '../workspace/files';
import type { TrailFacts } from './facts';
import { judgedForTrails, type KeyFacts } from './keyFacts';
import { keyRequirements, policyStep, trailOverview, type ChainStep, type Mark, type RequirementLine } from './trailOverview';

export function hoverAt(trails: TrailFacts[], keys: KeyFacts[], uri: string, position: Position): string | undefined {
  const at: Range = { start: position, end: position };
  const inside = (fileUri: string, range: Range): boolean => fileUri === uri && rangeContains(range, at);
  const trail = trails.find((t) => inside(t.uri, t.block.range));
  if (trail) return trailHover(trail, keys);
  // The hover lists a trail's requirements: a key only event data stores use has none of them.
  const key = keys.find((k) => inside(k.uri, k.subject) && judgedForTrails(k));
  return key && keyHover(key, keys);
}

function trailHover(trail: TrailFacts, keys: KeyFacts[]): string {
  const overview = trailOverview(trail, keys);
  const lines = [`**${trail.address}** (CloudTrail trail)`, ''];
  for (const chain of overview.chains) lines.push(`chain: ${chainLinks(chain)}  `);
  if (overview.keyNote) lines.push(`key: ${overview.keyNote}  `);
  lines.push('', ...overview.requirements.map(requirementLine));
  return lines.join('\n');
}

function keyHover(key: KeyFacts, keys: KeyFacts[]): string {
  const what = key.kind === 'key' ? 'CloudTrail key' : 'CloudTrail key policy';
  const lines = [`**${key.address}** (${what})`, ''];
  const self: ChainStep = { address: key.address, location: { uri: key.uri, range: key.headerRange } };
  for (const user of key.usedBy) {
    lines.push(`used by ${chainLinks([{ address: user.address, location: user.location }, ...(user.through ?? []), self, policyStep(key)])}  `);
  }
  if (key.usedBy.length === 0) lines.push('no trail here uses it; its policy is written for CloudTrail  ');
  lines.push('', ...keyRequirements(key, keys).map(requirementLine));
  return lines.join('\n');
}

const MARKS: Record<Mark, string> = { met: '✓', likely: '✓?', unmet: '✗', unknown: '?' };

/** `- ✗ label (reason) · [main.tf:2](…#L2)`: each line opens where it is decided, as a related location would. */
function requirementLine(line: RequirementLine): string {
  const where = line.location ? ` · [${escape(fileLine(line.location))}](${linkTo(line.location)})` : '';
  return `- ${MARKS[line.mark]} ${line.label}${line.reason ? ` (${line.reason})` : ''}${where}`;
}

/** `main.tf:2`: the file's name and the 1-based line, as short as a link text can be. */
const fileLine = (location: Location): string => `${baseNameOfUri(location.uri)}:${location.range.start.line + 1}`;

/** `[a](…#L3) → [b](…#L9)`: each step opens where it is written. */
function chainLinks(chain: ChainStep[]): string {
  return chain.map((step) => (step.location ? `[${escape(step.address)}](${linkTo(step.location)})` : escape(step.address))).join(' → ');
}

/** VS Code opens `file:///…#L12` at line 12 (1-based). */
const linkTo = (location: Location): string => `${location.uri}#L${location.range.start.line + 1}`;

const escape = (text: string): string => text.replace(/[\\`[\]]/g, '\\$&');
