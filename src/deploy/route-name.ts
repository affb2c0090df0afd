// Route names live in src/plan/hostnames.ts; the engine's modules import them from here.
export { routeHostname, routeHostnames } from "../plan/hostnames.js";
