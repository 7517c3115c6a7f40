import type { EntityType } from "../registry/entity-kinds";

/**
 * The order a bootstrap applies the primary's records in: each wave's kinds run side by side (each
 * at its own APIs' budgets), and a wave starts once the one before it is done, so that what a record
 * depends on (a thing's type, a group's parent, both ends of an attachment) already exists and is
 * only read, never created twice by two kinds at once. Types first; then groups, certificates and
 * policies; then things; then every relation and the shadows.
 */
export const BOOTSTRAP_WAVES: readonly (readonly EntityType[])[] = [
  ["thingType"],
  ["thingGroup", "certificate", "policy"],
  ["thing"],
  ["thingGroupHierarchy", "thingGroupMembership", "thingTypeAssociation", "thingPrincipal", "policyPrincipal", "shadow"],
];

/** One kind's progress: where its listing stands (`done` at the end) and what its records came to. */
export interface KindProgress {
  readonly entityType: EntityType;
  /** The primary's records of this kind when the bootstrap started (what the ETA counts against). */
  readonly total: number;
  /** An opaque resume point of the listing; undefined before the first page. */
  readonly cursor?: string;
  readonly done: boolean;
  /** Records applied (calls made), already matching, or parked with a reason (never applied). */
  readonly applied: number;
  readonly unchanged: number;
  readonly parked: number;
}

export interface BootstrapJob {
  readonly bulkLoadId: string;
  readonly primaryRegion: string;
  /** Epoch ms the apply phase started (the snapshot before it is the operator command's). */
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly kinds: readonly KindProgress[];
}

export const recordsDone = (kind: KindProgress): number => kind.applied + kind.unchanged + kind.parked;

/** The kinds the next run works on: the first wave with a kind not done yet (empty once all are done). */
export const currentWave = (job: BootstrapJob): readonly KindProgress[] => {
  for (const wave of BOOTSTRAP_WAVES) {
    const open = job.kinds.filter((kind) => wave.includes(kind.entityType) && !kind.done);
    if (open.length > 0) return open;
  }
  return [];
};

export interface BootstrapEstimate {
  readonly total: number;
  readonly done: number;
  /** Records per second since the apply phase started. */
  readonly ratePerSecond: number;
  /** Seconds left at that rate; undefined before any record is done, 0 when finished. */
  readonly etaSeconds: number | undefined;
}

/**
 * Progress and time left at the rate achieved so far (the rate is set by the API budgets, so it is
 * steady after the first minute; a wave of cheap kinds makes it optimistic, a costly one pessimistic).
 */
export const estimateBootstrap = (job: BootstrapJob, now: number): BootstrapEstimate => {
  const total = job.kinds.reduce((sum, kind) => sum + kind.total, 0);
  const done = job.kinds.reduce((sum, kind) => sum + (kind.done ? Math.max(kind.total, recordsDone(kind)) : recordsDone(kind)), 0);
  const elapsedSeconds = Math.max(0.001, ((job.finishedAt ?? now) - job.startedAt) / 1000);
  const ratePerSecond = done / elapsedSeconds;
  if (job.finishedAt !== undefined || job.kinds.every((kind) => kind.done)) return { total, done, ratePerSecond, etaSeconds: 0 };
  return { total, done, ratePerSecond, etaSeconds: done === 0 ? undefined : Math.max(0, total - done) / ratePerSecond };
};
