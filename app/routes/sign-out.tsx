import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endAllSessions, endSession, getUser } from "../services/auth.server";
import { field, readForm } from "../services/forms.server";

/** Sign out of this browser, or with `scope=everywhere` end every session of the account. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const user = field(form, "scope") === "everywhere" ? await getUser(request) : undefined;
  const cookie = user ? await endAllSessions(user) : await endSession(request);
  return redirect(user ? "/sign-in?signedOut=everywhere" : "/", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  return redirect("/");
}
