import { data } from "@remix-run/node";
import type { MetaFunction } from "@remix-run/node";
import { NotFound } from "../ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Page not found – Lantern" }];

export async function loader() {
  throw data({ message: "Page not found" }, { status: 404 });
}

export default function NotFoundPage() {
  return <NotFound />;
}
