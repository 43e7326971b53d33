/**
 * Runs this package's nodes and credentials through n8n-core's real execution engine, against
 * real HTTP servers: parameters and expressions, credentials with their `authenticate`,
 * `httpRequestWithAuthentication`, `pairedItem`, `continueOnFail`, errors and Stop all behave
 * as in n8n.
 */
// Must stay the first import: it points n8n-core at a harness folder before n8n-core loads.
import './user-folder';

export { runNode } from './run-node';
export type { RunNodeOptions, RunNodeResult } from './run-node';
export { runPoll } from './run-poll';
export type { RunPollOptions, RunPollResult } from './run-poll';
export { runListSearch } from './run-list-search';
export type { RunListSearchOptions } from './run-list-search';
export { testCredential } from './test-credential';
export type { TestCredentialOptions, TestCredentialResult } from './test-credential';
export type { HarnessCredentials, NodeUnderTestOptions } from './workflow-parts';
export { harnessUserFolder } from './user-folder';
export { onAuthenticatedRequest } from './credentials-helper';
