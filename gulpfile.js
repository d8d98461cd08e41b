const { src, dest } = require('gulp');

/** Icons (light and dark SVG) and codex files (<Node>.node.json) next to the compiled nodes. */
function buildAssets() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json', 'credentials/**/*.{svg,png}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = buildAssets;
