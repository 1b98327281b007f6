// Run once by the mongo-init service (docker-compose.yml): makes the three members one replica set `rs0`
// and creates the application's user. Safe to run again: both steps check first.
const members = [
  { _id: 0, host: 'mongo1:27017', priority: 2 },
  { _id: 1, host: 'mongo2:27017', priority: 1 },
  { _id: 2, host: 'mongo3:27017', priority: 1 },
];

let status = null;
try {
  status = rs.status();
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') throw e;
}
if (!status) {
  print('rs.initiate: rs0 with mongo1, mongo2, mongo3');
  rs.initiate({ _id: 'rs0', members });
}

// mongo1 has the highest priority, so it becomes primary once the set has elected: wait for that before writing users.
let primary = false;
for (let i = 0; i < 90 && !primary; i++) {
  primary = db.adminCommand({ hello: 1 }).isWritablePrimary;
  if (!primary) sleep(1000);
}
if (!primary) throw new Error('mongo1 did not become primary within 90 s');

const appPassword = require('fs').readFileSync(process.env.MONGO_APP_PASSWORD_FILE, 'utf8').trim();
const power = db.getSiblingDB('power');
if (!power.getUser('power')) {
  print('creating user power on database power');
  power.createUser({ user: 'power', pwd: appPassword, roles: [{ role: 'readWrite', db: 'power' }] });
}
print(
  `replica set: ${rs
    .status()
    .members.map((m) => `${m.name} ${m.stateStr}`)
    .join(', ')}`,
);
