import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeBuildDir } from '../../../src/refmodel/buildRefEngine.js';

const scratch = mkdtempSync(join(tmpdir(), 'leakgate-nativedir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A package folder at `path` under the scratch folder, with a package.json of that version and the native sources. */
function packageAt(path: string, version = '1.2.3', refengine = 'int x;\n'): string {
  const root = join(scratch, path);
  for (const dir of ['native/refengine', 'native/crashstack']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'leakgate', version }));
  writeFileSync(join(root, 'native/refengine/refengine.c'), refengine);
  writeFileSync(join(root, 'native/crashstack/crashstack.c'), 'int y;\n');
  return root;
}

describe('nativeBuildDir: where the native helpers are compiled', () => {
  it('a checkout builds into its own native/build', () => {
    const root = packageAt('repo');
    expect(nativeBuildDir(root, {})).toBe(join(root, 'native', 'build'));
  });

  it("a dependency builds into the project's node_modules/.cache/leakgate/<version>-<sources hash>", () => {
    const root = packageAt('project/node_modules/leakgate');
    expect(nativeBuildDir(root, {})).toMatch(new RegExp(`^${join(scratch, 'project/node_modules/.cache/leakgate/1.2.3-')}[0-9a-f]{12}$`));
  });

  it('the outermost node_modules, whatever the layout (pnpm nests packages under .pnpm)', () => {
    const root = packageAt('pnpm/node_modules/.pnpm/leakgate@1.2.3/node_modules/leakgate');
    expect(nativeBuildDir(root, {}).startsWith(join(scratch, 'pnpm/node_modules/.cache/leakgate/1.2.3-'))).toBe(true);
  });

  it('another version or another source is another folder: an upgrade never loads an old build', () => {
    const a = nativeBuildDir(packageAt('a/node_modules/leakgate'), {});
    const version = nativeBuildDir(packageAt('b/node_modules/leakgate', '1.2.4'), {});
    const source = nativeBuildDir(packageAt('c/node_modules/leakgate', '1.2.3', 'int z;\n'), {});
    const key = (dir: string): string => dir.split('/').at(-1)!;
    expect(key(version)).not.toBe(key(a));
    expect(key(source)).not.toBe(key(a));
    expect(key(nativeBuildDir(packageAt('d/node_modules/leakgate'), {}))).toBe(key(a));
  });

  it('LEAKGATE_CACHE_DIR replaces the folder, in a checkout too', () => {
    const root = packageAt('e/node_modules/leakgate');
    expect(nativeBuildDir(root, { LEAKGATE_CACHE_DIR: '/var/cache/lg' })).toMatch(/^\/var\/cache\/lg\/1\.2\.3-[0-9a-f]{12}$/);
    expect(nativeBuildDir(packageAt('repo2'), { LEAKGATE_CACHE_DIR: '/var/cache/lg' })).toMatch(/^\/var\/cache\/lg\/1\.2\.3-/);
  });

  it("a node_modules that cannot be written (a read-only image): the user's cache folder", () => {
    const root = join('/nonexistent-leakgate-test/node_modules/leakgate');
    expect(nativeBuildDir(root, { XDG_CACHE_HOME: '/xdg' })).toMatch(/^\/xdg\/leakgate\/unknown-[0-9a-f]{12}$/);
    expect(nativeBuildDir(root, {}).startsWith(join(homedir(), '.cache', 'leakgate'))).toBe(true);
  });
});
