/**
 * Jest `setupFiles` entry: runs before each test file's own imports, so even a test that imports
 * n8n-core directly (not through the harness) never touches `~/.n8n`.
 */
import './user-folder';
