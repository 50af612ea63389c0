import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "../../db/index";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const database = inject("database");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function newPage(): Promise<Page> {
  return (await browser.newContext()).newPage();
}

describe("every other page is accessible and says what is wrong", () => {
  it("start page, sign-in with errors, not found", async () => {
    const page = await newPage();
    await page.goto(baseUrl);
    expect(await page.locator("h1").innerText()).toBe("Assess and act on modern slavery risks in your supply chain");
    await expectAccessible(page);
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel("Email address").fill("admin@acme.example");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator(".govuk-error-summary a").allInnerTexts()).toEqual(["Enter a correct email address and password"]);
    await expectAccessible(page);
    const response = await page.goto(`${baseUrl}/no/such/page`);
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").innerText()).toBe("Page not found");
    await expectAccessible(page);
    await page.close();
  });

  it("each buyer role lands on its own start page", async () => {
    for (const [email, role] of [
      ["admin@dpw.example", "an administrator"],
      ["manager@dpw.example", "a contract manager"],
      ["analyst@dpw.example", "an analyst"],
    ]) {
      const page = await newPage();
      await signIn(page, baseUrl, email!);
      expect(new URL(page.url()).pathname).toBe("/buyer");
      expect(await page.locator("main p").first().innerText()).toContain(`signed in as ${role}`);
      await expectAccessible(page);
      // a buyer cannot open supplier pages
      const forbidden = await page.goto(`${baseUrl}/supplier`);
      expect(forbidden?.status()).toBe(403);
      expect(await page.locator("h1").innerText()).toBe("You do not have permission to see this page");
      await page.close();
    }
  });

  it("an admin invites a colleague, who creates an account from the emailed link", async () => {
    const page = await newPage();
    await signIn(page, baseUrl, "admin@brightwear.example");
    await page.goto(`${baseUrl}/supplier/colleagues`);
    await expectAccessible(page);
    await page.getByLabel("Email address").fill("not an email");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect.poll(() => page.locator(".govuk-error-summary a").allInnerTexts()).toEqual(["Enter an email address in the correct format, like name@example.com"]);
    await expectAccessible(page);
    await page.getByLabel("Email address").fill("new.colleague@brightwear.example");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect.poll(() => page.locator(".govuk-notification-banner__heading").innerText()).toBe("We have sent an invitation to new.colleague@brightwear.example");

    const db = createDb(database.url, { schema: database.schema, poolSize: 1 });
    const mail = await db.selectFrom("email_outbox").select("body").where("recipient", "=", "new.colleague@brightwear.example").executeTakeFirstOrThrow();
    await db.destroy();
    const link = /https?:\/\/\S+\/invitations\/\S+/.exec(mail.body)![0];

    const invitee = await newPage();
    await invitee.goto(link);
    await expectAccessible(invitee);
    await invitee.getByLabel("Full name").fill("Ravi Patel");
    await invitee.getByLabel("Create a password").fill("short");
    await invitee.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => invitee.locator(".govuk-error-summary a").allInnerTexts()).toEqual(["Password must be 12 characters or more"]);
    await invitee.getByLabel("Create a password").fill("a sensible passphrase");
    await invitee.getByRole("button", { name: "Create account" }).click();
    await invitee.waitForURL(/\/supplier$/);
    expect(await invitee.locator(".lantern-account__who").innerText()).toBe("Ravi Patel, Brightwear Textiles Ltd");
    const reused = await invitee.goto(link);
    expect(reused?.status()).toBe(404);
    await page.close();
    await invitee.close();
  });
});
