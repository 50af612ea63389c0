/**
 * GOV.UK Frontend's accordion. Without JavaScript every section is open (GOV.UK's styles hide
 * content only once its script runs); with it, sections fold and "Show all sections" appears.
 * Sections marked `expanded` start open: a section holding an error must be, so that the error
 * summary's link reaches its field.
 */
import { type ReactNode, useEffect, useRef } from "react";

export type AccordionSection = { key: string; heading: ReactNode; summary: ReactNode; expanded: boolean; content: ReactNode };

type Props = { id: string; headingLevel?: 2 | 3 | 4; sections: AccordionSection[] };

/**
 * The accordion's script rewrites each section's header, so React must not patch that markup
 * afterwards: whenever a heading, summary or open state changes the accordion is built afresh.
 */
export function Accordion(props: Props) {
  const version = props.sections.map((s) => `${s.key}:${s.expanded}:${textOf(s.heading)}:${textOf(s.summary)}`).join("|");
  return <AccordionRoot key={version} {...props} />;
}

const textOf = (node: ReactNode): string => (typeof node === "string" || typeof node === "number" ? String(node) : Array.isArray(node) ? node.map(textOf).join("") : "");

function AccordionRoot({ id, headingLevel = 3, sections }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    let live = true;
    import("govuk-frontend/dist/govuk/components/accordion/accordion.mjs")
      .then(({ Accordion: GovukAccordion }) => {
        if (live && root.isConnected && !root.hasAttribute("data-govuk-accordion-init")) new GovukAccordion(root);
      })
      .catch(() => {
        // Without the script every section stays open, as without JavaScript.
        for (const section of root.querySelectorAll(".govuk-accordion__section")) section.classList.add("govuk-accordion__section--expanded");
      });
    return () => {
      live = false;
    };
  }, []);
  const Heading = `h${headingLevel}` as const;
  return (
    <div className="govuk-accordion" data-module="govuk-accordion" data-remember-expanded="false" id={id} ref={ref}>
      {sections.map((s, i) => (
        <div className={`govuk-accordion__section${s.expanded ? " govuk-accordion__section--expanded" : ""}`} key={s.key}>
          <div className="govuk-accordion__section-header">
            <Heading className="govuk-accordion__section-heading">
              <span className="govuk-accordion__section-button" id={`${id}-heading-${i + 1}`}>
                {s.heading}
              </span>
            </Heading>
            <div className="govuk-accordion__section-summary govuk-body" id={`${id}-summary-${i + 1}`}>
              {s.summary}
            </div>
          </div>
          <div id={`${id}-content-${i + 1}`} className="govuk-accordion__section-content">
            {s.content}
          </div>
        </div>
      ))}
    </div>
  );
}
