import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/**
 * The engine (nodes/shared) serves every vendor through its adapter, so a vendor added later
 * needs no change to it. Nothing in it, code or comment, names a vendor.
 */
const NODES = join(__dirname, '..', '..', 'nodes');
const ENGINE = join(NODES, 'shared');

// The vendors' names as their code, comments and docs write them.
const VENDOR_WORDS = ['dify', 'langgenius', 'coze', 'bailian', 'alibaba', 'aliyun', 'kendra', 'amazon', 'aws', 'openai', 'azure', 'bedrock'];
const vendorFolders = readdirSync(NODES, { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
	.map((entry) => entry.name);

describe('the engine', () => {
	it('knows a word for every vendor folder, so that a new vendor is checked too', () => {
		expect(vendorFolders.length).toBeGreaterThanOrEqual(6);
		expect(vendorFolders.filter((folder) => !VENDOR_WORDS.some((word) => folder.toLowerCase().includes(word)))).toEqual([]);
	});

	it.each(readdirSync(ENGINE).filter((name) => name.endsWith('.ts')))('%s names no vendor', (file) => {
		const text = readFileSync(join(ENGINE, file), 'utf8');
		const named = text
			.split('\n')
			.flatMap((line, index) => VENDOR_WORDS.filter((word) => new RegExp(`\\b${word}`, 'i').test(line)).map((word) => `${index + 1}: ${word}`));
		expect(named).toEqual([]);
	});
});
