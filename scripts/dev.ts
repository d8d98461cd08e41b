/**
 * `npm run dev`: builds the package (done by npm before this script) and starts the vendor
 * emulators on 127.0.0.1 with sample data, printing what to type in each n8n credential.
 * Stops cleanly on Ctrl-C.
 */
import { MAARCH_API_LOGIN, MAARCH_API_PASSWORD, startMaarchEmulator } from '../test/emulators/maarch';

async function main() {
	const maarch = await startMaarchEmulator({
		users: [
			{ user_id: 'bbain', firstname: 'Barbara', lastname: 'Bain', mail: 'barbara.bain@mairie.example.fr', groups: ['AGENT'] },
			{ user_id: 'hlenoir', firstname: 'Hélène', lastname: 'Lenoir', mail: 'helene.lenoir@mairie.example.fr', status: 'ABS' },
			{ user_id: 'ccordy', firstname: 'Charles', lastname: 'Cordy', mail: 'charles.cordy@mairie.example.fr', maarchParapheurId: 20 },
		],
	}, Number(process.env.MAARCH_PORT ?? 8701));
	console.log('Emulators are running (Ctrl-C to stop).\n');
	console.log('Maarch Courrier credential (maarchCourrierApi):');
	console.log(`  Instance URL: ${maarch.url}`);
	console.log(`  Login:        ${MAARCH_API_LOGIN}`);
	console.log(`  Password:     ${MAARCH_API_PASSWORD}`);
	console.log('  Groups: ELU, AGENT, ADMINISTRATEUR; entities: PJS, DGS; Maarch Parapheur users 19 and 20.\n');
	const stop = async () => {
		await maarch.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

void main();
