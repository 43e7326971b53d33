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
//   - everything else as it is.
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

function vendorPart(markdown, vendors, entry) {
	const others = otherVendorPattern(vendors, entry);
	const mine = (text) => entry.readme.match.test(text);
	const theirs = (text) => !mine(text) && others.some((pattern) => pattern.test(text));
	const examples = new Set(entry.examples);
	const exampleFile = (cell) => /\.json\b/.test(cell) && (cell.match(/[\w-]+\.json/) ?? [])[0];
	const screenshot = (text) => /docs\/[\w-]+\.png/.test(text);
	const foreignExample = (text) => [...text.matchAll(/examples\/([\w-]+\.json)/g)].some(([, file]) => !examples.has(file));
	const keepImage = (text) => entry.readme.screenshots.some((file) => text.includes(`docs/${file}`));

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
		return [header, rule, ...kept];
	};
	// Who a paragraph or bullet is about: its bold label, else its first words (after "The", or
	// after a bold label that names no vendor, as in "**Jobs that take hours.** Bailian jobs …").
	const opener = (text) => {
		const label = stripMarkup((text.match(/^\s*(?:- )?\*\*([^*]+)\*\*/) ?? [])[1] ?? '');
		if (label && (mine(label) || theirs(label))) return label;
		const rest = stripMarkup(text.replace(/^\s*(?:- )?(\*\*[^*]+\*\*)?\s*/, '')).replace(/^The /, '');
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
			else kept.push(...block.lines);
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
