// Prints the README's configuration table from config.ts (the test in
// test/config/readme-settings.test.ts keeps the README equal to this output).
import { settingsMarkdownTable } from '../src/config.ts';

console.log(settingsMarkdownTable());
