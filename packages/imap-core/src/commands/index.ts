/** The command registry: every name (including UID variants and aliases) to its module. */
import type { CommandSpec } from '../command.ts';
import { append } from './append.ts';
import { authenticate } from './authenticate.ts';
import { capability } from './capability.ts';
import { close } from './close.ts';
import { copy } from './copy.ts';
import { create } from './create.ts';
import { deleteMailbox } from './delete.ts';
import { enable } from './enable.ts';
import { expunge } from './expunge.ts';
import { fetch } from './fetch.ts';
import { id } from './id.ts';
import { idle } from './idle.ts';
import { list } from './list.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { move } from './move.ts';
import { namespace } from './namespace.ts';
import { check, noop } from './noop.ts';
import { rename } from './rename.ts';
import { search } from './search.ts';
import { select } from './select.ts';
import { starttls } from './starttls.ts';
import { status } from './status.ts';
import { store } from './store.ts';
import { subscribe } from './subscribe.ts';

const ALL: CommandSpec[] = [
  append, authenticate, capability, check, close, copy, create, deleteMailbox, enable, expunge, fetch,
  id, idle, list, login, logout, move, namespace, noop, rename, search, select, starttls, status, store, subscribe,
];

export const commandRegistry = new Map<string, CommandSpec>();
for (const spec of ALL) for (const name of spec.names) commandRegistry.set(name, spec);
