import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './readWorkflow.js';

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): { keyword: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.trim().split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(readFileSync(`${REPO_ROOT}Dockerfile`, 'utf8'));
const stages = dockerfile.reduce<{ name: string; lines: { keyword: string; args: string }[] }[]>((acc, line) => {
  if (line.keyword === 'FROM') acc.push({ name: /\bAS (\S+)$/i.exec(line.args)?.[1] ?? '', lines: [] });
  else acc.at(-1)?.lines.push(line);
  return acc;
}, []);
const stage = (name: string) => stages.find((s) => s.name === name)!;
const ignored = readFileSync(`${REPO_ROOT}.dockerignore`, 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

describe('Dockerfile', () => {
  it('has a builder stage and a runtime stage on Debian bookworm slim images', () => {
    expect(stages.map((s) => s.name)).toEqual(['builder', 'runtime']);
    for (const line of dockerfile.filter((l) => l.keyword === 'FROM')) expect(line.args).toMatch(/^node:20-bookworm-slim AS /);
  });

  it('builds libchatllm portable in the builder, from the submodule, with BUILD_THREADS=4 by default', () => {
    const builder = stage('builder').lines;
    expect(builder).toContainEqual({ keyword: 'ARG', args: 'BUILD_THREADS=4' });
    expect(builder).toContainEqual({ keyword: 'COPY', args: 'native/chatllm.cpp native/chatllm.cpp' });
    const build = builder
      .filter((l) => l.keyword === 'RUN')
      .map((l) => l.args)
      .join('\n');
    expect(build).toContain('node scripts/native-build.js --portable');
    expect(build).toMatch(/apt-get install .*cmake.*g\+\+/);
  });

  it('installs ffmpeg and gcc before npm ci in the runtime, and takes only native/build/lib from the builder', () => {
    const runtime = stage('runtime').lines;
    const runs = runtime.filter((l) => l.keyword === 'RUN').map((l) => l.args);
    const aptIndex = runs.findIndex((r) => /apt-get install .*ffmpeg.*gcc/.test(r));
    const npmIndex = runs.findIndex((r) => r.startsWith('npm ci'));
    expect(aptIndex).toBeGreaterThanOrEqual(0);
    expect(npmIndex).toBeGreaterThan(aptIndex);
    expect(runtime.filter((l) => l.args.startsWith('--from='))).toEqual([
      { keyword: 'COPY', args: '--from=builder /src/native/build/lib/ native/build/lib/' },
    ]);
    expect(runtime.some((l) => l.keyword === 'COPY' && /^\.\s/.test(l.args))).toBe(false); // no chatllm.cpp source in the image
  });

  it('runs leakgate on models mounted at /models by default, in exec form', () => {
    const cmd = dockerfile.filter((l) => l.keyword === 'CMD');
    expect(cmd).toHaveLength(1);
    const argv = JSON.parse(cmd[0]!.args) as string[];
    expect(argv.slice(0, 4)).toEqual(['npx', '--no-install', 'leakgate', 'run']);
    expect(argv.join(' ')).toContain(
      '--lib native/build/lib/libchatllm.so --model /models/qwen3-asr-0.6b-q4_0.bin --model /models/qwen3-asr-1.7b-q4_0.bin',
    );
    expect(dockerfile).toContainEqual({ keyword: 'VOLUME', args: '["/models"]' });
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, build outputs, results and git metadata out of the context', () => {
    for (const pattern of ['.git', 'node_modules', 'native/build', 'results', 'reports']) expect(ignored).toContain(pattern);
  });

  it("keeps the submodule's files in (the builder compiles them) but not its .git", () => {
    expect(ignored.filter((p) => /^(native|native\/chatllm\.cpp)\/?$/.test(p))).toEqual([]);
    expect(ignored).toContain('native/chatllm.cpp/.git');
  });
});
