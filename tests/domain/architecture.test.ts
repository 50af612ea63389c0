/**
 * The arrows only point down (docs/engineering.md): routes -> services -> domain/db, ui shared by
 * routes. Every import in app/, db/ and questionnaires/ is read with the TypeScript parser, type-only
 * ones included (`import type`, `export ... from`, `import("...")` types, dynamic imports), and an
 * import from a layer the file may not reach fails the test with the file and the import.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers";

type Layer = "entry" | "routes" | "services" | "ui" | "domain" | "db" | "questionnaires";

/** The layer a file belongs to, by its path from the repository root. */
function layerOf(file: string): Layer {
  if (file.startsWith("app/routes/")) return "routes";
  if (file.startsWith("app/services/") || /^app\/env\.server(\.ts)?$/.test(file)) return "services";
  if (file.startsWith("app/ui/")) return "ui";
  if (file.startsWith("app/domain/")) return "domain";
  if (file.startsWith("db/")) return "db";
  if (file.startsWith("questionnaires/")) return "questionnaires";
  // The document, the route config, the server, the command line: they put the layers together.
  return "entry";
}

const ALL: Layer[] = ["entry", "routes", "services", "ui", "domain", "db", "questionnaires"];

/** What each layer may import from (besides packages). Nothing imports the entry points. */
const MAY_IMPORT: Record<Layer, Layer[]> = {
  entry: ALL,
  routes: ["routes", "services", "ui", "domain", "db", "questionnaires"],
  services: ["services", "domain", "db", "questionnaires"],
  ui: ["ui", "domain", "questionnaires"],
  db: ["db", "domain", "questionnaires"],
  domain: ["domain", "questionnaires"],
  questionnaires: ["questionnaires"],
};

/** The domain is pure: no framework, no database driver. */
const FRAMEWORK = /^(react|react-dom|@remix-run\/.*|kysely|better-sqlite3|pg)$/;

/** Every module specifier a source file names: static, type-only, re-exported, dynamic and `import("...")` types. */
function importsOf(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) found.push(node.argument.literal.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) found.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The wrong-way imports of one file, as "file -> specifier (from layer to layer)". */
function wrongWayImports(file: string, specifiers: string[]): string[] {
  const from = layerOf(file);
  const problems: string[] = [];
  for (const specifier of specifiers) {
    // Stylesheets and other assets are no layer.
    if (/\.(css|json|svg|png)(\?.*)?$/.test(specifier)) continue;
    if (specifier.startsWith(".")) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const to = layerOf(target);
      if (!MAY_IMPORT[from].includes(to)) problems.push(`${file} -> ${specifier} (${from} may not import ${to})`);
    } else if (from === "domain" && FRAMEWORK.test(specifier)) {
      problems.push(`${file} -> ${specifier} (the domain imports no framework or database)`);
    }
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

describe("architecture", () => {
  it("reads every kind of import, type-only ones included", () => {
    const text = [
      `import { a } from "./a";`,
      `import type { B } from "../b";`,
      `import {`,
      `  type C,`,
      `  d,`,
      `} from "../c";`,
      `export { e } from "./e";`,
      `export type * from "./f";`,
      `type G = import("./g").G;`,
      `const h = () => import("./h");`,
      `import "./i.css";`,
    ].join("\n");
    expect(importsOf("x.ts", text)).toEqual(["./a", "../b", "../c", "./e", "./f", "./g", "./h", "./i.css"]);
  });

  it("catches an import that points the wrong way, even a type", () => {
    expect(wrongWayImports("app/domain/x.ts", ["../../db/schema", "./answers", "../../questionnaires/format"])).toEqual(["app/domain/x.ts -> ../../db/schema (domain may not import db)"]);
    expect(wrongWayImports("app/ui/x.tsx", ["../services/reports.server", "../domain/report"])).toEqual(["app/ui/x.tsx -> ../services/reports.server (ui may not import services)"]);
    expect(wrongWayImports("db/schema.ts", ["../app/domain/report", "../app/routes/x"])).toEqual(["db/schema.ts -> ../app/routes/x (db may not import routes)"]);
    expect(wrongWayImports("app/services/x.server.ts", ["../ui/table", "../http/security", "./y.server"])).toEqual([
      "app/services/x.server.ts -> ../ui/table (services may not import ui)",
      "app/services/x.server.ts -> ../http/security (services may not import entry)",
    ]);
    expect(wrongWayImports("app/domain/x.ts", ["kysely", "csv-parse/sync"])).toEqual(["app/domain/x.ts -> kysely (the domain imports no framework or database)"]);
    expect(wrongWayImports("app/routes/x.tsx", ["../services/y.server", "../ui/table", "../domain/z", "../styles/print.css?url"])).toEqual([]);
    expect(wrongWayImports("app/domain/x.ts", ["../env.server"])).toEqual(["app/domain/x.ts -> ../env.server (domain may not import services)"]);
  });

  it("has no import in app/, db/ or questionnaires/ that points the wrong way", () => {
    const files = [...sourceFiles("app"), ...sourceFiles("db"), ...sourceFiles("questionnaires")];
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => layerOf(f) === "domain").length).toBeGreaterThan(10);
    const problems = files.flatMap((file) => wrongWayImports(file, importsOf(file, readFileSync(path.join(ROOT, file), "utf8"))));
    expect(problems, `Imports that point the wrong way (move what they need down to the module that owns it):\n${problems.join("\n")}`).toEqual([]);
  });
});
