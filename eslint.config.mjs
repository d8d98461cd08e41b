// n8n's community-node rules, in the form for self-hosted packages: this package has runtime
// dependencies and uses Node built-ins, which n8n Cloud verification forbids.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	{
		// The package targets self-hosted n8n and has runtime dependencies on purpose (README,
		// "Dependencies"): fast-xml-parser, form-data and fflate. Every other rule applies.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
];
