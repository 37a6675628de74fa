// Package replica publishes the snapshots of a store to S3-compatible object
// storage and follows them from there, so that several tacheron servers
// serve the same archive.
//
// A publication under s3://BUCKET/PREFIX is laid out as
//
//	PREFIX/snapshots/000007/...            the files of snapshot 7, as in the store
//	PREFIX/snapshots/000007/MANIFEST.json  their paths, sizes and SHA-256 (see Manifest)
//	PREFIX/CURRENT                         the pointer: the generation to serve (see Pointer)
//
// Publish uploads a snapshot's files, then its manifest, then, last, the
// pointer: a reader that follows the pointer never finds an incomplete
// snapshot. Older generations are deleted only after the pointer moved.
//
// A Follower polls the pointer, downloads a new generation into its local
// store under a temporary name (resuming where a killed download stopped:
// files already there with the right checksum are kept, a partial file is
// continued), verifies every checksum, and hands the snapshot to the store,
// which validates it and makes it current; a server's watch then swaps it
// in. A download that fails changes nothing that is served.
//
// Credentials, region and endpoint come from the standard AWS environment
// variables and files (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_REGION, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, ~/.aws/config); with
// a custom endpoint, buckets are addressed path-style, as MinIO, Ceph,
// SeaweedFS, Garage and the Versity gateway expect.
package replica
