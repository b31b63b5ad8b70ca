import { App } from 'cdktf';
import { environments, loadSettings } from './environments.js';
import { createStacks } from './stacks.js';

// The composition root of the infra program: the only place that reads the environment.
const settings = loadSettings(process.env);
const app = new App();
createStacks(app, settings, environments(settings));
app.synth();
