/**
 * The main job, end to end with no vendor account: upload documents to a local Dify simulator,
 * then run a workflow (the upload results → Dify Knowledge: Wait Until Indexed) through n8n's
 * own engine, showing each document's progress live and printing the final items.
 *
 *   npm run demo                      simulated Dify
 *   npm run demo -- --base-url https://api.dify.ai/v1 --api-key dataset-… --dataset <uuid> --batch <batch>
 *
 * Against a real Dify, the options may also come from DIFY_BASE_URL, DIFY_API_KEY,
 * DIFY_DATASET_ID and DIFY_BATCH (or DIFY_DOCUMENT_IDS, comma-separated).
 */
import '../test/harness/user-folder';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DifyKnowledgeApi } from '../credentials/DifyKnowledgeApi.credentials';
import { DifyKnowledge } from '../nodes/Dify/DifyKnowledge.node';
import { runNode } from '../test/harness';
import { difyScript, startSimulator } from '../test/simulator';

interface DocumentLine {
	id: string | null;
	status: string;
	progress: number | null;
}

const useColor = process.stdout.isTTY;
const paint = (code: number, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const STATUS_COLOR: Record<string, number> = { completed: 32, failed: 31, processing: 33, queued: 36, paused: 35 };

function bar(progress: number | null): string {
	const width = 24;
	const filled = progress === null ? 0 : Math.round((progress / 100) * width);
	return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Receives the node's progress messages (n8n logs them at debug level) and draws them. */
function installProgressDisplay(names: Map<string, string>) {
	const started = Date.now();
	const show = (message: string, meta?: { documents?: DocumentLine[] }) => {
		if (!meta?.documents) return;
		const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
		const next = /next check in ([\d.]+ s)/.exec(message)?.[1];
		for (const d of meta.documents) {
			const name = (names.get(d.id ?? '') ?? d.id ?? 'job').padEnd(22);
			const status = paint(STATUS_COLOR[d.status] ?? 0, d.status.padEnd(10));
			const percent = `${String(d.progress ?? '–').padStart(3)}%`;
			console.log(`  ${paint(2, `${seconds} s`)}  ${name} ${bar(d.progress)} ${percent}  ${status} ${paint(2, next ? `next check in ${next}` : '')}`);
		}
	};
	const quiet = () => undefined;
	const logger = { debug: show, info: quiet, warn: quiet, error: quiet, scoped: () => logger };
	Container.set(Logger, logger as unknown as Logger);
}

function argument(name: string, environment: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	if (index !== -1 && process.argv[index + 1]) return process.argv[index + 1];
	return process.env[environment] || undefined;
}

async function uploadToSimulator(baseUrl: string, apiKey: string, datasetId: string) {
	const files = [
		{ name: 'employee-handbook.md', text: 'Welcome to the team. '.repeat(400) },
		{ name: 'pricing-2026.txt', text: 'Plans and prices. '.repeat(200) },
		{ name: 'scanned-contract.pdf', text: '%PDF-1.4 (binary, no text layer)' },
	];
	const results: IDataObject[] = [];
	for (const file of files) {
		const response = await fetch(`${baseUrl}/datasets/${datasetId}/document/create-by-text`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ name: file.name, text: file.text, indexing_technique: 'high_quality' }),
		});
		results.push((await response.json()) as IDataObject);
	}
	return results;
}

async function main() {
	const realBaseUrl = argument('base-url', 'DIFY_BASE_URL');
	const names = new Map<string, string>();
	let credentials: { apiKey: string; baseUrl: string };
	let datasetId: string;
	let input: IDataObject[];
	let parameters: INodeParameters = { operation: 'waitUntilIndexed', timeout: 600, pollInterval: 1 };
	let close: () => Promise<void> = async () => undefined;

	if (realBaseUrl) {
		const apiKey = argument('api-key', 'DIFY_API_KEY');
		datasetId = argument('dataset', 'DIFY_DATASET_ID') ?? '';
		const batch = argument('batch', 'DIFY_BATCH');
		const documentIds = argument('document-ids', 'DIFY_DOCUMENT_IDS');
		if (!apiKey || !datasetId || (!batch && !documentIds)) {
			console.error('Against a real Dify, give --api-key, --dataset and --batch (or --document-ids).');
			process.exit(2);
		}
		credentials = { apiKey, baseUrl: realBaseUrl };
		input = [batch ? { batch } : { documentIds: documentIds as string }];
		parameters = batch
			? { ...parameters, batch: '={{ $json.batch }}' }
			: { ...parameters, watch: 'documents', documentIds: '={{ $json.documentIds }}', pollInterval: 5 };
		console.log(`Watching ${batch ? `batch ${batch}` : `documents ${documentIds}`} in ${realBaseUrl}`);
	} else {
		const sim = await startSimulator();
		close = () => sim.close();
		const apiKey = 'dataset-demo0000000000000000';
		sim.dify.addApiKey(apiKey);
		datasetId = sim.dify.addDataset(undefined, { name: 'Company knowledge' });
		credentials = { apiKey, baseUrl: sim.dify.baseUrl };
		console.log(`Simulated Dify at ${sim.dify.baseUrl}\n`);
		console.log('1. Upload three documents (create-by-text):');
		sim.dify.defaultScript = difyScript({ segments: 12, indexingTicks: 4 });
		const uploads = await uploadToSimulator(sim.dify.baseUrl, apiKey, datasetId);
		// The last upload is a scan with no text: Dify fails it while indexing.
		const scanned = (uploads[2].document as IDataObject).id as string;
		sim.dify.setScript(datasetId, scanned, difyScript({ segments: 4, indexingTicks: 2, fail: 'No text could be extracted from the file' }));
		for (const upload of uploads) {
			const document = upload.document as IDataObject;
			names.set(document.id as string, document.name as string);
			console.log(`   ${document.name}  id ${document.id}  batch ${upload.batch}`);
		}
		input = uploads;
	}

	console.log('\n2. Run the workflow: upload results → Dify Knowledge (Wait Until Indexed)\n');
	installProgressDisplay(names);
	const result = await runNode({
		node: new DifyKnowledge(),
		parameters: { ...parameters, datasetId },
		input,
		credentials: { type: 'difyKnowledgeApi', data: credentials },
		credentialTypes: [new DifyKnowledgeApi()],
	});
	await close();

	if (result.error) {
		console.error(`\nThe node failed: ${result.error.message}`);
		process.exit(1);
	}
	console.log(`\n3. The node's output: ${result.items.length} items, one per document\n`);
	for (const item of result.items) console.log(JSON.stringify(item.json, null, 2));
	const statuses = result.items.map((i) => `${names.get(i.json.documentId as string) ?? i.json.documentId}: ${i.json.status}`);
	console.log(`\nDone. ${statuses.join(', ')}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
