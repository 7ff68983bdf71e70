package db

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// DefaultRegion is the region used when neither AWS_REGION, AWS_DEFAULT_REGION nor the shared
// configuration names one.
const DefaultRegion = "us-east-1"

// Multipart upload limits.
const (
	// MinPartSize is S3's smallest part of a multipart upload (except the last).
	MinPartSize = 5 << 20
	// DefaultPartSize is the part size used when S3Config.PartSize is zero. A Put of at most
	// this many bytes is a single PutObject.
	DefaultPartSize = 16 << 20
	// MaxParts is S3's largest number of parts in a multipart upload.
	MaxParts = 10000
	// DefaultConcurrency is the number of parts uploaded at once when S3Config.Concurrency
	// is zero.
	DefaultConcurrency = 4
)

// S3Config configures the S3 client of [S3FS]s.
type S3Config struct {
	// AWS is the SDK configuration: region, credentials, HTTP client, retries.
	AWS aws.Config
	// Endpoint, if set, is the base URL of an S3-compatible server (the S3_ENDPOINT
	// variable); requests then use path-style URLs <endpoint>/<bucket>/<key>. Empty means
	// AWS S3 with the SDK's endpoint resolution (virtual-hosted style).
	Endpoint string
	// PartSize is the size of the parts of a multipart upload, and the size above which Put
	// uses one. Zero means DefaultPartSize; values below MinPartSize are raised to it.
	PartSize int64
	// Concurrency is the number of parts one Put uploads at once (memory use is about
	// (Concurrency+1)*PartSize). Zero means DefaultConcurrency.
	Concurrency int
	// ListPageSize is the number of keys asked for per ListObjectsV2 request; zero leaves the
	// server's default (1000).
	ListPageSize int32
}

// LoadS3Config builds the configuration from the environment as the original does:
// credentials from the SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/
// AWS_SESSION_TOKEN, the web identity variables AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE
// that EKS injects, shared files, instance roles); region from AWS_REGION, then
// AWS_DEFAULT_REGION, then the shared configuration, then [DefaultRegion]; endpoint from
// S3_ENDPOINT with trailing '/' removed.
func LoadS3Config(ctx context.Context) (S3Config, error) {
	var opts []func(*config.LoadOptions) error
	if r := envRegion(); r != "" {
		opts = append(opts, config.WithRegion(r))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return S3Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	return S3Config{AWS: cfg, Endpoint: strings.TrimRight(os.Getenv("S3_ENDPOINT"), "/")}, nil
}

func envRegion() string {
	if r := os.Getenv("AWS_REGION"); r != "" {
		return r
	}
	return os.Getenv("AWS_DEFAULT_REGION")
}

// S3Client is a configured S3 client from which [S3FS]s for any bucket are opened; they share
// its connections and credentials.
type S3Client struct {
	api         *s3.Client
	endpoint    string
	partSize    int64
	concurrency int
	pageSize    int32
}

// NewS3Client returns a client for cfg.
func NewS3Client(cfg S3Config) *S3Client {
	c := &S3Client{
		endpoint:    strings.TrimRight(cfg.Endpoint, "/"),
		partSize:    cfg.PartSize,
		concurrency: cfg.Concurrency,
		pageSize:    cfg.ListPageSize,
	}
	if c.partSize == 0 {
		c.partSize = DefaultPartSize
	}
	c.partSize = max(c.partSize, MinPartSize)
	if c.concurrency <= 0 {
		c.concurrency = DefaultConcurrency
	}
	awsCfg := cfg.AWS.Copy()
	if awsCfg.Region == "" {
		awsCfg.Region = DefaultRegion
	}
	c.api = s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if c.endpoint != "" {
			o.BaseEndpoint = aws.String(c.endpoint)
			o.UsePathStyle = true
		}
		// Blobs carry their own hashes; trailing checksums would only cost CPU and are
		// not understood by every S3-compatible server.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return c
}

// API returns the underlying SDK client, for operations outside [FS] (server-side copy, for
// example).
func (c *S3Client) API() *s3.Client { return c.api }

// Endpoint returns the configured endpoint, or "" for AWS.
func (c *S3Client) Endpoint() string { return c.endpoint }

// Open returns the FS of bucket under prefix ("" for the whole bucket). The bucket name is
// validated with [ValidBucket] and the prefix with [ValidPath]; no request is made.
func (c *S3Client) Open(bucket, prefix string) (*S3FS, error) {
	if err := ValidBucket(bucket); err != nil {
		return nil, err
	}
	prefix = strings.TrimSuffix(prefix, "/")
	if prefix != "" {
		if err := ValidPath(prefix); err != nil {
			return nil, fmt.Errorf("%w: prefix of s3://%s: %w", ErrBadRoot, bucket, err)
		}
		prefix += "/"
	}
	return &S3FS{c: c, bucket: bucket, prefix: prefix}, nil
}
