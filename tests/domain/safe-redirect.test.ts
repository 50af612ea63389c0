import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/services/auth.server";

describe("safeRedirect", () => {
  it.each([
    "/\t/evil.example/",
    "/\t\\evil.example/",
    "\t/evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\u000b/evil.example",
    "/\u0000",
    "/\u0085/evil.example",
    "",
    "evil.example",
    `/${"a".repeat(2001)}`,
  ])("refuses %j", (to) => {
    expect(safeRedirect(to, "/home")).toBe("/home");
  });

  it("refuses what is not a string", () => {
    expect(safeRedirect(null, "/home")).toBe("/home");
    expect(safeRedirect(undefined, "/home")).toBe("/home");
  });

  it.each([
    ["/supplier", "/supplier"],
    ["/assessments/abc/themes/governance?x=1#q", "/assessments/abc/themes/governance?x=1#q"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/a/../b", "/b"],
    ["/a b", "/a%20b"],
  ])("keeps %j as a path here (%j)", (to, expected) => {
    const result = safeRedirect(to, "/home");
    expect(result).toBe(expected);
    expect(new URL(result, "https://lantern.example").origin).toBe("https://lantern.example");
  });
});
