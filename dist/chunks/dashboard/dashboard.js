// Live updates for the dashboard, over the bot's event stream (GET /projects/NAME/live, the
// events API's stream for a whole project; the session cookie authorises it). The pages work without this
// script: it only adds rows and steps as deploys happen. Text goes in through textContent only.
(() => {
  const body = document.body;
  const live = body.dataset.live || "";
  const deployId = body.dataset.deploy || "";
  const deploysBody = document.getElementById("deploys");
  const project = deploysBody ? deploysBody.dataset.project : "";

  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  // A step's chip: dashed while it runs, then ok or failed (from "started" / "ok in" / "failed after").
  const markStep = (container, tag, e) => {
    const state =
      e.msg === "started"
        ? "started"
        : /^ok in /.test(e.msg)
          ? "ok"
          : /^failed after /.test(e.msg)
            ? "failed"
            : "";
    if (!container || !e.step || !state) return; // gate, report, container-log: events, not steps
    let chip = Array.from(container.children).find((c) => c.dataset.step === e.step);
    if (!chip) {
      chip = el(tag, { class: "chip", "data-step": e.step }, e.step);
      container.appendChild(chip);
    }
    chip.className = `chip ${state}`;
    if (state !== "started")
      chip.textContent = `${e.step} ${e.msg.replace(/^(ok in|failed after) /, "").split(":")[0]}`;
  };

  const deployRow = (e) => {
    const found = Array.from(deploysBody.rows).find((r) => r.dataset.deployId === e.deployId);
    if (found) return found;
    const row = el("tr", { "data-deploy-id": e.deployId, class: "new" });
    const link = el("a", {
      href: `/projects/${encodeURIComponent(project)}/deploys/${encodeURIComponent(e.deployId)}`,
    });
    link.appendChild(el("code", {}, e.deployId));
    const first = el("td");
    first.appendChild(link);
    row.appendChild(first);
    row.appendChild(el("td", {}, e.workload));
    row.appendChild(el("td", {}, e.stage));
    row.appendChild(el("td", {}, ""));
    const outcome = el("td", { class: "outcome" });
    outcome.appendChild(el("span", { class: "badge running" }, "running"));
    row.appendChild(outcome);
    row.appendChild(el("td", {}, ""));
    row.appendChild(el("td", {}, "now"));
    row.appendChild(el("td", { class: "steps" }));
    deploysBody.insertBefore(row, deploysBody.firstChild);
    return row;
  };

  const onProjectEvent = (e) => {
    const row = deployRow(e);
    markStep(row.querySelector(".steps"), "span", e);
    // The deploy's last word: "… serves SHA", "… nothing to do", or "failed: …".
    const done = e.step === "deploy" && (e.level === "error" || / serves |nothing to do/.test(e.msg));
    if (done) {
      const badge = row.querySelector(".outcome .badge");
      const outcome = e.level === "error" ? "failed" : "success";
      badge.className = `badge ${outcome}`;
      badge.textContent = outcome;
    }
  };

  const onDeployEvent = (e) => {
    if (e.deployId !== deployId) return;
    const events = document.getElementById("events");
    if (events && !Array.from(events.rows).some((r) => r.dataset.eventId === e.id)) {
      const row = el("tr", { class: `lvl-${e.level}`, "data-event-id": e.id });
      for (const t of [e.ts.slice(11, 23), e.level, e.step, e.msg]) row.appendChild(el("td", {}, t));
      events.appendChild(row);
    }
    markStep(document.getElementById("live-steps"), "li", e);
  };

  if (live) {
    const source = new EventSource(live);
    const dot = document.querySelector(".live-dot");
    const showLive = (on) => {
      if (dot) dot.hidden = !on;
    };
    source.addEventListener("open", () => showLive(true));
    source.addEventListener("error", () => showLive(false));
    source.addEventListener("deploy-event", (m) => {
      const e = JSON.parse(m.data);
      if (deployId) onDeployEvent(e);
      else if (deploysBody) onProjectEvent(e);
    });
  }
})();
