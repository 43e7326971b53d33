/** Reading vendors' JSON answers, whose fields may be missing or of another type. */

/** The value as a JSON object, or null when it is none (null, an array, a string…). */
export function jsonObject(value: unknown): Record<string, unknown> | null {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The value as trimmed text, or null when it is not a string or only blanks. */
export function nonEmptyText(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
