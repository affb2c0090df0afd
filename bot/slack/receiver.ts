// A Bolt Receiver for a route someone else's HTTP server owns: the bot's server calls `handle` for
// POST /slack/events, whatever its path looks like after mounting. Verification and dispatch are
// Bolt's own (the steps of its HTTPReceiver, minus the server, the routing and OAuth): a bad or
// stale signature is 401 before anything is parsed or run; the HTTP answer is sent at ack().
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type App,
  HTTPModuleFunctions as http,
  HTTPResponseAck,
  type Logger,
  type Receiver,
  type ReceiverEvent,
} from "@slack/bolt";

export class MountedReceiver implements Receiver {
  private app?: App;

  constructor(
    private readonly signingSecret: string,
    private readonly logger: Logger,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  // The server is not ours to start or stop.
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffered: Awaited<ReturnType<typeof http.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await http.parseAndVerifyHTTPRequest(
        { enabled: true, signingSecret: this.signingSecret, bodyLimit: http.defaultBodyLimit },
        req,
      );
    } catch (e) {
      if (http.isRawBodyError(e) && e.statusCode === 413) return http.buildNoBodyResponse(res, 413);
      // Bolt's message names what failed (signature, timestamp), never the secret.
      this.logger.warn(`slack: refused a request: ${(e as Error).message}`);
      return http.buildNoBodyResponse(res, 401);
    }
    let body: Record<string, unknown>;
    try {
      body = http.parseHTTPRequestBody(buffered);
    } catch {
      return http.buildNoBodyResponse(res, 400);
    }
    if (body.ssl_check === "1") return http.buildSSLCheckResponse(res);
    if (body.type === "url_verification") return http.buildUrlVerificationResponse(res, body);
    const ack = new HTTPResponseAck({
      logger: this.logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: http.extractRetryNumFromHTTPRequest(req),
      retryReason: http.extractRetryReasonFromHTTPRequest(req),
    };
    try {
      await this.app?.processEvent(event);
    } catch (error) {
      const handled = await http.defaultProcessEventErrorHandler({
        error: error as Error,
        logger: this.logger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (handled) ack.ack();
    }
  }
}
