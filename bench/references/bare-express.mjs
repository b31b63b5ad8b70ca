// Reference: a bare Express 5 app answering the three benchmarked routes with the same JSON as duet.
import express from 'express';

const task = JSON.parse(process.env.BENCH_TASK);
const app = express();
app.disable('x-powered-by');
app.use(express.json());
app.get('/v1/tasks/:id', (req, res) => res.set('etag', `"${task.version}"`).json(task));
app.get('/v1/tasks', (req, res) => res.json({ items: Array(20).fill(task) }));
app.post('/v1/tasks', (req, res) => res.status(201).set('location', `/v1/tasks/${task.id}`).json({ ...task, ...req.body }));
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
