// `npm run compare:generator`: how fast the open-loop generator can send from one core. It runs a
// bare node:http server in a child process (on the other core when `taskset` exists), pins
// itself to core 0, and steps the arrival rate up, 5 s a step, until the generator falls behind
// (more than 5 % of sends late, or under 95 % of the rate). A benchmark, not a test: run it on
// an otherwise idle machine. Loopback only; stops its server by pid.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { runOpenLoop } from './load.js';

const SERVER = `const s=require('node:http').createServer((q,r)=>{r.writeHead(200,{'content-type':'application/json','server-timing':'app;dur=0.010'});r.end('{"ok":true}')});s.listen(0,'127.0.0.1',()=>console.log(s.address().port));process.on('SIGTERM',()=>process.exit(0))`;
const RATES = (process.argv[2] ?? '1000,2500,5000,7500,10000,15000').split(',').map(Number);
const pinned = spawnSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' }).status === 0;
const server = spawn(pinned ? 'taskset' : process.execPath, pinned ? ['-c', '1', process.execPath, '-e', SERVER] : ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(server.stdout!, 'data')) as [Buffer];
const url = `http://127.0.0.1:${line.toString().trim()}`;
console.log(`generator on ${pinned ? 'core 0, server on core 1' : 'any core (taskset not found)'}; 5 s per step`);
let best = 0;
try {
  for (const rate of RATES) {
    const result = await runOpenLoop({ baseUrl: url, rate, durationS: 5, next: () => ({ operation: 'get', method: 'GET', path: '/' }) });
    console.log(`  ${String(rate).padStart(6)} req/s asked: sent ${result.achievedRate}/s, ${result.late} late, send lag p99 ${result.sendLagMs.p99} ms, generator CPU ${Math.round(result.generatorCpu * 100)} % of a core${result.refusal ? `: FELL BEHIND (${result.refusal})` : ''}`);
    if (result.refusal) break;
    best = rate;
  }
  console.log(`the generator held ${best} requests/s on one core`);
} finally {
  server.kill('SIGTERM');
}
