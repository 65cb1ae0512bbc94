// Commit message check, run by the commit-msg hook (.githooks/commit-msg, installed by `npm install`):
// a subject of at most 72 characters, then a blank line before any body.
// Usage: node scripts/check-commit-msg.mjs <message-file>. Plain Node 18 syntax (any Node runs hooks).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const MAX_SUBJECT = 72;
const SCISSORS = /^# -+ >8 -+$/;
// Subjects git writes itself, or that autosquash folds away: not held to the length.
const GENERATED_SUBJECT = /^(Merge |fixup! |squash! |amend! )/;

/** The problems of a commit message as git hands it to the hook (comments and `commit -v` diff included). */
function commitMessageProblems(text) {
  const lines = [];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (SCISSORS.test(line)) break;
    if (!line.startsWith('#')) lines.push(line.trimEnd());
  }
  while (lines.length > 0 && lines[0] === '') lines.shift();
  if (lines.length === 0) return []; // git itself refuses an empty message
  const problems = [];
  const subject = lines[0];
  const length = [...subject].length;
  if (length > MAX_SUBJECT && !GENERATED_SUBJECT.test(subject)) {
    problems.push(
      `the subject is ${length} characters long; keep it to at most ${MAX_SUBJECT} ` +
        '(say what changed; put the why in the body, after a blank line)',
    );
  }
  if (lines.length > 1 && lines[1] !== '') {
    problems.push(
      'the second line is not blank: separate the subject from the body with an empty line',
    );
  }
  return problems;
}

function main(file) {
  if (!file) {
    console.error('usage: node scripts/check-commit-msg.mjs <commit-message-file>');
    process.exit(2);
  }
  const problems = commitMessageProblems(readFileSync(file, 'utf8'));
  if (problems.length === 0) return;
  console.error(`commit message rejected (scripts/check-commit-msg.mjs):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  const kept = resolve(file);
  console.error(`the message is kept in ${kept}: fix it with  git commit -e -F ${kept}`);
  process.exit(1);
}

main(process.argv[2]);
