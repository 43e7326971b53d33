// A scripted chat model for the AI agent check of e2e/run.sh: an OpenAI-compatible
// /v1/chat/completions on 127.0.0.1, so that n8n's own OpenAI Chat Model node (pointed at it by
// the Base URL of its credential) drives a real AI Agent without a network or a model.
//
// Usage: node e2e/scripted-chat-model.js <sim.json> <info.json>
//   Writes { url, logFile } to <info.json> once listening; runs until SIGTERM. Every request and
//   answer is appended to <info.json>.log as one JSON line, for e2e/locator-check.js.
//
// The script, per request:
//   - no tool answer yet: call the tool whose name contains "dify" with the dataset and document
//     IDs of the e2e simulator's agent batch, if its schema asks for `datasetId` and
//     `documentIds` (the node's $fromAI() parameters); otherwise answer in words what was missing;
//   - after the tool answered: reply with the tool's answer, quoted whole.
// Answers stream (SSE) when the request asks for it, as the OpenAI API does.
'use strict';
const fs = require('node:fs');
const http = require('node:http');

const [simFile, infoFile] = process.argv.slice(2);
const sim = JSON.parse(fs.readFileSync(simFile, 'utf8'));
const logFile = `${infoFile}.log`;
const agent = sim.locators.agent;
const wanted = { datasetId: sim.datasetId, documentIds: agent.documentIds.join(',') };
let counter = 0;

function log(entry) {
	fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
}

/** What the model "decides": a tool call, or a final text. */
function decide(body) {
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const toolAnswer = messages.find((m) => m.role === 'tool');
	if (toolAnswer) {
		const content = typeof toolAnswer.content === 'string' ? toolAnswer.content : JSON.stringify(toolAnswer.content);
		return { content: `The Dify Knowledge tool answered: ${content}` };
	}
	const tools = (Array.isArray(body.tools) ? body.tools : []).map((t) => t.function ?? t);
	const tool = tools.find((t) => /dify/i.test(t.name ?? ''));
	if (!tool) return { content: `No Dify tool was offered (tools: ${tools.map((t) => t.name).join(', ') || 'none'})` };
	const properties = Object.keys(tool.parameters?.properties ?? {});
	const missing = Object.keys(wanted).filter((key) => !properties.includes(key));
	if (missing.length > 0) return { content: `The tool ${tool.name} does not ask for ${missing.join(', ')} (it asks for ${properties.join(', ') || 'nothing'})` };
	counter += 1;
	return { toolCall: { id: `call_scripted_${counter}`, name: tool.name, arguments: JSON.stringify(wanted) } };
}

function completion(decision, model) {
	const message = decision.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [{ id: decision.toolCall.id, type: 'function', function: { name: decision.toolCall.name, arguments: decision.toolCall.arguments } }],
			}
		: { role: 'assistant', content: decision.content };
	return {
		id: `chatcmpl-scripted-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: decision.toolCall ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

function streamChunks(decision, model) {
	const base = { id: `chatcmpl-scripted-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
	const delta = decision.toolCall
		? {
				role: 'assistant',
				content: null,
				tool_calls: [{ index: 0, id: decision.toolCall.id, type: 'function', function: { name: decision.toolCall.name, arguments: decision.toolCall.arguments } }],
			}
		: { role: 'assistant', content: decision.content };
	return [
		{ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: decision.toolCall ? 'tool_calls' : 'stop' }] },
		{ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } },
	];
}

const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', () => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const text = Buffer.concat(chunks).toString('utf8');
		if (req.method === 'GET' && url.pathname.endsWith('/models')) {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ object: 'list', data: [{ id: 'scripted-model', object: 'model', created: 0, owned_by: 'e2e' }] }));
			return;
		}
		if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
			res.statusCode = 404;
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ error: { message: `No scripted answer for ${req.method} ${url.pathname}`, type: 'invalid_request_error' } }));
			log({ at: Date.now(), path: url.pathname, status: 404 });
			return;
		}
		let body;
		try {
			body = JSON.parse(text);
		} catch {
			res.statusCode = 400;
			res.end(JSON.stringify({ error: { message: 'The body is not JSON', type: 'invalid_request_error' } }));
			return;
		}
		const decision = decide(body);
		const model = body.model ?? 'scripted-model';
		// Only the parts a check needs: what the tool looked like to the model, and what it sent back.
		log({
			at: Date.now(),
			path: url.pathname,
			stream: body.stream === true,
			tools: (body.tools ?? []).map((t) => ({ name: t.function?.name, description: t.function?.description, parameters: t.function?.parameters })),
			messages: (body.messages ?? []).map((m) => ({ role: m.role, content: m.content, tool_calls: m.tool_calls })),
			decision,
		});
		if (body.stream === true) {
			res.setHeader('content-type', 'text/event-stream');
			for (const chunk of streamChunks(decision, model)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
			return;
		}
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify(completion(decision, model)));
	});
});

server.listen(0, '127.0.0.1', () => {
	const { port } = server.address();
	fs.writeFileSync(`${infoFile}.tmp`, JSON.stringify({ url: `http://127.0.0.1:${port}/v1`, logFile }));
	fs.renameSync(`${infoFile}.tmp`, infoFile);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
