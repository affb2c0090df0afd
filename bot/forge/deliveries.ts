// Each webhook delivery is acted on once. Forges sign the body, not the moment: a captured,
// correctly signed old push replayed later would deploy its old SHA again. Delivery ids
// (X-GitHub-Delivery, X-Gitea-Delivery) already seen are answered 200 and ignored; the memory is
// bounded (oldest forgotten first), which is enough because a stale push is also refused by its
// branch's head (bot/forge/flows.ts).
export class SeenDeliveries {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 10_000) {}

  /** True the first time an id is offered (or when there is none); false for a replay. */
  first(id: string | string[] | undefined): boolean {
    if (typeof id !== "string" || id === "") return true;
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}
