// Another process holding a SQLite file's write lock, as a backup tool or a stray `sqlite3` shell
// would: BEGIN IMMEDIATE, print "locked", hold until a line arrives on stdin (or stdin closes),
// ROLLBACK, print "released", exit. Usage: node sqlite-write-lock-holder.mjs <file>
import { DatabaseSync } from 'node:sqlite';

const [path] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: node sqlite-write-lock-holder.mjs <sqlite file>\n');
  process.exit(2);
}
const db = new DatabaseSync(path);
// Blocking is fine here (own process): wait for the service's commit in flight, if any.
db.exec('PRAGMA busy_timeout = 10000');
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');

let released = false;
const release = () => {
  if (released) return;
  released = true;
  db.exec('ROLLBACK');
  db.close();
  process.stdout.write('released\n');
  process.exit(0);
};
process.stdin.on('data', release);
process.stdin.on('end', release);
