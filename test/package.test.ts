import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function sources(dir: string, suffix: string): string[] {
	return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith(suffix))
		.map((file) => `dist/${relative(root, join(root, dir, file)).replace(/\.ts$/, '.js')}`)
		.sort();
}

describe('package.json', () => {
	it('announces every node and credential to n8n, and nothing else', () => {
		expect([...pkg.n8n.nodes].sort()).toEqual(sources('nodes', '.node.ts'));
		expect([...pkg.n8n.credentials].sort()).toEqual(sources('credentials', '.credentials.ts'));
	});

	it('has no runtime dependencies and only n8n-workflow as a peer', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.devDependencies['n8n-workflow']).toBe('2.11.1');
		expect(pkg.devDependencies['n8n-core']).toBe('2.11.1');
		expect(pkg.files).toEqual(['dist']);
	});
});

describe('credentials as n8n describes them to the editor', () => {
	// n8n's loader (n8n-core DirectoryLoader, then LoadNodesAndCredentials) describes a community
	// credential by spreading the instance's own properties and serializing them, a function
	// `authenticate` becoming {}. The editor's HTTP Request node lists only credential types whose
	// description has `authenticate` (has:authenticate), so it must be an own property.
	function describedToEditor(instance: object): Record<string, unknown> {
		const withToJSON = Object.assign(instance, {
			toJSON(this: Record<string, unknown>) {
				return { ...this, authenticate: typeof this.authenticate === 'function' ? {} : this.authenticate };
			},
		});
		return JSON.parse(JSON.stringify({ ...withToJSON }));
	}

	it.each(sources('credentials', '.credentials.ts'))('%s can sign an HTTP Request node call', (file) => {
		const module = require(join(root, file.replace(/^dist\//, '').replace(/\.js$/, '.ts'))) as Record<string, new () => object>;
		const [Credential] = Object.values(module);
		const instance = new Credential() as { authenticate?: unknown };
		expect(instance.authenticate).toBeDefined();
		expect(describedToEditor(instance)).toHaveProperty('authenticate');
	});
});

describe('codex files', () => {
	// n8n 2.40's node panel leaves nodes of its AI category out of search unless they are AI root
	// nodes (cluster nodes): a plain node filed under AI is found by no search at all. Seen in the
	// editor with e2e/editor-check.js.
	it.each(sources('nodes', '.node.ts'))('%s is filed where the node panel finds it', (file) => {
		const codex = JSON.parse(readFileSync(join(root, file.replace(/^dist\//, '').replace(/\.js$/, '.json')), 'utf8'));
		expect(codex.categories).toEqual(['Data & Storage']);
		expect(codex.subcategories).toBeUndefined();
		expect(codex.node).toBe(`${pkg.name}.${codex.node.split('.')[1]}`);
	});
});
