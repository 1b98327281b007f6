import mongoose from 'mongoose';
import { connectDatabase, syncAllIndexes } from '../db/connect';
import '../models';
import { seedDemoData } from './generate';

/** npm run seed [-- --accounts 200000] [--reset]; needs MONGODB_URI (npm start sets it for the embedded server). */
async function main() {
  const args = process.argv.slice(2);
  const i = args.indexOf('--accounts');
  const accounts = i >= 0 ? Number(args[i + 1]) : 20_000;
  if (!Number.isInteger(accounts) || accounts < 10) {
    console.error('--accounts must be a whole number ≥ 10');
    process.exit(2);
  }
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error('MONGODB_URI is not set. Start the stack with `npm start` (it seeds on first run), or point MONGODB_URI at a database.');
    process.exit(2);
  }
  await connectDatabase(uri);
  await syncAllIndexes();
  const result = await seedDemoData({ accounts, reset: args.includes('--reset'), log: (m) => console.log(m) });
  if (!result.skipped) console.log(`seed took ${(result.ms / 1000).toFixed(1)} s for ${result.accounts} accounts`);
  await mongoose.disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
