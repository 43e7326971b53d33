const { task, src, dest, parallel } = require('gulp');

// n8n reads icons and codex files (*.node.json) from dist/, next to the compiled nodes.
const copyNodeAssets = () =>
	src('nodes/**/*.{svg,png,node.json}', { encoding: false }).pipe(dest('dist/nodes'));
const copyCredentialAssets = () =>
	src('credentials/**/*.{svg,png}', { encoding: false, allowEmpty: true }).pipe(dest('dist/credentials'));

task('build:icons', parallel(copyNodeAssets, copyCredentialAssets));
