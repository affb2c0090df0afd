// What a forge knows about one repository, shared by the GitHub and Gitea fakes: files per commit
// (served by the contents/raw APIs and packed into tarballs), branches, pull requests,
// collaborators' permissions, issue comments and reactions. Tests set it up and read it back.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createGzip } from "node:zlib";
import tar from "tar-fs";

export interface FakePull {
  number: number;
  state: "open" | "closed";
  head: { sha: string; ref: string; repo: string | null };
  base: { ref: string; repo: string };
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: string;
  bot: boolean;
  createdAt: string;
  updatedAt: string;
  /** Every body it had, oldest first (an edit in place appends). */
  history: string[];
}

export interface FakeReaction {
  commentId: number;
  content: string;
  user: string;
}

export class FakeRepoData {
  /** Files by commit SHA: path → text. */
  readonly commits = new Map<string, Record<string, string>>();
  readonly branches = new Map<string, string>();
  defaultBranch = "main";
  readonly pulls = new Map<number, FakePull>();
  /** Login → "admin" | "maintain" | "write" | "triage" | "read"; others have none. */
  readonly permissions = new Map<string, string>();
  readonly comments: FakeComment[] = [];
  readonly reactions: FakeReaction[] = [];
  private nextCommentId = 5001;

  /** Records a commit's files; with `branch`, that branch now points at it. */
  commit(sha: string, files: Record<string, string>, branch?: string): void {
    this.commits.set(sha, files);
    if (branch) this.branches.set(branch, sha);
  }

  /** A commit SHA for a branch name or a SHA (full or a unique prefix). */
  resolve(ref: string): string | undefined {
    if (ref === "HEAD") return this.branches.get(this.defaultBranch);
    const b = this.branches.get(ref);
    if (b) return b;
    if (this.commits.has(ref)) return ref;
    const hits = [...this.commits.keys()].filter((s) => ref.length >= 7 && s.startsWith(ref));
    return hits.length === 1 ? hits[0] : undefined;
  }

  file(ref: string, path: string): string | undefined {
    const sha = this.resolve(ref);
    return sha ? this.commits.get(sha)?.[path] : undefined;
  }

  addComment(issue: number, body: string, user: string, bot: boolean): FakeComment {
    const at = new Date().toISOString();
    const c: FakeComment = {
      id: this.nextCommentId++,
      issue,
      body,
      user,
      bot,
      createdAt: at,
      updatedAt: at,
      history: [body],
    };
    this.comments.push(c);
    return c;
  }

  editComment(id: number, body: string): FakeComment | undefined {
    const c = this.comments.find((x) => x.id === id);
    if (!c) return undefined;
    c.body = body;
    c.updatedAt = new Date().toISOString();
    c.history.push(body);
    return c;
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  /** The commit's files as a .tar.gz whose entries sit under `top/`, as forges' archives do. */
  async tarball(sha: string, top: string): Promise<Buffer | undefined> {
    const files = this.commits.get(sha);
    if (!files) return undefined;
    const dir = mkdtempSync(join(tmpdir(), "tf-fake-tree-"));
    try {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const chunks: Buffer[] = [];
      const gz = tar
        .pack(dir, {
          map: (h) => {
            h.name = `${top}/${h.name}`;
            return h;
          },
        })
        .pipe(createGzip());
      for await (const c of gz) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
