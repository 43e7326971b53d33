import type { INodeProperties } from 'n8n-workflow';

import { InputError } from './errors';

/**
 * How one knowledge-base id is picked in the editor: from a searchable list, by pasting the
 * vendor console's URL, or by typing the id. The vendor's adapter says what its URLs and ids
 * look like; this module turns that into n8n's resource locator and reads the value back.
 *
 * Workflows saved before these parameters were resource locators store a plain string. Those
 * strings are read exactly as before, so old workflows run unchanged.
 */
export interface LocatorSpec {
	/** What the parameter names, for messages: e.g. "Dataset ID". */
	label: string;
	/** The node's `methods.listSearch` entry that fills the list. */
	searchMethod: string;
	/** Whether the list can be filtered by the search text. */
	searchable: boolean;
	url?: {
		/**
		 * A regular expression that matches a whole URL (n8n checks `^pattern$` as the user
		 * types) and captures the id in its one group (n8n and the node search for it).
		 */
		pattern: string;
		/** The expected shape, as shown to the user, e.g. https://<host>/datasets/<ID>/documents. */
		shape: string;
		placeholder: string;
	};
	id: {
		/** A regular expression the whole id must match (n8n checks `^pattern$` as the user types). */
		pattern: string;
		/** What an id looks like, for the validation message: e.g. "a UUID". */
		expected: string;
		placeholder: string;
	};
}

export const LOCATOR_MODE_LIST = 'list';
export const LOCATOR_MODE_URL = 'url';
export const LOCATOR_MODE_ID = 'id';

/** A resource locator value as n8n saves it. */
interface LocatorValue {
	__rl: true;
	mode?: unknown;
	value?: unknown;
}

export function isLocatorValue(value: unknown): value is LocatorValue {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && '__rl' in value;
}

/**
 * The value a locator parameter holds: a plain string (a workflow saved before it was a
 * locator, or an expression's result) is returned as it is; a locator gives its value, with the
 * id taken out of the URL in By URL mode. The adapter then checks the id as it always has.
 */
export function locatorValue(value: unknown, spec: LocatorSpec): unknown {
	if (!isLocatorValue(value)) return value;
	const inner = value.value;
	if (value.mode !== LOCATOR_MODE_URL || !spec.url) return inner;
	if (typeof inner !== 'string' || inner.trim() === '') {
		if (inner === undefined || inner === null || inner === '') return '';
		throw new InputError(`${spec.label} (By URL) is ${describe(inner)}: expected a URL such as ${spec.url.shape}`);
	}
	const url = inner.trim();
	const match = new RegExp(spec.url.pattern).exec(url);
	if (!match || match[1] === undefined) {
		throw new InputError(`${spec.label} (By URL) "${url}" is not a URL of the expected shape: expected ${spec.url.shape}`);
	}
	return match[1];
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number') return `the number ${value}`;
	return `of type ${typeof value}`;
}

/**
 * The resource locator property: From List (searchable when the vendor can filter), By URL
 * (when the vendor's console has a page per item) and By ID, the last two checked as the user
 * types. `base` carries the name, display name, description and the like.
 */
export function locatorProperty(
	base: Pick<INodeProperties, 'displayName' | 'name' | 'description'> & Partial<INodeProperties>,
	spec: LocatorSpec,
): INodeProperties {
	const url = spec.url ?? { pattern: '', shape: '', placeholder: '' };
	const property: INodeProperties = {
		...base,
		type: 'resourceLocator',
		default: { mode: LOCATOR_MODE_LIST, value: '' },
		modes: [
			{
				displayName: 'From List',
				name: LOCATOR_MODE_LIST,
				type: 'list',
				placeholder: `Select a ${itemWord(spec)}...`,
				typeOptions: { searchListMethod: spec.searchMethod, searchable: spec.searchable },
			},
			{
				displayName: 'By URL',
				name: LOCATOR_MODE_URL,
				type: 'string',
				placeholder: url.placeholder,
				hint: `The address of its page in the console: ${url.shape}`,
				validation: [
					{
						type: 'regex',
						properties: { regex: url.pattern, errorMessage: `Expected a URL such as ${url.shape}` },
					},
				],
				extractValue: { type: 'regex', regex: url.pattern },
			},
			{
				displayName: 'By ID',
				name: LOCATOR_MODE_ID,
				type: 'string',
				placeholder: spec.id.placeholder,
				validation: [
					{
						type: 'regex',
						properties: { regex: spec.id.pattern, errorMessage: `Expected ${spec.id.expected}` },
					},
				],
			},
		],
	};
	// Without console pages to paste, there is no By URL mode.
	if (!spec.url) property.modes = property.modes?.filter((mode) => mode.name !== LOCATOR_MODE_URL);
	return property;
}

function itemWord(spec: LocatorSpec): string {
	return spec.label.replace(/ ID$/, '').toLowerCase();
}
