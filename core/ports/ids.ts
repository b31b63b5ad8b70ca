/** Produces unique, time-ordered identifiers (ULIDs). */
export interface Ids {
  next(): string;
}
