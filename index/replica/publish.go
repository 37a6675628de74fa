package replica

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// PublishStats describes a publication.
type PublishStats struct {
	Generation uint64
	Files      int
	// Bytes is the size of the files uploaded, manifest and pointer
	// included.
	Bytes int64
	// Deleted lists the generations removed from the bucket.
	Deleted []uint64
}

// Publish uploads the snapshot of generation gen in dir to b, then makes
// it the published one, and deletes the generations beyond the newest
// keep (at least 1). It refuses a generation not newer than the published
// one: generations only grow, which the servers' answers to requests for
// a given generation rely on.
func (b *Bucket) Publish(ctx context.Context, gen uint64, dir string, keep int) (*PublishStats, error) {
	keep = max(keep, 1)
	if cur, err := b.Pointer(ctx); err == nil && cur.Generation >= gen {
		return nil, fmt.Errorf("%s already publishes generation %d: generation %d is not newer (build with a larger generation)", b.Location, cur.Generation, gen)
	} else if err != nil && !errors.Is(err, ErrNothingPublished) {
		return nil, err
	}
	m, err := scan(dir, gen)
	if err != nil {
		return nil, err
	}
	st := &PublishStats{Generation: gen, Files: len(m.Files)}
	base := snapshotsDir + "/" + genDir(gen) + "/"
	for _, f := range m.Files {
		if err := b.putFile(ctx, base+f.Path, filepath.Join(dir, filepath.FromSlash(f.Path)), f); err != nil {
			return nil, err
		}
		st.Bytes += f.Size
	}
	data, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return nil, err
	}
	if err := b.put(ctx, base+manifestName, data, "application/json"); err != nil {
		return nil, err
	}
	st.Bytes += int64(len(data))
	// Last, the pointer: until it is written nobody reads what came before.
	ptr, err := json.Marshal(Pointer{Generation: gen, Published: time.Now().UTC()})
	if err != nil {
		return nil, err
	}
	if err := b.put(ctx, pointerName, ptr, "application/json"); err != nil {
		return nil, err
	}
	st.Bytes += int64(len(ptr))
	st.Deleted, err = b.collect(ctx, gen, keep)
	if err != nil {
		return st, fmt.Errorf("generation %d is published, but removing old ones failed: %w", gen, err)
	}
	return st, nil
}

// ErrNothingPublished reports a location where no pointer was written yet.
var ErrNothingPublished = errors.New("no snapshot is published there yet")

// Pointer reads the published pointer.
func (b *Bucket) Pointer(ctx context.Context) (Pointer, error) {
	data, err := b.get(ctx, pointerName, 1<<10)
	if isNotFound(err) {
		return Pointer{}, fmt.Errorf("%s: %w", b.Location, ErrNothingPublished)
	}
	if err != nil {
		return Pointer{}, err
	}
	return parsePointer(data)
}

// Manifest reads the manifest of generation gen.
func (b *Bucket) Manifest(ctx context.Context, gen uint64) (*Manifest, error) {
	data, err := b.get(ctx, snapshotsDir+"/"+genDir(gen)+"/"+manifestName, 16<<20)
	if err != nil {
		return nil, err
	}
	return parseManifest(data, gen)
}

// Generations lists the generations that have files in the bucket, oldest
// first.
func (b *Bucket) Generations(ctx context.Context) ([]uint64, error) {
	var gens []uint64
	p := s3.NewListObjectsV2Paginator(b.client, &s3.ListObjectsV2Input{
		Bucket:    str(b.Bucket),
		Prefix:    str(b.key(snapshotsDir) + "/"),
		Delimiter: str("/"),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: list generations: %w", b.Location, err)
		}
		for _, cp := range page.CommonPrefixes {
			name := strings.TrimSuffix(strings.TrimPrefix(*cp.Prefix, b.key(snapshotsDir)+"/"), "/")
			if gen, err := strconv.ParseUint(name, 10, 64); err == nil {
				gens = append(gens, gen)
			}
		}
	}
	slices.Sort(gens)
	return gens, nil
}

// collect deletes the generations older than the newest keep, never
// current: the manifest first, so that no follower starts on a generation
// being deleted.
func (b *Bucket) collect(ctx context.Context, current uint64, keep int) ([]uint64, error) {
	gens, err := b.Generations(ctx)
	if err != nil || len(gens) <= keep {
		return nil, err
	}
	var deleted []uint64
	for _, gen := range gens[:len(gens)-keep] {
		if gen == current {
			continue
		}
		if err := b.deleteGeneration(ctx, gen); err != nil {
			return deleted, err
		}
		deleted = append(deleted, gen)
	}
	return deleted, nil
}

// deleteGeneration deletes the objects of generation gen.
func (b *Bucket) deleteGeneration(ctx context.Context, gen uint64) error {
	base := b.key(snapshotsDir + "/" + genDir(gen) + "/")
	if _, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: str(b.Bucket), Key: str(base + manifestName)}); err != nil && !isNotFound(err) {
		return fmt.Errorf("%s: delete generation %d: %w", b.Location, gen, err)
	}
	p := s3.NewListObjectsV2Paginator(b.client, &s3.ListObjectsV2Input{Bucket: str(b.Bucket), Prefix: str(base)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("%s: delete generation %d: %w", b.Location, gen, err)
		}
		for _, o := range page.Contents {
			if _, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: str(b.Bucket), Key: o.Key}); err != nil && !isNotFound(err) {
				return fmt.Errorf("%s: delete %s: %w", b.Location, *o.Key, err)
			}
		}
	}
	return nil
}

// putFile uploads the file at p as name, with its SHA-256 for the server
// to check.
func (b *Bucket) putFile(ctx context.Context, name, p string, f File) error {
	file, err := os.Open(p)
	if err != nil {
		return err
	}
	defer file.Close()
	sum, err := hex.DecodeString(f.SHA256)
	if err != nil {
		return err
	}
	_, err = b.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:            str(b.Bucket),
		Key:               str(b.key(name)),
		Body:              file,
		ContentLength:     &f.Size,
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
		ChecksumSHA256:    str(base64.StdEncoding.EncodeToString(sum)),
	})
	if err != nil {
		return fmt.Errorf("%s: upload %s: %w", b.Location, name, err)
	}
	return nil
}

// put uploads data as name.
func (b *Bucket) put(ctx context.Context, name string, data []byte, contentType string) error {
	_, err := b.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:            str(b.Bucket),
		Key:               str(b.key(name)),
		Body:              bytes.NewReader(data),
		ContentType:       str(contentType),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
	})
	if err != nil {
		return fmt.Errorf("%s: upload %s: %w", b.Location, name, err)
	}
	return nil
}

// get reads the object name, at most limit bytes of it.
func (b *Bucket) get(ctx context.Context, name string, limit int64) ([]byte, error) {
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: str(b.Bucket), Key: str(b.key(name))})
	if err != nil {
		if isNotFound(err) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: read %s: %w", b.Location, name, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read %s: %w", b.Location, name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %s is larger than %d bytes", b.Location, name, limit)
	}
	return data, nil
}
