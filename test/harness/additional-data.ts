import { ExternalSecretsProxy } from 'n8n-core';
import type { ExecutionLifecycleHooks } from 'n8n-core';
import { UnexpectedError } from 'n8n-workflow';
import type {
	ICredentialsHelper,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

let executionCounter = 0;

/** Execution ids only need to be unique within the process; they show up in `$execution.id`. */
export function nextExecutionId(): string {
	executionCounter += 1;
	return `harness-${executionCounter}`;
}

const INSTANCE_URL = 'http://localhost:5678';

/**
 * The per-execution services n8n's CLI hands to n8n-core. Only what a node of this package can
 * reach is real (credentials, lifecycle hooks, execution id); sub-workflows and task runners are
 * out of scope and fail loudly instead of pretending to work.
 */
export function createAdditionalData(options: {
	credentialsHelper: ICredentialsHelper;
	executionId: string;
	hooks?: ExecutionLifecycleHooks;
}): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: options.credentialsHelper,
		hooks: options.hooks,
		executionId: options.executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		restApiUrl: `${INSTANCE_URL}/rest`,
		instanceBaseUrl: INSTANCE_URL,
		formWaitingBaseUrl: `${INSTANCE_URL}/form-waiting`,
		webhookBaseUrl: `${INSTANCE_URL}/webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_URL}/webhook-test`,
		executeWorkflow: async () => {
			throw new UnexpectedError('The harness does not run sub-workflows');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new UnexpectedError('The harness does not run task runners (Code node)');
		},
	};
}
