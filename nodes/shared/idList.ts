import { InputError } from './errors';

export interface IdListOptions {
	/**
	 * Whether the entries of an array are split at commas and new lines too (default true).
	 * Vendors whose ids are free text (paths, URIs) take each entry whole.
	 */
	splitArrayEntries?: boolean;
	/** The most ids one input item may watch (default MAX_IDS_PER_ITEM). */
	maxIds?: number;
}

/**
 * The most ids one input item may watch. A longer list is almost always an expression that
 * gathered more than meant (every document of a dataset, say); and a wait over thousands of ids
 * belongs in several items, or in the trigger's Whole Dataset mode, which pages.
 */
export const MAX_IDS_PER_ITEM = 1000;

/**
 * Reads a list of ids from a node parameter: a comma- or newline-separated string, or an
 * expression that returns an array. Ids stay strings; numbers are rejected rather than
 * converted, because a 64-bit id has already lost digits once it is a JavaScript number.
 */
export function parseIdList(value: unknown, field: string, options: IdListOptions = {}): string[] {
	const raw = collectRawIds(value, field, options.splitArrayEntries ?? true);
	const seen = new Set<string>();
	const ids: string[] = [];
	for (const candidate of raw) {
		const id = candidate.trim();
		if (id === '' || seen.has(id)) continue;
		seen.add(id);
		ids.push(id);
	}
	if (ids.length === 0) {
		throw new InputError(
			`${field} is empty: expected at least one id, as a comma- or newline-separated list or an array of strings`,
		);
	}
	const maxIds = options.maxIds ?? MAX_IDS_PER_ITEM;
	if (ids.length > maxIds) {
		throw new InputError(
			`${field} has ${ids.length} IDs: expected at most ${maxIds} per input item. Split the list over several items (each is watched in the same calls where it can be)`,
		);
	}
	return ids;
}

function collectRawIds(value: unknown, field: string, splitArrayEntries: boolean): string[] {
	if (value === undefined || value === null) return [];
	if (typeof value === 'string') return value.split(/[,\n\r]/);
	if (Array.isArray(value)) {
		return value.flatMap((entry, index) => {
			if (typeof entry === 'string') return splitArrayEntries ? entry.split(/[,\n\r]/) : [entry];
			if (typeof entry === 'bigint') return [entry.toString()];
			throw new InputError(
				`${field}[${index}] is ${describeType(entry)}: expected a string id (pass ids as strings, for example with .toString() on a BigInt, never as numbers)`,
			);
		});
	}
	if (typeof value === 'bigint') return [value.toString()];
	throw new InputError(
		`${field} is ${describeType(value)}: expected a comma- or newline-separated string or an array of strings`,
	);
}

function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number') return `the number ${value}`;
	return `of type ${typeof value}`;
}

function isBlank(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.replace(/[,\s]/g, '') === '';
	return Array.isArray(value) && value.every((entry) => typeof entry === 'string' && entry.trim() === '');
}

export interface FreeTextIdOptions {
	/** The message for a blank value: which ids are expected, and where the default reads them. */
	emptyMessage: string;
	/** The longest id the vendor takes. */
	maxLength: number;
	/** Whose ids, for the message about a long one: e.g. "<vendor> document IDs". */
	idsName: string;
}

/**
 * The `documentIds` of vendors whose ids are free text (paths, URIs, which may hold commas): a
 * comma- or newline-separated string, or an array whose entries are taken whole.
 */
export function parseFreeTextIds(value: unknown, options: FreeTextIdOptions): string[] {
	if (isBlank(value)) throw new InputError(options.emptyMessage);
	const ids = parseIdList(value, 'Document IDs', { splitArrayEntries: false });
	const tooLong = ids.find((id) => id.length > options.maxLength);
	if (tooLong !== undefined) {
		throw new InputError(
			`Document IDs contains an ID of ${tooLong.length} characters ("${tooLong.slice(0, 40)}…"): ${options.idsName} have at most ${options.maxLength}`,
		);
	}
	return ids;
}
