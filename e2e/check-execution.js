// Checks the result of one `n8n execute --id … --rawOutput` of a workflow written by e2e/fixtures.js.
// Usage: node e2e/check-execution.js <step> <output file> <sim.json>
//   steps: dify-wait, dify-get, dify-wrong-key, dify-summary, coze-wait, coze-get, coze-number-ids, coze-wrong-token,
//          kendra-wait, kendra-get, kendra-wrong-secret, bedrock-wait, bedrock-get, bedrock-wrong-secret
//          bailian-get, bailian-wait, bailian-sts-wait, bailian-wrong-secret,
//          openai-wait, openai-get, openai-wrong-key
// Prints PASS/FAIL lines; on a failure also what n8n returned, so the cause is visible in the console.
'use strict';
const fs = require('node:fs');
const { reporter, stripColours, readExecution, nodeItems, describeExecution } = require('./lib');

const [step, outFile, simFile] = process.argv.slice(2);
const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
const output = stripColours(fs.readFileSync(outFile, 'utf8'));
const execution = readExecution(outFile);
const r = reporter(step);
const vendorNode = step.startsWith('coze')
	? 'Coze Knowledge'
	: step.startsWith('kendra')
		? 'Amazon Kendra'
		: step.startsWith('bedrock')
			? 'Amazon Bedrock Knowledge Base'
			: step.startsWith('bailian')
			? 'Bailian Knowledge'
			: step.startsWith('openai')
				? 'OpenAI Vector Store'
				: 'Dify Knowledge';
const items = nodeItems(execution, vendorNode);
const error = execution?.data?.resultData?.error ?? {};

r.check(execution !== null, 'n8n printed an execution');
switch (step) {
	case 'dify-wait':
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.length === sim.wait.documentIds.length, `one item per document of the batch (${items.length})`);
		r.check(items.length > 0 && items.every((i) => i.json.status === 'completed' && i.json.terminal === true), 'every document completed');
		r.check(items.length > 0 && items.every((i) => i.json.jobId === sim.wait.batch), 'jobId is the batch read from $json.batch');
		r.check(items.length > 0 && items.every((i) => i.pairedItem?.item === 0), 'every item paired to input item 0');
		r.check(items.length > 0 && items.every((i) => i.json.wait?.timedOut === false && i.json.wait?.polls > 1), 'wait info: more than one poll, not timed out');
		break;
	case 'dify-get':
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.length === 2, 'two items, one per input item');
		r.check(items.map((i) => i.pairedItem?.item).join() === '0,1', 'paired to input items 0 and 1');
		r.check(items.map((i) => i.json.documentId).join() === sim.get.documentIds.join(), 'document ids read from $json.document.id');
		r.check(items.length > 0 && items.every((i) => !('wait' in i.json)), 'no wait info on Get Indexing Status');
		break;
	case 'dify-wrong-key':
		r.check(execution?.status === 'error', 'execution failed');
		r.check(error.name === 'NodeApiError' && String(error.httpCode) === '401', `NodeApiError with HTTP 401 (got ${error.name}, ${error.httpCode})`);
		r.check(error.context?.itemIndex === 0, 'error names item 0');
		r.check(/API key was rejected/.test(output), 'message says the API key was rejected');
		break;
	case 'dify-summary': {
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.length === 1, 'one summary item for one input item');
		const summary = items[0]?.json ?? {};
		r.check(summary.total === 2 && summary.counts?.completed === 1 && summary.counts?.failed === 1, 'counts: 1 completed, 1 failed');
		r.check(summary.status === 'failed' && summary.terminal === true, 'summary status failed and terminal');
		r.check(Array.isArray(summary.documents) && summary.documents.length === 2, 'summary lists both documents');
		r.check(items[0]?.pairedItem?.item === 0, 'paired to input item 0');
		break;
	}
	case 'coze-wait':
	case 'coze-number-ids': {
		// coze-number-ids: the simulator writes document_id as bare JSON numbers beyond 2^53 (as
		// Coze does without Agw-Js-Conv: str); the ids must still come out exact, as strings.
		// coze-wait: two documents complete, one fails the content audit (1000), one is deleted (3).
		const ids = step === 'coze-wait' ? sim.coze.wait : sim.coze.waitNum;
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.length === ids.length, `one item per document (${items.length} of ${ids.length})`);
		r.check(items.length > 0 && items.every((i) => i.json.terminal === true), 'every document terminal');
		const ended = items.map((i) => `${i.json.status}/${i.json.vendorStatus}`).join(', ');
		if (step === 'coze-wait') {
			const expected = 'completed/1, completed/1, failed/1000, deleted/3';
			r.check(ended === expected, `statuses ${expected} (got ${ended})`);
			r.check(/content audit/.test(String(items[2]?.json.error?.message)), 'the audit failure says the content audit failed');
		} else {
			r.check(items.length > 0 && items.every((i) => i.json.status === 'completed'), 'every document completed');
		}
		r.check(items.length > 0 && items.every((i) => typeof i.json.documentId === 'string'), 'documentId is a string');
		r.check(items.map((i) => i.json.documentId).join() === ids.join(), `document ids exact: ${ids.join(', ')}`);
		r.check(items.length > 0 && items.every((i) => i.pairedItem?.item === 0), 'every item paired to input item 0');
		r.check(items.length > 0 && items.every((i) => i.json.wait?.timedOut === false), 'wait info: not timed out');
		break;
	}
	case 'coze-get': {
		// One round: each document as it is now, whatever that is.
		const statuses = ['queued', 'processing', 'paused', 'completed', 'failed', 'deleted', 'not_found', 'unknown'];
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.map((i) => i.json.documentId).join() === sim.coze.wait.join(), `one item per document id read from $json.document_infos (${items.length})`);
		r.check(items.length > 0 && items.every((i) => i.json.vendor === 'coze' && statuses.includes(i.json.status) && i.pairedItem?.item === 0 && !('wait' in i.json)), 'normalized Coze items with a status, paired to input item 0, no wait info');
		break;
	}
	case 'coze-wrong-token':
		r.check(execution?.status === 'error', 'execution failed');
		r.check(error.name === 'NodeApiError' && String(error.httpCode) === '401', `NodeApiError with HTTP 401 (got ${error.name}, ${error.httpCode})`);
		r.check(/access token/i.test(output), 'message speaks of the access token');
		break;
	case 'kendra-wait': {
		const ids = sim.kendra.wait;
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.map((i) => i.json.documentId).join('|') === ids.join('|'), `one item per accepted document, the rejected one left out (${items.length})`);
		r.check(items.length === 3 && items.every((i) => i.json.vendor === 'kendra' && i.json.knowledgeBaseId === sim.kendra.indexId && i.json.terminal === true), 'every document terminal, vendor kendra, knowledgeBaseId the index');
		r.check(items.filter((i) => i.json.status === 'completed').length === 2, 'two documents completed (after NOT_FOUND, then PROCESSING)');
		const scan = items.find((i) => i.json.documentId === 'e2e/wait-scan.pdf')?.json ?? {};
		r.check(scan.status === 'failed' && scan.error?.code === 'InvalidRequest' && scan.error?.message === 'No text could be extracted', 'the scan failed with FailureCode and FailureReason');
		r.check(items.length > 0 && items.every((i) => i.json.wait?.polls === 3 && i.json.wait?.timedOut === false), 'wait info: 3 polls (NOT_FOUND, PROCESSING, final), not timed out');
		r.check(items.length > 0 && items.every((i) => /^5e1a0c7d-/.test(i.json.requestId ?? '')), 'requestId from x-amzn-RequestId');
		r.check(items.length > 0 && items.every((i) => i.pairedItem?.item === 0), 'every item paired to input item 0');
		break;
	}
	case 'kendra-get':
		r.check(execution?.status === 'success', 'execution succeeded with temporary credentials (session token)');
		r.check(items.map((i) => i.json.documentId).join() === sim.kendra.get.join(), 'document ids read from $json.ids, one item per input item');
		r.check(items.map((i) => i.pairedItem?.item).join() === '0,1', 'paired to input items 0 and 1');
		r.check(items.length === 2 && items.every((i) => i.json.status === 'not_found' && i.json.vendorStatus === 'NOT_FOUND' && !('wait' in i.json)), 'NOT_FOUND right after the upload, one look, no wait info');
		break;
	case 'kendra-wrong-secret':
		r.check(execution?.status === 'error', 'execution failed');
		r.check(error.name === 'NodeApiError' && String(error.httpCode) === '400', `NodeApiError with HTTP 400 (got ${error.name}, ${error.httpCode})`);
		r.check(/InvalidSignatureException/.test(output) && /Secret Access Key/.test(output), 'message names InvalidSignatureException and the Secret Access Key');
		r.check(!output.includes(sim.kendra.temp.sessionToken), 'the session token AWS echoes is not in the output');
		break;
	case 'bedrock-wait': {
		// The job runs (STARTING, IN_PROGRESS, COMPLETE), then the documents it touched are listed
		// until each has ended; the job item goes once the job completed.
		const b = sim.bedrock;
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.map((i) => i.json.documentId).sort().join('|') === [...b.wait].sort().join('|'), `one item per document of the job, no job item (${items.map((i) => i.json.documentId).join(', ')})`);
		r.check(
			items.length === 3 && items.every((i) => i.json.vendor === 'bedrock' && i.json.knowledgeBaseId === b.knowledgeBaseId && i.json.terminal === true),
			'every document terminal, vendor bedrock, knowledgeBaseId the knowledge base',
		);
		r.check(items.length === 3 && items.every((i) => i.json.jobId === b.waitJob && i.json.jobStatus === 'COMPLETE'), 'jobId read from $json.ingestionJob.ingestionJobId, jobStatus COMPLETE');
		r.check(items.filter((i) => i.json.status === 'completed' && i.json.vendorStatus === 'INDEXED').length === 2, 'two documents completed (INDEXED)');
		const scan = items.find((i) => i.json.documentId === 'e2e-wait-scan')?.json ?? {};
		r.check(scan.status === 'failed' && scan.error?.code === 'FAILED' && scan.error?.message === 'No text could be extracted', 'the scan failed, its statusReason as the message');
		r.check(items.length > 0 && items.every((i) => i.json.wait?.polls > 1 && i.json.wait?.timedOut === false), 'wait info: more than one poll, not timed out');
		r.check(items.length > 0 && items.every((i) => i.pairedItem?.item === 0), 'every item paired to input item 0');
		break;
	}
	case 'bedrock-get':
		r.check(execution?.status === 'success', 'execution succeeded with temporary credentials (session token)');
		r.check(items.map((i) => i.json.documentId).join() === sim.bedrock.get.join(), 'document ids read from $json.ids, one item per input item');
		r.check(items.map((i) => i.pairedItem?.item).join() === '0,1', 'paired to input items 0 and 1');
		r.check(
			items.length === 2 && items.every((i) => i.json.status === 'queued' && i.json.vendorStatus === 'PENDING' && i.json.jobId === null && !('wait' in i.json)),
			'PENDING right after the ingestion, one look, no job, no wait info',
		);
		break;
	case 'bedrock-wrong-secret':
		r.check(execution?.status === 'error', 'execution failed');
		r.check(error.name === 'NodeApiError' && String(error.httpCode) === '403', `NodeApiError with HTTP 403 (got ${error.name}, ${error.httpCode})`);
		r.check(/InvalidSignatureException/.test(output) && /Secret Access Key/.test(output), 'message names InvalidSignatureException and the Secret Access Key');
		r.check(!output.includes(sim.bedrock.temp.sessionToken), 'the session token is not in the output');
		break;
	case 'bailian-get': {
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.length === 2, `one item per document of the job (${items.length})`);
		const [a, b] = items.map((i) => i.json);
		r.check(a?.jobId === sim.bailian.getJob && b?.jobId === sim.bailian.getJob, 'jobId read from $json.Data.Id');
		r.check(a?.status === 'completed' && a?.vendorStatus === 'FINISH', 'first document completed (FINISH)');
		r.check(b?.status === 'failed' && b?.error?.code === 'Index.Document.ChunkError', 'second document failed with its code, though the job completed');
		r.check(items.every((i) => i.json.jobStatus === 'COMPLETED' && i.json.knowledgeBaseId === sim.bailian.indexId), 'jobStatus COMPLETED, knowledgeBaseId the index');
		r.check(items.every((i) => i.pairedItem?.item === 0), 'every item paired to input item 0');
		break;
	}
	case 'bailian-wait':
	case 'bailian-sts-wait': {
		const count = step === 'bailian-wait' ? 2 : 1;
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.length === count, `one item per document of the job (${items.length} of ${count})`);
		r.check(items.length > 0 && items.every((i) => i.json.status === 'completed' && i.json.jobStatus === 'COMPLETED'), 'every document completed, job COMPLETED');
		r.check(items.length > 0 && items.every((i) => i.json.wait?.timedOut === false && i.json.wait?.polls > 1), 'wait info: more than one poll, not timed out');
		r.check(items.length > 0 && items.every((i) => typeof i.json.updatedAt === 'string'), 'updatedAt from GmtModified');
		break;
	}
	case 'bailian-wrong-secret':
		r.check(execution?.status === 'error', 'execution failed');
		r.check(error.name === 'NodeApiError' && String(error.httpCode) === '400', `NodeApiError with HTTP 400 (got ${error.name}, ${error.httpCode})`);
		r.check(/Code SignatureDoesNotMatch, RequestId [0-9A-F-]{36}/.test(output), 'message names Code SignatureDoesNotMatch and the RequestId');
		r.check(/AccessKey Secret/.test(output), 'message says to check the AccessKey Secret');
		break;
	case 'openai-wait': {
		const { batchId, fileIds } = sim.openai.wait;
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.map((i) => i.json.documentId).join() === fileIds.join(), `one item per file of the batch, in the batch's order (${items.length})`);
		r.check(items.length === 3 && items.every((i) => i.json.vendor === 'openai' && i.json.knowledgeBaseId === sim.openai.vectorStoreId && i.json.jobId === batchId && i.json.terminal === true), 'every file terminal, vendor openai, the store and the batch read from $json.id');
		r.check(items.map((i) => i.json.documentName).join() === 'oa-wait-a.pdf,oa-wait-b.md,oa-wait-scan.pdf', 'documentName from GET /files/{id}');
		const scan = items[2]?.json ?? {};
		r.check(scan.status === 'failed' && scan.error?.code === 'invalid_file', 'the scan failed with last_error.code invalid_file');
		r.check(items.length > 0 && items.every((i) => i.json.wait?.polls > 1 && i.json.wait?.timedOut === false), 'wait info: more than one poll, not timed out');
		r.check(items.length > 0 && items.every((i) => /^req_/.test(i.json.requestId ?? '')), 'requestId from x-request-id');
		r.check(items.length > 0 && items.every((i) => i.pairedItem?.item === 0), 'every item paired to input item 0');
		break;
	}
	case 'openai-get': {
		r.check(execution?.status === 'success', 'execution succeeded');
		r.check(items.map((i) => i.json.documentId).join() === sim.openai.get.join(), 'file ids read from $json.id, one item per input item');
		r.check(items.map((i) => i.pairedItem?.item).join() === '0,1', 'paired to input items 0 and 1');
		const [a, b] = items.map((i) => i.json);
		r.check(a?.status === 'completed' && b?.status === 'failed' && b?.vendorStatus === 'cancelled' && b?.error?.code === 'cancelled', 'completed, and cancelled as failed with error.code cancelled');
		break;
	}
	case 'openai-wrong-key':
		r.check(execution?.status === 'error', 'execution failed');
		r.check(error.name === 'NodeApiError' && String(error.httpCode) === '401', `NodeApiError with HTTP 401 (got ${error.name}, ${error.httpCode})`);
		r.check(/Incorrect API key provided/.test(output) && /API key/.test(output), 'message gives OpenAI\'s words on the key');
		r.check(!output.includes('WRONGopenaiKEY9999LEAKME5678'), 'the key OpenAI masks and echoes is not in the output');
		break;
	default:
		r.check(false, `unknown step ${step}`);
}
if (r.failed > 0) console.log(describeExecution(execution, ['Upload result', vendorNode]).replace(/^/gm, '    '));
r.exit();
