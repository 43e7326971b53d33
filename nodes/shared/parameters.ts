import type { IExecuteFunctions } from 'n8n-workflow';

import type { NodeContext } from './vendor';

function isExecuteContext(ctx: NodeContext): ctx is IExecuteFunctions {
	return typeof (ctx as Partial<IExecuteFunctions>).getInputData === 'function';
}

/**
 * One parameter for one item. Action nodes read parameters per item; a polling trigger's
 * getNodeParameter takes no item index (its second argument is the fallback).
 */
export function readParameter(ctx: NodeContext, name: string, itemIndex: number, fallback: unknown): unknown {
	if (isExecuteContext(ctx)) return ctx.getNodeParameter(name, itemIndex, fallback);
	return ctx.getNodeParameter(name, fallback);
}
