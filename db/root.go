package db

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// OpenRoot opens the storage root named by spec:
//
//	""                    the current directory
//	s3://bucket[/prefix]  an S3 bucket, configured from the environment (see LoadS3Config)
//	file:///abs/path      a local directory (file://rel/path is relative to the working directory)
//	anything else         a local directory path
//
// A local directory must exist. No request is made to S3.
func OpenRoot(ctx context.Context, spec string) (FS, error) {
	switch {
	case strings.HasPrefix(spec, "s3://"):
		bucket, prefix, err := ParseS3URL(spec)
		if err != nil {
			return nil, err
		}
		cfg, err := LoadS3Config(ctx)
		if err != nil {
			return nil, err
		}
		return NewS3Client(cfg).Open(bucket, prefix)
	case strings.HasPrefix(spec, "file://"):
		spec = strings.TrimPrefix(spec, "file://")
		if spec == "" {
			return nil, fmt.Errorf("%w %q: empty path", ErrBadRoot, "file://")
		}
	case strings.Contains(spec, "://"):
		return nil, fmt.Errorf("%w %q: unknown scheme (want s3:// or file://)", ErrBadRoot, spec)
	case spec == "":
		spec = "."
	}
	return OpenDir(filepath.FromSlash(spec))
}

// ParseS3URL splits "s3://bucket[/key]" into the validated bucket name and the key (which may
// be empty; a trailing '/' is removed).
func ParseS3URL(u string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(u, "s3://")
	if !ok {
		return "", "", fmt.Errorf("%w %q: not an s3:// URL", ErrBadRoot, u)
	}
	bucket, key, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", fmt.Errorf("%w %q: no bucket", ErrBadRoot, u)
	}
	if err := ValidBucket(bucket); err != nil {
		return "", "", fmt.Errorf("%q: %w", u, err)
	}
	return bucket, strings.TrimSuffix(key, "/"), nil
}

// Resolver is implemented by an FS that resolves input pattern URLs itself; wrappers (such as
// the fault injector of package dbtest) implement it to delegate to the FS they wrap.
type Resolver interface {
	ResolvePattern(ctx context.Context, url string) (FS, *Pattern, error)
}

// ResolvePattern resolves the pattern URL of a definition input against the root: it returns
// the FS that holds the matching objects and the compiled pattern of their keys within it.
//
//	s3://bucket/keys...    that bucket, opened with the root's S3 configuration (or, under a
//	                       local root, the environment's); keys relative to the bucket
//	file://rel/keys...     the root itself, which must be local; keys relative to it
//	file:///abs/keys...    under a local root: the root if the path is inside it, otherwise the
//	                       directory of the pattern's leading literal segments
//
// Errors wrap [ErrBadPattern] (or [ErrBadRoot] for a bad bucket).
func ResolvePattern(ctx context.Context, root FS, url string) (FS, *Pattern, error) {
	if r, ok := root.(Resolver); ok {
		return r.ResolvePattern(ctx, url)
	}
	switch rt := root.(type) {
	case *S3FS:
		return resolveS3(ctx, rt.Client(), rt, url)
	case *DirFS:
		return rt.resolve(ctx, url)
	}
	return nil, nil, fmt.Errorf("%w %q: root %s cannot resolve patterns", ErrBadPattern, url, root.URL())
}

// splitPatternURL returns the scheme ("s3" or "file") and the rest of a pattern URL.
func splitPatternURL(url string) (scheme, rest string, err error) {
	if rest, ok := strings.CutPrefix(url, "s3://"); ok {
		return "s3", rest, nil
	}
	if rest, ok := strings.CutPrefix(url, "file://"); ok {
		return "file", rest, nil
	}
	return "", "", fmt.Errorf("%w %q: want s3://bucket/... or file://...", ErrBadPattern, url)
}

// resolveS3 resolves an s3:// pattern with client c; same, if not nil, is returned when the
// pattern names its bucket at the top.
func resolveS3(ctx context.Context, c *S3Client, same *S3FS, url string) (FS, *Pattern, error) {
	scheme, rest, err := splitPatternURL(url)
	if err != nil {
		return nil, nil, err
	}
	if scheme != "s3" {
		return nil, nil, fmt.Errorf("%w %q: an S3 root takes s3:// patterns only", ErrBadPattern, url)
	}
	bucket, keys, _ := strings.Cut(rest, "/")
	if err := ValidBucket(bucket); err != nil {
		return nil, nil, fmt.Errorf("pattern %q: %w", url, err)
	}
	pat, err := CompilePattern(keys)
	if err != nil {
		return nil, nil, err
	}
	if same != nil && same.bucket == bucket && same.prefix == "" {
		return same, pat, nil
	}
	if c == nil {
		cfg, err := LoadS3Config(ctx)
		if err != nil {
			return nil, nil, err
		}
		c = NewS3Client(cfg)
	}
	f, err := c.Open(bucket, "")
	if err != nil {
		return nil, nil, err
	}
	return f, pat, nil
}

func (d *DirFS) resolve(ctx context.Context, url string) (FS, *Pattern, error) {
	scheme, rest, err := splitPatternURL(url)
	if err != nil {
		return nil, nil, err
	}
	if scheme == "s3" {
		return resolveS3(ctx, nil, nil, url)
	}
	if !strings.HasPrefix(rest, "/") {
		pat, err := CompilePattern(rest)
		if err != nil {
			return nil, nil, err
		}
		return d, pat, nil
	}
	// An absolute path: relative to the root when inside it.
	root := filepath.ToSlash(d.dir)
	if inside, ok := strings.CutPrefix(rest, strings.TrimSuffix(root, "/")+"/"); ok {
		pat, err := CompilePattern(inside)
		if err != nil {
			return nil, nil, err
		}
		return d, pat, nil
	}
	// Otherwise open the directory of the leading literal segments (those without any
	// special character) and match the rest within it.
	segs := strings.Split(rest[1:], "/")
	n := 0
	for n < len(segs)-1 && !strings.ContainsAny(segs[n], `*?[{\`) {
		n++
	}
	pat, err := CompilePattern(strings.Join(segs[n:], "/"))
	if err != nil {
		return nil, nil, err
	}
	if _, err := CompilePattern(rest[1:]); err != nil {
		return nil, nil, err // e.g. ".." among the directory segments
	}
	dir, err := OpenDir(filepath.FromSlash("/" + strings.Join(segs[:n], "/")))
	if err != nil {
		return nil, nil, fmt.Errorf("pattern %q: %w", url, err)
	}
	return dir, pat, nil
}
