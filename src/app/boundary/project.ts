// The project name is the operator's, like hosts: containers, their labels and the state under
// state_dir/PROJECT are keyed by it, so a repository naming another project would replace that
// project's containers and share its history. The repo's `project:` must be the bot's name for it.

/** A problem line when the repo's data names a project other than the operator's; none otherwise. */
export function projectProblem(data: unknown, project: string): string | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  if (!Object.hasOwn(data, "project")) return undefined; // the loader says it is required
  const named = (data as { project: unknown }).project;
  if (named === project) return undefined;
  return `project: must be "${project}" (the bot's name for this repository), not ${JSON.stringify(named)}`;
}
