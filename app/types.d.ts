declare module "accessible-autocomplete" {
  export function enhanceSelectElement(options: Record<string, unknown>): void;
  const autocomplete: { enhanceSelectElement: typeof enhanceSelectElement };
  export default autocomplete;
}

declare module "govuk-frontend/dist/govuk/components/service-navigation/service-navigation.mjs" {
  /** GOV.UK Frontend's service navigation: folds the menu behind a button on small screens. */
  export class ServiceNavigation {
    constructor($root: Element | null);
  }
}
