// GENERATED FILE, do not edit by hand: openapi-typescript output for
// packages/storage-garage/spec/garage-admin-v2.schemas.json (Garage admin API v2, prose removed).
// Regenerate from the repository root:
//   npx tsx packages/storage-garage/scripts/derive-admin-spec.ts <upstream garage-admin-v2.json>   (spec copy)
//   npm run generate:admin-types -w packages/storage-garage                                         (this file)
// test/admin/generated-types.test.ts fails when this file and the spec copy drift apart.

/** Every path of the Garage admin API v2 and the operation of each HTTP method (openapi-fetch's `paths`). */
export interface paths {
  "/check": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["CheckDomain"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/health": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["Health"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["Metrics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/AddBucketAlias": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["AddBucketAlias"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/AllowBucketKey": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["AllowBucketKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ApplyClusterLayout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["ApplyClusterLayout"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/CleanupIncompleteUploads": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["CleanupIncompleteUploads"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ClusterLayoutSkipDeadNodes": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["ClusterLayoutSkipDeadNodes"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ConnectClusterNodes": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["ConnectClusterNodes"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/CreateAdminToken": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["CreateAdminToken"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/CreateBucket": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["CreateBucket"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/CreateKey": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["CreateKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/CreateMetadataSnapshot": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["CreateMetadataSnapshot"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/DeleteAdminToken": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["DeleteAdminToken"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/DeleteBucket": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["DeleteBucket"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/DeleteKey": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["DeleteKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/DenyBucketKey": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["DenyBucketKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetAdminTokenInfo": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetAdminTokenInfo"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetBlockInfo": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["GetBlockInfo"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetBucketInfo": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetBucketInfo"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetClusterHealth": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetClusterHealth"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetClusterLayout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetClusterLayout"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetClusterLayoutHistory": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetClusterLayoutHistory"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetClusterStatistics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetClusterStatistics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetClusterStatus": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetClusterStatus"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetKeyInfo": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetKeyInfo"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetNodeInfo": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetNodeInfo"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetNodeStatistics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["GetNodeStatistics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetWorkerInfo": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["GetWorkerInfo"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/GetWorkerVariable": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["GetWorkerVariable"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ImportKey": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["ImportKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/InspectObject": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["InspectObject"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/LaunchRepairOperation": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["LaunchRepairOperation"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ListAdminTokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["ListAdminTokens"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ListBlockErrors": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["ListBlockErrors"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ListBuckets": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["ListBuckets"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ListKeys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["ListKeys"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/ListWorkers": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["ListWorkers"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/PreviewClusterLayoutChanges": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["PreviewClusterLayoutChanges"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/PurgeBlocks": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["PurgeBlocks"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/RemoveBucketAlias": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["RemoveBucketAlias"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/RetryBlockResync": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["RetryBlockResync"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/RevertClusterLayout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["RevertClusterLayout"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/SetWorkerVariable": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["SetWorkerVariable"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/UpdateAdminToken": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["UpdateAdminToken"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/UpdateBucket": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["UpdateBucket"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/UpdateClusterLayout": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["UpdateClusterLayout"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v2/UpdateKey": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["UpdateKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
/** Webhooks of the API: none. */
export type webhooks = Record<string, never>;
/** Component schemas and security schemes of the Garage admin API v2. */
export interface components {
  schemas: {
    AddBucketAliasRequest: components["schemas"]["BucketAliasEnum"] & {
      bucketId: string;
    };
    AddBucketAliasResponse: components["schemas"]["GetBucketInfoResponse"];
    AllowBucketKeyRequest: components["schemas"]["BucketKeyPermChangeRequest"];
    AllowBucketKeyResponse: components["schemas"]["GetBucketInfoResponse"];
    ApiBucketKeyPerm: {
      owner?: boolean;
      read?: boolean;
      write?: boolean;
    };
    ApiBucketQuotas: {
      /** Format: int64 */
      maxObjects?: number | null;
      /** Format: int64 */
      maxSize?: number | null;
    };
    ApplyClusterLayoutRequest: {
      /** Format: int64 */
      version: number;
    };
    ApplyClusterLayoutResponse: {
      layout: components["schemas"]["GetClusterLayoutResponse"];
      message: string[];
    };
    BlockError: {
      blockHash: string;
      /** Format: int64 */
      errorCount: number;
      /** Format: int64 */
      lastTrySecsAgo: number;
      /** Format: int64 */
      nextTryInSecs: number;
      /** Format: int64 */
      refcount: number;
    };
    BlockVersion: {
      backlink?: null | components["schemas"]["BlockVersionBacklink"];
      garbageCollected: boolean;
      refDeleted: boolean;
      versionDeleted: boolean;
      versionId: string;
    };
    BlockVersionBacklink:
      | {
          object: {
            bucketId: string;
            key: string;
          };
        }
      | {
          upload: {
            bucketId?: string | null;
            key?: string | null;
            uploadDeleted: boolean;
            uploadGarbageCollected: boolean;
            uploadId: string;
          };
        };
    BucketAliasEnum:
      | {
          globalAlias: string;
        }
      | {
          accessKeyId: string;
          localAlias: string;
        };
    BucketKeyPermChangeRequest: {
      accessKeyId: string;
      bucketId: string;
      permissions: components["schemas"]["ApiBucketKeyPerm"];
    };
    BucketLocalAlias: {
      accessKeyId: string;
      alias: string;
    };
    CleanupIncompleteUploadsRequest: {
      bucketId: string;
      /** Format: int64 */
      olderThanSecs: number;
    };
    CleanupIncompleteUploadsResponse: {
      /** Format: int64 */
      uploadsDeleted: number;
    };
    ClusterLayoutSkipDeadNodesRequest: {
      allowMissingData: boolean;
      /** Format: int64 */
      version: number;
    };
    ClusterLayoutSkipDeadNodesResponse: {
      ackUpdated: string[];
      syncUpdated: string[];
    };
    ClusterLayoutVersion: {
      /** Format: int64 */
      gatewayNodes: number;
      status: components["schemas"]["ClusterLayoutVersionStatus"];
      /** Format: int64 */
      storageNodes: number;
      /** Format: int64 */
      version: number;
    };
    /** @enum {string} */
    ClusterLayoutVersionStatus: "Current" | "Draining" | "Historical";
    ConnectClusterNodesRequest: string[];
    ConnectClusterNodesResponse: components["schemas"]["ConnectNodeResponse"][];
    ConnectNodeResponse: {
      error?: string | null;
      success: boolean;
    };
    CreateAdminTokenResponse: components["schemas"]["GetAdminTokenInfoResponse"] & {
      secretToken: string;
    };
    CreateBucketLocalAlias: {
      accessKeyId: string;
      alias: string;
      allow?: components["schemas"]["ApiBucketKeyPerm"];
    };
    CreateBucketRequest: {
      globalAlias?: string | null;
      localAlias?: null | components["schemas"]["CreateBucketLocalAlias"];
    };
    CreateBucketResponse: components["schemas"]["GetBucketInfoResponse"];
    CreateKeyRequest: components["schemas"]["UpdateKeyRequestBody"];
    CreateKeyResponse: components["schemas"]["GetKeyInfoResponse"];
    DenyBucketKeyRequest: components["schemas"]["BucketKeyPermChangeRequest"];
    DenyBucketKeyResponse: components["schemas"]["GetBucketInfoResponse"];
    FreeSpaceResp: {
      /** Format: int64 */
      available: number;
      /** Format: int64 */
      total: number;
    };
    GetAdminTokenInfoResponse: {
      /** Format: date-time */
      created?: string | null;
      /** Format: date-time */
      expiration?: string | null;
      expired: boolean;
      id?: string | null;
      name: string;
      scope: string[];
    };
    GetBucketInfoKey: {
      accessKeyId: string;
      bucketLocalAliases: string[];
      name: string;
      permissions: components["schemas"]["ApiBucketKeyPerm"];
    };
    GetBucketInfoResponse: {
      /** Format: int64 */
      bytes: number;
      /** Format: date-time */
      created: string;
      globalAliases: string[];
      id: string;
      keys: components["schemas"]["GetBucketInfoKey"][];
      /** Format: int64 */
      objects: number;
      quotas: components["schemas"]["ApiBucketQuotas"];
      /** Format: int64 */
      unfinishedMultipartUploadBytes: number;
      /** Format: int64 */
      unfinishedMultipartUploadParts: number;
      /** Format: int64 */
      unfinishedMultipartUploads: number;
      /** Format: int64 */
      unfinishedUploads: number;
      websiteAccess: boolean;
      websiteConfig?: null | components["schemas"]["GetBucketInfoWebsiteResponse"];
    };
    GetBucketInfoWebsiteResponse: {
      errorDocument?: string | null;
      indexDocument: string;
    };
    GetClusterHealthResponse: {
      connectedNodes: number;
      knownNodes: number;
      partitions: number;
      partitionsAllOk: number;
      partitionsQuorum: number;
      status: string;
      storageNodes: number;
      storageNodesOk: number;
    };
    GetClusterLayoutHistoryResponse: {
      /** Format: int64 */
      currentVersion: number;
      /** Format: int64 */
      minAck: number;
      updateTrackers?: {
        [key: string]: components["schemas"]["NodeUpdateTrackers"];
      } | null;
      versions: components["schemas"]["ClusterLayoutVersion"][];
    };
    GetClusterLayoutResponse: {
      parameters: components["schemas"]["LayoutParameters"];
      /** Format: int64 */
      partitionSize: number;
      roles: components["schemas"]["LayoutNodeRole"][];
      stagedParameters?: null | components["schemas"]["LayoutParameters"];
      stagedRoleChanges: components["schemas"]["NodeRoleChange"][];
      /** Format: int64 */
      version: number;
    };
    GetClusterStatisticsResponse: {
      freeform: string;
    };
    GetClusterStatusResponse: {
      /** Format: int64 */
      layoutVersion: number;
      nodes: components["schemas"]["NodeResp"][];
    };
    GetKeyInfoResponse: {
      accessKeyId: string;
      buckets: components["schemas"]["KeyInfoBucketResponse"][];
      /** Format: date-time */
      created?: string | null;
      /** Format: date-time */
      expiration?: string | null;
      expired: boolean;
      name: string;
      permissions: components["schemas"]["KeyPerm"];
      secretAccessKey?: string | null;
    };
    ImportKeyRequest: {
      accessKeyId: string;
      name?: string | null;
      secretAccessKey: string;
    };
    ImportKeyResponse: components["schemas"]["GetKeyInfoResponse"];
    InspectObjectBlock: {
      hash: string;
      /** Format: int64 */
      offset: number;
      /** Format: int64 */
      partNumber: number;
      /** Format: int64 */
      size: number;
    };
    InspectObjectResponse: {
      bucketId: string;
      key: string;
      versions: components["schemas"]["InspectObjectVersion"][];
    };
    InspectObjectVersion: {
      aborted: boolean;
      blocks?: components["schemas"]["InspectObjectBlock"][];
      deleteMarker: boolean;
      encrypted: boolean;
      etag?: string | null;
      headers?: [string, string][];
      inline: boolean;
      /** Format: int64 */
      size?: number | null;
      /** Format: date-time */
      timestamp: string;
      uploading: boolean;
      uuid: string;
    };
    KeyInfoBucketResponse: {
      globalAliases: string[];
      id: string;
      localAliases: string[];
      permissions: components["schemas"]["ApiBucketKeyPerm"];
    };
    KeyPerm: {
      createBucket?: boolean;
    };
    LayoutNodeRole: {
      /** Format: int64 */
      capacity?: number | null;
      id: string;
      /** Format: int64 */
      storedPartitions?: number | null;
      tags: string[];
      /** Format: int64 */
      usableCapacity?: number | null;
      zone: string;
    };
    LayoutParameters: {
      zoneRedundancy: components["schemas"]["ZoneRedundancy"];
    };
    ListAdminTokensResponse: components["schemas"]["GetAdminTokenInfoResponse"][];
    ListBucketsResponse: components["schemas"]["ListBucketsResponseItem"][];
    ListBucketsResponseItem: {
      /** Format: date-time */
      created: string;
      globalAliases: string[];
      id: string;
      localAliases: components["schemas"]["BucketLocalAlias"][];
    };
    ListKeysResponse: components["schemas"]["ListKeysResponseItem"][];
    ListKeysResponseItem: {
      /** Format: date-time */
      created?: string | null;
      /** Format: date-time */
      expiration?: string | null;
      expired: boolean;
      id: string;
      name: string;
    };
    /** @default null */
    LocalCreateMetadataSnapshotResponse: unknown;
    LocalGetBlockInfoRequest: {
      blockHash: string;
    };
    LocalGetBlockInfoResponse: {
      blockHash: string;
      /** Format: int64 */
      refcount: number;
      versions: components["schemas"]["BlockVersion"][];
    };
    LocalGetNodeInfoResponse: {
      dbEngine: string;
      garageFeatures?: string[] | null;
      garageVersion: string;
      nodeId: string;
      rustVersion: string;
    };
    LocalGetNodeStatisticsResponse: {
      freeform: string;
    };
    LocalGetWorkerInfoRequest: {
      /** Format: int64 */
      id: number;
    };
    LocalGetWorkerInfoResponse: components["schemas"]["WorkerInfoResp"];
    LocalGetWorkerVariableRequest: {
      variable?: string | null;
    };
    LocalGetWorkerVariableResponse: {
      [key: string]: string;
    };
    LocalLaunchRepairOperationRequest: {
      repairType: components["schemas"]["RepairType"];
    };
    /** @default null */
    LocalLaunchRepairOperationResponse: unknown;
    LocalListBlockErrorsResponse: components["schemas"]["BlockError"][];
    LocalListWorkersRequest: {
      busyOnly?: boolean;
      errorOnly?: boolean;
    };
    LocalListWorkersResponse: components["schemas"]["WorkerInfoResp"][];
    LocalPurgeBlocksRequest: string[];
    LocalPurgeBlocksResponse: {
      /** Format: int64 */
      blockRefsPurged: number;
      /** Format: int64 */
      blocksPurged: number;
      /** Format: int64 */
      objectsDeleted: number;
      /** Format: int64 */
      uploadsDeleted: number;
      /** Format: int64 */
      versionsDeleted: number;
    };
    LocalRetryBlockResyncRequest:
      | {
          all: boolean;
        }
      | {
          blockHashes: string[];
        };
    LocalRetryBlockResyncResponse: {
      /** Format: int64 */
      count: number;
    };
    LocalSetWorkerVariableRequest: {
      value: string;
      variable: string;
    };
    LocalSetWorkerVariableResponse: {
      value: string;
      variable: string;
    };
    MultiResponse_LocalCreateMetadataSnapshotResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: unknown;
      };
    };
    MultiResponse_LocalGetBlockInfoResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: {
          blockHash: string;
          /** Format: int64 */
          refcount: number;
          versions: components["schemas"]["BlockVersion"][];
        };
      };
    };
    MultiResponse_LocalGetNodeInfoResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: {
          dbEngine: string;
          garageFeatures?: string[] | null;
          garageVersion: string;
          nodeId: string;
          rustVersion: string;
        };
      };
    };
    MultiResponse_LocalGetNodeStatisticsResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: {
          freeform: string;
        };
      };
    };
    MultiResponse_LocalGetWorkerInfoResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: components["schemas"]["WorkerInfoResp"];
      };
    };
    MultiResponse_LocalGetWorkerVariableResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: {
          [key: string]: string;
        };
      };
    };
    MultiResponse_LocalLaunchRepairOperationResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: unknown;
      };
    };
    MultiResponse_LocalListBlockErrorsResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: components["schemas"]["BlockError"][];
      };
    };
    MultiResponse_LocalListWorkersResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: components["schemas"]["WorkerInfoResp"][];
      };
    };
    MultiResponse_LocalPurgeBlocksResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: {
          /** Format: int64 */
          blockRefsPurged: number;
          /** Format: int64 */
          blocksPurged: number;
          /** Format: int64 */
          objectsDeleted: number;
          /** Format: int64 */
          uploadsDeleted: number;
          /** Format: int64 */
          versionsDeleted: number;
        };
      };
    };
    MultiResponse_LocalRetryBlockResyncResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: {
          /** Format: int64 */
          count: number;
        };
      };
    };
    MultiResponse_LocalSetWorkerVariableResponse: {
      error: {
        [key: string]: string;
      };
      success: {
        [key: string]: {
          value: string;
          variable: string;
        };
      };
    };
    NodeAssignedRole: {
      /** Format: int64 */
      capacity?: number | null;
      tags: string[];
      zone: string;
    };
    NodeResp: {
      addr?: string | null;
      dataPartition?: null | components["schemas"]["FreeSpaceResp"];
      draining: boolean;
      garageVersion?: string | null;
      hostname?: string | null;
      id: string;
      isUp: boolean;
      /** Format: int64 */
      lastSeenSecsAgo?: number | null;
      metadataPartition?: null | components["schemas"]["FreeSpaceResp"];
      role?: null | components["schemas"]["NodeAssignedRole"];
    };
    NodeRoleChange: components["schemas"]["NodeRoleChangeEnum"] & {
      id: string;
    };
    NodeRoleChangeEnum:
      | {
          remove: boolean;
        }
      | components["schemas"]["NodeAssignedRole"];
    NodeUpdateTrackers: {
      /** Format: int64 */
      ack: number;
      /** Format: int64 */
      sync: number;
      /** Format: int64 */
      syncAck: number;
    };
    PreviewClusterLayoutChangesResponse:
      | {
          error: string;
        }
      | {
          message: string[];
          newLayout: components["schemas"]["GetClusterLayoutResponse"];
        };
    RemoveBucketAliasRequest: components["schemas"]["BucketAliasEnum"] & {
      bucketId: string;
    };
    RemoveBucketAliasResponse: components["schemas"]["GetBucketInfoResponse"];
    RepairType:
      | "tables"
      | "blocks"
      | "versions"
      | "multipartUploads"
      | "blockRefs"
      | "blockRc"
      | "rebalance"
      | {
          scrub: components["schemas"]["ScrubCommand"];
        }
      | "aliases";
    RevertClusterLayoutResponse: components["schemas"]["GetClusterLayoutResponse"];
    /** @enum {string} */
    ScrubCommand: "start" | "pause" | "resume" | "cancel";
    UpdateAdminTokenRequestBody: {
      /** Format: date-time */
      expiration?: string | null;
      name?: string | null;
      neverExpires?: boolean;
      scope?: string[] | null;
    };
    UpdateAdminTokenResponse: components["schemas"]["GetAdminTokenInfoResponse"];
    UpdateBucketRequestBody: {
      quotas?: null | components["schemas"]["ApiBucketQuotas"];
      websiteAccess?: null | components["schemas"]["UpdateBucketWebsiteAccess"];
    };
    UpdateBucketResponse: components["schemas"]["GetBucketInfoResponse"];
    UpdateBucketWebsiteAccess: {
      enabled: boolean;
      errorDocument?: string | null;
      indexDocument?: string | null;
    };
    UpdateClusterLayoutRequest: {
      parameters?: null | components["schemas"]["LayoutParameters"];
      roles?: components["schemas"]["NodeRoleChange"][];
    };
    UpdateClusterLayoutResponse: components["schemas"]["GetClusterLayoutResponse"];
    UpdateKeyRequestBody: {
      allow?: null | components["schemas"]["KeyPerm"];
      deny?: null | components["schemas"]["KeyPerm"];
      /** Format: date-time */
      expiration?: string | null;
      name?: string | null;
      neverExpires?: boolean;
    };
    UpdateKeyResponse: components["schemas"]["GetKeyInfoResponse"];
    WorkerInfoResp: {
      /** Format: int64 */
      consecutiveErrors: number;
      /** Format: int64 */
      errors: number;
      freeform: string[];
      /** Format: int64 */
      id: number;
      lastError?: null | components["schemas"]["WorkerLastError"];
      name: string;
      /** Format: int64 */
      persistentErrors?: number | null;
      progress?: string | null;
      /** Format: int64 */
      queueLength?: number | null;
      state: components["schemas"]["WorkerStateResp"];
      /** Format: int32 */
      tranquility?: number | null;
    };
    WorkerLastError: {
      message: string;
      /** Format: int64 */
      secsAgo: number;
    };
    WorkerStateResp:
      | "busy"
      | {
          throttled: {
            /** Format: float */
            durationSecs: number;
          };
        }
      | "idle"
      | "done";
    ZoneRedundancy:
      | {
          atLeast: number;
        }
      | "maximum";
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
/** JSON Schema `$defs` of the document: none. */
export type $defs = Record<string, never>;
/** Parameters, request body and responses of every operation, by operationId. */
export interface operations {
  CheckDomain: {
    parameters: {
      query: {
        domain: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  Health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      503: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  Metrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AddBucketAlias: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AddBucketAliasRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AddBucketAliasResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AllowBucketKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AllowBucketKeyRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AllowBucketKeyResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ApplyClusterLayout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ApplyClusterLayoutRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApplyClusterLayoutResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CleanupIncompleteUploads: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CleanupIncompleteUploadsRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CleanupIncompleteUploadsResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ClusterLayoutSkipDeadNodes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ClusterLayoutSkipDeadNodesRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ClusterLayoutSkipDeadNodesResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ConnectClusterNodes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ConnectClusterNodesRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ConnectClusterNodesResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreateAdminToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateAdminTokenRequestBody"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreateAdminTokenResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreateBucket: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateBucketRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreateBucketResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreateKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateKeyRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CreateKeyResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreateMetadataSnapshot: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalCreateMetadataSnapshotResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DeleteAdminToken: {
    parameters: {
      query: {
        id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DeleteBucket: {
    parameters: {
      query: {
        id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DeleteKey: {
    parameters: {
      query: {
        id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DenyBucketKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["DenyBucketKeyRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DenyBucketKeyResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetAdminTokenInfo: {
    parameters: {
      query?: {
        id?: string;
        search?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetAdminTokenInfoResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetBlockInfo: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocalGetBlockInfoRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalGetBlockInfoResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetBucketInfo: {
    parameters: {
      query?: {
        id?: string;
        globalAlias?: string;
        search?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetBucketInfoResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetClusterHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetClusterHealthResponse"];
        };
      };
    };
  };
  GetClusterLayout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetClusterLayoutResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetClusterLayoutHistory: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetClusterLayoutHistoryResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetClusterStatistics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetClusterStatisticsResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetClusterStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetClusterStatusResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetKeyInfo: {
    parameters: {
      query?: {
        id?: string;
        search?: string;
        showSecretKey?: boolean;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["GetKeyInfoResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetNodeInfo: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalGetNodeInfoResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetNodeStatistics: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalGetNodeStatisticsResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetWorkerInfo: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocalGetWorkerInfoRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalGetWorkerInfoResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetWorkerVariable: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocalGetWorkerVariableRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalGetWorkerVariableResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ImportKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ImportKeyRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ImportKeyResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  InspectObject: {
    parameters: {
      query: {
        bucketId: string;
        key: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InspectObjectResponse"];
        };
      };
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  LaunchRepairOperation: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocalLaunchRepairOperationRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalLaunchRepairOperationResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListAdminTokens: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListAdminTokensResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListBlockErrors: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalListBlockErrorsResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListBuckets: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListBucketsResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListKeys: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ListKeysResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListWorkers: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocalListWorkersRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalListWorkersResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PreviewClusterLayoutChanges: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PreviewClusterLayoutChangesResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PurgeBlocks: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocalPurgeBlocksRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalPurgeBlocksResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  RemoveBucketAlias: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["RemoveBucketAliasRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RemoveBucketAliasResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  RetryBlockResync: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocalRetryBlockResyncRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalRetryBlockResyncResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  RevertClusterLayout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["RevertClusterLayoutResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SetWorkerVariable: {
    parameters: {
      query: {
        node: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["LocalSetWorkerVariableRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MultiResponse_LocalSetWorkerVariableResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpdateAdminToken: {
    parameters: {
      query: {
        id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateAdminTokenRequestBody"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UpdateAdminTokenResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpdateBucket: {
    parameters: {
      query: {
        id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateBucketRequestBody"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UpdateBucketResponse"];
        };
      };
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpdateClusterLayout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateClusterLayoutRequest"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UpdateClusterLayoutResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpdateKey: {
    parameters: {
      query: {
        id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UpdateKeyRequestBody"];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UpdateKeyResponse"];
        };
      };
      500: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
