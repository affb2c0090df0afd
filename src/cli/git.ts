// The checkout's git questions live in src/adapters/git.ts; the CLI's stage resolution reads the branch.
export { currentBranch } from "../adapters/git.js";
