import { LOCAL_PARTITION_CREDENTIALS } from "../endpoint/partition-credentials";
import type { Walkthrough } from "./walkthrough";

/** Where the walkthrough's source table lives, and where its copy in the other partition lives. */
export const MUSIC_COLLECTION_SOURCE_REGION = "us-east-1";
export const MUSIC_COLLECTION_TARGET_REGION = "cn-northwest-1";

/** The public sample's table: `Artist` (hash) and `SongTitle` (range), stream `NEW_IMAGE`. */
const MUSIC_COLLECTION_PROPERTIES = {
  AttributeDefinitions: [
    { AttributeName: "Artist", AttributeType: "S" },
    { AttributeName: "SongTitle", AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: "Artist", KeyType: "HASH" },
    { AttributeName: "SongTitle", KeyType: "RANGE" },
  ],
  BillingMode: "PAY_PER_REQUEST",
  StreamSpecification: { StreamViewType: "NEW_IMAGE" },
};

/**
 * The table sync walkthrough (issue 11), as the public cross-partition sample sets it up:
 * `MusicCollection` in us-east-1 and in cn-northwest-1 (the `aws-cn` partition), the target
 * partition's key pair in us-east-1's Parameter Store as the SecureStrings `target_ak` / `target_sk`,
 * and the us-east-1 stack's `Sync*` parameters that sync the one into the other.
 */
export const MUSIC_COLLECTION_WALKTHROUGH: Walkthrough = {
  name: "MusicCollection walkthrough",
  tables: [MUSIC_COLLECTION_SOURCE_REGION, MUSIC_COLLECTION_TARGET_REGION].map((region) => ({
    region,
    tableName: "MusicCollection",
    properties: MUSIC_COLLECTION_PROPERTIES,
  })),
  secureParameters: [
    {
      region: MUSIC_COLLECTION_SOURCE_REGION,
      name: "target_ak",
      value: LOCAL_PARTITION_CREDENTIALS["aws-cn"].accessKeyId,
      description: "access key id of the aws-cn partition, for the table sync writer",
    },
    {
      region: MUSIC_COLLECTION_SOURCE_REGION,
      name: "target_sk",
      value: LOCAL_PARTITION_CREDENTIALS["aws-cn"].secretAccessKey,
      description: "secret access key of the aws-cn partition, for the table sync writer",
    },
  ],
  // The us-east-1 stack syncs its MusicCollection into cn-northwest-1's with the keys above.
  stackParameters: [
    {
      region: MUSIC_COLLECTION_SOURCE_REGION,
      parameters: {
        SyncSourceTableName: "MusicCollection",
        SyncTargetRegion: MUSIC_COLLECTION_TARGET_REGION,
        SyncTargetTableName: "MusicCollection",
        SyncTargetAccessKeyParameter: "target_ak",
        SyncTargetSecretKeyParameter: "target_sk",
      },
      streamArnParameters: { SyncSourceStreamArn: "MusicCollection" },
    },
  ],
};
