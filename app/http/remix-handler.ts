/**
 * Remix behind Express, as @remix-run/express does it, with two differences: the body Remix reads
 * is the stream the body limit counts (./body-limit), not the request itself, so no route can read
 * more than the limit; and when the body limit has already answered (413), Remix's own answer to
 * the cut-short request is dropped.
 */
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
import type { Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from "express";
import type { Readable } from "node:stream";
import { answeredByBodyLimit, refusalSignal, requestBody } from "./body-limit";

export function remixHandler(options: { build: ServerBuild; mode?: string; getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext }): RequestHandler {
  const handleRequest = createRequestHandler(options.build, options.mode ?? process.env.NODE_ENV);
  return async (req, res, next) => {
    try {
      const response = await handleRequest(remixRequest(req, res), options.getLoadContext(req, res));
      if (answeredByBodyLimit(res)) {
        await response.body?.cancel();
        return;
      }
      await sendResponse(res, response);
    } catch (error) {
      if (answeredByBodyLimit(res)) return;
      next(error);
    }
  };
}

function remixHeaders(headers: ExpressRequest["headers"]): Headers {
  const result = new Headers();
  for (const [key, values] of Object.entries(headers)) {
    if (values === undefined) continue;
    if (Array.isArray(values)) for (const value of values) result.append(key, value);
    else result.set(key, values);
  }
  return result;
}

function remixRequest(req: ExpressRequest, res: ExpressResponse): Request {
  // req.hostname has no port: take it from X-Forwarded-Host or Host, as @remix-run/express does.
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? "", 10)).find((p) => Number.isSafeInteger(p));
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const refusal = refusalSignal(req);
  const signal = refusal ? AbortSignal.any([controller.signal, refusal]) : controller.signal;
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: remixHeaders(req.headers), signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(requestBody(req) as Readable);
    init.duplex = "half";
  }
  // Stop loaders and actions once no answer can be written (the client went away first) or the
  // body limit has answered.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
