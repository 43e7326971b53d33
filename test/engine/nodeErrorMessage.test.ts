import type { INode } from 'n8n-workflow';

import { VendorRequestError, toNodeError } from '../../nodes/shared/errors';

const node: INode = { id: 'n', name: 'Node', type: 'test.node', typeVersion: 1, position: [0, 0], parameters: {} };

describe('toNodeError', () => {
	it('keeps a vendor message that contains a socket error code, which n8n would replace', () => {
		const error = new VendorRequestError(
			'Vendor',
			'Call',
			{
				kind: 'not_found',
				retryable: false,
				httpStatus: 400,
				code: 'ResourceNotFoundException',
				message: 'ResourceNotFoundException: Index x does not exist',
				requestId: 'r-1',
			},
			1,
		);
		const nodeError = toNodeError(node, error, 0, []);
		expect(nodeError.message).toBe('Vendor Call failed: ResourceNotFoundException: Index x does not exist');
		expect(nodeError.description).toBe('HTTP 400, code ResourceNotFoundException, request id r-1.');
	});
});
