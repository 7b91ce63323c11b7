// The order of the stages and how each relates to the current one. The order is the backend's
// (`Stage` in kep-protocol); this list must name every member, which the type checks.
import type { Stage } from '../../bindings/Stage';

export const STAGES = [
  'application',
  'ca_review',
  'issuance',
  'key',
  'identity',
  'install',
] as const satisfies readonly Stage[];

// Compile-time check that STAGES names every Stage: `Missing` is `never` only then.
type Missing = Exclude<Stage, (typeof STAGES)[number]>;
const allStagesListed: Missing extends never ? true : false = true;
void allStagesListed;

export type StageStatus = 'done' | 'current' | 'upcoming';

export function stageNumber(stage: Stage): number {
  return STAGES.indexOf(stage) + 1;
}

export function stageStatus(stage: Stage, current: Stage): StageStatus {
  const delta = STAGES.indexOf(stage) - STAGES.indexOf(current);
  if (delta < 0) return 'done';
  return delta === 0 ? 'current' : 'upcoming';
}

