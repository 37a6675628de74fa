package replica

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// A Location is where snapshots are published: a bucket and a key prefix.
type Location struct {
	Bucket string
	// Prefix is empty or ends without a slash ("tacheron/prod").
	Prefix string
}

// ParseLocation parses an s3://BUCKET/PREFIX URL (the prefix may be empty).
func ParseLocation(s string) (Location, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Location{}, fmt.Errorf("%q is not an s3://BUCKET/PREFIX URL: %w", s, err)
	}
	if u.Scheme != "s3" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return Location{}, fmt.Errorf("%q is not an s3://BUCKET/PREFIX URL", s)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" && path.Clean(prefix) != prefix {
		return Location{}, fmt.Errorf("%q: the prefix %q is not a clean path", s, prefix)
	}
	return Location{Bucket: u.Host, Prefix: prefix}, nil
}

// String returns the location as an s3:// URL.
func (l Location) String() string {
	if l.Prefix == "" {
		return "s3://" + l.Bucket
	}
	return "s3://" + l.Bucket + "/" + l.Prefix
}

// key returns the object key of name under the prefix.
func (l Location) key(name string) string {
	if l.Prefix == "" {
		return name
	}
	return l.Prefix + "/" + name
}

// A Bucket is a Location and the S3 client that reaches it.
type Bucket struct {
	Location
	client *s3.Client
}

// Open returns the bucket of loc with a client configured from the
// standard AWS environment variables and shared files; a custom endpoint
// (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or endpoint_url in the config
// file) switches to path-style addressing.
func Open(ctx context.Context, loc Location) (*Bucket, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: AWS configuration: %w", loc, err)
	}
	if cfg.Region == "" {
		// S3-compatible servers accept any region; AWS needs the right one.
		cfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if o.BaseEndpoint != nil {
			o.UsePathStyle = true
		}
	})
	return &Bucket{Location: loc, client: client}, nil
}

// isNotFound reports whether err is S3's answer for a missing object.
func isNotFound(err error) bool {
	var nf interface{ ErrorCode() string }
	if errors.As(err, &nf) {
		switch nf.ErrorCode() {
		case "NoSuchKey", "NotFound", "404":
			return true
		}
	}
	return false
}

// str is aws.String, shorter.
func str(s string) *string { return aws.String(s) }
