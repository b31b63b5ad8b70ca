// Reference ceiling: node:http answering the benchmarked routes with the same JSON, no framework.
import { createServer } from 'node:http';

const task = JSON.parse(process.env.BENCH_TASK);
const one = JSON.stringify(task);
const page = JSON.stringify({ items: Array(20).fill(task) });
createServer((req, res) => {
  if (req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', location: `/v1/tasks/${task.id}` });
      res.end(JSON.stringify({ ...task, ...JSON.parse(body) }));
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag: `"${task.version}"` });
  res.end(req.url === '/v1/tasks' ? page : one);
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
