package db

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// abortTimeout bounds the AbortMultipartUpload sent after a failed upload, which runs even when
// the caller's context has ended.
const abortTimeout = 30 * time.Second

// Put implements [FS.Put]. Content of at most the part size is sent with one PutObject;
// larger content with a multipart upload of parts uploaded concurrently.
func (f *S3FS) Put(ctx context.Context, p string, r io.Reader, cond Cond) (string, error) {
	if err := ValidPath(p); err != nil {
		return "", f.badPath("put", p, err)
	}
	// Buffer up to one byte more than a part: small content goes in one request, and the
	// buffer grows with the content rather than being a part's size for every Put.
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, &ctxReader{ctx: ctx, r: r}, f.c.partSize+1)
	if err != nil && err != io.EOF {
		return "", f.badPath("put", p, fmt.Errorf("read content: %w", err))
	}
	data := buf.Bytes()
	if n <= f.c.partSize {
		return f.putSingle(ctx, p, data, cond)
	}
	rest := io.MultiReader(bytes.NewReader(data[f.c.partSize:]), &ctxReader{ctx: ctx, r: r})
	return f.putMultipart(ctx, p, data[:f.c.partSize:f.c.partSize], rest, cond)
}

// applyCond sets the conditional headers of a write.
func applyCond(cond Cond, ifNoneMatch, ifMatch **string) {
	switch cond.kind {
	case condAbsent:
		*ifNoneMatch = aws.String("*")
	case condMatch:
		*ifMatch = aws.String(cond.etag)
	}
}

func (f *S3FS) putSingle(ctx context.Context, p string, data []byte, cond Cond) (string, error) {
	in := &s3.PutObjectInput{
		Bucket:        aws.String(f.bucket),
		Key:           aws.String(f.key(p)),
		Body:          bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))),
	}
	applyCond(cond, &in.IfNoneMatch, &in.IfMatch)
	out, err := f.c.api.PutObject(ctx, in)
	if err != nil {
		return "", f.pathErr("put", p, putOp, err)
	}
	etag := aws.ToString(out.ETag)
	if etag == "" {
		return "", f.badPath("put", p, errors.New("server returned no ETag"))
	}
	return etag, nil
}

// putMultipart uploads first and then the rest of r as the parts of a multipart upload.
func (f *S3FS) putMultipart(ctx context.Context, p string, first []byte, r io.Reader, cond Cond) (string, error) {
	key := aws.String(f.key(p))
	created, err := f.c.api.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(f.bucket), Key: key})
	if err != nil {
		return "", f.pathErr("put", p, putOp, err)
	}
	id := created.UploadId
	abort := func() {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
		defer cancel()
		f.c.api.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: aws.String(f.bucket), Key: key, UploadId: id})
	}
	parts, total, err := f.uploadParts(ctx, key, id, first, r)
	if err != nil {
		abort()
		return "", f.pathErr("put", p, putOp, err)
	}
	in := &s3.CompleteMultipartUploadInput{
		Bucket:          aws.String(f.bucket),
		Key:             key,
		UploadId:        id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	}
	applyCond(cond, &in.IfNoneMatch, &in.IfMatch)
	out, err := f.c.api.CompleteMultipartUpload(ctx, in)
	if err != nil {
		abort()
		return "", f.pathErr("put", p, putOp, err)
	}
	etag := aws.ToString(out.ETag)
	if etag == "" {
		return "", f.badPath("put", p, errors.New("server returned no ETag"))
	}
	return f.settledETag(ctx, p, etag, total), nil
}

// settledETag returns the ETag that reads of a just completed multipart upload will see. S3
// reports the same "<md5>-<parts>" on completion and on reads, but some S3-compatible servers
// (gofakes3) report the MD5 of the whole object on reads. A HeadObject with If-Match tells them
// apart: S3 answers it (or 412 if somebody overwrote the object meanwhile, in which case the
// completion ETag stands); a server that reports another ETag of an object of the size just
// written is one of those, and its read ETag is the one readers will be pinned to.
func (f *S3FS) settledETag(ctx context.Context, p, etag string, size int64) string {
	out, err := f.c.api.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket:  aws.String(f.bucket),
		Key:     aws.String(f.key(p)),
		IfMatch: aws.String(etag),
	})
	if err != nil {
		return etag
	}
	if got := aws.ToString(out.ETag); got != "" && got != etag && aws.ToInt64(out.ContentLength) == size {
		return got
	}
	return etag
}

// uploadParts uploads first as part 1 and the rest of r in parts of the part size, with up to
// the configured number of uploads in flight, and returns the completed parts in order and the
// number of bytes uploaded.
func (f *S3FS) uploadParts(ctx context.Context, key, id *string, first []byte, r io.Reader) ([]types.CompletedPart, int64, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	size := f.c.partSize
	// Buffers circulate through free: at most concurrency are being uploaded and one filled.
	free := make(chan []byte, f.c.concurrency+1)
	for range f.c.concurrency {
		free <- make([]byte, size)
	}
	var (
		mu    sync.Mutex
		parts []types.CompletedPart
		wg    sync.WaitGroup
	)
	upload := func(num int32, buf []byte, data []byte) {
		defer wg.Done()
		out, err := f.c.api.UploadPart(ctx, &s3.UploadPartInput{
			Bucket:        aws.String(f.bucket),
			Key:           key,
			UploadId:      id,
			PartNumber:    aws.Int32(num),
			Body:          bytes.NewReader(data),
			ContentLength: aws.Int64(int64(len(data))),
		})
		if err != nil {
			cancel(fmt.Errorf("upload part %d: %w", num, err))
		} else {
			mu.Lock()
			parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num)})
			mu.Unlock()
		}
		free <- buf
	}
	total := int64(len(first))
	wg.Add(1)
	go upload(1, first, first)
	var readErr error
	for num := int32(2); ; num++ {
		var buf []byte
		select {
		case buf = <-free:
		case <-ctx.Done():
		}
		if buf == nil {
			break
		}
		m, err := io.ReadFull(r, buf)
		if m > 0 {
			if num > MaxParts {
				readErr = fmt.Errorf("%w: more than %d parts of %d bytes", ErrTooLarge, MaxParts, size)
				break
			}
			total += int64(m)
			wg.Add(1)
			go upload(num, buf, buf[:m])
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			readErr = fmt.Errorf("read content: %w", err)
			break
		}
		if err := ctx.Err(); err != nil {
			break
		}
	}
	wg.Wait()
	if readErr != nil {
		return nil, 0, readErr
	}
	if err := context.Cause(ctx); err != nil {
		return nil, 0, err
	}
	sortParts(parts)
	return parts, total, nil
}

func sortParts(parts []types.CompletedPart) {
	slices.SortFunc(parts, func(a, b types.CompletedPart) int {
		return int(aws.ToInt32(a.PartNumber)) - int(aws.ToInt32(b.PartNumber))
	})
}
