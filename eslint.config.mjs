import n8nCommunityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const n8nBase = (config) => ({
	plugins: { 'n8n-nodes-base': n8nNodesBase },
	rules: n8nNodesBase.configs[config].rules,
});

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', '*.js', '*.mjs'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [tseslint.configs.recommended],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
	},
	{ files: ['nodes/**/*.ts', 'credentials/**/*.ts'], ...n8nCommunityNodes.configs.recommended },
	{ files: ['credentials/**/*.ts'], ...n8nBase('credentials') },
	{ files: ['nodes/**/*.ts'], ...n8nBase('nodes') },
	{
		// Where the older n8n-nodes-base rules contradict the community scanner's rules, the
		// scanner wins: credentials link to full documentation URLs, and nodes declare their
		// connections with NodeConnectionTypes rather than string literals.
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		...n8nBase('community'),
	},
	{
		files: ['package.json'],
		plugins: n8nCommunityNodes.configs.recommended.plugins,
		rules: {
			...n8nCommunityNodes.configs.recommended.rules,
			// The author's email is the maintainer's to give at release; `npm run lint:scan` lists
			// it as needed, and `npm run lint:scan -- --release` (the publish workflow) requires it.
			'@n8n/community-nodes/valid-author': 'off',
		},
	},
);
