// "owner/name" as GitHub and Gitea address a repository.
export function splitRepo(repo: string): { owner: string; name: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repo);
  if (!m) throw new Error(`repository must be "owner/name" (got ${JSON.stringify(repo)})`);
  return { owner: m[1]!, name: m[2]! };
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
