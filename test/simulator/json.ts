/**
 * JSON reading and writing for the simulator.
 *
 * Vendors such as Coze put 64-bit ids on the wire as bare number literals
 * (`"document_id":7442585813587681111`). `JSON.stringify` cannot produce that (it throws on
 * BigInt, and a JS number has already lost the low digits), and `JSON.parse` cannot read it
 * back exactly. The simulator therefore writes every response with `writeJson`, which emits
 * `bigint` values and `JsonNumberLiteral` markers as bare digits, and reads request bodies
 * with `parseJsonLossless`, which keeps every number as its source text so that a vendor
 * module can tell `"123"` (a string) from `123` (a number) and never rounds an id.
 *
 * This is deliberately independent of the package's own lossless parser: the simulator is
 * the reference the client code is tested against, so it must not share its bugs.
 */

/** A number written (or read) as its exact source digits, e.g. an int64 id. */
export class JsonNumberLiteral {
	readonly text: string;

	constructor(text: string | bigint | number) {
		const value = String(text);
		// Only valid JSON number syntax may be emitted bare; anything else would corrupt the output.
		if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(value)) {
			throw new TypeError(`Not a JSON number literal: ${value}`);
		}
		this.text = value;
	}

	/** True when the literal is an integer without fraction or exponent. */
	get isInteger(): boolean {
		return /^-?\d+$/.test(this.text);
	}

	/** The value as a JS number (may round; use `text` for ids). */
	toNumber(): number {
		return Number(this.text);
	}

	toString(): string {
		return this.text;
	}
}

/** Values `writeJson` accepts. `undefined` object members are skipped like JSON.stringify does. */
export type JsonValue =
	| null
	| boolean
	| number
	| string
	| bigint
	| JsonNumberLiteral
	| JsonValue[]
	| { [key: string]: JsonValue | undefined };

/** Serializes a value; bigint and JsonNumberLiteral become bare number literals. */
export function writeJson(value: JsonValue): string {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'boolean':
			return value ? 'true' : 'false';
		case 'number':
			// Same rule as JSON.stringify: non-finite numbers have no JSON form.
			return Number.isFinite(value) ? String(value) : 'null';
		case 'string':
			// JSON.stringify on a lone string is the safe, complete escaper.
			return JSON.stringify(value);
		case 'bigint':
			return value.toString();
		case 'object':
			break;
		default:
			throw new TypeError(`Cannot write ${typeof value} as JSON`);
	}
	if (value instanceof JsonNumberLiteral) return value.text;
	if (Array.isArray(value)) {
		return `[${value.map((item) => writeJson(item)).join(',')}]`;
	}
	const members: string[] = [];
	for (const [key, member] of Object.entries(value)) {
		if (member === undefined) continue;
		members.push(`${JSON.stringify(key)}:${writeJson(member)}`);
	}
	return `{${members.join(',')}}`;
}

/** What `parseJsonLossless` returns: numbers stay as their source text. */
export type LosslessJson =
	| null
	| boolean
	| string
	| JsonNumberLiteral
	| LosslessJson[]
	| { [key: string]: LosslessJson };

export class JsonSyntaxError extends SyntaxError {
	constructor(
		message: string,
		readonly position: number,
	) {
		super(`${message} at position ${position}`);
		this.name = 'JsonSyntaxError';
	}
}

/** Strict RFC 8259 parser that keeps numbers as `JsonNumberLiteral`. Throws JsonSyntaxError. */
export function parseJsonLossless(text: string): LosslessJson {
	const parser = new LosslessParser(text);
	parser.skipWhitespace();
	const value = parser.parseValue();
	parser.skipWhitespace();
	if (!parser.atEnd()) parser.fail('Unexpected data after JSON value');
	return value;
}

/** Plain object check for parsed JSON (not an array, not a number literal). */
export function isJsonObject(value: LosslessJson | undefined): value is { [key: string]: LosslessJson } {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		!(value instanceof JsonNumberLiteral)
	);
}

const NUMBER_AT = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class LosslessParser {
	private pos = 0;

	constructor(private readonly text: string) {}

	atEnd(): boolean {
		return this.pos >= this.text.length;
	}

	fail(message: string): never {
		throw new JsonSyntaxError(message, this.pos);
	}

	skipWhitespace(): void {
		while (this.pos < this.text.length) {
			const ch = this.text[this.pos];
			if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') this.pos++;
			else break;
		}
	}

	parseValue(): LosslessJson {
		const ch = this.text[this.pos];
		if (ch === '{') return this.parseObject();
		if (ch === '[') return this.parseArray();
		if (ch === '"') return this.parseString();
		if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.parseNumber();
		if (this.text.startsWith('true', this.pos)) {
			this.pos += 4;
			return true;
		}
		if (this.text.startsWith('false', this.pos)) {
			this.pos += 5;
			return false;
		}
		if (this.text.startsWith('null', this.pos)) {
			this.pos += 4;
			return null;
		}
		return this.fail(ch === undefined ? 'Unexpected end of JSON input' : `Unexpected token ${ch}`);
	}

	private parseObject(): { [key: string]: LosslessJson } {
		const result: { [key: string]: LosslessJson } = {};
		this.pos++; // {
		this.skipWhitespace();
		if (this.text[this.pos] === '}') {
			this.pos++;
			return result;
		}
		for (;;) {
			this.skipWhitespace();
			if (this.text[this.pos] !== '"') this.fail('Expected a string key');
			const key = this.parseString();
			this.skipWhitespace();
			if (this.text[this.pos] !== ':') this.fail("Expected ':'");
			this.pos++;
			this.skipWhitespace();
			// defineProperty so a "__proto__" key is stored as data, not as a prototype change.
			Object.defineProperty(result, key, {
				value: this.parseValue(),
				enumerable: true,
				writable: true,
				configurable: true,
			});
			this.skipWhitespace();
			const next = this.text[this.pos];
			this.pos++;
			if (next === '}') return result;
			if (next !== ',') {
				this.pos--;
				this.fail("Expected ',' or '}'");
			}
		}
	}

	private parseArray(): LosslessJson[] {
		const result: LosslessJson[] = [];
		this.pos++; // [
		this.skipWhitespace();
		if (this.text[this.pos] === ']') {
			this.pos++;
			return result;
		}
		for (;;) {
			this.skipWhitespace();
			result.push(this.parseValue());
			this.skipWhitespace();
			const next = this.text[this.pos];
			this.pos++;
			if (next === ']') return result;
			if (next !== ',') {
				this.pos--;
				this.fail("Expected ',' or ']'");
			}
		}
	}

	private parseString(): string {
		const start = this.pos;
		this.pos++; // opening quote
		while (this.pos < this.text.length) {
			const ch = this.text[this.pos];
			if (ch === '"') {
				this.pos++;
				// The slice is a complete, validated JSON string literal: let JSON.parse unescape it.
				return JSON.parse(this.text.slice(start, this.pos)) as string;
			}
			if (ch === '\\') {
				const escape = this.text[this.pos + 1];
				if (escape === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
						this.fail('Bad unicode escape');
					}
					this.pos += 6;
				} else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
					this.pos += 2;
				} else {
					this.fail('Bad escape');
				}
				continue;
			}
			if (ch.charCodeAt(0) < 0x20) this.fail('Control character in string');
			this.pos++;
		}
		return this.fail('Unterminated string');
	}

	private parseNumber(): JsonNumberLiteral {
		// Sticky regex: match at the current position without copying the rest of the input.
		NUMBER_AT.lastIndex = this.pos;
		const match = NUMBER_AT.exec(this.text);
		if (!match) this.fail('Bad number');
		this.pos += match[0].length;
		return new JsonNumberLiteral(match[0]);
	}
}
