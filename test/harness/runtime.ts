/**
 * Process-wide preparation of n8n-core that the n8n CLI would do at start-up and shutdown.
 *
 * `@n8n/di` is not a dependency of this package; it comes with n8n-core (which pins it), and it
 * must be the very copy n8n-core uses, otherwise `Container.get` returns a different singleton.
 */
import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

let prepared = false;

export function prepareN8nCore(): void {
	if (prepared) return;
	prepared = true;
	// Every ExecuteContext pulls in the SSH tunnel helpers, whose manager starts a 60-second
	// cleanup interval that n8n clears only at shutdown. Left running it keeps a script alive
	// and makes jest report an open handle. The harness never opens SSH tunnels, so "shut it
	// down" right away: that clears the interval and leaves a usable manager behind.
	Container.get(SSHClientsManager).onShutdown();
}
