package db

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// S3FS is the [FS] of an S3 bucket, optionally under a key prefix.
//
//   - ETags are the server's: a quoted MD5 for single-request uploads, "<md5>-<parts>" for
//     multipart ones.
//   - ReadRange sends If-Match with the pinned ETag (412 maps to ErrETagChanged) and also
//     compares the ETag of the response, which catches servers that ignore If-Match.
//   - Put sends If-None-Match: * for IfAbsent and If-Match for IfMatch (412 and 409
//     ConditionalRequestConflict map to ErrPrecondition). Objects larger than the part size
//     are uploaded with a multipart upload whose completion carries the condition; a failed
//     upload is aborted.
//   - List uses ListObjectsV2 with StartAfter, following continuation tokens.
//
// S3 is strongly consistent for these operations: a completed Put is visible to every later
// Stat, Open and List.
type S3FS struct {
	c      *S3Client
	bucket string
	prefix string // "" or ending in '/'
}

// Bucket returns the bucket name.
func (f *S3FS) Bucket() string { return f.bucket }

// Prefix returns the key prefix of the root ("" or ending in '/').
func (f *S3FS) Prefix() string { return f.prefix }

// Client returns the client the FS was opened from; its Open gives other buckets with the same
// configuration.
func (f *S3FS) Client() *S3Client { return f.c }

// URL returns "s3://bucket" or "s3://bucket/prefix".
func (f *S3FS) URL() string {
	if f.prefix == "" {
		return "s3://" + f.bucket
	}
	return "s3://" + f.bucket + "/" + strings.TrimSuffix(f.prefix, "/")
}

// key returns the S3 key of path p.
func (f *S3FS) key(p string) string { return f.prefix + p }

// errKind selects how a status is read: a failed If-Match (412) on a read means the pinned
// object changed, on a write that the put's condition failed; a 404 on a put can only answer
// If-Match (S3 answers NoSuchKey when the object to match is absent), so it too is a failed
// condition.
type errKind uint8

const (
	readOp errKind = iota
	writeOp
	putOp
)

// pathErr wraps a failed request on p with the sentinel its status maps to.
func (f *S3FS) pathErr(op, p string, kind errKind, err error) error {
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	code := ""
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var sentinel error
	switch {
	case code == "NoSuchBucket":
		err = fmt.Errorf("bucket %s does not exist: %w", f.bucket, err)
	case status == 404 || code == "NoSuchKey" || code == "NotFound":
		sentinel = fs.ErrNotExist
		if kind == putOp {
			sentinel = ErrPrecondition
		}
	case status == 412 || code == "PreconditionFailed":
		sentinel = ErrPrecondition
		if kind == readOp {
			sentinel = ErrETagChanged
		}
	case status == 409 && code == "ConditionalRequestConflict":
		sentinel = ErrPrecondition
	case status == 416 || code == "InvalidRange":
		sentinel = ErrBadRange
	}
	if sentinel != nil {
		err = fmt.Errorf("%w: %w", sentinel, err)
	}
	return &fs.PathError{Op: op, Path: f.URL() + "/" + p, Err: err}
}

func (f *S3FS) badPath(op, p string, err error) error {
	return &fs.PathError{Op: op, Path: f.URL() + "/" + p, Err: err}
}

// List implements [FS.List] with ListObjectsV2.
func (f *S3FS) List(ctx context.Context, prefix, startAfter string, fn func(FileInfo) error) error {
	if err := validPrefix(prefix); err != nil {
		return f.badPath("list", prefix, err)
	}
	in := &s3.ListObjectsV2Input{Bucket: aws.String(f.bucket), Prefix: aws.String(f.key(prefix))}
	if startAfter != "" {
		in.StartAfter = aws.String(f.key(startAfter))
	}
	if f.c.pageSize > 0 {
		in.MaxKeys = aws.Int32(f.c.pageSize)
	}
	pages := s3.NewListObjectsV2Paginator(f.c.api, in)
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return f.pathErr("list", prefix, readOp, err)
		}
		for i := range out.Contents {
			o := &out.Contents[i]
			key := aws.ToString(o.Key)
			if !strings.HasPrefix(key, f.prefix) {
				continue
			}
			rel := key[len(f.prefix):]
			if rel <= startAfter || !strings.HasPrefix(rel, prefix) || ValidPath(rel) != nil {
				continue
			}
			info := FileInfo{Path: rel, Size: aws.ToInt64(o.Size), ETag: aws.ToString(o.ETag)}
			if o.LastModified != nil {
				info.ModTime = *o.LastModified
			}
			if err := fn(info); err != nil {
				return err
			}
		}
	}
	return nil
}

// Stat implements [FS.Stat] with HeadObject.
func (f *S3FS) Stat(ctx context.Context, p string) (FileInfo, error) {
	if err := ValidPath(p); err != nil {
		return FileInfo{}, f.badPath("stat", p, err)
	}
	out, err := f.c.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(f.key(p))})
	if err != nil {
		return FileInfo{}, f.pathErr("stat", p, readOp, err)
	}
	info := FileInfo{Path: p, Size: aws.ToInt64(out.ContentLength), ETag: aws.ToString(out.ETag)}
	if out.LastModified != nil {
		info.ModTime = *out.LastModified
	}
	return info, nil
}

// Open implements [FS.Open] with GetObject.
func (f *S3FS) Open(ctx context.Context, p string) (io.ReadCloser, FileInfo, error) {
	if err := ValidPath(p); err != nil {
		return nil, FileInfo{}, f.badPath("open", p, err)
	}
	out, err := f.c.api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(f.key(p))})
	if err != nil {
		return nil, FileInfo{}, f.pathErr("open", p, readOp, err)
	}
	info := FileInfo{Path: p, Size: aws.ToInt64(out.ContentLength), ETag: aws.ToString(out.ETag)}
	if out.LastModified != nil {
		info.ModTime = *out.LastModified
	}
	return out.Body, info, nil
}

// ReadRange implements [FS.ReadRange] with a ranged GetObject carrying If-Match.
func (f *S3FS) ReadRange(ctx context.Context, p, etag string, off, n int64) (io.ReadCloser, error) {
	if err := ValidPath(p); err != nil {
		return nil, f.badPath("read", p, err)
	}
	if off < 0 {
		return nil, f.badPath("read", p, fmt.Errorf("%w: negative offset %d", ErrBadRange, off))
	}
	if n == 0 {
		info, err := f.Stat(ctx, p)
		if err != nil {
			return nil, err
		}
		if info.ETag != etag {
			return nil, f.badPath("read", p, fmt.Errorf("%w: want %s, have %s", ErrETagChanged, etag, info.ETag))
		}
		return io.NopCloser(bytes.NewReader(nil)), nil
	}
	rng := fmt.Sprintf("bytes=%d-", off)
	if n > 0 {
		rng = fmt.Sprintf("bytes=%d-%d", off, off+n-1)
	}
	out, err := f.c.api.GetObject(ctx, &s3.GetObjectInput{
		Bucket:  aws.String(f.bucket),
		Key:     aws.String(f.key(p)),
		Range:   aws.String(rng),
		IfMatch: aws.String(etag),
	})
	if err != nil {
		return nil, f.pathErr("read", p, readOp, err)
	}
	if got := aws.ToString(out.ETag); got != etag {
		// A server that ignores If-Match still tells which version it sent.
		out.Body.Close()
		return nil, f.badPath("read", p, fmt.Errorf("%w: want %s, have %s", ErrETagChanged, etag, got))
	}
	body := out.Body
	if out.ContentRange == nil {
		// The server ignored the range and sent the whole object (some do for small
		// objects): skip to the offset ourselves.
		size := aws.ToInt64(out.ContentLength)
		if off >= size {
			body.Close()
			return nil, f.badPath("read", p, fmt.Errorf("%w: offset %d of %d bytes", ErrBadRange, off, size))
		}
		if _, err := io.CopyN(io.Discard, body, off); err != nil {
			body.Close()
			return nil, f.pathErr("read", p, readOp, err)
		}
	}
	if n < 0 {
		return body, nil
	}
	return &limitedBody{Reader: io.LimitReader(body, n), c: body}, nil
}

type limitedBody struct {
	io.Reader
	c io.Closer
}

func (l *limitedBody) Close() error { return l.c.Close() }

// Delete implements [FS.Delete] with DeleteObject.
func (f *S3FS) Delete(ctx context.Context, p string) error {
	if err := ValidPath(p); err != nil {
		return f.badPath("delete", p, err)
	}
	_, err := f.c.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(f.key(p))})
	if err != nil {
		err = f.pathErr("delete", p, writeOp, err)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	return nil
}
