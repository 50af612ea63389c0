import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useLocation, useRouteLoaderData } from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import govukCss from "govuk-frontend/dist/govuk/govuk-frontend.min.css?url";
import appCss from "./styles/app.css?url";
import { getUser, homeFor } from "./services/auth.server";
import { GeneralErrorBoundary } from "./ui/error-boundary";
import { useNonce } from "./ui/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: govukCss },
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return {
    user: user ? { name: user.name, organisationName: user.organisationName, home: homeFor(user), kind: user.organisationKind, role: user.role } : null,
  };
}

/** `also`: other paths under which the item is the current one. */
type NavItem = { href: string; text: string; also?: string[] };

function navigationFor(user: NonNullable<Awaited<ReturnType<typeof loader>>["user"]>): NavItem[] {
  if (user.kind === "supplier") {
    const items: NavItem[] = [{ href: "/supplier", text: "Assessments", also: ["/assessments"] }];
    items.push({ href: "/supplier/actions", text: "Agreed actions", also: ["/actions"] });
    if (user.role === "admin") items.push({ href: "/supplier/colleagues", text: "Colleagues" });
    if (user.role === "admin") items.push({ href: "/outbox", text: "Sent email" });
    return items;
  }
  const items: NavItem[] = [
    { href: "/buyer", text: "Overview" },
    { href: "/contracts", text: "Contracts" },
    { href: "/invitations", text: "Invitations" },
    { href: "/results", text: "Results" },
    { href: "/queue", text: "Work queue", also: ["/conversations"] },
    { href: "/actions", text: "Actions" },
  ];
  if (user.role === "admin" || user.role === "analyst") items.push({ href: "/statistics", text: "Statistics", also: ["/statistics/goals"] });
  if (user.role === "admin") items.push({ href: "/settings", text: "Settings" }, { href: "/outbox", text: "Sent email" });
  return items;
}

/** The item whose path is the longest prefix of the current one. */
function currentItem(items: NavItem[], pathname: string): NavItem | undefined {
  let best: { item: NavItem; length: number } | undefined;
  for (const item of items) {
    for (const path of [item.href, ...(item.also ?? [])]) {
      const matches = pathname === path || pathname.startsWith(`${path}/`);
      if (matches && (!best || path.length > best.length)) best = { item, length: path.length };
    }
  }
  return best?.item;
}

/**
 * GOV.UK Frontend's service navigation script: on a small screen it folds the menu behind a "Menu"
 * button. Without JavaScript the button stays hidden and the menu stays open.
 */
function useServiceNavigation(signedIn: boolean, pathname: string) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    // What GOV.UK's page template marks on <body> when the browser runs its scripts.
    document.body.classList.add("js-enabled", "govuk-frontend-supported");
    let live = true;
    import("govuk-frontend/dist/govuk/components/service-navigation/service-navigation.mjs")
      .then(({ ServiceNavigation }) => {
        if (live && root.isConnected && !root.hasAttribute("data-govuk-service-navigation-init")) new ServiceNavigation(root);
      })
      .catch(() => {
        // The menu stays open, as without JavaScript.
      });
    return () => {
      live = false;
    };
  }, [signedIn]);
  // A link followed inside the app keeps this page's header: fold the menu again.
  useEffect(() => {
    const toggle = ref.current?.querySelector<HTMLButtonElement>(".govuk-js-service-navigation-toggle");
    if (toggle?.getAttribute("aria-expanded") === "true") toggle.click();
  }, [pathname]);
  return ref;
}

function Header() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  const { pathname } = useLocation();
  const navigation = useServiceNavigation(Boolean(user), pathname);
  return (
    <>
      <header className="govuk-header govuk-header--full-width-border" data-module="govuk-header">
        <div className="govuk-header__container govuk-width-container">
          <div className="govuk-header__logo">
            <a href={user?.home ?? "/"} className="govuk-header__link govuk-header__link--homepage">
              <span className="govuk-header__product-name lantern-logotype">Lantern</span>
            </a>
          </div>
        </div>
      </header>
      {user ? (
        <section aria-label="Service information" className="govuk-service-navigation" data-module="govuk-service-navigation" ref={navigation}>
          <div className="govuk-width-container">
            <div className="govuk-service-navigation__container lantern-service-nav">
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                <button type="button" className="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden aria-hidden="true">
                  Menu
                </button>
                <ul className="govuk-service-navigation__list" id="navigation">
                  {navigationFor(user).map((item, _, items) => {
                    const current = item === currentItem(items, pathname);
                    return (
                      <li key={item.href} className={`govuk-service-navigation__item${current ? " govuk-service-navigation__item--active" : ""}`}>
                        <a className="govuk-service-navigation__link" href={item.href} aria-current={current ? "page" : undefined}>
                          {current ? <strong className="govuk-service-navigation__active-fallback">{item.text}</strong> : item.text}
                        </a>
                      </li>
                    );
                  })}
                </ul>
              </nav>
              <div className="lantern-account">
                <a className="govuk-link govuk-body-s lantern-account__who" href="/account" aria-current={pathname === "/account" ? "page" : undefined}>
                  {user.name}, {user.organisationName}
                </a>
                <Form method="post" action="/sign-out" className="lantern-inline-form">
                  <button type="submit" className="lantern-link-button govuk-body-s">
                    Sign out
                  </button>
                </Form>
              </div>
            </div>
          </div>
        </section>
      ) : null}
    </>
  );
}

function Footer() {
  return (
    <footer className="govuk-footer">
      <div className="govuk-width-container">
        <div className="govuk-footer__meta">
          <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <h2 className="govuk-visually-hidden">Support links</h2>
            <p className="govuk-footer__meta-custom">
              Lantern helps public bodies and their suppliers find and act on modern slavery risks in supply chains.
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" className="govuk-template">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#0b0c0c" />
        <Meta />
        <Links />
      </head>
      <body className="govuk-template__body">
        <a href="#main-content" className="govuk-skip-link">
          Skip to main content
        </a>
        <Header />
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
            {children}
          </main>
        </div>
        <Footer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
