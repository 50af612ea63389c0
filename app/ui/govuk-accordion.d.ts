declare module "govuk-frontend/dist/govuk/components/accordion/accordion.mjs" {
  /** GOV.UK Frontend's accordion: folds each section behind its heading, with "Show all sections". */
  export class Accordion {
    constructor($root: Element | null, config?: { rememberExpanded?: boolean });
  }
}
