/**
 * The defences every request passes through before it reaches a route: a CSP nonce, security
 * headers, the origin check on state changes, the accepted body types, and no caching of dynamic
 * responses. Kept out of the routes so a new route cannot forget them.
 */
import { randomBytes } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";
import { FORM_TYPES, mediaType } from "../services/forms.server";

export type SecurityOptions = {
  /** Origins (scheme://host[:port]) that may send state-changing requests besides the app's own. */
  allowedOrigins?: string[];
  /** Behind HTTPS: send HSTS and upgrade insecure requests. */
  secure?: boolean;
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The one endpoint that takes JSON: autosave of a single answer. */
export const JSON_ENDPOINT = /^\/assessments\/[^/]+\/answers(?:\.data)?$/;


/** A fresh nonce per response for the inline scripts Remix renders. */
export function cspNonce(): RequestHandler {
  return (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  };
}

export function securityHeaders(options: SecurityOptions = {}): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    strictTransportSecurity: options.secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
}

/** Dynamic responses may hold one user's data: never store them in a shared or browser cache. */
export function noStore(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  };
}

function wantsJson(req: Request): boolean {
  return req.path.endsWith(".data") || JSON_ENDPOINT.test(req.path) || (req.get("accept") ?? "").startsWith("application/json");
}

/** A short refusal, as JSON for scripts and as a plain GOV.UK-styled page for a person (with a link on, to the start page unless given). */
export function refuse(req: Request, res: Response, status: number, title: string, message: string, stylesheet?: string, link = { href: "/", text: "Go to your start page" }): void {
  res.status(status).setHeader("Cache-Control", "no-store");
  if (wantsJson(req)) {
    res.json({ message });
    return;
  }
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.type("html").send(`<!DOCTYPE html>
<html lang="en" class="govuk-template"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – Lantern</title>${stylesheet ? `<link rel="stylesheet" href="${escape(stylesheet)}">` : ""}</head>
<body class="govuk-template__body"><header class="govuk-header"><div class="govuk-header__container govuk-width-container"><div class="govuk-header__logo"><a href="/" class="govuk-header__link govuk-header__link--homepage"><span class="govuk-header__product-name">Lantern</span></a></div></div></header>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content"><h1 class="govuk-heading-l">${escape(title)}</h1>
<p class="govuk-body">${escape(message)}</p><p class="govuk-body"><a class="govuk-link" href="${escape(link.href)}">${escape(link.text)}</a></p></main></div>
<footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow"><p class="govuk-footer__meta-custom">Lantern helps public bodies and their suppliers find and act on modern slavery risks in supply chains.</p></div></div></div></footer></body></html>`);
}

/** The origin the request was addressed to, as the browser saw it. */
function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? ""}`;
}

/**
 * Refuse state-changing requests that another site (or a sibling origin of this one) made a
 * browser send. Browsers send Origin on every POST; Sec-Fetch-Site covers the rare case they don't.
 * A request with neither comes from a script or a tool, not a browser a page could drive.
 */
export function originCheck(options: SecurityOptions & { stylesheet?: () => string | undefined } = {}): RequestHandler {
  const allowed = new Set((options.allowedOrigins ?? []).map((o) => o.replace(/\/$/, "")));
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    const fetchSite = req.get("sec-fetch-site");
    let sameOrigin: boolean;
    if (origin !== undefined) sameOrigin = origin === ownOrigin(req) || allowed.has(origin);
    else if (fetchSite !== undefined) sameOrigin = fetchSite === "same-origin" || fetchSite === "none";
    else sameOrigin = true;
    if (sameOrigin) return next();
    refuse(
      req,
      res,
      403,
      "This request came from another website",
      "Lantern only accepts changes sent from its own pages. Nothing was changed. Go back to Lantern and try again from there.",
      options.stylesheet?.(),
    );
  };
}

/** State changes accept form bodies only, except the autosave endpoint, which accepts JSON only. */
export function bodyTypeCheck(options: { stylesheet?: () => string | undefined } = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const type = mediaType(req.get("content-type"));
    if (JSON_ENDPOINT.test(req.path)) {
      if (type === "application/json") return next();
      refuse(req, res, 415, "Unsupported request", "Send answers as JSON with the Content-Type application/json.");
      return;
    }
    if (FORM_TYPES.has(type)) return next();
    refuse(
      req,
      res,
      415,
      "Unsupported request",
      "Lantern's forms send application/x-www-form-urlencoded or multipart/form-data bodies; this request sent something else and nothing was changed.",
      options.stylesheet?.(),
    );
  };
}
