declare module "accessible-autocomplete" {
  export function enhanceSelectElement(options: Record<string, unknown>): void;
  const autocomplete: { enhanceSelectElement: typeof enhanceSelectElement };
  export default autocomplete;
}
