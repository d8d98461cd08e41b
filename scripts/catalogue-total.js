// `npm run catalogue`: passes jest's output through and adds up the `catalogue <file>: N cases` lines.
let text = '';
process.stdin.on('data', (chunk) => {
	process.stdout.write(chunk);
	text += chunk;
});
process.stdin.on('end', () => {
	const counts = [...text.matchAll(/catalogue (\S+): (\d+) cases/g)];
	const total = counts.reduce((sum, match) => sum + Number(match[2]), 0);
	console.log(`\nhostile-input catalogue: ${total} cases in ${counts.length} files`);
	if (/Tests:.*failed/.test(text)) process.exitCode = 1;
});
