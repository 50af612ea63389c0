import { TIER_LABELS, type Tier } from "../domain/contracts";
import { Tag } from "./page";

const TIER_COLOUR = { gold: "yellow", silver: "grey", bronze: "orange" } as const;

/** A contract's tier as a coloured tag: the label carries the meaning, the colour only helps. */
export function TierTag({ tier }: { tier: Tier }) {
  return <Tag colour={TIER_COLOUR[tier]}>{TIER_LABELS[tier]}</Tag>;
}
