import { NodeHelpers } from 'n8n-workflow';
import type { INodeProperties, INodePropertyMode, INodeTypeDescription } from 'n8n-workflow';

import { InputError } from '../../nodes/shared/errors';
import type { LocatorSpec } from '../../nodes/shared/locator';
import { isLocatorValue, locatorProperty, locatorValue } from '../../nodes/shared/locator';
import { bailianIndexLocator, bailianWorkspaceLocator } from '../../nodes/Bailian/BailianAdapter';
import { cozeDatasetLocator } from '../../nodes/Coze/CozeAdapter';
import { difyDatasetLocator } from '../../nodes/Dify/DifyAdapter';
import { kendraIndexLocator } from '../../nodes/AmazonKendra/AmazonKendraAdapter';

const spec: LocatorSpec = {
	label: 'Thing ID',
	searchMethod: 'searchThings',
	searchable: true,
	url: { pattern: 'https?://[^\\s/]+/things/(\\d+)(?:[/?#][^\\s]*)?', shape: 'https://example.com/things/<ID>', placeholder: 'e.g. https://example.com/things/42' },
	id: { pattern: '\\s*\\d+\\s*', expected: 'digits', placeholder: 'e.g. 42' },
};

describe('locatorValue', () => {
	it('returns a plain value untouched, as workflows saved before the locator hold it', () => {
		expect(locatorValue('42', spec)).toBe('42');
		expect(locatorValue(' https://example.com/things/42 ', spec)).toBe(' https://example.com/things/42 ');
		expect(locatorValue(42, spec)).toBe(42);
		expect(locatorValue(undefined, spec)).toBeUndefined();
		expect(isLocatorValue('42')).toBe(false);
		expect(isLocatorValue({ __rl: true, mode: 'id', value: '42' })).toBe(true);
	});

	it('returns the value of the list and ID modes as typed, for the adapter to check', () => {
		expect(locatorValue({ __rl: true, mode: 'list', value: '42', cachedResultName: 'Forty-two' }, spec)).toBe('42');
		expect(locatorValue({ __rl: true, mode: 'id', value: ' 42 ' }, spec)).toBe(' 42 ');
		expect(locatorValue({ __rl: true, mode: 'id', value: 7 }, spec)).toBe(7);
		expect(locatorValue({ __rl: true, mode: 'list', value: '' }, spec)).toBe('');
	});

	it('takes the id out of a URL, and names the expected shape when the URL does not fit', () => {
		expect(locatorValue({ __rl: true, mode: 'url', value: ' https://example.com/things/42/edit ' }, spec)).toBe('42');
		expect(() => locatorValue({ __rl: true, mode: 'url', value: 'https://example.com/other/42' }, spec)).toThrow(
			new InputError('Thing ID (By URL) "https://example.com/other/42" is not a URL of the expected shape: expected https://example.com/things/<ID>'),
		);
		expect(() => locatorValue({ __rl: true, mode: 'url', value: ['x'] }, spec)).toThrow(
			'Thing ID (By URL) is an array: expected a URL such as https://example.com/things/<ID>',
		);
		expect(locatorValue({ __rl: true, mode: 'url', value: '' }, spec)).toBe('');
	});

	it('reads an unknown mode\'s value as it is (a later version may add modes)', () => {
		expect(locatorValue({ __rl: true, mode: 'name', value: 'x' }, spec)).toBe('x');
	});
});

describe('locatorProperty', () => {
	it('builds From List, By URL and By ID, with the list method and n8n\'s regex checks', () => {
		const property = locatorProperty({ displayName: 'Thing', name: 'thingId', description: 'd', required: true }, spec);
		expect(property).toMatchObject({ displayName: 'Thing', name: 'thingId', type: 'resourceLocator', required: true, default: { mode: 'list', value: '' } });
		const modes = property.modes as INodePropertyMode[];
		expect(modes.map((mode) => mode.name)).toEqual(['list', 'url', 'id']);
		expect(modes[0].typeOptions).toEqual({ searchListMethod: 'searchThings', searchable: true });
		expect(modes[1].extractValue).toEqual({ type: 'regex', regex: spec.url?.pattern });
	});

	it('leaves out By URL when there are no console pages to paste', () => {
		const { url: _url, ...withoutUrl } = spec;
		const property = locatorProperty({ displayName: 'Thing', name: 'thingId', description: 'd' }, withoutUrl);
		expect((property.modes as INodePropertyMode[]).map((mode) => mode.name)).toEqual(['list', 'id']);
	});
});

/** What n8n checks as the user types: the mode's regex, anchored at both ends. */
function issuesOf(property: INodeProperties, value: unknown): string[] {
	const description = { properties: [property] } as unknown as INodeTypeDescription;
	const node = { name: 'n', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: { [property.name]: value } } as never;
	const issues = NodeHelpers.getNodeParametersIssues([property], node, description);
	return (issues?.parameters?.[property.name] as string[] | undefined) ?? [];
}

/** What n8n extracts in By URL mode (n8n-core's extractValue: the first group of regex.exec). */
function n8nExtract(pattern: string, url: string): string | null {
	return new RegExp(pattern).exec(url)?.[1] ?? null;
}

describe('the vendors\' locators', () => {
	const cases: Array<[string, LocatorSpec, string[], string[], string[], string[]]> = [
		[
			'Dify',
			difyDatasetLocator,
			['https://cloud.dify.ai/datasets/5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70/documents', 'http://10.0.0.5/datasets/5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70'],
			['https://cloud.dify.ai/apps', 'https://cloud.dify.ai/datasets/not-a-uuid/documents'],
			['5f3c1c2e-0b6a-4f7e-9d1a-2b3c4d5e6f70', ' 5F3C1C2E-0B6A-4F7E-9D1A-2B3C4D5E6F70 '],
			['5f3c1c2e', 'a/b'],
		],
		[
			'Coze',
			cozeDatasetLocator,
			['https://www.coze.cn/space/7351/knowledge/7442585813587681111', 'https://www.coze.com/space/7351/knowledge/7442585813587681111?page_mode=normal'],
			['https://www.coze.cn/space/7351/bot/744', 'https://www.coze.cn/space/7351/knowledge/'],
			['7442585813587681111'],
			['kb-1', '7442 5813'],
		],
		[
			'Bailian',
			bailianIndexLocator,
			['https://bailian.console.aliyun.com/?tab=app#/knowledge-base/detail/6aovdv07rm', 'https://bailian.console.aliyun.com/cn-beijing#/knowledge-base/detail/tajgw3h4fh'],
			['https://bailian.console.aliyun.com/#/knowledge-base', 'https://bailian.console.aliyun.com/#/app-center'],
			['79c0aly8zw'],
			['79c0 aly8zw', 'a/b'],
		],
		[
			'Kendra',
			kendraIndexLocator,
			[
				'https://us-east-1.console.aws.amazon.com/kendra/home?region=us-east-1#indexes/0123abcd-0000-1111-2222-333344445555',
				'https://console.aws.amazon.com/kendra/home?region=eu-west-1#/indexes/0123abcd-0000-1111-2222-333344445555/details',
			],
			['https://us-east-1.console.aws.amazon.com/kendra/home#indexes/short', 'https://us-east-1.console.aws.amazon.com/s3/home'],
			['0123abcd-0000-1111-2222-333344445555'],
			['0123abcd', '0123abcd-0000-1111-2222-3333444455556'],
		],
	];

	it.each(cases)('%s: URLs and IDs of the right shape pass n8n\'s checks, others get the message', (_vendor, locator, goodUrls, badUrls, goodIds, badIds) => {
		const property = locatorProperty({ displayName: 'X', name: 'x', description: 'd' }, locator);
		for (const url of goodUrls) {
			expect({ url, issues: issuesOf(property, { __rl: true, mode: 'url', value: url }) }).toEqual({ url, issues: [] });
			// n8n's own extraction and the node's agree.
			expect(n8nExtract(locator.url?.pattern as string, url)).toBe(locatorValue({ __rl: true, mode: 'url', value: url }, locator));
		}
		for (const url of badUrls) {
			expect(issuesOf(property, { __rl: true, mode: 'url', value: url })).toEqual([`Expected a URL such as ${locator.url?.shape}`]);
			expect(() => locatorValue({ __rl: true, mode: 'url', value: url }, locator)).toThrow(InputError);
		}
		for (const id of goodIds) expect({ id, issues: issuesOf(property, { __rl: true, mode: 'id', value: id }) }).toEqual({ id, issues: [] });
		for (const id of badIds) expect(issuesOf(property, { __rl: true, mode: 'id', value: id })).toEqual([`Expected ${locator.id.expected}`]);
		// An expression is checked at run time, not as it is typed.
		expect(issuesOf(property, { __rl: true, mode: 'id', value: '={{ $json.id }}' })).toEqual([]);
	});

	it('Bailian Workspace: may stay empty (the credential\'s default) and has no URL mode', () => {
		const property = locatorProperty({ displayName: 'Workspace', name: 'workspaceId', description: 'd' }, bailianWorkspaceLocator);
		expect((property.modes as INodePropertyMode[]).map((mode) => mode.name)).toEqual(['list', 'id']);
		expect(issuesOf(property, { __rl: true, mode: 'id', value: '' })).toEqual([]);
		expect(issuesOf(property, { __rl: true, mode: 'id', value: 'llm-3z7uw7fwz0vexxxx' })).toEqual([]);
		expect(issuesOf(property, { __rl: true, mode: 'id', value: 'llm 3z7' })).toEqual([`Expected ${bailianWorkspaceLocator.id.expected}`]);
	});
});
