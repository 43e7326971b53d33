/**
 * JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER as their exact digits, in a
 * string. Some vendors write 64-bit ids as bare numbers in their responses; JSON.parse would round
 * `7442585813587681111` to `7442585813587681000`.
 */
export function parseJsonLossless(text: string): unknown {
	return JSON.parse(quoteUnsafeIntegers(text));
}

/**
 * Wraps every integer literal outside string literals that JavaScript cannot hold exactly in
 * quotes. Invalid JSON is left for JSON.parse to reject.
 */
export function quoteUnsafeIntegers(text: string): string {
	let out = '';
	let copiedUpTo = 0;
	let i = 0;
	while (i < text.length) {
		const ch = text.charCodeAt(i);
		if (ch === 0x22 /* " */) {
			i = skipString(text, i);
			continue;
		}
		if (ch === 0x2d /* - */ || (ch >= 0x30 && ch <= 0x39)) {
			const end = numberEnd(text, i);
			const literal = text.slice(i, end);
			if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
				out += text.slice(copiedUpTo, i) + '"' + literal + '"';
				copiedUpTo = end;
			}
			i = Math.max(end, i + 1);
			continue;
		}
		i += 1;
	}
	return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Index just past the closing quote of the string literal that starts at `start`. */
function skipString(text: string, start: number): number {
	let i = start + 1;
	while (i < text.length) {
		const ch = text.charCodeAt(i);
		if (ch === 0x5c /* \ */) i += 2;
		else if (ch === 0x22) return i + 1;
		else i += 1;
	}
	return i;
}

function numberEnd(text: string, start: number): number {
	let i = start;
	while (i < text.length && /[-+0-9.eE]/.test(text[i])) i += 1;
	return i;
}
