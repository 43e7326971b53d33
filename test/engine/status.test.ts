import { addCounts, countStatuses, summarize, summaryProgress, summaryStatus, withEarlierCounts } from '../../nodes/shared/status';
import { parseIdList } from '../../nodes/shared/idList';
import { parseJsonLossless } from '../../nodes/shared/losslessJson';
import { doc } from './fakes';

describe('summary status', () => {
	it('is completed only when every document is completed', () => {
		expect(summaryStatus([doc('a', 'completed'), doc('b', 'completed')])).toBe('completed');
	});

	it('is failed when all are terminal and one is not completed', () => {
		expect(summaryStatus([doc('a', 'completed'), doc('b', 'failed')])).toBe('failed');
		expect(summaryStatus([doc('a', 'completed'), doc('b', 'not_found')])).toBe('failed');
		expect(summaryStatus([doc('a', 'deleted')])).toBe('failed');
	});

	it('is otherwise the least advanced status', () => {
		expect(summaryStatus([doc('a', 'completed'), doc('b', 'processing'), doc('c', 'queued')])).toBe('queued');
		expect(summaryStatus([doc('a', 'failed'), doc('b', 'processing')])).toBe('processing');
		expect(summaryStatus([doc('a', 'queued'), doc('b', 'paused')])).toBe('paused');
		expect(summaryStatus([doc('a', 'processing'), doc('b', 'unknown')])).toBe('unknown');
	});

	it('counts every status and averages progress with terminal documents as done', () => {
		const documents = [doc('a', 'completed', { progress: 100 }), doc('b', 'processing', { progress: 40 }), doc('c', 'queued')];
		expect(countStatuses(documents)).toEqual({
			queued: 1, processing: 1, paused: 0, completed: 1, failed: 0, deleted: 0, not_found: 0, unknown: 0,
		});
		expect(summaryProgress(documents)).toBe(47);
		expect(summaryProgress([doc('a', 'processing'), doc('b', 'queued')])).toBeNull();
		const summary = summarize('dify', 'kb', 'batch-1', documents);
		expect(summary).toMatchObject({ vendor: 'dify', knowledgeBaseId: 'kb', jobId: 'batch-1', status: 'queued', terminal: false, total: 3 });
		expect(summary).not.toHaveProperty('wait');
	});
});

describe('a summary with documents read earlier', () => {
	it('adds counts status by status, keeping only statuses with a count', () => {
		expect(addCounts(undefined, countStatuses([doc('a', 'completed')]))).toEqual({ completed: 1 });
		expect(addCounts({ completed: 2, failed: 1 }, { completed: 1, queued: 0 })).toEqual({ completed: 3, failed: 1 });
	});

	it('counts the earlier documents in total, counts, status, terminal and progress, and lists only its own', () => {
		const own = summarize('dify', 'kb', null, [doc('c', 'completed'), doc('d', 'completed')]);
		expect(withEarlierCounts(own, { completed: 3 })).toMatchObject({ status: 'completed', terminal: true, total: 5, progress: 100, counts: { completed: 5, failed: 0 } });
		const mixed = withEarlierCounts(own, { completed: 1, failed: 2 });
		expect(mixed).toMatchObject({ status: 'failed', terminal: true, total: 5, counts: { completed: 3, failed: 2 } });
		expect(mixed.documents.map((d) => d.documentId)).toEqual(['c', 'd']);
		// An unfinished earlier document counts as 0 % and decides the status.
		expect(withEarlierCounts(own, { queued: 2 })).toMatchObject({ status: 'queued', terminal: false, total: 4, progress: 50 });
		expect(withEarlierCounts(own, {})).toBe(own);
	});
});

describe('parseIdList', () => {
	it('splits on commas and new lines, trims, drops empties and duplicates, keeps order', () => {
		expect(parseIdList(' b, a\n\nc ,a,\r\nb ', 'Document IDs')).toEqual(['b', 'a', 'c']);
	});

	it('accepts an array of strings, also with commas inside entries', () => {
		expect(parseIdList(['x', ' y ', 'x', 'z,w'], 'Document IDs')).toEqual(['x', 'y', 'z', 'w']);
	});

	it('takes array entries whole when asked, for ids that may hold commas', () => {
		const ids = parseIdList(['s3://bucket/a,b.pdf', ' y ', 'y'], 'Document IDs', { splitArrayEntries: false });
		expect(ids).toEqual(['s3://bucket/a,b.pdf', 'y']);
		// A string is still a separated list.
		expect(parseIdList('a,b', 'Document IDs', { splitArrayEntries: false })).toEqual(['a', 'b']);
	});

	it('names the field when the list is empty', () => {
		expect(() => parseIdList(' , \n', 'Document IDs')).toThrow(/^Document IDs is empty: expected at least one id/);
		expect(() => parseIdList(undefined, 'Document IDs')).toThrow(/Document IDs is empty/);
	});

	it('rejects numbers instead of converting them, since 64-bit ids lose digits as numbers', () => {
		expect(() => parseIdList([7442585813587681111], 'Document IDs')).toThrow(
			/Document IDs\[0\] is the number 7442585813587681000: expected a string id/,
		);
		expect(() => parseIdList({ id: 'a' }, 'Document IDs')).toThrow(/Document IDs is of type object/);
	});
});

describe('parseJsonLossless', () => {
	it('keeps integers beyond 2^53 as exact strings and leaves safe numbers alone', () => {
		const parsed = parseJsonLossless(
			'{"id":7442585813587681111,"neg":-9223372036854775808,"n":42,"f":1.5e3,"s":"7442585813587681111 \\" 9007199254740993","a":[9007199254740993]}',
		);
		expect(parsed).toEqual({
			id: '7442585813587681111',
			neg: '-9223372036854775808',
			n: 42,
			f: 1500,
			s: '7442585813587681111 " 9007199254740993',
			a: ['9007199254740993'],
		});
	});

	it('still rejects invalid JSON', () => {
		expect(() => parseJsonLossless('{"data": [')).toThrow();
	});
});
