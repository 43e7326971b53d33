// One vendor's README, cut out of the project's README.md, so that each one-vendor package says
// what the all-in-one README says about its vendor, and nothing about the others, with no second
// copy of the text to keep up to date.
//
// From the sections users need (what the nodes do, their output, the triggers, the credential,
// examples, the vendor's notes) it keeps:
//   - in tables: the header and the rows whose first cell names the vendor (or one of its example
//     files); tables with no vendor rows whose first column holds vendor names are dropped;
//   - paragraphs and bullets that open with a bold vendor name (`**Dify.**`): only the vendor's own;
//   - images of docs/: only the vendor's screenshots; paragraphs that link to another vendor's
//     example: none;
//   - inside the paragraphs, bullets and table cells it keeps, the sentences that open with
//     another vendor's name go, and so do the entries of lists that name several vendors
//     (`Dify 401, Coze 4100, Kendra …`, `(Bailian, Kendra, and Dify when …)`): an entry belongs
//     to the vendor it opens with, an entry that opens with none to the one before it. A table row
//     whose cell is left empty goes;
//   - everything else as it is.
// test/vendorPackages checks that no vendor's part names another vendor.
// Sections about developing the project (tests, benchmark, CI, releasing) stay out.
'use strict';

const USER_SECTIONS = [
	'In the editor',
	'Operations',
	'Picking the knowledge base',
	'Output',
	'Chain it after an upload',
	'As AI agent tools',
	'Examples',
	'Jobs that take hours',
	'Triggers',
	'Credentials',
	'Vendor notes',
];

/** Every vendor label a bold opener or a table row can start with, from the vendor table. */
function otherVendorPattern(vendors, entry) {
	return vendors.filter((v) => v !== entry).map((v) => v.readme.match);
}

function splitSections(markdown) {
	const sections = [];
	let current = { heading: null, lines: [] };
	for (const line of markdown.split('\n')) {
		if (line.startsWith('## ')) {
			sections.push(current);
			current = { heading: line.slice(3).trim(), lines: [] };
		} else current.lines.push(line);
	}
	sections.push(current);
	return sections;
}

/** Splits lines into blocks: tables, list items, fenced code, paragraphs, blank lines. */
function blocks(lines) {
	const out = [];
	let fence = false;
	for (const line of lines) {
		const last = out.at(-1);
		if (fence) {
			last.lines.push(line);
			if (line.trimStart().startsWith('```')) fence = false;
			continue;
		}
		if (line.trimStart().startsWith('```')) {
			fence = true;
			out.push({ kind: 'code', lines: [line] });
		} else if (line.trim() === '') out.push({ kind: 'blank', lines: [line] });
		else if (line.startsWith('|')) {
			if (last?.kind === 'table') last.lines.push(line);
			else out.push({ kind: 'table', lines: [line] });
		} else if (/^\s*- /.test(line) && !/^\s{2,}/.test(line)) out.push({ kind: 'item', lines: [line] });
		else if (last && (last.kind === 'item' || last.kind === 'text')) last.lines.push(line);
		else out.push({ kind: 'text', lines: [line] });
	}
	return out;
}

const stripMarkup = (text) => text.replace(/[*`[\]!]/g, '').replace(/\(([^)]*)\)/g, '').trim();

/**
 * Cuts another vendor's sentences and list entries out of running text (one paragraph, bullet or
 * table cell). `owner(text)` says which vendor a piece opens with: 'mine', 'theirs' or null.
 */
function cutProse(text, owner) {
	// Code spans and parentheses are cut as units, so that their commas do not split an entry.
	const held = [];
	const hold = (value) => `\u0000${held.push(value) - 1}\u0000`;
	const restore = (value) => value.replace(/\u0000(\d+)\u0000/g, (_, i) => restore(held[Number(i)]));
	const ownerOf = (piece) => owner(stripMarkup(restore(piece)).replace(/^((and|or|the|for|a|an)\s+)+/i, ''));
	// Entries of a list separated by commas, semicolons and a last "and": when one opens with a
	// vendor's name, the others' entries go (with the entries that follow them and name no vendor).
	const cutList = (list) => {
		const end = (list.match(/[.:]\s*$/) ?? [''])[0];
		const body = end ? list.slice(0, -end.length) : list;
		const parts = body.split(/(,\s+(?:and\s+)?|;\s+|\s+and\s+)/);
		const entries = [];
		for (let i = 0; i < parts.length; i += 2) entries.push({ text: parts[i], separator: i ? parts[i - 1] : '' });
		const owners = entries.map((e) => ownerOf(e.text));
		if (entries.length < 2 || owners.filter(Boolean).length === 0) return null;
		let current = null;
		const kept = entries.filter((e, i) => {
			current = owners[i] ?? current;
			return current !== 'theirs';
		});
		if (kept.length === entries.length) return list;
		if (kept.length === 0) return '';
		return kept.map((e, i) => (i === 0 ? e.text : e.separator + e.text)).join('') + end;
	};
	let masked = text.replace(/`[^`]*`/g, hold);
	for (let inner = /\(([^()]*)\)/; inner.test(masked); ) {
		masked = masked.replace(inner, (_, body) => {
			const cut = cutList(body) ?? (ownerOf(body) === 'theirs' ? '' : body);
			return cut.trim() ? hold(`(${cut})`) : '\u0001';
		});
	}
	masked = masked.replace(/\s*\u0001/g, '');
	// Sentences: the others' go, then the lists in the rest are cut.
	const sentences = masked.split(/(?<=[.!?:]\*{0,2})(\s+)(?=[A-Z*_`\u0000])/);
	// A short label ("Kendra:") stays with the sentence it introduces.
	for (let i = 0; i + 2 < sentences.length; i += 2) {
		if (/^\S+( \S+)?:$/.test(sentences[i])) sentences.splice(i, 3, sentences[i] + sentences[i + 1] + sentences[i + 2]);
	}
	const kept = [];
	for (let i = 0; i < sentences.length; i += 2) {
		const cut = cutList(sentences[i]) ?? (ownerOf(sentences[i]) === 'theirs' ? '' : sentences[i]);
		if (cut.trim()) kept.push((kept.length ? sentences[i - 1] : '') + cut);
		// A sentence that introduces only what went ("… from the HTTP status:") goes with it.
		else if (kept.length && /:\**$/.test(kept.at(-1).trim())) kept.pop();
	}
	return restore(kept.join('').trim());
}

function vendorPart(markdown, vendors, entry) {
	const others = otherVendorPattern(vendors, entry);
	const mine = (text) => entry.readme.match.test(text);
	const theirs = (text) => !mine(text) && others.some((pattern) => pattern.test(text));
	const examples = new Set(entry.examples);
	const exampleFile = (cell) => /\.json\b/.test(cell) && (cell.match(/[\w-]+\.json/) ?? [])[0];
	const screenshot = (text) => /docs\/[\w-]+\.png/.test(text);
	const foreignExample = (text) => [...text.matchAll(/examples\/([\w-]+\.json)/g)].some(([, file]) => !examples.has(file));
	const keepImage = (text) => entry.readme.screenshots.some((file) => text.includes(`docs/${file}`));

	const owner = (text) => (mine(text) ? 'mine' : theirs(text) ? 'theirs' : null);
	const prose = (text) => cutProse(text, owner);
	const cells = (row) => row.split('|').slice(1, -1);
	const filterTable = (all) => {
		// Columns headed by another vendor's name go, in every row.
		const dropped = new Set(cells(all[0]).map((cell, i) => (theirs(stripMarkup(cell)) ? i : -1)).filter((i) => i >= 0));
		const lines = dropped.size ? all.map((row) => `|${cells(row).filter((_, i) => !dropped.has(i)).join('|')}|`) : all;
		const [header, rule, ...rows] = lines;
		const kept = rows.filter((row) => {
			const first = stripMarkup(row.split('|')[1] ?? '');
			const file = exampleFile(row.split('|')[1] ?? '');
			if (file) return examples.has(file);
			if (first === '' && screenshot(row)) return keepImage(row);
			return !theirs(first);
		});
		const vendorTable = rows.some((row) => theirs(stripMarkup(row.split('|')[1] ?? '')) || exampleFile(row.split('|')[1] ?? ''));
		if (vendorTable && kept.length === 0) return [];
		// Each cell's prose; a row whose cell was all another vendor's goes.
		const cut = kept
			.map((row) => cells(row).map((cell) => (cell.trim() ? ` ${prose(cell.trim())} ` : cell)))
			.filter((row, r) => row.every((cell, i) => cell.trim() || !cells(kept[r])[i].trim()))
			.map((row) => `|${row.join('|')}|`);
		return [header, rule, ...cut];
	};
	// Who a paragraph or bullet is about: its bold label, else its first words (after "The", or
	// after a bold label that names no vendor, as in "**Jobs that take hours.** Bailian jobs …").
	const opener = (text) => {
		const label = stripMarkup((text.match(/^\s*(?:- )?\*\*([^*]+)\*\*/) ?? [])[1] ?? '');
		if (label && (mine(label) || theirs(label))) return label;
		const rest = stripMarkup(text.replace(/^\s*(?:- )?(\*\*[^*]+\*\*)?\s*/, '')).replace(/^(The|An?) /, '');
		return rest;
	};

	const out = [];
	for (const section of splitSections(markdown)) {
		if (!USER_SECTIONS.includes(section.heading)) continue;
		const kept = [];
		for (const block of blocks(section.lines)) {
			const text = block.lines.join('\n');
			if (block.kind === 'table') kept.push(...filterTable(block.lines));
			else if ((block.kind === 'item' || block.kind === 'text') && theirs(opener(text))) continue;
			else if (screenshot(text) && /!\[/.test(text) && !keepImage(text)) continue;
			else if (foreignExample(text)) continue;
			else if (block.kind === 'item' || block.kind === 'text') {
				// Reflowed only where something was cut.
				const indent = block.kind === 'item' ? '' : (block.lines[0].match(/^\s*/) ?? [''])[0];
				const joined = block.lines.map((line, i) => (i ? line.trim() : line.trimEnd())).join(' ');
				const cut = prose(joined.replace(/^(\s*- )/, ''));
				const lead = (joined.match(/^\s*- /) ?? [''])[0];
				if (cut === joined.replace(/^(\s*- )/, '')) kept.push(...block.lines);
				else if (cut.trim()) kept.push(indent + lead + cut);
			} else kept.push(...block.lines);
		}
		// Blank runs left by dropped blocks collapse to one.
		const body = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
		if (body) out.push(`## ${section.heading}\n\n${body}\n`);
	}
	return out.join('\n');
}

/** CJK ideographs, kana and hangul: n8n's verification asks for English only. */
const NON_ENGLISH = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

module.exports = { vendorPart, NON_ENGLISH, USER_SECTIONS };
