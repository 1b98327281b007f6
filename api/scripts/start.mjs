// `npm start`: installs what is missing, then runs the whole stack (see stack.ts). Plain JS: it runs before node_modules exists.
import { ensureSetup, runTs } from './setup.mjs';

ensureSetup({ browsers: false });
runTs('api/scripts/stack.ts', ['--mode', 'dev', ...process.argv.slice(2)]);
