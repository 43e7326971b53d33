/**
 * The baseline: the loop users build today, Wait → HTTP Request → IF, run for real. Each round is
 * one execution of an HTTP Request stand-in through n8n-core, with one item (so one call) per
 * document that is not done yet, signed by the same credential as the package's node. The IF
 * keeps the documents the answers do not show as done; the Wait sleeps the poll interval on the
 * simulator's clock, like the package's node.
 */
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runNode } from '../../test/harness';
import type { Simulator } from '../../test/simulator';
import type { Mode, Placed } from './modes';
import { simulatedTime } from './virtualTime';

/** What n8n's HTTP Request node does with "Predefined Credential Type": one call per item, all at once. */
class HttpRequestStandIn implements INodeType {
	description: INodeTypeDescription;

	constructor(credentialType: string) {
		this.description = {
			displayName: 'HTTP Request (stand-in)',
			name: 'httpRequestStandIn',
			group: ['transform'],
			version: 1,
			description: 'One authenticated call per item, as the HTTP Request node makes them',
			defaults: { name: 'HTTP Request' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType, required: true }],
			properties: [{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: credentialType }],
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentialType = this.getNodeParameter('credentialType', 0) as string;
		const items = this.getInputData();
		const answers = await Promise.all(
			items.map(async (item, index) => {
				const request = item.json.request as unknown as IHttpRequestOptions;
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
					...request,
					json: false,
					encoding: 'text',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				})) as { statusCode: number; body: string };
				return { json: { id: item.json.id, statusCode: response.statusCode, body: String(response.body) }, pairedItem: { item: index } };
			}),
		);
		return [answers];
	}
}

export interface LoopOutcome {
	calls: number;
	rounds: number;
}

/** Runs the loop until every document is done (or `limitMs` of simulated time has passed). */
export async function runHandBuiltLoop(mode: Mode, sim: Simulator, placed: Placed, limitMs: number): Promise<LoopOutcome> {
	const pending = new Set(placed.ids);
	const started = simulatedTime.now();
	let calls = 0;
	let rounds = 0;
	const credentials = mode.credentials(sim);
	for (;;) {
		rounds += 1;
		const input = [...pending].map((id) => ({ id, request: mode.loopRequest(sim, placed, id) as unknown as Record<string, unknown> }));
		const result = await runNode({
			node: new HttpRequestStandIn(credentials.type),
			parameters: { credentialType: credentials.type },
			input: input as never,
			credentials,
			credentialTypes: [mode.credentialType()],
		});
		if (result.error) throw result.error;
		calls += input.length;
		for (const item of result.items) {
			if (item.json.statusCode !== 200) continue;
			if (mode.loopDone(JSON.parse(String(item.json.body)))) pending.delete(String(item.json.id));
		}
		if (pending.size === 0 || simulatedTime.now() - started > limitMs) break;
		// The Wait node.
		await simulatedTime.sleep(mode.intervalSeconds * 1000);
	}
	if (pending.size > 0) throw new Error(`${mode.label}: the loop left ${pending.size} documents unfinished`);
	return { calls, rounds };
}
