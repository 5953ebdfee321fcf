import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectValues, readYamlFile, REPO_ROOT, stepsOf, type Step } from './readWorkflow.js';

const WORKFLOWS = ['ci', 'leak-gate', 'baseline-update'];
const ACTION = '.github/actions/prepare-engine/action.yml';
const files = [...WORKFLOWS.map((name) => `.github/workflows/${name}.yml`), ACTION];
const parsed = Object.fromEntries(files.map((file) => [file, readYamlFile(file)]));
const workflow = (name: string): Record<string, unknown> => parsed[`.github/workflows/${name}.yml`]!.data;
const action = parsed[ACTION]!.data;
type Job = { permissions?: Record<string, string>; 'timeout-minutes'?: number; steps: Step[] };
const jobsOf = (name: string): Job[] => Object.values(workflow(name).jobs as Record<string, Job>);
const stepNamed = (steps: Step[], pattern: RegExp): Step => {
  const found = steps.find((step) => [step.name, step.run, step.uses].some((text) => text !== undefined && pattern.test(text)));
  if (!found) throw new Error(`no step matching ${pattern}`);
  return found;
};

describe('the workflow files', () => {
  it('are exactly ci, leak-gate and baseline-update', () => {
    const present = readdirSync(`${REPO_ROOT}.github/workflows`)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort();
    expect(present).toEqual(WORKFLOWS.map((name) => `${name}.yml`).sort());
  });

  it.each(files)('%s pins every action to a full commit SHA with its version in a comment', (file) => {
    const { text, data } = parsed[file]!;
    const uses = collectValues(data, 'uses') as string[];
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) {
      if (ref.startsWith('./')) continue; // this repository's own composite action
      expect(ref, ref).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
    const useLines = text.split('\n').filter((line) => /^\s*(- )?uses: (?!\.\/)/.test(line));
    expect(useLines.length).toBe(uses.filter((ref) => !ref.startsWith('./')).length);
    for (const line of useLines) expect(line, line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('pins each action to one SHA across all files', () => {
    const shasByAction = new Map<string, Set<string>>();
    for (const file of files) {
      for (const ref of collectValues(parsed[file]!.data, 'uses') as string[]) {
        if (ref.startsWith('./')) continue;
        const [name, sha] = ref.split('@') as [string, string];
        shasByAction.set(name, (shasByAction.get(name) ?? new Set()).add(sha));
      }
    }
    for (const [name, shas] of shasByAction) expect([...shas], name).toHaveLength(1);
  });

  it.each(WORKFLOWS)('%s defaults to read-only contents and sets concurrency with cancel-in-progress', (name) => {
    expect(workflow(name).permissions).toEqual({ contents: 'read' });
    const concurrency = workflow(name).concurrency as { group: string; 'cancel-in-progress': boolean };
    expect(concurrency.group).toMatch(new RegExp(`^${name}-\\$\\{\\{`));
    expect(concurrency['cancel-in-progress']).toBe(true);
  });

  it.each(WORKFLOWS)('%s bounds every job with a timeout', (name) => {
    for (const job of jobsOf(name)) {
      expect(job['timeout-minutes']).toBeGreaterThan(0);
      expect(job['timeout-minutes']).toBeLessThanOrEqual(180);
    }
  });

  it('grants write access only to the baseline-update job, and only to contents and pull requests', () => {
    expect(jobsOf('ci').every((job) => job.permissions === undefined)).toBe(true);
    expect(jobsOf('leak-gate').every((job) => job.permissions === undefined)).toBe(true);
    expect(jobsOf('baseline-update').map((job) => job.permissions)).toEqual([{ contents: 'write', 'pull-requests': 'write' }]);
    for (const file of files) expect(parsed[file]!.text).not.toMatch(/write-all/);
  });

  it.each(files)('%s never expands ${{ }} inside a run script (inputs reach scripts through env)', (file) => {
    for (const step of stepsOf(parsed[file]!.data)) {
      if (step.run !== undefined) expect(step.run, step.name ?? step.run).not.toContain('${{');
    }
  });

  it('checks out without persisting the token', () => {
    for (const name of WORKFLOWS) {
      const checkout = stepNamed(jobsOf(name)[0]!.steps, /^actions\/checkout@/);
      expect(checkout.with?.['persist-credentials'], name).toBe(false);
    }
  });
});

describe('ci.yml', () => {
  const on = workflow('ci').on as Record<string, unknown>;
  const steps = jobsOf('ci')[0]!.steps;

  it('runs on pushes and pull requests', () => {
    expect(Object.keys(on).sort()).toEqual(['pull_request', 'push']);
  });

  it('installs nothing but the npm packages (no ffmpeg), then npm ci and npm test on Node 20', () => {
    expect(stepNamed(steps, /^actions\/setup-node@/).with?.['node-version']).toBe(20);
    expect(steps.filter((step) => /apt-get|ffmpeg/.test(`${step.name ?? ''} ${step.run ?? ''}`))).toEqual([]);
    const runs = steps.map((step) => step.run?.trim()).filter(Boolean);
    expect(runs.indexOf('npm ci --no-audit --no-fund')).toBeLessThan(runs.indexOf('npm test'));
    expect(runs).toContain('npm test');
  });
});

describe('leak-gate.yml', () => {
  const on = workflow('leak-gate').on as {
    pull_request: { paths: string[] };
    schedule: { cron: string }[];
    workflow_dispatch: { inputs: Record<string, { default: unknown }> };
  };
  const steps = jobsOf('leak-gate')[0]!.steps;

  it('runs on PRs that move the gitlink and nothing else, weekly, and by hand with an iterations input', () => {
    expect(on.pull_request.paths).toEqual(['native/chatllm.cpp']);
    expect(on.schedule).toHaveLength(1);
    expect(on.schedule[0]!.cron.split(' ')).toHaveLength(5);
    expect(on.schedule[0]!.cron.split(' ')[4]).toMatch(/^[0-6]$/); // once a week
    expect(on.workflow_dispatch.inputs.iterations?.default).toBe('30');
  });

  it('checks out the submodule and prepares the engine with the shared action', () => {
    expect(stepNamed(steps, /^actions\/checkout@/).with?.submodules).toBe(true);
    expect(steps.some((step) => step.uses === './.github/actions/prepare-engine')).toBe(true);
  });

  it('runs the benchmark on the built library with JSON output, then the gate even after a crash', () => {
    const run = stepNamed(steps, /Run the benchmark/).run!;
    expect(run).toMatch(
      new RegExp(
        String.raw`npx leakgate run --lib "\$LIBRARY" --model "\$small" --model "\$large" ` +
          String.raw`--iterations "\$ITERATIONS" --report reports --attribute --json > results\/summary\.json`,
      ),
    );
    // --attribute needs heaptrack, installed for the gate job only.
    expect(stepNamed(steps, /^Install heaptrack$/).run).toContain('apt-get install');
    const gate = stepNamed(steps, /^Gate$/);
    expect(gate.run).toBe('npx leakgate gate results/model_switch_results.json');
    expect(gate.if).toContain('!cancelled()');
    expect(jobsOf('leak-gate')[0] as unknown as { env: Record<string, string> }).toMatchObject({
      env: { ITERATIONS: "${{ inputs.iterations || '30' }}" },
    });
  });

  it('on a PR, compares head with base (the base branch pin, cached like the pin, patches in the key) before the benchmark', () => {
    const names = steps.map((step) => step.name ?? step.uses ?? '');
    const compare = stepNamed(steps, /^Compare head with base$/);
    expect(compare.if).toBe("github.event_name == 'pull_request'");
    expect(compare.run).toMatch(
      /npx leakgate compare --base-lib native\/build\/base-lib\/libchatllm\.so --head-lib native\/build\/lib\/libchatllm\.so/,
    );
    expect(names.findIndex((n) => /^Compare head with base$/.test(n))).toBeLessThan(names.findIndex((n) => /Run the benchmark/.test(n)));
    const key = String(stepNamed(steps, /Restore base libchatllm/).with?.key);
    expect(key).toContain('${{ steps.base.outputs.sha }}');
    expect(key).toContain("${{ hashFiles('native/patches/*.diff') }}");
    expect(stepNamed(steps, /Build base libchatllm/).run).toContain('npm run native:build -- --portable');
  });

  it('uploads results/ and reports/ whatever happened, and writes a job summary', () => {
    const upload = stepNamed(steps, /^actions\/upload-artifact@/);
    expect(upload.if).toContain('always()');
    expect(String(upload.with?.path)).toMatch(/^results\/$/m);
    expect(String(upload.with?.path)).toMatch(/^reports\/$/m);
    expect(stepNamed(steps, /^Job summary/).run).toContain('$GITHUB_STEP_SUMMARY');
  });
});

describe('baseline-update.yml', () => {
  const steps = jobsOf('baseline-update')[0]!.steps;

  it('runs by hand only', () => {
    expect(Object.keys(workflow('baseline-update').on as object)).toEqual(['workflow_dispatch']);
  });

  it('measures with npm run baseline:update and opens a PR limited to baselines/', () => {
    expect(stepNamed(steps, /Measure the baselines/).run).toBe('npm run baseline:update');
    const pr = stepNamed(steps, /^peter-evans\/create-pull-request@/);
    expect(pr.with?.['add-paths']).toBe('baselines/**');
  });
});

describe('the prepare-engine action', () => {
  const steps = stepsOf(action);
  const restore = stepNamed(steps, /Restore libchatllm/);
  const key = String(restore.with?.key);

  it('reads the pinned commit from the gitlink', () => {
    expect(stepNamed(steps, /Pinned chatllm.cpp commit/).run).toContain('git rev-parse HEAD:native/chatllm.cpp');
  });

  it('keys the library cache on the pin, runner os and arch, the portable flavour and the build script', () => {
    expect(restore.with?.path).toBe('native/build/lib');
    for (const part of [
      '${{ steps.pin.outputs.sha }}',
      '${{ runner.os }}',
      '${{ runner.arch }}',
      'portable',
      "${{ hashFiles('scripts/native-build.js') }}",
    ]) {
      expect(key).toContain(part);
    }
  });

  it('builds portable only on a cache miss and saves under the same key', () => {
    const build = stepNamed(steps, /Build libchatllm/);
    expect(build.run).toBe('npm run native:build -- --portable');
    expect(build.if).toBe("steps.lib-cache.outputs.cache-hit != 'true'");
    const save = stepNamed(steps, /Save libchatllm/);
    expect(save.with?.key).toBe('${{ steps.lib-cache.outputs.cache-primary-key }}');
    expect(save.with?.path).toBe(restore.with?.path);
  });

  it("generates q4_0 twins of both shapes by default and fetches real weights with upstream's downloader", () => {
    const generate = stepNamed(steps, /Generate twin models/).run!;
    expect(generate).toContain('npx leakgate twin --shape 0.6b --type q4_0 models/twin-0.6b.bin');
    expect(generate).toContain('npx leakgate twin --shape 1.7b --type q4_0 models/twin-1.7b.bin');
    expect(String(stepNamed(steps, /Restore twin models/).with?.key)).toContain('steps.pin.outputs.version');
    expect(stepNamed(steps, /Download real models/).run).toContain('model_downloader');
  });
});

describe('dependabot.yml', () => {
  const updates = readYamlFile('.github/dependabot.yml').data.updates as {
    'package-ecosystem': string;
    directory?: string;
    directories?: string[];
    schedule: { interval: string };
  }[];
  const byEcosystem = new Map(updates.map((update) => [update['package-ecosystem'], update]));

  it('bumps the chatllm.cpp submodule, npm and the actions weekly', () => {
    expect([...byEcosystem.keys()].sort()).toEqual(['github-actions', 'gitsubmodule', 'npm']);
    for (const update of updates) expect(update.schedule.interval).toBe('weekly');
    expect(byEcosystem.get('gitsubmodule')?.directory).toBe('/');
    expect(byEcosystem.get('npm')?.directory).toBe('/');
  });

  it('watches every composite action under .github/actions as well as the workflows', () => {
    const directories = byEcosystem.get('github-actions')?.directories ?? [];
    const actions = readdirSync(`${REPO_ROOT}.github/actions`).map((name) => `/.github/actions/${name}`);
    expect(directories).toEqual(['/', ...actions]);
  });
});

describe('the chatllm.cpp pin', () => {
  it('.gitmodules declares native/chatllm.cpp from foldl/chatllm.cpp, shallow', () => {
    const text = readFileSync(`${REPO_ROOT}.gitmodules`, 'utf8');
    expect(text).toMatch(/^\[submodule "native\/chatllm\.cpp"\]$/m);
    expect(text).toMatch(/^\s*path = native\/chatllm\.cpp$/m);
    expect(text).toMatch(/^\s*url = https:\/\/github\.com\/foldl\/chatllm\.cpp\.git$/m);
    expect(text).toMatch(/^\s*shallow = true$/m);
  });
});
