// Every deploy reconciles its instance first (under its lock): what it reads of the serving
// container (a stopped one is brought back: blue-green.test.ts).
import { afterEach, describe, expect, it, vi } from "vitest";
import { disposeAll, harness, V1, V2 } from "../../fakes/engine.js";

afterEach(disposeAll);

describe("reconcile at the start of a deploy", () => {
  it("takes the running serving container from the listing, without inspecting it", async () => {
    const h = harness();
    const first = await h.deploy(V1);
    const serving = (await h.docker.inspect(first.container!))!.id;
    const inspect = vi.spyOn(h.docker, "inspect");
    const second = await h.deploy(V2);
    const asked = inspect.mock.calls.map(([id]) => id);
    const started = (await h.docker.inspect(second.container!))!.id;
    // Asked about only once it is replaced (retire checks how it stopped), never before.
    expect(asked.indexOf(started)).toBeGreaterThanOrEqual(0);
    expect(asked.indexOf(serving)).toBeGreaterThan(asked.indexOf(started));
  });
});
