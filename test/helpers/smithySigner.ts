/**
 * AWS's own SigV4 signer (@smithy/signature-v4, what the AWS SDK v3 signs with), for the
 * conformance tests of the package's signer.
 */
import { createHash, createHmac } from 'node:crypto';

import { SignatureV4 } from '@smithy/signature-v4';

import type { SigV4Credentials, SigV4Request } from '../../credentials/signing/sigv4';

/** The hash interface smithy expects, over node:crypto (what @smithy/hash-node does). */
class NodeSha256 {
	private readonly hash;

	constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
		this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
	}

	update(data: string | ArrayBuffer | ArrayBufferView) {
		this.hash.update(bytes(data));
	}

	async digest(): Promise<Uint8Array> {
		return new Uint8Array(this.hash.digest());
	}
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
	if (typeof data === 'string') return data;
	if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	return new Uint8Array(data);
}

export interface SmithyCase {
	request: SigV4Request;
	credentials: SigV4Credentials;
	region: string;
}

/** The headers smithy adds when it signs `testCase` for `service` at `date` (lowercased names). */
export async function smithySign(testCase: SmithyCase, service: string, date: Date): Promise<Record<string, string>> {
	const url = new URL(testCase.request.url);
	const query: Record<string, string | string[]> = {};
	for (const key of new Set(url.searchParams.keys())) {
		const values = url.searchParams.getAll(key);
		query[key] = values.length === 1 ? values[0] : values;
	}
	const headers = { ...testCase.request.headers };
	if (!Object.keys(headers).some((name) => name.toLowerCase() === 'host')) headers.host = url.host;
	const signer = new SignatureV4({
		credentials: testCase.credentials,
		region: testCase.region,
		service,
		sha256: NodeSha256,
		// The package sends no x-amz-content-sha256 (the wire capture in the vendor notes).
		applyChecksum: false,
	});
	// A plain request object: the signer clones it into its own HttpRequest.
	const signed = await signer.sign(
		{
			method: testCase.request.method,
			protocol: url.protocol,
			hostname: url.hostname,
			port: url.port ? Number(url.port) : undefined,
			path: url.pathname,
			query,
			headers,
			body: testCase.request.body,
		},
		{ signingDate: date },
	);
	return signed.headers as Record<string, string>;
}
