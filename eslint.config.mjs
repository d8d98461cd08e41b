// n8n's community-node rules, in the form for self-hosted packages: this package has runtime
// dependencies and uses Node built-ins, which n8n Cloud verification forbids.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default configWithoutCloudSupport;
