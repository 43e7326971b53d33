// The one-vendor packages' table (scripts/packages/vendors.js), the README cut for each
// (scripts/packages/readme.js) and the workflow migration (scripts/migrate-workflows.js). The
// packages themselves are built, loaded and scanned by `npm run build:packages`, `npm run
// lint:scan` and the e2e; these tests pin the rules those rely on.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const { vendors, PREFIX } = require('../scripts/packages/vendors');
const { vendorPart, NON_ENGLISH } = require('../scripts/packages/readme');
const { migrateWorkflow } = require('../scripts/migrate-workflows');

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
type Entry = { vendor: string; package: string; types: string[]; nodes: string[]; credentials: string[]; credentialTypes: string[]; examples: string[] };
const entry = (vendor: string): Entry => vendors.find((e: Entry) => e.vendor === vendor);

describe('the one-vendor packages table', () => {
	it('names the packages INTERFACE.md fixes, one per vendor', () => {
		expect(vendors.map((e: Entry) => e.package)).toEqual([
			'n8n-nodes-indexing-status-dify',
			'n8n-nodes-indexing-status-coze',
			'n8n-nodes-indexing-status-bailian',
			'n8n-nodes-indexing-status-kendra',
			'n8n-nodes-indexing-status-openai',
			'n8n-nodes-indexing-status-bedrock',
		]);
	});

	it('shares out every node and credential of the all-in-one package exactly once', () => {
		expect(vendors.flatMap((e: Entry) => e.nodes).sort()).toEqual([...pkg.n8n.nodes].sort());
		expect(vendors.flatMap((e: Entry) => e.credentials).sort()).toEqual([...pkg.n8n.credentials].sort());
	});

	it('gives each vendor the examples whose nodes are its own', () => {
		for (const e of vendors as Entry[]) {
			for (const file of e.examples) {
				const types = JSON.parse(readFileSync(join(root, 'examples', file), 'utf8'))
					.nodes.map((n: { type: string }) => n.type)
					.filter((t: string) => t.startsWith(`${PREFIX}.`));
				expect(types.length).toBeGreaterThan(0);
				expect(types.every((t: string) => e.types.includes(t.slice(PREFIX.length + 1)))).toBe(true);
			}
		}
	});

	it('ships every example of examples/ with the vendor whose nodes it uses', () => {
		for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.json'))) {
			const types = JSON.parse(readFileSync(join(root, 'examples', file), 'utf8'))
				.nodes.map((n: { type: string }) => n.type)
				.filter((t: string) => t.startsWith(`${PREFIX}.`))
				.map((t: string) => t.slice(PREFIX.length + 1));
			const owners = (vendors as Entry[]).filter((e) => types.some((t: string) => e.types.includes(t)));
			if (owners.length !== 1) continue;
			expect({ file, shippedBy: owners[0].examples.includes(file) ? owners[0].vendor : 'nobody' }).toEqual({ file, shippedBy: owners[0].vendor });
		}
	});
});

describe('migrating a workflow saved with the all-in-one package', () => {
	const workflow = () => ({
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
			{ name: 'Dify Knowledge', type: 'n8n-nodes-indexing-status.difyKnowledge', parameters: { datasetId: 'x' }, credentials: { difyKnowledgeApi: { id: '1', name: 'Dify' } } },
			{ name: 'Kendra', type: 'n8n-nodes-indexing-status.amazonKendraTrigger', parameters: {} },
			{ name: 'Tool', type: 'n8n-nodes-indexing-status.cozeKnowledgeTool', parameters: {} },
		],
	});

	it("moves each node to its vendor's package, tool variants too, and changes nothing else", () => {
		const moved = workflow();
		expect(migrateWorkflow(moved)).toEqual({ 'n8n-nodes-indexing-status-dify': 1, 'n8n-nodes-indexing-status-kendra': 1, 'n8n-nodes-indexing-status-coze': 1 });
		expect(moved.nodes.map((n) => n.type)).toEqual([
			'n8n-nodes-base.manualTrigger',
			'n8n-nodes-indexing-status-dify.difyKnowledge',
			'n8n-nodes-indexing-status-kendra.amazonKendraTrigger',
			'n8n-nodes-indexing-status-coze.cozeKnowledgeTool',
		]);
		const original = workflow();
		moved.nodes.forEach((node, i) => expect({ ...node, type: original.nodes[i].type }).toEqual(original.nodes[i]));
	});

	it('leaves a migrated workflow as it is', () => {
		const moved = workflow();
		migrateWorkflow(moved);
		const again = JSON.parse(JSON.stringify(moved));
		expect(migrateWorkflow(again)).toEqual({});
		expect(again).toEqual(moved);
	});

	it('names a node of the package that no one-vendor package holds', () => {
		expect(() => migrateWorkflow({ nodes: [{ name: 'Odd', type: 'n8n-nodes-indexing-status.somethingElse' }] })).toThrow(
			'node "Odd" has the type n8n-nodes-indexing-status.somethingElse, which no one-vendor package holds',
		);
	});
});

describe("a vendor's README part", () => {
	const readme = [
		'# title',
		'## Operations',
		'',
		'| Vendor | Default |',
		'|---|---|',
		'| Dify | 5 s |',
		'| Amazon Kendra | 5 s |',
		'',
		'| status | Dify `x` | Kendra `y` |',
		'|---|---|---|',
		'| `queued` | `waiting` | |',
		'',
		'**Dify.** Dify text.',
		'',
		'**Amazon Kendra.** Kendra text.',
		'',
		'- **Dify.** a Dify bullet',
		'- **Kendra.** a Kendra bullet',
		'',
		'The Amazon Kendra API credential signs.',
		'',
		'![Dify](docs/editor-dify-action.png)',
		'',
		'![Kendra](docs/editor-kendra-action.png)',
		'',
		'## Development',
		'',
		'npm test',
	].join('\n');

	it("keeps the vendor's rows, columns, paragraphs, bullets and screenshots and drops the others'", () => {
		const part = vendorPart(readme, vendors, entry('dify'));
		expect(part).toContain('| Dify | 5 s |');
		expect(part).not.toContain('Amazon Kendra |');
		expect(part).toContain('| status | Dify `x` |');
		expect(part).not.toContain('Kendra `y`');
		expect(part).toContain('**Dify.** Dify text.');
		expect(part).toContain('- **Dify.** a Dify bullet');
		expect(part).not.toMatch(/Kendra (text|a Kendra bullet)|credential signs/);
		expect(part).toContain('docs/editor-dify-action.png');
		expect(part).not.toContain('docs/editor-kendra-action.png');
	});

	it("leaves the project's development sections out", () => {
		expect(vendorPart(readme, vendors, entry('dify'))).not.toContain('npm test');
	});

	it("cuts the others' sentences, list entries and table rows out of running text", () => {
		const prose = [
			'## Output',
			'',
			'| Field | Meaning |',
			'|---|---|',
			'| `error` | Null or an error. Dify: the `error` text. Kendra: `FailureCode`, or `ErrorCode` of an entry. |',
			"| `remainingSeconds` | Coze's `remaining_time`. |",
			'| `x` | |',
			'',
			'Floors (Dify 1 s, Coze 1 s, Kendra 5 s) apply, with a warning. Coze ids go 10 a call, one',
			'after the other. Throttling of every kind: HTTP 429, Dify 403, Kendra `Throttling, Limit`.',
			'Lists may need a permission: Coze needs one, Kendra needs `kendra:ListIndices`.',
			'',
			'A paragraph that names',
			'no vendor stays as it is.',
		].join('\n');
		const dify = vendorPart(prose, vendors, entry('dify'));
		expect(dify).toContain('| `error` | Null or an error. Dify: the `error` text. |');
		expect(dify).not.toContain('remainingSeconds');
		expect(dify).toContain('| `x` | |');
		expect(dify).toContain('Floors (Dify 1 s) apply, with a warning. Throttling of every kind: HTTP 429, Dify 403.\n');
		expect(dify).not.toContain('Lists may need');
		expect(dify).toContain('A paragraph that names\nno vendor stays as it is.');
		const kendra = vendorPart(prose, vendors, entry('kendra'));
		expect(kendra).toContain('| `error` | Null or an error. Kendra: `FailureCode`, or `ErrorCode` of an entry. |');
		expect(kendra).toContain('Floors (Kendra 5 s) apply, with a warning. Throttling of every kind: HTTP 429, Kendra `Throttling, Limit`. Lists may need a permission: Kendra needs `kendra:ListIndices`.');
		const coze = vendorPart(prose, vendors, entry('coze'));
		expect(coze).toContain('| `remainingSeconds` | Coze\'s `remaining_time`. |');
		expect(coze).toContain('Floors (Coze 1 s) apply, with a warning. Coze ids go 10 a call, one after the other. Throttling of every kind: HTTP 429.');
	});

	it('names no other vendor, for every vendor, cut from the real README', () => {
		const text = readFileSync(join(root, 'README.md'), 'utf8');
		const named = (e: Entry & { readme: { match: RegExp } }) => new RegExp(`\\b${e.readme.match.source.replace(/^\^/, '')}`);
		for (const e of vendors as Array<Entry & { readme: { match: RegExp } }>) {
			const part = vendorPart(text, vendors, e);
			expect(part).toMatch(named(e));
			for (const other of (vendors as Array<Entry & { readme: { match: RegExp } }>).filter((o) => o !== e)) {
				const lines = part.split('\n').filter((line: string) => named(other).test(line));
				expect({ vendor: e.vendor, names: other.vendor, lines }).toEqual({ vendor: e.vendor, names: other.vendor, lines: [] });
			}
		}
	});

	it('is English only for every vendor, cut from the real README', () => {
		const text = readFileSync(join(root, 'README.md'), 'utf8');
		for (const e of vendors as Entry[]) expect(vendorPart(text, vendors, e)).not.toMatch(NON_ENGLISH);
		expect('Coze (\u6263\u5b50)').toMatch(NON_ENGLISH);
	});
});
