import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

/** The repository root, from this file's location. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A workflow or action file: its raw text and its YAML parsed strictly (any YAML error fails). */
export function readYamlFile(relativePath: string): { text: string; data: Record<string, unknown> } {
  const text = readFileSync(`${REPO_ROOT}${relativePath}`, 'utf8');
  const document = parseDocument(text, { strict: true, uniqueKeys: true });
  if (document.errors.length > 0) throw new Error(`${relativePath}: ${document.errors.map((e) => e.message).join('; ')}`);
  return { text, data: document.toJS() as Record<string, unknown> };
}

/** Every value of `key` anywhere inside `node`, depth first. */
export function collectValues(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => collectValues(item, key));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([name, value]) => [...(name === key ? [value] : []), ...collectValues(value, key)]);
}

/** A step as GitHub reads it. */
export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

/** The steps of every job of a workflow, or of a composite action's `runs`. */
export function stepsOf(data: Record<string, unknown>): Step[] {
  const jobs = (data.jobs ?? {}) as Record<string, { steps?: Step[] }>;
  const runs = data.runs as { steps?: Step[] } | undefined;
  return [...Object.values(jobs).flatMap((job) => job.steps ?? []), ...(runs?.steps ?? [])];
}
