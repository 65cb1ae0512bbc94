// The baseline of the ingestion bench: a bare node:http server that reads each request body and
// answers 204, as fast as Node can serve the same requests. Run as a child process:
// `PORT=<port> HOST=127.0.0.1 node .bench-dist/bench/bare-http-server.js`.
import { createServer } from 'node:http';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.statusCode = 204;
    res.end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(`bare node:http listening on ${host}:${bound}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
