/** How urgent an alert is, least first: the order severity is raised in and compared by. */

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
