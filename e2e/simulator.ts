/**
 * Starts the repository's vendor simulator (test/simulator) with the documents the end-to-end
 * check needs, writes what the other e2e scripts must know about it to a JSON file, and keeps
 * running until SIGTERM.
 *
 * Usage (from the repository root, as e2e/run.sh does):
 *   node_modules/.bin/ts-node --transpile-only --prefer-ts-exts e2e/simulator.ts <info.json>
 *
 * It runs on the repository's own Node and ts-node, not inside n8n, so the simulator is the very
 * code the jest suite uses. n8n reaches it over real sockets on 127.0.0.1.
 *
 * A second HTTP server on 127.0.0.1 ("control") lets the runner steer and inspect it:
 *   GET /requests                      the request log (method, path, status, whether auth was sent;
 *                                      never the header itself, so no secret reaches an output file)
 *   GET /coze/idsAsNumbers?on=1|0      Coze writes int64 ids as bare JSON numbers (1) or strings (0)
 *   GET /triggers/cases?mode=M         the trigger check's cases of mode M (default or durable; see
 *                                      e2e/trigger-fixtures.ts), with their documents and roles
 *   GET /triggers/stage?mode=M&stage=N moves mode M's documents to stage N (1, 2, 3, in order)
 *   GET /triggers/calls?mode=M&since=T status calls per case since T (ms since the epoch)
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { COZE_STATUS, bedrockDocumentScript, bedrockJobScript, cozeScript, difyCompletedScript, difyScript, kendraScript, openAiScript, startSimulator } from '../test/simulator';
import { DIFY_RATE_LIMIT_MESSAGE } from '../test/simulator/dify';
import { type TriggerMode, TRIGGER_MODES, createTriggerFixtures } from './trigger-fixtures';

// Recognisable fake secrets: the runner greps every n8n output, log and the n8n folder for them.
const DIFY_API_KEY = 'dataset-E2Ekey0000SECRET1234';
const COZE_TOKEN = 'pat_E2EcozeTOKEN0000SECRET4321';
const KENDRA_KEY = { accessKeyId: 'AKIAE2EKENDRA0000001', secretAccessKey: 'E2EkendraSECRET/0000+access0000key00001' };
const KENDRA_TEMP = {
	accessKeyId: 'ASIAE2EKENDRA0000002',
	secretAccessKey: 'E2EkendraTEMPsecret/0000+access0000key002',
	sessionToken: 'IQoJb3JpZ2luX2VjE2EkendraSESSIONtoken0000SECRET/////////wEaCXVz+e2e=',
};
const BEDROCK_KEY = { accessKeyId: 'AKIAE2EBEDROCK000001', secretAccessKey: 'E2EbedrockSECRET/0000+access0000key0001' };
const BEDROCK_TEMP = {
	accessKeyId: 'ASIAE2EBEDROCK000002',
	secretAccessKey: 'E2EbedrockTEMPsecret/0000+access000key002',
	sessionToken: 'IQoJb3JpZ2luX2VjE2EbedrockSESSIONtoken000SECRET/////////wEaCXVz+e2e=',
};
// Valid keys of an identity without any bedrock: permission (the credential test names it).
const BEDROCK_DENIED = { accessKeyId: 'AKIAE2EBEDROCKDENIED', secretAccessKey: 'E2EbedrockDENIEDsecret/000+access000key3', allow: [] };
const BAILIAN_KEY_ID = 'LTAI5tE2Ebailian00000001';
const BAILIAN_SECRET = 'E2EbailianSECRET0000abcdef123456';
const BAILIAN_STS_KEY_ID = 'STS.NTE2Ebailian000000001';
const BAILIAN_STS_SECRET = 'E2EbailianSTSsecret00009876';
const BAILIAN_STS_TOKEN = 'CAISE2EbailianSTStoken0000SECRET';
const OPENAI_KEY = 'sk-proj-E2EopenaiKEY0000SECRET0000abcd';
/** A key of the project without the vector store permission: the credential test's 403. */
const OPENAI_NO_ACCESS_KEY = 'sk-proj-E2EopenaiNOACCESS0000SECRET00';

async function main(): Promise<void> {
	const infoFile = process.argv[2];
	if (!infoFile) throw new Error('usage: simulator.ts <info.json>');

	// The real clock: n8n waits in real time, and timestamps in the output should look real.
	const sim = await startSimulator({ realClock: true });

	// Dify. Documents move one step per status read (see test/simulator/script.ts), so a wait
	// with a 1 s poll interval finishes in a few seconds.
	sim.dify.addApiKey(DIFY_API_KEY);
	sim.dify.defaultScript = difyScript({ segments: 3 });
	const datasetId = sim.dify.addDataset(undefined, { name: 'E2E knowledge' });
	const batchIn = (dataset: string, names: string[]) => sim.dify.addDocuments(dataset, names.map((name) => ({ name })), {});
	const batchOf = (names: string[]) => batchIn(datasetId, names);
	const wait = batchOf(['wait-a.txt', 'wait-b.txt']);
	const get = batchOf(['get-a.txt', 'get-b.txt']);
	// Each one-vendor package runs its vendor's Get and Wait on documents of its own, as fresh as
	// the ones above are for the all-in-one package (e2e/packages-check.js fixtures): a knowledge
	// base of their own with the same documents and scripts, or new jobs.
	const aloneDatasetId = sim.dify.addDataset(undefined, { name: 'E2E one-vendor package' });
	const aloneDify = { datasetId: aloneDatasetId, wait: batchIn(aloneDatasetId, ['wait-a.txt', 'wait-b.txt']), get: batchIn(aloneDatasetId, ['get-a.txt', 'get-b.txt']) };
	const summary = batchOf(['sum-ok.txt', 'sum-fail.txt']);
	// One document of the summary batch fails, so the summary must count one of each.
	sim.dify.setScript(
		datasetId,
		summary.documentIds[1],
		difyScript({ segments: 4, fail: 'No text could be extracted from the file' }),
	);
	const trigger = batchOf(['trig-a.txt', 'trig-b.txt']);
	const wrong = batchOf(['wrong-a.txt']);
	// The example workflow uploads into its own dataset, so that it cannot disturb the batches above.
	const exampleDatasetId = sim.dify.addDataset(undefined, { name: 'E2E example uploads' });

	// Coze. Its document ids are neighbours beyond 2^53: they collapse to one double if anything
	// on the way parses them as numbers. remaining_time of 1 s per step keeps the waits short.
	sim.coze.addToken(COZE_TOKEN);
	sim.coze.defaultScript = cozeScript({ steps: 2, secondsPerStep: 1 });
	const cozeDatasetId = sim.coze.addDataset(undefined, { name: 'E2E coze knowledge' });
	const cozeDocsIn = (dataset: string, names: string[]) => sim.coze.addDocuments(dataset, names.map((name) => ({ name })));
	const cozeDocs = (names: string[]) => cozeDocsIn(cozeDatasetId, names);
	// Two documents complete; one fails Coze's content audit (1000) and one is deleted (3)
	// while processing: the wait must end on all four, not run into its timeout.
	const cozeWait = (dataset: string) => [
		...cozeDocsIn(dataset, ['coze-wait-a.txt', 'coze-wait-b.txt']),
		...sim.coze.addDocuments(dataset, [
			{ name: 'coze-wait-audit.txt', script: cozeScript({ steps: 2, secondsPerStep: 1, end: COZE_STATUS.AuditFailed }) },
			{ name: 'coze-wait-deleted.txt', script: cozeScript({ steps: 2, secondsPerStep: 1, end: COZE_STATUS.Deleted }) },
		]),
	];
	const aloneCozeDatasetId = sim.coze.addDataset(undefined, { name: 'E2E coze one-vendor package' });
	const aloneCoze = { datasetId: aloneCozeDatasetId, wait: cozeWait(aloneCozeDatasetId) };
	const coze = {
		baseUrl: sim.coze.baseUrl,
		token: COZE_TOKEN,
		datasetId: cozeDatasetId,
		wait: cozeWait(cozeDatasetId),
		waitNum: cozeDocs(['coze-num-a.txt', 'coze-num-b.txt']),
		wrong: cozeDocs(['coze-wrong-a.txt']),
		exampleDatasetId: sim.coze.addDataset(undefined, { name: 'E2E coze example uploads' }),
	};

	// Amazon Kendra. The simulator checks every SigV4 signature against real time (n8n signs with
	// it). The wait documents start NOT_FOUND, as Kendra does right after BatchPutDocument, and one
	// of them fails.
	sim.kendra.addAccessKey(KENDRA_KEY);
	sim.kendra.addAccessKey(KENDRA_TEMP);
	const kendraIndexId = sim.kendra.addIndex(undefined, { name: 'e2e-index' });
	const kendraDocsIn = (index: string, ids: string[]) => sim.kendra.addDocuments(index, ids.map((id) => ({ id, script: kendraScript({ notFound: 1, processing: 1 }) })));
	const kendraDocs = (ids: string[]) => kendraDocsIn(kendraIndexId, ids);
	const kendraWaitScan = (index: string) =>
		sim.kendra.setScript(index, 'e2e/wait-scan.pdf', kendraScript({ notFound: 1, processing: 1, fail: { code: 'InvalidRequest', reason: 'No text could be extracted' } }));
	const aloneKendraIndexId = sim.kendra.addIndex(undefined, { name: 'e2e-one-vendor-package' });
	const aloneKendra = {
		indexId: aloneKendraIndexId,
		wait: kendraDocsIn(aloneKendraIndexId, ['e2e/wait-a.md', 'e2e/wait-b,with-comma.html', 'e2e/wait-scan.pdf']),
		get: kendraDocsIn(aloneKendraIndexId, ['e2e/get-a.txt', 'e2e/get-b.txt']),
	};
	kendraWaitScan(aloneKendraIndexId);
	const kendra = {
		baseUrl: sim.kendra.baseUrl,
		region: sim.kendra.region,
		...KENDRA_KEY,
		temp: KENDRA_TEMP,
		indexId: kendraIndexId,
		wait: kendraDocs(['e2e/wait-a.md', 'e2e/wait-b,with-comma.html', 'e2e/wait-scan.pdf']),
		get: kendraDocs(['e2e/get-a.txt', 'e2e/get-b.txt']),
		wrong: kendraDocs(['e2e/wrong-a.txt']),
		// The example workflow puts its documents into an index of its own.
		exampleIndexId: sim.kendra.addIndex(undefined, { name: 'e2e-example-index' }),
	};
	kendraWaitScan(kendraIndexId);

	// Amazon Bedrock Knowledge Bases, SigV4 for `bedrock` checked against real time. The wait
	// watches an ingestion job over a custom data source (STARTING, IN_PROGRESS, COMPLETE), then
	// the documents the job touched, listed once it ended; one of them fails. The get reads two
	// custom documents by id, PENDING right after they were ingested.
	sim.bedrock.addAccessKey(BEDROCK_KEY);
	sim.bedrock.addAccessKey(BEDROCK_TEMP);
	sim.bedrock.addAccessKey(BEDROCK_DENIED);
	const bedrockSet = (name: string) => {
		const knowledgeBaseId = sim.bedrock.addKnowledgeBase({ name });
		const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { name: `${name}-custom`, type: 'CUSTOM' });
		const waitJob = sim.bedrock.addJob(knowledgeBaseId, dataSourceId, {
			script: bedrockJobScript({ running: 1 }),
			documents: [
				{ id: 'e2e-wait-a', script: bedrockDocumentScript({ processing: 1 }) },
				{ id: 'e2e-wait-b', script: bedrockDocumentScript({ processing: 1 }) },
				{ id: 'e2e-wait-scan', script: bedrockDocumentScript({ processing: 1, end: { status: 'FAILED', statusReason: 'No text could be extracted' } }) },
			],
		});
		// In a data source of their own: a document of the job's data source updated after the job
		// started counts as the job's (the API cannot tell), and Get may run before Wait.
		const getDataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { name: `${name}-direct`, type: 'CUSTOM' });
		const get = sim.bedrock.addDocuments(knowledgeBaseId, getDataSourceId, [{ id: 'e2e-get-a' }, { id: 'e2e-get-b' }]);
		const wrong = sim.bedrock.addDocuments(knowledgeBaseId, getDataSourceId, [{ id: 'e2e-wrong-a' }]);
		return { knowledgeBaseId, dataSourceId, getDataSourceId, waitJob, wait: ['e2e-wait-a', 'e2e-wait-b', 'e2e-wait-scan'], get, wrong };
	};
	const aloneBedrock = bedrockSet('e2e-one-vendor-package');
	const bedrock = {
		baseUrl: sim.bedrock.baseUrl,
		region: sim.bedrock.region,
		...BEDROCK_KEY,
		temp: BEDROCK_TEMP,
		denied: { accessKeyId: BEDROCK_DENIED.accessKeyId, secretAccessKey: BEDROCK_DENIED.secretAccessKey },
		...bedrockSet('e2e-kb'),
		// The example workflow starts its ingestion job on a data source of its own.
		example: (() => {
			const knowledgeBaseId = sim.bedrock.addKnowledgeBase({ name: 'e2e-example' });
			const dataSourceId = sim.bedrock.addDataSource(knowledgeBaseId, { name: 'e2e-example-custom', type: 'CUSTOM' });
			sim.bedrock.addDocuments(knowledgeBaseId, dataSourceId, [{ id: 'example-a', script: bedrockDocumentScript({ processing: 0 }) }]);
			return { knowledgeBaseId, dataSourceId };
		})(),
	};

	// Documents the example workflows upload through the API take these scripts (a document's
	// script is fixed when it is created, so the fixtures above keep theirs): one unfinished
	// status, then done. The examples poll every 5 s as shipped; longer scripts would only add
	// waiting, not coverage.
	sim.dify.defaultScript = difyScript({ segments: 2, ticksPerStage: 0, waiting: 1 });
	sim.coze.defaultScript = cozeScript({ steps: 1, secondsPerStep: 1 });
	sim.bedrock.defaultJobScript = [{ state: { status: 'STARTING' } }, { state: { status: 'COMPLETE' } }];

	// Bailian. Jobs start at their first status call (n8n reaches them a while after the simulator
	// starts) and move with the real clock; status calls of one job are 5 s apart at least, so a
	// wait takes a few polls of 5 s.
	sim.bailian.addAccessKey(BAILIAN_KEY_ID, BAILIAN_SECRET);
	sim.bailian.addStsCredentials({
		accessKeyId: BAILIAN_STS_KEY_ID,
		accessKeySecret: BAILIAN_STS_SECRET,
		securityToken: BAILIAN_STS_TOKEN,
		expiresAt: Date.now() + 24 * 3600_000,
	});
	const bailianWorkspaceId = sim.bailian.addWorkspace();
	const bailianIndexId = sim.bailian.addIndex(bailianWorkspaceId, { name: 'E2E bailian knowledge' });
	const bailianJob = (documents: Array<{ name: string; runMs: number; result?: 'INSERT_ERROR' }>, pendingMs = 0) =>
		sim.bailian.submitJob(bailianIndexId, { documents, pendingMs, startsOnFirstCall: true });
	const bailianGet = () => bailianJob([{ name: 'bl-get-a.pdf', runMs: 0 }, { name: 'bl-get-b.pdf', runMs: 0, result: 'INSERT_ERROR' }]);
	const bailianWait = () => bailianJob([{ name: 'bl-wait-a.pdf', runMs: 4000 }, { name: 'bl-wait-b.pdf', runMs: 7000 }], 2000);
	const bailian = {
		endpoint: sim.bailian.endpoint,
		accessKeyId: BAILIAN_KEY_ID,
		accessKeySecret: BAILIAN_SECRET,
		stsAccessKeyId: BAILIAN_STS_KEY_ID,
		stsAccessKeySecret: BAILIAN_STS_SECRET,
		stsToken: BAILIAN_STS_TOKEN,
		workspaceId: bailianWorkspaceId,
		indexId: bailianIndexId,
		// Already done at the first look, one document failed: Get Indexing Status.
		getJob: bailianGet(),
		// PENDING, then RUNNING, then COMPLETED: Wait Until Indexed over several polls.
		waitJob: bailianWait(),
		stsJob: bailianJob([{ name: 'bl-sts.pdf', runMs: 3000 }]),
		wrongJob: bailianJob([{ name: 'bl-wrong.pdf', runMs: 0 }]),
		// The examples submit a file of the data center to an index of their own; the jobs they
		// start are pending 1 s, then run 6 s.
		exampleIndexId: sim.bailian.addIndex(bailianWorkspaceId, { name: 'E2E bailian example uploads' }),
		exampleFileId: sim.bailian.addFile('handbook.pdf'),
	};
	const aloneBailian = { getJob: bailianGet(), waitJob: bailianWait() };
	sim.bailian.submittedJobTiming = { pendingMs: 1000, runMs: 6000 };

	sim.openai.addApiKey({ key: OPENAI_KEY, projectId: 'proj_e2e' });
	sim.openai.addApiKey({ key: OPENAI_NO_ACCESS_KEY, canReadVectorStores: false });
	const openAiStoreId = sim.openai.addVectorStore('E2E vector store');
	// Moved by reads, not the clock: n8n takes longer to start than a timed file would take to
	// finish, and the wait must see the batch running over several polls. Each round reads every
	// file at least once (the batch call counts them), so three reads in progress take two rounds
	// or more.
	const openAiBatchIn = (store: string, files: Array<{ filename: string; fail?: 'invalid_file' }>) =>
		sim.openai.addBatch(store, files.map((f) => ({ filename: f.filename, script: openAiScript({ inProgress: 3, fail: f.fail }) })));
	const openAiWait = (store: string) => openAiBatchIn(store, [{ filename: 'oa-wait-a.pdf' }, { filename: 'oa-wait-b.md' }, { filename: 'oa-wait-scan.pdf', fail: 'invalid_file' }]);
	const openAiGet = (store: string) =>
		sim.openai.addFiles(store, [
			{ filename: 'oa-get-a.pdf', script: openAiScript({ inProgress: 0 }) },
			{ filename: 'oa-get-b.pdf', script: openAiScript({ inProgress: 0, cancel: true }) },
		]);
	const openai = {
		baseUrl: sim.openai.baseUrl,
		apiKey: OPENAI_KEY,
		noAccessKey: OPENAI_NO_ACCESS_KEY,
		projectId: 'proj_e2e',
		vectorStoreId: openAiStoreId,
		wait: openAiWait(openAiStoreId),
		get: openAiGet(openAiStoreId),
		wrong: openAiBatchIn(openAiStoreId, [{ filename: 'oa-wrong.pdf' }]),
		exampleStoreId: sim.openai.addVectorStore('E2E example uploads'),
	};
	const aloneOpenAiStoreId = sim.openai.addVectorStore('E2E one-vendor package');
	const aloneOpenAi = { vectorStoreId: aloneOpenAiStoreId, wait: openAiWait(aloneOpenAiStoreId), get: openAiGet(aloneOpenAiStoreId) };

	// Queue mode (E2E_QUEUE=1): a batch a webhook call waits for on the worker, and a batch already
	// indexed that a trigger, polling on the main process, reports at activation.
	// A dataset of their own: nothing else reads them before the worker does.
	const queueDatasetId = sim.dify.addDataset(undefined, { name: 'E2E queue mode' });
	const queue = {
		datasetId: queueDatasetId,
		webhookBatch: sim.dify.addDocuments(queueDatasetId, ['queue-webhook-a.txt', 'queue-webhook-b.txt'].map((name) => ({ name, script: difyScript({ segments: 3 }) }))),
		triggerBatch: sim.dify.addDocuments(queueDatasetId, ['queue-trigger-a.txt', 'queue-trigger-b.txt'].map((name) => ({ name, script: difyCompletedScript() }))),
	};

	// n8n's poll backoff (E2E_TRIGGER=1, durable scheduler): a dataset whose every call, once
	// /backoff/throttle is asked for, answers Dify Cloud's rate limit (HTTP 403) with a Retry-After.
	const backoffDatasetId = sim.dify.addDataset(undefined, { name: 'E2E backoff' });
	const backoff = {
		datasetId: backoffDatasetId,
		documentIds: sim.dify.addDocuments(backoffDatasetId, [{ name: 'backoff.txt', script: difyScript({ segments: 1000 }) }]).documentIds,
		retryAfterSeconds: 300,
	};

	// The trigger check's knowledge bases, one per mode, vendor, watch and event.
	const triggers = createTriggerFixtures(sim, bailianWorkspaceId);

	// Resource locators and the AI agent tool: their own documents, so that these runs cannot
	// disturb the ones above. Listed by the editor's lists too (list-check in e2e/locator-check.js).
	const locators = {
		dify: batchOf(['locator-a.txt']),
		coze: cozeDocs(['coze-locator-a.txt']),
		kendra: kendraDocs(['e2e/locator-a.txt']),
		bailianJob: bailianJob([{ name: 'bl-locator.pdf', runMs: 0 }]),
		// Read by the workflow saved as 0.1.0 did (plain strings): indexed already.
		oldFormat: sim.dify.addDocuments(datasetId, [{ name: 'old-format.txt', script: difyCompletedScript() }]),
		// What the scripted chat model asks the Dify Knowledge tool about: indexed already.
		agent: sim.dify.addDocuments(datasetId, ['agent-a.txt', 'agent-b.txt'].map((name) => ({ name, script: difyCompletedScript() }))),
	};

	const control = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		res.setHeader('content-type', 'application/json');
		const mode = url.searchParams.get('mode') as TriggerMode;
		if (url.pathname.startsWith('/triggers/') && !TRIGGER_MODES.includes(mode)) {
			res.statusCode = 400;
			res.end(JSON.stringify({ error: `mode must be one of ${TRIGGER_MODES.join(', ')}` }));
		} else if (url.pathname === '/triggers/cases') {
			res.end(JSON.stringify(triggers.cases(mode)));
		} else if (url.pathname === '/triggers/stage') {
			try {
				res.end(JSON.stringify(triggers.stage(mode, Number(url.searchParams.get('stage')))));
			} catch (error) {
				res.statusCode = 409;
				res.end(JSON.stringify({ error: (error as Error).message }));
			}
		} else if (url.pathname === '/triggers/calls') {
			res.end(JSON.stringify(triggers.calls(mode, Number(url.searchParams.get('since') ?? 0))));
		} else if (url.pathname === '/backoff/throttle') {
			sim.injectFault({
				vendor: 'dify',
				path: new RegExp(`^/datasets/${backoffDatasetId}/`),
				times: Infinity,
				kind: {
					type: 'status',
					status: 403,
					headers: { 'Retry-After': String(backoff.retryAfterSeconds) },
					body: { code: 'forbidden', message: DIFY_RATE_LIMIT_MESSAGE, status: 403 },
				},
			});
			res.end(JSON.stringify({ throttled: backoffDatasetId }));
		} else if (url.pathname === '/coze/idsAsNumbers') {
			sim.coze.idsAsNumbers = url.searchParams.get('on') === '1';
			res.end(JSON.stringify({ idsAsNumbers: sim.coze.idsAsNumbers }));
		} else if (url.pathname === '/requests') {
			res.end(
				JSON.stringify(
					sim.requests.map((r) => ({
						seq: r.seq,
						vendor: r.vendor,
						method: r.method,
						path: r.path,
						status: r.status,
						at: r.at,
						authorized: r.headers.authorization !== undefined,
						agwJsConv: r.headers['agw-js-conv'] ?? null,
						amzTarget: r.headers['x-amz-target'] ?? null,
					})),
				),
			);
		} else {
			res.statusCode = 404;
			res.end('{}');
		}
	});
	await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
	const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;

	const info = {
		baseUrl: sim.dify.baseUrl,
		apiKey: DIFY_API_KEY,
		datasetId,
		wait,
		get,
		summary,
		trigger,
		wrong,
		exampleDatasetId,
		coze,
		kendra,
		bedrock,
		bailian,
		openai,
		locators,
		queue,
		backoff,
		// What the one-vendor packages' Get and Wait read instead of the fields above of the same name.
		alone: { ...aloneDify, coze: aloneCoze, kendra: aloneKendra, bailian: aloneBailian, openai: aloneOpenAi, bedrock: aloneBedrock },
		// The trigger cases as they are at the start (e2e/fixtures.js writes their workflows).
		triggers: triggers.cases(),
		controlUrl,
	};
	// Written under a temporary name and renamed, so the runner never reads half a file.
	fs.writeFileSync(`${infoFile}.tmp`, JSON.stringify(info, null, 2));
	fs.renameSync(`${infoFile}.tmp`, infoFile);

	const stop = async () => {
		control.close();
		await sim.close();
		process.exit(0);
	};
	process.on('SIGTERM', () => void stop());
	process.on('SIGINT', () => void stop());
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
