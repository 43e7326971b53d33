import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { VendorClient } from './client';
import { realClock } from './clock';
import { InputError, toNodeError } from './errors';
import { credentialSecrets } from './execute';
import { summarize } from './status';
import { diffTriggerState } from './triggerState';
import type { TriggerState } from './triggerState';
import type { DocumentStatus } from './types';
import type { StatusAdapter, WatchTarget } from './vendor';
import { ItemFailure, watchDocuments } from './watch';

const STATE_KEY = 'indexingStatus';

/**
 * The `poll()` of every trigger node: look at the watched documents once, compare with what the
 * trigger remembers, and emit what finished since. The state is written only when the poll
 * succeeds, so a failed poll neither loses nor repeats a document.
 */
export async function pollIndexingStatus<T extends WatchTarget>(
	this: IPollFunctions,
	adapter: StatusAdapter<T>,
): Promise<INodeExecutionData[][] | null> {
	const node = this.getNode();
	const secrets = await credentialSecrets(this, adapter.spec);
	let target: T;
	let event: string;
	let includeRaw: boolean;
	let documents: DocumentStatus[];
	try {
		target = adapter.readTarget(this, 0);
		event = this.getNodeParameter('event', 'documentFinished') as string;
		if (event !== 'documentFinished' && event !== 'allFinished') {
			throw new InputError(`Trigger On is "${event}": expected "documentFinished" or "allFinished"`);
		}
		includeRaw = (this.getNodeParameter('options', {}) as IDataObject).includeRaw === true;
		const client = new VendorClient(this, adapter.spec, realClock);
		const [result] = await watchDocuments(
			adapter,
			client,
			[{ itemIndex: 0, target, pollIntervalMs: 0, timeoutMs: null, notFoundGraceMs: 0 }],
			{ clock: realClock, failFast: true },
		);
		documents = result.documents.map((d) => (includeRaw ? d : withoutRaw(d)));
	} catch (error) {
		throw toNodeError(node, error instanceof ItemFailure ? error.reason : error, undefined, secrets);
	}

	const summaryItem = () => ({
		json: summarize(adapter.spec.name, target.knowledgeBaseId, target.jobId, documents) as unknown as IDataObject,
	});

	if (this.getMode() === 'manual') {
		if (documents.length === 0) return null;
		return [event === 'allFinished' ? [summaryItem()] : documents.map((d) => ({ json: d as unknown as IDataObject }))];
	}

	const staticData = this.getWorkflowStaticData('node');
	const diff = diffTriggerState(staticData[STATE_KEY] as TriggerState | undefined, target, event, documents);
	staticData[STATE_KEY] = diff.next as unknown as IDataObject;

	if (event === 'allFinished') return diff.allFinished ? [[summaryItem()]] : null;
	if (diff.newlyFinished.length === 0) return null;
	return [diff.newlyFinished.map((d) => ({ json: d as unknown as IDataObject }))];
}

function withoutRaw(document: DocumentStatus): DocumentStatus {
	const copy = { ...document };
	delete copy.raw;
	return copy;
}
