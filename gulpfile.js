const path = require('path');
const { task, src, dest } = require('gulp');

// n8n loads node and credential icons from dist/, next to the compiled files.
function copyIcons() {
	const nodeIcons = src(path.resolve('nodes', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'nodes')),
	);
	src(path.resolve('credentials', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'credentials')),
	);
	return nodeIcons;
}

task('build:icons', copyIcons);
