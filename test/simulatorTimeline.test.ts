/**
 * Documents that move with the simulator's clock (timed scripts), for the benchmark and the
 * durability tests: a document ends at a known moment whoever asks, however often.
 */
import { SimClock, TimedScriptCursor, cozeScript, kendraScript, startSimulator } from './simulator';
import type { Simulator } from './simulator';

describe('TimedScriptCursor', () => {
	it('shows the step the clock has reached, whatever the number of reads', () => {
		const clock = new SimClock(1_000_000);
		const cursor = new TimedScriptCursor([{ state: 'a', repeat: 2 }, { state: 'b' }, { state: 'c' }], clock, 500);
		expect([cursor.observe(), cursor.observe(), cursor.observe()]).toEqual(['a', 'a', 'a']);
		clock.advance(999);
		expect(cursor.peek()).toBe('a');
		clock.advance(1);
		expect(cursor.observe()).toBe('b');
		clock.advance(500);
		expect(cursor.observe()).toBe('c');
		clock.advance(60_000);
		expect(cursor.observe()).toBe('c');
		expect(cursor.reads).toBe(6);
		expect(cursor.endsAt).toBe(1_000_000 + 1500);
	});

	it('rejects a step that takes no time', () => {
		expect(() => new TimedScriptCursor([{ state: 'a' }], new SimClock(0), 0)).toThrow('msPerStep must be positive');
	});
});

describe('timed documents in each simulated vendor', () => {
	let sim: Simulator;

	beforeAll(async () => {
		sim = await startSimulator({ seed: 4 });
	});

	afterAll(async () => {
		await sim.close();
	});

	it('Dify: a document ends at its time, stamped with it, and is indexed again from now', () => {
		const datasetId = sim.dify.addDataset();
		const script = [
			{ state: { indexing_status: 'indexing' as const, completed_segments: 1, total_segments: 2 } },
			{ state: { indexing_status: 'completed' as const, completed_segments: 2, total_segments: 2 } },
		];
		const [id] = sim.dify.addDocuments(datasetId, [{ name: 'a.txt', script, msPerStep: 4000 }]).documentIds;
		expect(sim.dify.peekDocument(datasetId, id).indexing_status).toBe('indexing');
		sim.advanceClock(4000);
		expect(sim.dify.peekDocument(datasetId, id)).toMatchObject({ indexing_status: 'completed', completed_at: Math.floor((sim.now() - 4000) / 1000) + 4 });
		sim.dify.setScript(datasetId, id, script, 2000);
		expect(sim.dify.peekDocument(datasetId, id).indexing_status).toBe('indexing');
		sim.advanceClock(2000);
		expect(sim.dify.peekDocument(datasetId, id).indexing_status).toBe('completed');
	});

	it('Coze: a timed document ends at its time, with remaining_time counting down to it, and starts again on a re-index', () => {
		const datasetId = sim.coze.addDataset();
		const [id] = sim.coze.addDocuments(datasetId, [{ name: 'a.pdf', script: cozeScript({ steps: 1, secondsPerStep: 3 }), msPerStep: 3000 }]);
		expect(sim.coze.peekDocument(id)).toMatchObject({ status: 0, remaining_time: 3 });
		sim.advanceClock(3000);
		expect(sim.coze.peekDocument(id)).toMatchObject({ status: 1 });
		sim.coze.setScript(id, cozeScript({ steps: 1, secondsPerStep: 3 }), 3000);
		expect(sim.coze.peekDocument(id).status).toBe(0);
	});

	it('Kendra: a timed document ends at its time, and a deleted one is NOT_FOUND', () => {
		const indexId = sim.kendra.addIndex();
		const [id] = sim.kendra.addDocuments(indexId, [{ id: 'docs/a.html', script: kendraScript({ processing: 1 }), msPerStep: 1000 }]);
		expect(sim.kendra.observationCount(indexId, id)).toBe(0);
		sim.advanceClock(1000);
		expect(sim.kendra.observationCount(indexId, id)).toBe(1);
		sim.kendra.deleteDocument(indexId, id);
		expect(() => sim.kendra.observationCount(indexId, id)).toThrow('Unknown Kendra document');
	});

	it('Bailian: a document indexed again runs from now, and keeps the job running', () => {
		const workspaceId = sim.bailian.addWorkspace();
		const indexId = sim.bailian.addIndex(workspaceId);
		const jobId = sim.bailian.submitJob(indexId, { documents: [{ name: 'a.pdf', runMs: 1000 }] });
		sim.advanceClock(1000);
		expect(sim.bailian.jobStatus(jobId)).toBe('COMPLETED');
		sim.bailian.reindexDocument(sim.bailian.documentIds(jobId)[0], 5000);
		expect(sim.bailian.jobStatus(jobId)).toBe('RUNNING');
		sim.advanceClock(5000);
		expect(sim.bailian.jobStatus(jobId)).toBe('COMPLETED');
	});
});
