/**
 * Points n8n at a folder the harness owns, before any n8n-core code reads the environment.
 *
 * n8n-core's InstanceSettings reads (or, when missing, creates) an encryption-key file under
 * `$N8N_USER_FOLDER/.n8n/config` the first time a node context or credential object needs it.
 * Left alone it would use `~/.n8n`, i.e. a developer's real n8n instance. Import this module
 * before n8n-core: `index.ts` does so first, and `jest-setup.ts` does it for test files that
 * import n8n-core themselves.
 *
 * The folder has a fixed name per user under the OS temp directory, and the harness writes the
 * key file itself (atomically) instead of letting n8n-core create it. Parallel jest workers and
 * repeated runs then share one small folder without racing on a half-written file, and nothing
 * accumulates in the temp directory.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function userSuffix(): string {
	return typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
}

export const harnessUserFolder = join(tmpdir(), `n8n-nodes-indexing-status-harness-${userSuffix()}`);

function prepareUserFolder(folder: string): void {
	const n8nFolder = join(folder, '.n8n');
	const settingsFile = join(n8nFolder, 'config');
	mkdirSync(n8nFolder, { recursive: true });
	if (!existsSync(settingsFile)) {
		// Write-then-rename so a concurrent reader sees either no file or a complete one.
		const partial = `${settingsFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
		const settings = { encryptionKey: randomBytes(24).toString('base64') };
		writeFileSync(partial, JSON.stringify(settings, null, '\t'), { mode: 0o600 });
		renameSync(partial, settingsFile);
	}
}

prepareUserFolder(harnessUserFolder);
process.env.N8N_USER_FOLDER = harnessUserFolder;
