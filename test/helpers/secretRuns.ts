import { SECRET_RUN_LENGTH } from '../../nodes/shared/errors';

/** Every run of SECRET_RUN_LENGTH characters of a secret that appears in `text`. */
export function leakedRuns(text: string, secrets: string[]): string[] {
	const runs: string[] = [];
	for (const secret of secrets) {
		for (let i = 0; i + SECRET_RUN_LENGTH <= secret.length; i++) {
			const run = secret.slice(i, i + SECRET_RUN_LENGTH);
			if (text.includes(run)) runs.push(run);
		}
	}
	return runs;
}

/**
 * Everything a run leaves for the user to see, as one text: the output items, n8n's run data
 * and the error with its description, context and stack.
 */
export function serializeRun(result: { items: unknown; runData?: unknown; error?: unknown }): string {
	const error = result.error as (Error & { description?: string; context?: unknown }) | undefined;
	return JSON.stringify({
		items: result.items,
		runData: result.runData,
		error: error && { message: error.message, description: error.description, context: error.context, stack: error.stack },
	});
}
