process.env.N8N_USER_FOLDER = '/tmp/scratch-n8n';
import { WorkflowExecute, ExecutionLifecycleHooks } from 'n8n-core';
import { Workflow, NodeHelpers, NodeOperationError, ICredentialsHelper } from 'n8n-workflow';
import type { INodeType, INodeTypes, IExecuteFunctions, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

const start: INodeType = {
  description: { displayName: 'Start', name: 'start', group: ['trigger'], version: 1, description: '', defaults: { name: 'Start' }, inputs: [], outputs: ['main'], properties: [] },
  async execute(this: IExecuteFunctions) { return [[{ json: { a: 1 } }, { json: { a: 2 } }]]; },
};
const test: INodeType = {
  description: { displayName: 'T', name: 't', group: ['transform'], version: 1, description: '', defaults: { name: 'T' }, inputs: ['main'], outputs: ['main'], properties: [{displayName: 'X', name: 'x', type: 'string', default: ''}] },
  async execute(this: IExecuteFunctions) {
    const items = this.getInputData();
    const x = this.getNodeParameter('x', 1);
    if (process.env.THROW) throw new NodeOperationError(this.getNode(), 'boom', { itemIndex: 1, description: 'desc' });
    return [items.map((it, i) => ({ json: { ...it.json, x: this.getNodeParameter('x', i), x1: x, mode: this.getMode() }, pairedItem: { item: i } }))];
  },
};
const types: Record<string, INodeType> = { 'h.start': start, 'h.t': test };
const nodeTypes: INodeTypes = {
  getByName: (n) => types[n],
  getByNameAndVersion: (n, v) => NodeHelpers.getVersionedNodeType(types[n], v),
  getKnownTypes: () => ({}),
};
(async () => {
  const wf = new Workflow({ id: 'w', nodes: [
    { id: '1', name: 'Start', type: 'h.start', typeVersion: 1, position: [0,0], parameters: {} },
    { id: '2', name: 'T', type: 'h.t', typeVersion: 1, position: [200,0], parameters: { x: '={{ $json.a * 10 }}' } },
  ], connections: { Start: { main: [[{ node: 'T', type: 'main', index: 0 }]] } }, active: false, nodeTypes });
  const hooks = new ExecutionLifecycleHooks('manual', 'e1', { id: 'w', name: 'w', active: false, nodes: [], connections: {}, createdAt: new Date(), updatedAt: new Date(), isArchived: false, activeVersionId: null } as any);
  const additionalData = { hooks, credentialsHelper: {} as ICredentialsHelper, executionId: 'e1', currentNodeExecutionIndex: 0, variables: {}, restApiUrl: '', instanceBaseUrl: '', formWaitingBaseUrl: '', webhookBaseUrl: '', webhookWaitingBaseUrl: '', webhookTestBaseUrl: '' } as unknown as IWorkflowExecuteAdditionalData;
  const we = new WorkflowExecute(additionalData, 'manual');
  const run = await we.run({ workflow: wf, startNode: wf.getNode('Start')! });
  console.log(JSON.stringify(run.data.resultData.runData.T, null, 1).slice(0, 3000));
  const err = run.data.resultData.runData.T?.[0]?.error as any;
  if (err) { console.log('error own keys', JSON.stringify(Object.keys(err)), err.constructor?.name, err.name, err.message, err.description, JSON.stringify(err.context), err.stack?.split('\n')[0]); }
  console.log('resultData.error', run.data.resultData.error && Object.keys(run.data.resultData.error), run.status);
  setTimeout(() => { console.log("active", process.getActiveResourcesInfo()); const hs = (process as any)._getActiveHandles(); for (const h of hs) console.log(h.constructor?.name, h._idleTimeout, h._onTimeout?.toString().slice(0,300)); }, 100);
})();
