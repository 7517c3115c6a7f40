import { err, ok, type Result } from "neverthrow";
import {
  type AppliedShadowUpdate,
  applyShadowUpdate,
  type ShadowRejection,
  type ShadowUpdateRequest,
  type StoredShadow,
} from "./shadow-document";

/** Which shadow: the classic (unnamed) one when `shadowName` is undefined. */
export interface ShadowAddress {
  readonly thingName: string;
  readonly shadowName?: string;
}

interface DeletedShadow {
  readonly version: number;
  readonly deletedAtSeconds: number;
}

interface RegionShadows {
  readonly live: Map<string, StoredShadow>;
  readonly deleted: Map<string, DeletedShadow>;
}

/**
 * AWS: a shadow re-created within 48 hours of its deletion continues from the deleted shadow's
 * version; after 48 hours it starts over. We follow that: the first update after a recent delete
 * writes deletedVersion + 1, otherwise (never existed, or deleted long ago) version 1.
 */
export const VERSION_MEMORY_AFTER_DELETE_SECONDS = 48 * 60 * 60;

const keyOf = ({ thingName, shadowName }: ShadowAddress): string => JSON.stringify([thingName, shadowName ?? null]);

export interface ShadowStore {
  get(region: string, address: ShadowAddress): StoredShadow | undefined;
  update(
    region: string,
    address: ShadowAddress,
    request: ShadowUpdateRequest,
    nowSeconds: number,
  ): Result<AppliedShadowUpdate, ShadowRejection>;
  delete(region: string, address: ShadowAddress, nowSeconds: number): Result<{ version: number; timestamp: number }, ShadowRejection>;
  namedShadows(region: string, thingName: string): string[];
}

export const noShadowRejection = (address: ShadowAddress): ShadowRejection => ({
  code: 404,
  message: `No shadow exists with name: '${address.shadowName ?? address.thingName}'`,
});

/** In-memory shadows, one independent namespace per region (each region is its own AWS IoT). */
export const createShadowStore = (): ShadowStore => {
  const regions = new Map<string, RegionShadows>();
  const regionShadows = (region: string): RegionShadows => {
    let shadows = regions.get(region);
    if (!shadows) {
      shadows = { live: new Map(), deleted: new Map() };
      regions.set(region, shadows);
    }
    return shadows;
  };

  return {
    get: (region, address) => regionShadows(region).live.get(keyOf(address)),
    update: (region, address, request, nowSeconds) => {
      const shadows = regionShadows(region);
      const key = keyOf(address);
      const existing = shadows.live.get(key);
      const deleted = shadows.deleted.get(key);
      const recentlyDeleted = deleted && nowSeconds - deleted.deletedAtSeconds < VERSION_MEMORY_AFTER_DELETE_SECONDS;
      const currentVersion = existing?.version ?? (recentlyDeleted ? deleted.version : 0);
      return applyShadowUpdate(existing, currentVersion, request, nowSeconds).map((applied) => {
        shadows.live.set(key, applied.next);
        shadows.deleted.delete(key);
        return applied;
      });
    },
    delete: (region, address, nowSeconds) => {
      const shadows = regionShadows(region);
      const key = keyOf(address);
      const existing = shadows.live.get(key);
      if (!existing) return err(noShadowRejection(address));
      shadows.live.delete(key);
      shadows.deleted.set(key, { version: existing.version, deletedAtSeconds: nowSeconds });
      return ok({ version: existing.version, timestamp: nowSeconds });
    },
    namedShadows: (region, thingName) =>
      [...regionShadows(region).live.keys()]
        .map((key) => JSON.parse(key) as [string, string | null])
        .filter(([thing, shadow]) => thing === thingName && shadow !== null)
        .map(([, shadow]) => shadow as string)
        .sort(),
  };
};
