import { usageError } from '../errors.js';
import { VERDICTS } from '../analysis/Verdict.js';
import { BASELINE_SCHEMA, type Baseline } from './Baseline.js';

type Check = (value: unknown) => string | null;

const isNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'must be a finite number');
const isNonNegative: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'must be a finite number >= 0');
const isString: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
const isNullableString: Check = (v) => (v === null || typeof v === 'string' ? null : 'must be a string or null');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks a parsed baseline against the schema; throws a usage error naming the file, the field path,
 * what is wrong and the fix. Returns the value typed.
 */
export function validateBaseline(json: unknown, file: string): Baseline {
  const fail = (path: string, problem: string): never => {
    throw usageError(`${file}: ${path} ${problem} (fix the file, or rewrite it with npx leakgate baseline update)`);
  };
  const at = (path: string, value: unknown, check: Check): void => {
    const problem = check(value);
    if (problem) fail(path, `${problem}, got ${JSON.stringify(value)}`);
  };
  if (!isObject(json)) return fail('the file', 'must hold a JSON object');
  if (json.schema !== BASELINE_SCHEMA) fail('schema', `must be "${BASELINE_SCHEMA}", got ${JSON.stringify(json.schema)}`);
  for (const field of ['scenario', 'engine', 'platform'] as const) at(field, json[field], isString);

  if (!Array.isArray(json.models) || json.models.length === 0) fail('models', 'must be a non-empty array');
  (json.models as unknown[]).forEach((model, i) => {
    if (!isObject(model)) return fail(`models[${i}]`, 'must be an object');
    for (const field of ['key', 'label', 'kind', 'sha256Prefix'] as const) at(`models[${i}].${field}`, model[field], isString);
    at(`models[${i}].sizeBytes`, model.sizeBytes, isNumber);
  });

  for (const section of ['metrics', 'tolerances', 'verdicts', 'provenance'] as const) {
    if (!isObject(json[section])) fail(section, 'must be an object');
  }
  for (const [key, value] of Object.entries(json.metrics as object)) at(`metrics["${key}"]`, value, isNumber);
  for (const [name, tolerance] of Object.entries(json.tolerances as object)) {
    if (!isObject(tolerance)) fail(`tolerances["${name}"]`, 'must be an object');
    // A negative tolerance would fail every run, even one that measured exactly the baseline.
    at(`tolerances["${name}"].absolute`, tolerance.absolute, isNonNegative);
    at(`tolerances["${name}"].relative`, tolerance.relative, isNonNegative);
    if (tolerance.worse !== 'bigger' && tolerance.worse !== 'smaller') {
      fail(`tolerances["${name}"].worse`, `must be "bigger" or "smaller", got ${JSON.stringify(tolerance.worse)}`);
    }
  }
  for (const [key, verdict] of Object.entries(json.verdicts as object)) {
    if (!(VERDICTS as readonly unknown[]).includes(verdict))
      fail(`verdicts["${key}"]`, `must be one of ${VERDICTS.join(', ')}, got ${JSON.stringify(verdict)}`);
  }
  if (json.accepted !== null) {
    if (!isObject(json.accepted)) fail('accepted', 'must be null or { reason, at }');
    const accepted = json.accepted as Record<string, unknown>;
    at('accepted.reason', accepted.reason, isString);
    if (accepted.failure !== undefined) validateAcceptedFailure(accepted.failure, at, fail);
  }
  if (json.acceptedEngineSites !== undefined) {
    if (!Array.isArray(json.acceptedEngineSites))
      fail('acceptedEngineSites', 'must be an array of { function, maxBytesPerSwitch, reason }');
    (json.acceptedEngineSites as unknown[]).forEach((site, i) => {
      if (!isObject(site)) return fail(`acceptedEngineSites[${i}]`, 'must be an object { function, maxBytesPerSwitch, reason }');
      at(`acceptedEngineSites[${i}].function`, site.function, isString);
      at(`acceptedEngineSites[${i}].maxBytesPerSwitch`, site.maxBytesPerSwitch, isNumber);
      at(`acceptedEngineSites[${i}].reason`, site.reason, isString);
    });
  }
  const provenance = json.provenance as Record<string, unknown>;
  at('provenance.engineSha256', provenance.engineSha256, isString);
  at('provenance.chatllmCommit', provenance.chatllmCommit, isNullableString);
  at('provenance.iterations', provenance.iterations, isNumber);
  at('provenance.date', provenance.date, isString);
  at('provenance.leakgateVersion', provenance.leakgateVersion, isString);
  if (provenance.patches !== undefined) {
    if (!Array.isArray(provenance.patches)) fail('provenance.patches', 'must be an array of { name, sha256 }');
    (provenance.patches as unknown[]).forEach((patch, i) => {
      if (!isObject(patch)) return fail(`provenance.patches[${i}]`, 'must be an object');
      at(`provenance.patches[${i}].name`, patch.name, isString);
      at(`provenance.patches[${i}].sha256`, patch.sha256, isString);
    });
  }
  return json as unknown as Baseline;
}

const FAILURE_KINDS = ['crash', 'hang', 'engine-error'];
/** A failure's words ("engine aborted in chatllm_destroy (SIGABRT)"), with room to spare. */
const MAX_PATTERN_CHARS = 1000;
const STEPS = ['load', 'infer', 'unload'];

function validateAcceptedFailure(
  value: unknown,
  at: (path: string, value: unknown, check: Check) => void,
  fail: (path: string, problem: string) => never,
): void {
  if (!isObject(value)) {
    fail('accepted.failure', 'must be an object { kind, step, signal, messagePattern, reason, acceptedBy }');
    return;
  }
  if (!FAILURE_KINDS.includes(value.kind as string))
    fail('accepted.failure.kind', `must be one of ${FAILURE_KINDS.join(', ')}, got ${JSON.stringify(value.kind)}`);
  if (value.step !== null && !STEPS.includes(value.step as string))
    fail('accepted.failure.step', `must be one of ${STEPS.join(', ')} or null, got ${JSON.stringify(value.step)}`);
  at('accepted.failure.signal', value.signal, isNullableString);
  at('accepted.failure.messagePattern', value.messagePattern, isString);
  // Matched as literal text (acceptedFailureText), never compiled: only its length is bounded.
  if ((value.messagePattern as string).length > MAX_PATTERN_CHARS)
    fail(
      'accepted.failure.messagePattern',
      `is ${(value.messagePattern as string).length} characters, more than ${MAX_PATTERN_CHARS}: it names what failed in a few words`,
    );
  at('accepted.failure.reason', value.reason, isString);
  at('accepted.failure.acceptedBy', value.acceptedBy, isString);
}
