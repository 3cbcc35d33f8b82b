// GENERATED FILE, do not edit by hand.
// Source: packages/storage-garage/spec/garage-admin-v2.schemas.json (Garage admin API v2, prose removed).
// Regenerate from the repository root:
//   npx tsx packages/storage-garage/scripts/derive-admin-spec.ts <upstream garage-admin-v2.json>   (spec copy)
//   npx tsx packages/storage-garage/scripts/generate-admin-types.ts                                (this file)
// test/admin/generated-types.test.ts fails when this file and the spec copy drift apart.

/** Component schemas of the Garage admin API v2 (`components.schemas` of spec version v2.0.0). */
export interface GarageAdminSchemas {
  /** Schema `AddBucketAliasRequest`. */
  AddBucketAliasRequest: GarageAdminSchemas["BucketAliasEnum"] & {
    /** Field `bucketId`. */
    bucketId: string;
  };
  /** Schema `AddBucketAliasResponse`. */
  AddBucketAliasResponse: GarageAdminSchemas["GetBucketInfoResponse"];
  /** Schema `AllowBucketKeyRequest`. */
  AllowBucketKeyRequest: GarageAdminSchemas["BucketKeyPermChangeRequest"];
  /** Schema `AllowBucketKeyResponse`. */
  AllowBucketKeyResponse: GarageAdminSchemas["GetBucketInfoResponse"];
  /** Schema `ApiBucketKeyPerm`. */
  ApiBucketKeyPerm: {
    /** Field `owner` (optional). */
    owner?: boolean;
    /** Field `read` (optional). */
    read?: boolean;
    /** Field `write` (optional). */
    write?: boolean;
  };
  /** Schema `ApiBucketQuotas`. */
  ApiBucketQuotas: {
    /** Field `maxObjects` (optional). */
    maxObjects?: number | null;
    /** Field `maxSize` (optional). */
    maxSize?: number | null;
  };
  /** Schema `ApplyClusterLayoutRequest`. */
  ApplyClusterLayoutRequest: {
    /** Field `version`. */
    version: number;
  };
  /** Schema `ApplyClusterLayoutResponse`. */
  ApplyClusterLayoutResponse: {
    /** Field `layout`. */
    layout: GarageAdminSchemas["GetClusterLayoutResponse"];
    /** Field `message`. */
    message: string[];
  };
  /** Schema `BlockError`. */
  BlockError: {
    /** Field `blockHash`. */
    blockHash: string;
    /** Field `errorCount`. */
    errorCount: number;
    /** Field `lastTrySecsAgo`. */
    lastTrySecsAgo: number;
    /** Field `nextTryInSecs`. */
    nextTryInSecs: number;
    /** Field `refcount`. */
    refcount: number;
  };
  /** Schema `BlockVersion`. */
  BlockVersion: {
    /** Field `backlink` (optional). */
    backlink?: null | GarageAdminSchemas["BlockVersionBacklink"];
    /** Field `garbageCollected`. */
    garbageCollected: boolean;
    /** Field `refDeleted`. */
    refDeleted: boolean;
    /** Field `versionDeleted`. */
    versionDeleted: boolean;
    /** Field `versionId`. */
    versionId: string;
  };
  /** Schema `BlockVersionBacklink`. */
  BlockVersionBacklink:
    | {
        /** Field `object`. */
        object: {
          /** Field `bucketId`. */
          bucketId: string;
          /** Field `key`. */
          key: string;
        };
      }
    | {
        /** Field `upload`. */
        upload: {
          /** Field `bucketId` (optional). */
          bucketId?: string | null;
          /** Field `key` (optional). */
          key?: string | null;
          /** Field `uploadDeleted`. */
          uploadDeleted: boolean;
          /** Field `uploadGarbageCollected`. */
          uploadGarbageCollected: boolean;
          /** Field `uploadId`. */
          uploadId: string;
        };
      };
  /** Schema `BucketAliasEnum`. */
  BucketAliasEnum:
    | {
        /** Field `globalAlias`. */
        globalAlias: string;
      }
    | {
        /** Field `accessKeyId`. */
        accessKeyId: string;
        /** Field `localAlias`. */
        localAlias: string;
      };
  /** Schema `BucketKeyPermChangeRequest`. */
  BucketKeyPermChangeRequest: {
    /** Field `accessKeyId`. */
    accessKeyId: string;
    /** Field `bucketId`. */
    bucketId: string;
    /** Field `permissions`. */
    permissions: GarageAdminSchemas["ApiBucketKeyPerm"];
  };
  /** Schema `BucketLocalAlias`. */
  BucketLocalAlias: {
    /** Field `accessKeyId`. */
    accessKeyId: string;
    /** Field `alias`. */
    alias: string;
  };
  /** Schema `CleanupIncompleteUploadsRequest`. */
  CleanupIncompleteUploadsRequest: {
    /** Field `bucketId`. */
    bucketId: string;
    /** Field `olderThanSecs`. */
    olderThanSecs: number;
  };
  /** Schema `CleanupIncompleteUploadsResponse`. */
  CleanupIncompleteUploadsResponse: {
    /** Field `uploadsDeleted`. */
    uploadsDeleted: number;
  };
  /** Schema `ClusterLayoutSkipDeadNodesRequest`. */
  ClusterLayoutSkipDeadNodesRequest: {
    /** Field `allowMissingData`. */
    allowMissingData: boolean;
    /** Field `version`. */
    version: number;
  };
  /** Schema `ClusterLayoutSkipDeadNodesResponse`. */
  ClusterLayoutSkipDeadNodesResponse: {
    /** Field `ackUpdated`. */
    ackUpdated: string[];
    /** Field `syncUpdated`. */
    syncUpdated: string[];
  };
  /** Schema `ClusterLayoutVersion`. */
  ClusterLayoutVersion: {
    /** Field `gatewayNodes`. */
    gatewayNodes: number;
    /** Field `status`. */
    status: GarageAdminSchemas["ClusterLayoutVersionStatus"];
    /** Field `storageNodes`. */
    storageNodes: number;
    /** Field `version`. */
    version: number;
  };
  /** Schema `ClusterLayoutVersionStatus`. */
  ClusterLayoutVersionStatus: "Current" | "Draining" | "Historical";
  /** Schema `ConnectClusterNodesRequest`. */
  ConnectClusterNodesRequest: string[];
  /** Schema `ConnectClusterNodesResponse`. */
  ConnectClusterNodesResponse: GarageAdminSchemas["ConnectNodeResponse"][];
  /** Schema `ConnectNodeResponse`. */
  ConnectNodeResponse: {
    /** Field `error` (optional). */
    error?: string | null;
    /** Field `success`. */
    success: boolean;
  };
  /** Schema `CreateAdminTokenResponse`. */
  CreateAdminTokenResponse: GarageAdminSchemas["GetAdminTokenInfoResponse"] & {
    /** Field `secretToken`. */
    secretToken: string;
  };
  /** Schema `CreateBucketLocalAlias`. */
  CreateBucketLocalAlias: {
    /** Field `accessKeyId`. */
    accessKeyId: string;
    /** Field `alias`. */
    alias: string;
    /** Field `allow` (optional). */
    allow?: GarageAdminSchemas["ApiBucketKeyPerm"];
  };
  /** Schema `CreateBucketRequest`. */
  CreateBucketRequest: {
    /** Field `globalAlias` (optional). */
    globalAlias?: string | null;
    /** Field `localAlias` (optional). */
    localAlias?: null | GarageAdminSchemas["CreateBucketLocalAlias"];
  };
  /** Schema `CreateBucketResponse`. */
  CreateBucketResponse: GarageAdminSchemas["GetBucketInfoResponse"];
  /** Schema `CreateKeyRequest`. */
  CreateKeyRequest: GarageAdminSchemas["UpdateKeyRequestBody"];
  /** Schema `CreateKeyResponse`. */
  CreateKeyResponse: GarageAdminSchemas["GetKeyInfoResponse"];
  /** Schema `DenyBucketKeyRequest`. */
  DenyBucketKeyRequest: GarageAdminSchemas["BucketKeyPermChangeRequest"];
  /** Schema `DenyBucketKeyResponse`. */
  DenyBucketKeyResponse: GarageAdminSchemas["GetBucketInfoResponse"];
  /** Schema `FreeSpaceResp`. */
  FreeSpaceResp: {
    /** Field `available`. */
    available: number;
    /** Field `total`. */
    total: number;
  };
  /** Schema `GetAdminTokenInfoResponse`. */
  GetAdminTokenInfoResponse: {
    /** Field `created` (optional). */
    created?: string | null;
    /** Field `expiration` (optional). */
    expiration?: string | null;
    /** Field `expired`. */
    expired: boolean;
    /** Field `id` (optional). */
    id?: string | null;
    /** Field `name`. */
    name: string;
    /** Field `scope`. */
    scope: string[];
  };
  /** Schema `GetBucketInfoKey`. */
  GetBucketInfoKey: {
    /** Field `accessKeyId`. */
    accessKeyId: string;
    /** Field `bucketLocalAliases`. */
    bucketLocalAliases: string[];
    /** Field `name`. */
    name: string;
    /** Field `permissions`. */
    permissions: GarageAdminSchemas["ApiBucketKeyPerm"];
  };
  /** Schema `GetBucketInfoResponse`. */
  GetBucketInfoResponse: {
    /** Field `bytes`. */
    bytes: number;
    /** Field `created`. */
    created: string;
    /** Field `globalAliases`. */
    globalAliases: string[];
    /** Field `id`. */
    id: string;
    /** Field `keys`. */
    keys: GarageAdminSchemas["GetBucketInfoKey"][];
    /** Field `objects`. */
    objects: number;
    /** Field `quotas`. */
    quotas: GarageAdminSchemas["ApiBucketQuotas"];
    /** Field `unfinishedMultipartUploadBytes`. */
    unfinishedMultipartUploadBytes: number;
    /** Field `unfinishedMultipartUploadParts`. */
    unfinishedMultipartUploadParts: number;
    /** Field `unfinishedMultipartUploads`. */
    unfinishedMultipartUploads: number;
    /** Field `unfinishedUploads`. */
    unfinishedUploads: number;
    /** Field `websiteAccess`. */
    websiteAccess: boolean;
    /** Field `websiteConfig` (optional). */
    websiteConfig?: null | GarageAdminSchemas["GetBucketInfoWebsiteResponse"];
  };
  /** Schema `GetBucketInfoWebsiteResponse`. */
  GetBucketInfoWebsiteResponse: {
    /** Field `errorDocument` (optional). */
    errorDocument?: string | null;
    /** Field `indexDocument`. */
    indexDocument: string;
  };
  /** Schema `GetClusterHealthResponse`. */
  GetClusterHealthResponse: {
    /** Field `connectedNodes`. */
    connectedNodes: number;
    /** Field `knownNodes`. */
    knownNodes: number;
    /** Field `partitions`. */
    partitions: number;
    /** Field `partitionsAllOk`. */
    partitionsAllOk: number;
    /** Field `partitionsQuorum`. */
    partitionsQuorum: number;
    /** Field `status`. */
    status: string;
    /** Field `storageNodes`. */
    storageNodes: number;
    /** Field `storageNodesOk`. */
    storageNodesOk: number;
  };
  /** Schema `GetClusterLayoutHistoryResponse`. */
  GetClusterLayoutHistoryResponse: {
    /** Field `currentVersion`. */
    currentVersion: number;
    /** Field `minAck`. */
    minAck: number;
    /** Field `updateTrackers` (optional). */
    updateTrackers?: {
      [key: string]: GarageAdminSchemas["NodeUpdateTrackers"];
    } | null;
    /** Field `versions`. */
    versions: GarageAdminSchemas["ClusterLayoutVersion"][];
  };
  /** Schema `GetClusterLayoutResponse`. */
  GetClusterLayoutResponse: {
    /** Field `parameters`. */
    parameters: GarageAdminSchemas["LayoutParameters"];
    /** Field `partitionSize`. */
    partitionSize: number;
    /** Field `roles`. */
    roles: GarageAdminSchemas["LayoutNodeRole"][];
    /** Field `stagedParameters` (optional). */
    stagedParameters?: null | GarageAdminSchemas["LayoutParameters"];
    /** Field `stagedRoleChanges`. */
    stagedRoleChanges: GarageAdminSchemas["NodeRoleChange"][];
    /** Field `version`. */
    version: number;
  };
  /** Schema `GetClusterStatisticsResponse`. */
  GetClusterStatisticsResponse: {
    /** Field `freeform`. */
    freeform: string;
  };
  /** Schema `GetClusterStatusResponse`. */
  GetClusterStatusResponse: {
    /** Field `layoutVersion`. */
    layoutVersion: number;
    /** Field `nodes`. */
    nodes: GarageAdminSchemas["NodeResp"][];
  };
  /** Schema `GetKeyInfoResponse`. */
  GetKeyInfoResponse: {
    /** Field `accessKeyId`. */
    accessKeyId: string;
    /** Field `buckets`. */
    buckets: GarageAdminSchemas["KeyInfoBucketResponse"][];
    /** Field `created` (optional). */
    created?: string | null;
    /** Field `expiration` (optional). */
    expiration?: string | null;
    /** Field `expired`. */
    expired: boolean;
    /** Field `name`. */
    name: string;
    /** Field `permissions`. */
    permissions: GarageAdminSchemas["KeyPerm"];
    /** Field `secretAccessKey` (optional). */
    secretAccessKey?: string | null;
  };
  /** Schema `ImportKeyRequest`. */
  ImportKeyRequest: {
    /** Field `accessKeyId`. */
    accessKeyId: string;
    /** Field `name` (optional). */
    name?: string | null;
    /** Field `secretAccessKey`. */
    secretAccessKey: string;
  };
  /** Schema `ImportKeyResponse`. */
  ImportKeyResponse: GarageAdminSchemas["GetKeyInfoResponse"];
  /** Schema `InspectObjectBlock`. */
  InspectObjectBlock: {
    /** Field `hash`. */
    hash: string;
    /** Field `offset`. */
    offset: number;
    /** Field `partNumber`. */
    partNumber: number;
    /** Field `size`. */
    size: number;
  };
  /** Schema `InspectObjectResponse`. */
  InspectObjectResponse: {
    /** Field `bucketId`. */
    bucketId: string;
    /** Field `key`. */
    key: string;
    /** Field `versions`. */
    versions: GarageAdminSchemas["InspectObjectVersion"][];
  };
  /** Schema `InspectObjectVersion`. */
  InspectObjectVersion: {
    /** Field `aborted`. */
    aborted: boolean;
    /** Field `blocks` (optional). */
    blocks?: GarageAdminSchemas["InspectObjectBlock"][];
    /** Field `deleteMarker`. */
    deleteMarker: boolean;
    /** Field `encrypted`. */
    encrypted: boolean;
    /** Field `etag` (optional). */
    etag?: string | null;
    /** Field `headers` (optional). */
    headers?: [string, string][];
    /** Field `inline`. */
    inline: boolean;
    /** Field `size` (optional). */
    size?: number | null;
    /** Field `timestamp`. */
    timestamp: string;
    /** Field `uploading`. */
    uploading: boolean;
    /** Field `uuid`. */
    uuid: string;
  };
  /** Schema `KeyInfoBucketResponse`. */
  KeyInfoBucketResponse: {
    /** Field `globalAliases`. */
    globalAliases: string[];
    /** Field `id`. */
    id: string;
    /** Field `localAliases`. */
    localAliases: string[];
    /** Field `permissions`. */
    permissions: GarageAdminSchemas["ApiBucketKeyPerm"];
  };
  /** Schema `KeyPerm`. */
  KeyPerm: {
    /** Field `createBucket` (optional). */
    createBucket?: boolean;
  };
  /** Schema `LayoutNodeRole`. */
  LayoutNodeRole: {
    /** Field `capacity` (optional). */
    capacity?: number | null;
    /** Field `id`. */
    id: string;
    /** Field `storedPartitions` (optional). */
    storedPartitions?: number | null;
    /** Field `tags`. */
    tags: string[];
    /** Field `usableCapacity` (optional). */
    usableCapacity?: number | null;
    /** Field `zone`. */
    zone: string;
  };
  /** Schema `LayoutParameters`. */
  LayoutParameters: {
    /** Field `zoneRedundancy`. */
    zoneRedundancy: GarageAdminSchemas["ZoneRedundancy"];
  };
  /** Schema `ListAdminTokensResponse`. */
  ListAdminTokensResponse: GarageAdminSchemas["GetAdminTokenInfoResponse"][];
  /** Schema `ListBucketsResponse`. */
  ListBucketsResponse: GarageAdminSchemas["ListBucketsResponseItem"][];
  /** Schema `ListBucketsResponseItem`. */
  ListBucketsResponseItem: {
    /** Field `created`. */
    created: string;
    /** Field `globalAliases`. */
    globalAliases: string[];
    /** Field `id`. */
    id: string;
    /** Field `localAliases`. */
    localAliases: GarageAdminSchemas["BucketLocalAlias"][];
  };
  /** Schema `ListKeysResponse`. */
  ListKeysResponse: GarageAdminSchemas["ListKeysResponseItem"][];
  /** Schema `ListKeysResponseItem`. */
  ListKeysResponseItem: {
    /** Field `created` (optional). */
    created?: string | null;
    /** Field `expiration` (optional). */
    expiration?: string | null;
    /** Field `expired`. */
    expired: boolean;
    /** Field `id`. */
    id: string;
    /** Field `name`. */
    name: string;
  };
  /** Schema `LocalCreateMetadataSnapshotResponse`. */
  LocalCreateMetadataSnapshotResponse: unknown;
  /** Schema `LocalGetBlockInfoRequest`. */
  LocalGetBlockInfoRequest: {
    /** Field `blockHash`. */
    blockHash: string;
  };
  /** Schema `LocalGetBlockInfoResponse`. */
  LocalGetBlockInfoResponse: {
    /** Field `blockHash`. */
    blockHash: string;
    /** Field `refcount`. */
    refcount: number;
    /** Field `versions`. */
    versions: GarageAdminSchemas["BlockVersion"][];
  };
  /** Schema `LocalGetNodeInfoResponse`. */
  LocalGetNodeInfoResponse: {
    /** Field `dbEngine`. */
    dbEngine: string;
    /** Field `garageFeatures` (optional). */
    garageFeatures?: string[] | null;
    /** Field `garageVersion`. */
    garageVersion: string;
    /** Field `nodeId`. */
    nodeId: string;
    /** Field `rustVersion`. */
    rustVersion: string;
  };
  /** Schema `LocalGetNodeStatisticsResponse`. */
  LocalGetNodeStatisticsResponse: {
    /** Field `freeform`. */
    freeform: string;
  };
  /** Schema `LocalGetWorkerInfoRequest`. */
  LocalGetWorkerInfoRequest: {
    /** Field `id`. */
    id: number;
  };
  /** Schema `LocalGetWorkerInfoResponse`. */
  LocalGetWorkerInfoResponse: GarageAdminSchemas["WorkerInfoResp"];
  /** Schema `LocalGetWorkerVariableRequest`. */
  LocalGetWorkerVariableRequest: {
    /** Field `variable` (optional). */
    variable?: string | null;
  };
  /** Schema `LocalGetWorkerVariableResponse`. */
  LocalGetWorkerVariableResponse: {
    [key: string]: string;
  };
  /** Schema `LocalLaunchRepairOperationRequest`. */
  LocalLaunchRepairOperationRequest: {
    /** Field `repairType`. */
    repairType: GarageAdminSchemas["RepairType"];
  };
  /** Schema `LocalLaunchRepairOperationResponse`. */
  LocalLaunchRepairOperationResponse: unknown;
  /** Schema `LocalListBlockErrorsResponse`. */
  LocalListBlockErrorsResponse: GarageAdminSchemas["BlockError"][];
  /** Schema `LocalListWorkersRequest`. */
  LocalListWorkersRequest: {
    /** Field `busyOnly` (optional). */
    busyOnly?: boolean;
    /** Field `errorOnly` (optional). */
    errorOnly?: boolean;
  };
  /** Schema `LocalListWorkersResponse`. */
  LocalListWorkersResponse: GarageAdminSchemas["WorkerInfoResp"][];
  /** Schema `LocalPurgeBlocksRequest`. */
  LocalPurgeBlocksRequest: string[];
  /** Schema `LocalPurgeBlocksResponse`. */
  LocalPurgeBlocksResponse: {
    /** Field `blockRefsPurged`. */
    blockRefsPurged: number;
    /** Field `blocksPurged`. */
    blocksPurged: number;
    /** Field `objectsDeleted`. */
    objectsDeleted: number;
    /** Field `uploadsDeleted`. */
    uploadsDeleted: number;
    /** Field `versionsDeleted`. */
    versionsDeleted: number;
  };
  /** Schema `LocalRetryBlockResyncRequest`. */
  LocalRetryBlockResyncRequest:
    | {
        /** Field `all`. */
        all: boolean;
      }
    | {
        /** Field `blockHashes`. */
        blockHashes: string[];
      };
  /** Schema `LocalRetryBlockResyncResponse`. */
  LocalRetryBlockResyncResponse: {
    /** Field `count`. */
    count: number;
  };
  /** Schema `LocalSetWorkerVariableRequest`. */
  LocalSetWorkerVariableRequest: {
    /** Field `value`. */
    value: string;
    /** Field `variable`. */
    variable: string;
  };
  /** Schema `LocalSetWorkerVariableResponse`. */
  LocalSetWorkerVariableResponse: {
    /** Field `value`. */
    value: string;
    /** Field `variable`. */
    variable: string;
  };
  /** Schema `MultiResponse_LocalCreateMetadataSnapshotResponse`. */
  MultiResponse_LocalCreateMetadataSnapshotResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: unknown;
    };
  };
  /** Schema `MultiResponse_LocalGetBlockInfoResponse`. */
  MultiResponse_LocalGetBlockInfoResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: {
        /** Field `blockHash`. */
        blockHash: string;
        /** Field `refcount`. */
        refcount: number;
        /** Field `versions`. */
        versions: GarageAdminSchemas["BlockVersion"][];
      };
    };
  };
  /** Schema `MultiResponse_LocalGetNodeInfoResponse`. */
  MultiResponse_LocalGetNodeInfoResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: {
        /** Field `dbEngine`. */
        dbEngine: string;
        /** Field `garageFeatures` (optional). */
        garageFeatures?: string[] | null;
        /** Field `garageVersion`. */
        garageVersion: string;
        /** Field `nodeId`. */
        nodeId: string;
        /** Field `rustVersion`. */
        rustVersion: string;
      };
    };
  };
  /** Schema `MultiResponse_LocalGetNodeStatisticsResponse`. */
  MultiResponse_LocalGetNodeStatisticsResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: {
        /** Field `freeform`. */
        freeform: string;
      };
    };
  };
  /** Schema `MultiResponse_LocalGetWorkerInfoResponse`. */
  MultiResponse_LocalGetWorkerInfoResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: GarageAdminSchemas["WorkerInfoResp"];
    };
  };
  /** Schema `MultiResponse_LocalGetWorkerVariableResponse`. */
  MultiResponse_LocalGetWorkerVariableResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: {
        [key: string]: string;
      };
    };
  };
  /** Schema `MultiResponse_LocalLaunchRepairOperationResponse`. */
  MultiResponse_LocalLaunchRepairOperationResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: unknown;
    };
  };
  /** Schema `MultiResponse_LocalListBlockErrorsResponse`. */
  MultiResponse_LocalListBlockErrorsResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: GarageAdminSchemas["BlockError"][];
    };
  };
  /** Schema `MultiResponse_LocalListWorkersResponse`. */
  MultiResponse_LocalListWorkersResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: GarageAdminSchemas["WorkerInfoResp"][];
    };
  };
  /** Schema `MultiResponse_LocalPurgeBlocksResponse`. */
  MultiResponse_LocalPurgeBlocksResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: {
        /** Field `blockRefsPurged`. */
        blockRefsPurged: number;
        /** Field `blocksPurged`. */
        blocksPurged: number;
        /** Field `objectsDeleted`. */
        objectsDeleted: number;
        /** Field `uploadsDeleted`. */
        uploadsDeleted: number;
        /** Field `versionsDeleted`. */
        versionsDeleted: number;
      };
    };
  };
  /** Schema `MultiResponse_LocalRetryBlockResyncResponse`. */
  MultiResponse_LocalRetryBlockResyncResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: {
        /** Field `count`. */
        count: number;
      };
    };
  };
  /** Schema `MultiResponse_LocalSetWorkerVariableResponse`. */
  MultiResponse_LocalSetWorkerVariableResponse: {
    /** Field `error`. */
    error: {
      [key: string]: string;
    };
    /** Field `success`. */
    success: {
      [key: string]: {
        /** Field `value`. */
        value: string;
        /** Field `variable`. */
        variable: string;
      };
    };
  };
  /** Schema `NodeAssignedRole`. */
  NodeAssignedRole: {
    /** Field `capacity` (optional). */
    capacity?: number | null;
    /** Field `tags`. */
    tags: string[];
    /** Field `zone`. */
    zone: string;
  };
  /** Schema `NodeResp`. */
  NodeResp: {
    /** Field `addr` (optional). */
    addr?: string | null;
    /** Field `dataPartition` (optional). */
    dataPartition?: null | GarageAdminSchemas["FreeSpaceResp"];
    /** Field `draining`. */
    draining: boolean;
    /** Field `garageVersion` (optional). */
    garageVersion?: string | null;
    /** Field `hostname` (optional). */
    hostname?: string | null;
    /** Field `id`. */
    id: string;
    /** Field `isUp`. */
    isUp: boolean;
    /** Field `lastSeenSecsAgo` (optional). */
    lastSeenSecsAgo?: number | null;
    /** Field `metadataPartition` (optional). */
    metadataPartition?: null | GarageAdminSchemas["FreeSpaceResp"];
    /** Field `role` (optional). */
    role?: null | GarageAdminSchemas["NodeAssignedRole"];
  };
  /** Schema `NodeRoleChange`. */
  NodeRoleChange: GarageAdminSchemas["NodeRoleChangeEnum"] & {
    /** Field `id`. */
    id: string;
  };
  /** Schema `NodeRoleChangeEnum`. */
  NodeRoleChangeEnum:
    | {
        /** Field `remove`. */
        remove: boolean;
      }
    | GarageAdminSchemas["NodeAssignedRole"];
  /** Schema `NodeUpdateTrackers`. */
  NodeUpdateTrackers: {
    /** Field `ack`. */
    ack: number;
    /** Field `sync`. */
    sync: number;
    /** Field `syncAck`. */
    syncAck: number;
  };
  /** Schema `PreviewClusterLayoutChangesResponse`. */
  PreviewClusterLayoutChangesResponse:
    | {
        /** Field `error`. */
        error: string;
      }
    | {
        /** Field `message`. */
        message: string[];
        /** Field `newLayout`. */
        newLayout: GarageAdminSchemas["GetClusterLayoutResponse"];
      };
  /** Schema `RemoveBucketAliasRequest`. */
  RemoveBucketAliasRequest: GarageAdminSchemas["BucketAliasEnum"] & {
    /** Field `bucketId`. */
    bucketId: string;
  };
  /** Schema `RemoveBucketAliasResponse`. */
  RemoveBucketAliasResponse: GarageAdminSchemas["GetBucketInfoResponse"];
  /** Schema `RepairType`. */
  RepairType:
    | "tables"
    | "blocks"
    | "versions"
    | "multipartUploads"
    | "blockRefs"
    | "blockRc"
    | "rebalance"
    | {
        /** Field `scrub`. */
        scrub: GarageAdminSchemas["ScrubCommand"];
      }
    | "aliases";
  /** Schema `RevertClusterLayoutResponse`. */
  RevertClusterLayoutResponse: GarageAdminSchemas["GetClusterLayoutResponse"];
  /** Schema `ScrubCommand`. */
  ScrubCommand: "start" | "pause" | "resume" | "cancel";
  /** Schema `UpdateAdminTokenRequestBody`. */
  UpdateAdminTokenRequestBody: {
    /** Field `expiration` (optional). */
    expiration?: string | null;
    /** Field `name` (optional). */
    name?: string | null;
    /** Field `neverExpires` (optional). */
    neverExpires?: boolean;
    /** Field `scope` (optional). */
    scope?: string[] | null;
  };
  /** Schema `UpdateAdminTokenResponse`. */
  UpdateAdminTokenResponse: GarageAdminSchemas["GetAdminTokenInfoResponse"];
  /** Schema `UpdateBucketRequestBody`. */
  UpdateBucketRequestBody: {
    /** Field `quotas` (optional). */
    quotas?: null | GarageAdminSchemas["ApiBucketQuotas"];
    /** Field `websiteAccess` (optional). */
    websiteAccess?: null | GarageAdminSchemas["UpdateBucketWebsiteAccess"];
  };
  /** Schema `UpdateBucketResponse`. */
  UpdateBucketResponse: GarageAdminSchemas["GetBucketInfoResponse"];
  /** Schema `UpdateBucketWebsiteAccess`. */
  UpdateBucketWebsiteAccess: {
    /** Field `enabled`. */
    enabled: boolean;
    /** Field `errorDocument` (optional). */
    errorDocument?: string | null;
    /** Field `indexDocument` (optional). */
    indexDocument?: string | null;
  };
  /** Schema `UpdateClusterLayoutRequest`. */
  UpdateClusterLayoutRequest: {
    /** Field `parameters` (optional). */
    parameters?: null | GarageAdminSchemas["LayoutParameters"];
    /** Field `roles` (optional). */
    roles?: GarageAdminSchemas["NodeRoleChange"][];
  };
  /** Schema `UpdateClusterLayoutResponse`. */
  UpdateClusterLayoutResponse: GarageAdminSchemas["GetClusterLayoutResponse"];
  /** Schema `UpdateKeyRequestBody`. */
  UpdateKeyRequestBody: {
    /** Field `allow` (optional). */
    allow?: null | GarageAdminSchemas["KeyPerm"];
    /** Field `deny` (optional). */
    deny?: null | GarageAdminSchemas["KeyPerm"];
    /** Field `expiration` (optional). */
    expiration?: string | null;
    /** Field `name` (optional). */
    name?: string | null;
    /** Field `neverExpires` (optional). */
    neverExpires?: boolean;
  };
  /** Schema `UpdateKeyResponse`. */
  UpdateKeyResponse: GarageAdminSchemas["GetKeyInfoResponse"];
  /** Schema `WorkerInfoResp`. */
  WorkerInfoResp: {
    /** Field `consecutiveErrors`. */
    consecutiveErrors: number;
    /** Field `errors`. */
    errors: number;
    /** Field `freeform`. */
    freeform: string[];
    /** Field `id`. */
    id: number;
    /** Field `lastError` (optional). */
    lastError?: null | GarageAdminSchemas["WorkerLastError"];
    /** Field `name`. */
    name: string;
    /** Field `persistentErrors` (optional). */
    persistentErrors?: number | null;
    /** Field `progress` (optional). */
    progress?: string | null;
    /** Field `queueLength` (optional). */
    queueLength?: number | null;
    /** Field `state`. */
    state: GarageAdminSchemas["WorkerStateResp"];
    /** Field `tranquility` (optional). */
    tranquility?: number | null;
  };
  /** Schema `WorkerLastError`. */
  WorkerLastError: {
    /** Field `message`. */
    message: string;
    /** Field `secsAgo`. */
    secsAgo: number;
  };
  /** Schema `WorkerStateResp`. */
  WorkerStateResp:
    | "busy"
    | {
        /** Field `throttled`. */
        throttled: {
          /** Field `durationSecs`. */
          durationSecs: number;
        };
      }
    | "idle"
    | "done";
  /** Schema `ZoneRedundancy`. */
  ZoneRedundancy:
    | {
        /** Field `atLeast`. */
        atLeast: number;
      }
    | "maximum";
}

/**
 * Request and response types of every admin API operation, by operationId.
 * `params` merges the spec's path and query parameters: Garage reads all of them from the query string
 * (e.g. `POST /v2/UpdateBucket?id=...`), whatever the spec says.
 */
export interface GarageAdminOperations {
  /** Operation `AddBucketAlias`: POST /v2/AddBucketAlias. */
  AddBucketAlias: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/AddBucketAlias";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["AddBucketAliasRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["AddBucketAliasResponse"];
  };
  /** Operation `AllowBucketKey`: POST /v2/AllowBucketKey. */
  AllowBucketKey: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/AllowBucketKey";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["AllowBucketKeyRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["AllowBucketKeyResponse"];
  };
  /** Operation `ApplyClusterLayout`: POST /v2/ApplyClusterLayout. */
  ApplyClusterLayout: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/ApplyClusterLayout";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["ApplyClusterLayoutRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["ApplyClusterLayoutResponse"];
  };
  /** Operation `CheckDomain`: GET /check. */
  CheckDomain: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/check";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `domain` (path in the spec, sent in the query string). */
      domain: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: unknown;
  };
  /** Operation `CleanupIncompleteUploads`: POST /v2/CleanupIncompleteUploads. */
  CleanupIncompleteUploads: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/CleanupIncompleteUploads";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["CleanupIncompleteUploadsRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["CleanupIncompleteUploadsResponse"];
  };
  /** Operation `ClusterLayoutSkipDeadNodes`: POST /v2/ClusterLayoutSkipDeadNodes. */
  ClusterLayoutSkipDeadNodes: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/ClusterLayoutSkipDeadNodes";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["ClusterLayoutSkipDeadNodesRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["ClusterLayoutSkipDeadNodesResponse"];
  };
  /** Operation `ConnectClusterNodes`: POST /v2/ConnectClusterNodes. */
  ConnectClusterNodes: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/ConnectClusterNodes";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["ConnectClusterNodesRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["ConnectClusterNodesResponse"];
  };
  /** Operation `CreateAdminToken`: POST /v2/CreateAdminToken. */
  CreateAdminToken: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/CreateAdminToken";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["UpdateAdminTokenRequestBody"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["CreateAdminTokenResponse"];
  };
  /** Operation `CreateBucket`: POST /v2/CreateBucket. */
  CreateBucket: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/CreateBucket";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["CreateBucketRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["CreateBucketResponse"];
  };
  /** Operation `CreateKey`: POST /v2/CreateKey. */
  CreateKey: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/CreateKey";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["CreateKeyRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["CreateKeyResponse"];
  };
  /** Operation `CreateMetadataSnapshot`: POST /v2/CreateMetadataSnapshot. */
  CreateMetadataSnapshot: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/CreateMetadataSnapshot";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalCreateMetadataSnapshotResponse"];
  };
  /** Operation `DeleteAdminToken`: POST /v2/DeleteAdminToken. */
  DeleteAdminToken: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/DeleteAdminToken";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (path in the spec, sent in the query string). */
      id: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: unknown;
  };
  /** Operation `DeleteBucket`: POST /v2/DeleteBucket. */
  DeleteBucket: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/DeleteBucket";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (path in the spec, sent in the query string). */
      id: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: unknown;
  };
  /** Operation `DeleteKey`: POST /v2/DeleteKey. */
  DeleteKey: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/DeleteKey";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (path in the spec, sent in the query string). */
      id: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: unknown;
  };
  /** Operation `DenyBucketKey`: POST /v2/DenyBucketKey. */
  DenyBucketKey: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/DenyBucketKey";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["DenyBucketKeyRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["DenyBucketKeyResponse"];
  };
  /** Operation `GetAdminTokenInfo`: GET /v2/GetAdminTokenInfo. */
  GetAdminTokenInfo: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetAdminTokenInfo";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (query in the spec, sent in the query string), optional. */
      id?: string;
      /** Parameter `search` (query in the spec, sent in the query string), optional. */
      search?: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["GetAdminTokenInfoResponse"];
  };
  /** Operation `GetBlockInfo`: POST /v2/GetBlockInfo. */
  GetBlockInfo: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/GetBlockInfo";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["LocalGetBlockInfoRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalGetBlockInfoResponse"];
  };
  /** Operation `GetBucketInfo`: GET /v2/GetBucketInfo. */
  GetBucketInfo: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetBucketInfo";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (query in the spec, sent in the query string), optional. */
      id?: string;
      /** Parameter `globalAlias` (query in the spec, sent in the query string), optional. */
      globalAlias?: string;
      /** Parameter `search` (query in the spec, sent in the query string), optional. */
      search?: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["GetBucketInfoResponse"];
  };
  /** Operation `GetClusterHealth`: GET /v2/GetClusterHealth. */
  GetClusterHealth: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetClusterHealth";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["GetClusterHealthResponse"];
  };
  /** Operation `GetClusterLayout`: GET /v2/GetClusterLayout. */
  GetClusterLayout: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetClusterLayout";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["GetClusterLayoutResponse"];
  };
  /** Operation `GetClusterLayoutHistory`: GET /v2/GetClusterLayoutHistory. */
  GetClusterLayoutHistory: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetClusterLayoutHistory";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["GetClusterLayoutHistoryResponse"];
  };
  /** Operation `GetClusterStatistics`: GET /v2/GetClusterStatistics. */
  GetClusterStatistics: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetClusterStatistics";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["GetClusterStatisticsResponse"];
  };
  /** Operation `GetClusterStatus`: GET /v2/GetClusterStatus. */
  GetClusterStatus: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetClusterStatus";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["GetClusterStatusResponse"];
  };
  /** Operation `GetKeyInfo`: GET /v2/GetKeyInfo. */
  GetKeyInfo: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetKeyInfo";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (query in the spec, sent in the query string), optional. */
      id?: string;
      /** Parameter `search` (query in the spec, sent in the query string), optional. */
      search?: string;
      /** Parameter `showSecretKey` (query in the spec, sent in the query string), optional. */
      showSecretKey?: boolean;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["GetKeyInfoResponse"];
  };
  /** Operation `GetNodeInfo`: GET /v2/GetNodeInfo. */
  GetNodeInfo: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetNodeInfo";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalGetNodeInfoResponse"];
  };
  /** Operation `GetNodeStatistics`: GET /v2/GetNodeStatistics. */
  GetNodeStatistics: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/GetNodeStatistics";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalGetNodeStatisticsResponse"];
  };
  /** Operation `GetWorkerInfo`: POST /v2/GetWorkerInfo. */
  GetWorkerInfo: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/GetWorkerInfo";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["LocalGetWorkerInfoRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalGetWorkerInfoResponse"];
  };
  /** Operation `GetWorkerVariable`: POST /v2/GetWorkerVariable. */
  GetWorkerVariable: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/GetWorkerVariable";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["LocalGetWorkerVariableRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalGetWorkerVariableResponse"];
  };
  /** Operation `Health`: GET /health. */
  Health: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/health";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: unknown;
  };
  /** Operation `ImportKey`: POST /v2/ImportKey. */
  ImportKey: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/ImportKey";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["ImportKeyRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["ImportKeyResponse"];
  };
  /** Operation `InspectObject`: GET /v2/InspectObject. */
  InspectObject: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/InspectObject";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `bucketId` (query in the spec, sent in the query string). */
      bucketId: string;
      /** Parameter `key` (query in the spec, sent in the query string). */
      key: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["InspectObjectResponse"];
  };
  /** Operation `LaunchRepairOperation`: POST /v2/LaunchRepairOperation. */
  LaunchRepairOperation: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/LaunchRepairOperation";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["LocalLaunchRepairOperationRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalLaunchRepairOperationResponse"];
  };
  /** Operation `ListAdminTokens`: GET /v2/ListAdminTokens. */
  ListAdminTokens: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/ListAdminTokens";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["ListAdminTokensResponse"];
  };
  /** Operation `ListBlockErrors`: GET /v2/ListBlockErrors. */
  ListBlockErrors: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/ListBlockErrors";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalListBlockErrorsResponse"];
  };
  /** Operation `ListBuckets`: GET /v2/ListBuckets. */
  ListBuckets: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/ListBuckets";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["ListBucketsResponse"];
  };
  /** Operation `ListKeys`: GET /v2/ListKeys. */
  ListKeys: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/v2/ListKeys";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["ListKeysResponse"];
  };
  /** Operation `ListWorkers`: POST /v2/ListWorkers. */
  ListWorkers: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/ListWorkers";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["LocalListWorkersRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalListWorkersResponse"];
  };
  /** Operation `Metrics`: GET /metrics. */
  Metrics: {
    /** HTTP method. */
    method: "GET";
    /** Request path. */
    path: "/metrics";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: unknown;
  };
  /** Operation `PreviewClusterLayoutChanges`: POST /v2/PreviewClusterLayoutChanges. */
  PreviewClusterLayoutChanges: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/PreviewClusterLayoutChanges";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["PreviewClusterLayoutChangesResponse"];
  };
  /** Operation `PurgeBlocks`: POST /v2/PurgeBlocks. */
  PurgeBlocks: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/PurgeBlocks";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["LocalPurgeBlocksRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalPurgeBlocksResponse"];
  };
  /** Operation `RemoveBucketAlias`: POST /v2/RemoveBucketAlias. */
  RemoveBucketAlias: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/RemoveBucketAlias";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["RemoveBucketAliasRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["RemoveBucketAliasResponse"];
  };
  /** Operation `RetryBlockResync`: POST /v2/RetryBlockResync. */
  RetryBlockResync: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/RetryBlockResync";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["LocalRetryBlockResyncRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalRetryBlockResyncResponse"];
  };
  /** Operation `RevertClusterLayout`: POST /v2/RevertClusterLayout. */
  RevertClusterLayout: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/RevertClusterLayout";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: undefined;
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["RevertClusterLayoutResponse"];
  };
  /** Operation `SetWorkerVariable`: POST /v2/SetWorkerVariable. */
  SetWorkerVariable: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/SetWorkerVariable";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `node` (path in the spec, sent in the query string). */
      node: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["LocalSetWorkerVariableRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["MultiResponse_LocalSetWorkerVariableResponse"];
  };
  /** Operation `UpdateAdminToken`: POST /v2/UpdateAdminToken. */
  UpdateAdminToken: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/UpdateAdminToken";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (path in the spec, sent in the query string). */
      id: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["UpdateAdminTokenRequestBody"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["UpdateAdminTokenResponse"];
  };
  /** Operation `UpdateBucket`: POST /v2/UpdateBucket. */
  UpdateBucket: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/UpdateBucket";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (path in the spec, sent in the query string). */
      id: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["UpdateBucketRequestBody"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["UpdateBucketResponse"];
  };
  /** Operation `UpdateClusterLayout`: POST /v2/UpdateClusterLayout. */
  UpdateClusterLayout: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/UpdateClusterLayout";
    /** Parameters, all sent in the query string. */
    params: Record<string, never>;
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["UpdateClusterLayoutRequest"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["UpdateClusterLayoutResponse"];
  };
  /** Operation `UpdateKey`: POST /v2/UpdateKey. */
  UpdateKey: {
    /** HTTP method. */
    method: "POST";
    /** Request path. */
    path: "/v2/UpdateKey";
    /** Parameters, all sent in the query string. */
    params: {
      /** Parameter `id` (path in the spec, sent in the query string). */
      id: string;
    };
    /** JSON request body (`undefined`: none). */
    body: GarageAdminSchemas["UpdateKeyRequestBody"];
    /** JSON body of the 200 answer. */
    response: GarageAdminSchemas["UpdateKeyResponse"];
  };
}

/** The operationId of an admin API operation. */
export type GarageAdminOperationId = keyof GarageAdminOperations;

/** Runtime facts of every operation: HTTP method, path, parameter names and whether it takes a JSON body. */
export const GARAGE_ADMIN_OPERATIONS: Readonly<Record<GarageAdminOperationId, GarageAdminOperationFacts>> = {
  /** Operation `AddBucketAlias`. */
  AddBucketAlias: {
    method: "POST",
    path: "/v2/AddBucketAlias",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `AllowBucketKey`. */
  AllowBucketKey: {
    method: "POST",
    path: "/v2/AllowBucketKey",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `ApplyClusterLayout`. */
  ApplyClusterLayout: {
    method: "POST",
    path: "/v2/ApplyClusterLayout",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `CheckDomain`. */
  CheckDomain: {
    method: "GET",
    path: "/check",
    params: ["domain"],
    requiredParams: ["domain"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `CleanupIncompleteUploads`. */
  CleanupIncompleteUploads: {
    method: "POST",
    path: "/v2/CleanupIncompleteUploads",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `ClusterLayoutSkipDeadNodes`. */
  ClusterLayoutSkipDeadNodes: {
    method: "POST",
    path: "/v2/ClusterLayoutSkipDeadNodes",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `ConnectClusterNodes`. */
  ConnectClusterNodes: {
    method: "POST",
    path: "/v2/ConnectClusterNodes",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `CreateAdminToken`. */
  CreateAdminToken: {
    method: "POST",
    path: "/v2/CreateAdminToken",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `CreateBucket`. */
  CreateBucket: {
    method: "POST",
    path: "/v2/CreateBucket",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `CreateKey`. */
  CreateKey: { method: "POST", path: "/v2/CreateKey", params: [], requiredParams: [], body: true, bodyRequired: true },
  /** Operation `CreateMetadataSnapshot`. */
  CreateMetadataSnapshot: {
    method: "POST",
    path: "/v2/CreateMetadataSnapshot",
    params: ["node"],
    requiredParams: ["node"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `DeleteAdminToken`. */
  DeleteAdminToken: {
    method: "POST",
    path: "/v2/DeleteAdminToken",
    params: ["id"],
    requiredParams: ["id"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `DeleteBucket`. */
  DeleteBucket: {
    method: "POST",
    path: "/v2/DeleteBucket",
    params: ["id"],
    requiredParams: ["id"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `DeleteKey`. */
  DeleteKey: {
    method: "POST",
    path: "/v2/DeleteKey",
    params: ["id"],
    requiredParams: ["id"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `DenyBucketKey`. */
  DenyBucketKey: {
    method: "POST",
    path: "/v2/DenyBucketKey",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `GetAdminTokenInfo`. */
  GetAdminTokenInfo: {
    method: "GET",
    path: "/v2/GetAdminTokenInfo",
    params: ["id", "search"],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetBlockInfo`. */
  GetBlockInfo: {
    method: "POST",
    path: "/v2/GetBlockInfo",
    params: ["node"],
    requiredParams: ["node"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `GetBucketInfo`. */
  GetBucketInfo: {
    method: "GET",
    path: "/v2/GetBucketInfo",
    params: ["id", "globalAlias", "search"],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetClusterHealth`. */
  GetClusterHealth: {
    method: "GET",
    path: "/v2/GetClusterHealth",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetClusterLayout`. */
  GetClusterLayout: {
    method: "GET",
    path: "/v2/GetClusterLayout",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetClusterLayoutHistory`. */
  GetClusterLayoutHistory: {
    method: "GET",
    path: "/v2/GetClusterLayoutHistory",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetClusterStatistics`. */
  GetClusterStatistics: {
    method: "GET",
    path: "/v2/GetClusterStatistics",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetClusterStatus`. */
  GetClusterStatus: {
    method: "GET",
    path: "/v2/GetClusterStatus",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetKeyInfo`. */
  GetKeyInfo: {
    method: "GET",
    path: "/v2/GetKeyInfo",
    params: ["id", "search", "showSecretKey"],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetNodeInfo`. */
  GetNodeInfo: {
    method: "GET",
    path: "/v2/GetNodeInfo",
    params: ["node"],
    requiredParams: ["node"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetNodeStatistics`. */
  GetNodeStatistics: {
    method: "GET",
    path: "/v2/GetNodeStatistics",
    params: ["node"],
    requiredParams: ["node"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `GetWorkerInfo`. */
  GetWorkerInfo: {
    method: "POST",
    path: "/v2/GetWorkerInfo",
    params: ["node"],
    requiredParams: ["node"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `GetWorkerVariable`. */
  GetWorkerVariable: {
    method: "POST",
    path: "/v2/GetWorkerVariable",
    params: ["node"],
    requiredParams: ["node"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `Health`. */
  Health: { method: "GET", path: "/health", params: [], requiredParams: [], body: false, bodyRequired: false },
  /** Operation `ImportKey`. */
  ImportKey: { method: "POST", path: "/v2/ImportKey", params: [], requiredParams: [], body: true, bodyRequired: true },
  /** Operation `InspectObject`. */
  InspectObject: {
    method: "GET",
    path: "/v2/InspectObject",
    params: ["bucketId", "key"],
    requiredParams: ["bucketId", "key"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `LaunchRepairOperation`. */
  LaunchRepairOperation: {
    method: "POST",
    path: "/v2/LaunchRepairOperation",
    params: ["node"],
    requiredParams: ["node"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `ListAdminTokens`. */
  ListAdminTokens: {
    method: "GET",
    path: "/v2/ListAdminTokens",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `ListBlockErrors`. */
  ListBlockErrors: {
    method: "GET",
    path: "/v2/ListBlockErrors",
    params: ["node"],
    requiredParams: ["node"],
    body: false,
    bodyRequired: false,
  },
  /** Operation `ListBuckets`. */
  ListBuckets: {
    method: "GET",
    path: "/v2/ListBuckets",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `ListKeys`. */
  ListKeys: { method: "GET", path: "/v2/ListKeys", params: [], requiredParams: [], body: false, bodyRequired: false },
  /** Operation `ListWorkers`. */
  ListWorkers: {
    method: "POST",
    path: "/v2/ListWorkers",
    params: ["node"],
    requiredParams: ["node"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `Metrics`. */
  Metrics: { method: "GET", path: "/metrics", params: [], requiredParams: [], body: false, bodyRequired: false },
  /** Operation `PreviewClusterLayoutChanges`. */
  PreviewClusterLayoutChanges: {
    method: "POST",
    path: "/v2/PreviewClusterLayoutChanges",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `PurgeBlocks`. */
  PurgeBlocks: {
    method: "POST",
    path: "/v2/PurgeBlocks",
    params: ["node"],
    requiredParams: ["node"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `RemoveBucketAlias`. */
  RemoveBucketAlias: {
    method: "POST",
    path: "/v2/RemoveBucketAlias",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `RetryBlockResync`. */
  RetryBlockResync: {
    method: "POST",
    path: "/v2/RetryBlockResync",
    params: ["node"],
    requiredParams: ["node"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `RevertClusterLayout`. */
  RevertClusterLayout: {
    method: "POST",
    path: "/v2/RevertClusterLayout",
    params: [],
    requiredParams: [],
    body: false,
    bodyRequired: false,
  },
  /** Operation `SetWorkerVariable`. */
  SetWorkerVariable: {
    method: "POST",
    path: "/v2/SetWorkerVariable",
    params: ["node"],
    requiredParams: ["node"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `UpdateAdminToken`. */
  UpdateAdminToken: {
    method: "POST",
    path: "/v2/UpdateAdminToken",
    params: ["id"],
    requiredParams: ["id"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `UpdateBucket`. */
  UpdateBucket: {
    method: "POST",
    path: "/v2/UpdateBucket",
    params: ["id"],
    requiredParams: ["id"],
    body: true,
    bodyRequired: true,
  },
  /** Operation `UpdateClusterLayout`. */
  UpdateClusterLayout: {
    method: "POST",
    path: "/v2/UpdateClusterLayout",
    params: [],
    requiredParams: [],
    body: true,
    bodyRequired: true,
  },
  /** Operation `UpdateKey`. */
  UpdateKey: {
    method: "POST",
    path: "/v2/UpdateKey",
    params: ["id"],
    requiredParams: ["id"],
    body: true,
    bodyRequired: true,
  },
};

/** Shape of one entry of {@link GARAGE_ADMIN_OPERATIONS}. */
export interface GarageAdminOperationFacts {
  /** HTTP method. */
  method: "GET" | "POST";
  /** Request path. */
  path: string;
  /** Names of the parameters, all sent in the query string. */
  params: readonly string[];
  /** Names of the parameters Garage requires. */
  requiredParams: readonly string[];
  /** Whether the operation takes a JSON request body. */
  body: boolean;
  /** Whether the request body is required. */
  bodyRequired: boolean;
}
