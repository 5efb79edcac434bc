#!/usr/bin/env node
// Entry point of the `zv` command: runs the TypeScript CLI through tsx's loader,
// so a fresh `npm install` needs no build step.
import { register } from 'tsx/esm/api';
register();
await import('../cli/main.ts');
