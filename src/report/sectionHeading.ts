/** The seed's rule line, 70 "=": console sections are framed by it so the seed's users read the same report. */
export const RULE = '='.repeat(70);

/** A console section heading as the seed frames it: a blank line, the rule, the title, the rule. */
export function sectionHeading(title: string): string[] {
  return ['', RULE, title, RULE];
}
