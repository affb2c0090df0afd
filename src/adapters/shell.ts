// The one place argv becomes a shell line (SSH exec only takes a string). Every argument is
// single-quoted, so a ref like `main;touch /tmp/pwned` or `$(reboot)` stays one inert word.

export function shellQuote(arg: string): string {
  if (arg.includes("\0")) throw new Error("argument contains a NUL byte");
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function shellLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("empty argv");
  return argv.map(shellQuote).join(" ");
}
