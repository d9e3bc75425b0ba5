// The server's own dependencies (pg, nodemailer), resolved from apps/server: bench/ has no
// package.json of its own.
import { createRequire } from 'node:module';
import type nodemailerType from 'nodemailer';
import type pgType from 'pg';

const require = createRequire(new URL('../../apps/server/package.json', import.meta.url));
export const pg = require('pg') as typeof pgType;
export const nodemailer = require('nodemailer') as typeof nodemailerType;
