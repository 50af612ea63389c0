import { type RouteConfig, index, route } from "@remix-run/route-config";

export default [
  index("routes/home.tsx"),
  route("sign-in", "routes/sign-in.tsx"),
  route("sign-out", "routes/sign-out.tsx"),
  route("account", "routes/account.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("invitations/:token", "routes/invitation.tsx"),

  route("supplier", "routes/supplier.tsx"),
  route("supplier/colleagues", "routes/supplier-colleagues.tsx"),
  route("assessments/:assessmentId", "routes/assessment.tsx"),
  route("assessments/:assessmentId/themes/:themeId", "routes/assessment-theme.tsx"),
  route("assessments/:assessmentId/answers", "routes/assessment-answers.ts"),
  route("assessments/:assessmentId/screening", "routes/assessment-screening.tsx"),
  route("assessments/:assessmentId/check", "routes/assessment-check.tsx"),
  route("assessments/:assessmentId/report", "routes/assessment-report.tsx"),
  route("assessments/:assessmentId/report.pdf", "routes/assessment-report-pdf.ts"),

  route("buyer", "routes/buyer.tsx"),
  route("contracts", "routes/contracts.tsx"),
  route("contracts/import", "routes/contracts-import.tsx"),
  route("contracts/template.csv", "routes/contracts-template.ts"),

  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
