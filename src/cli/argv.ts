// What a command line names, read before commander parses it: main() loads only that command, and
// the launcher keys its code cache by it. Node's builtins only (the launcher imports this).

/** Global options that take their value as the next word. */
const VALUE_OPTIONS = new Set(["-c", "--config"]);

/** The first word that is not an option or a global option's value: the command, if any. */
export function commandWord(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith("-")) return a;
  }
  return undefined;
}

/** `--version` / `-V` anywhere: with no command word, all the line asks for. */
export function asksVersion(argv: readonly string[]): boolean {
  return argv.some((a) => a === "-V" || a === "--version");
}
