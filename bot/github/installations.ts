// The GitHub App's way into a repository: its installation's Octokit and token. Webhooks tell us
// the installation id; a chat command or an events request has only the repo, so it is looked up
// once (GET /repos/{owner}/{repo}/installation, as the app) and remembered.
import type { Probot, ProbotOctokit } from "probot";
import { splitRepo } from "../../src/adapters/forge/repo.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

export class Installations {
  private readonly ids = new Map<string, number>();
  private readonly clients = new Map<number, Promise<Octokit>>();
  private readonly tokens = new Map<number, Promise<{ token: string; expires: number }>>();
  private login?: Promise<string>;

  constructor(private readonly probot: Probot) {}

  remember(repo: string, installationId: number | undefined): void {
    if (installationId) this.ids.set(repo.toLowerCase(), installationId);
  }

  private async installationId(repo: string): Promise<number> {
    let id = this.ids.get(repo.toLowerCase());
    if (!id) {
      const app = await this.probot.auth();
      const { owner, name } = splitRepo(repo);
      id = (await app.rest.apps.getRepoInstallation({ owner, repo: name })).data.id;
      this.remember(repo, id);
    }
    return id;
  }

  async octokit(repo: string): Promise<Octokit> {
    const id = await this.installationId(repo);
    let client = this.clients.get(id);
    if (!client) {
      client = this.probot.auth(id);
      this.clients.set(id, client);
      client.catch(() => this.clients.delete(id));
    }
    return client;
  }

  /**
   * An installation token for the deploy's reporters, minted through the app's own Octokit and
   * kept until 5 minutes before it expires. (Probot's octokit.auth({ type: "installation" }) would
   * mint it against api.github.com whatever GHE_HOST says: its auth strategy's request has no
   * baseUrl; requests made through Octokit's hook do.)
   */
  async token(repo: string): Promise<string> {
    const id = await this.installationId(repo);
    for (;;) {
      const held = this.tokens.get(id);
      if (!held) break;
      const hit = await held.catch(() => undefined);
      if (hit && hit.expires - Date.now() > 5 * 60_000) return hit.token;
      // Expired or failed: the caller that sees it first mints (no await between this look and
      // the set below); one that finds it replaced meanwhile waits for that one instead.
      if (this.tokens.get(id) === held) break;
    }
    // One mint per installation at a time: webhooks arriving together share it.
    const minted = this.probot
      .auth()
      .then((app) => app.rest.apps.createInstallationAccessToken({ installation_id: id }))
      .then(({ data }) => ({ token: data.token, expires: Date.parse(data.expires_at) }));
    this.tokens.set(id, minted);
    minted.catch(() => this.tokens.delete(id));
    return (await minted).token;
  }

  /** "slug[bot]": the login the app's comments carry, so it edits its own comments only. */
  botLogin(): Promise<string> {
    this.login ??= this.probot
      .auth()
      .then((app) => app.rest.apps.getAuthenticated())
      .then((r) => `${r.data?.slug ?? "tinyforge"}[bot]`);
    this.login.catch(() => (this.login = undefined));
    return this.login;
  }
}
