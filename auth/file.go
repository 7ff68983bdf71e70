package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"
)

// maxFileSize bounds a token file.
const maxFileSize = 8 << 20

// reloadInterval is how often a FileProvider checks its file for changes.
const reloadInterval = time.Second

// tokenFile is the token file's format:
//
//	{"tenants": [
//	  {"id": "acme", "root": "s3://acme-data", "index_key": "<base64>", "max_scan_bytes": 0,
//	   "s3": {...}, "tokens": ["..."], "token_sha256": ["<hex>"]}
//	]}
//
// Each token (given in clear in "tokens", or as the hex SHA-256 of the token in
// "token_sha256", so that the file need not hold the secrets themselves) grants one tenant.
// The original daemon's form, one identity document with "allowed_tokens", is accepted too;
// unlike the original, a file without any token is an error rather than accepting every token.
type tokenFile struct {
	Tenants []fileTenant `json:"tenants"`
}

type fileTenant struct {
	Identity
	Tokens      []string `json:"tokens,omitempty"`
	TokenSHA256 []string `json:"token_sha256,omitempty"`
}

// FileProvider authorizes tokens listed in a JSON file. The file is checked for changes at
// most once a second and re-read when its size or modification time changes; a new version
// that does not load is logged and the previous one stays in force.
type FileProvider struct {
	path  string
	roots *Roots
	log   *slog.Logger
	now   func() time.Time

	mu        sync.Mutex
	table     *tokenTable
	size      int64
	modTime   time.Time
	lastCheck time.Time
}

// NewFileProvider loads the token file at path. roots opens the tenants' roots; log receives
// reload failures (nil: slog.Default()).
func NewFileProvider(ctx context.Context, path string, roots *Roots, log *slog.Logger) (*FileProvider, error) {
	if roots == nil {
		roots = &Roots{}
	}
	if log == nil {
		log = slog.Default()
	}
	p := &FileProvider{path: path, roots: roots, log: log, now: time.Now}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: token file: %w", ErrConfig, err)
	}
	t, err := p.load(ctx)
	if err != nil {
		return nil, err
	}
	p.table, p.size, p.modTime, p.lastCheck = t, fi.Size(), fi.ModTime(), p.now()
	return p, nil
}

// Authorize implements Provider.
func (p *FileProvider) Authorize(ctx context.Context, token string) (*Tenant, error) {
	t := p.current(ctx)
	if tn := t.lookup(token); tn != nil {
		return tn, nil
	}
	return nil, ErrRejected
}

// current returns the token table, reloading the file when it changed.
func (p *FileProvider) current(ctx context.Context) *tokenTable {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if now.Sub(p.lastCheck) < reloadInterval {
		return p.table
	}
	p.lastCheck = now
	fi, err := os.Stat(p.path)
	if err != nil {
		p.log.Error("token file unreadable; keeping the tokens loaded before", "file", p.path, "error", err)
		return p.table
	}
	if fi.Size() == p.size && fi.ModTime().Equal(p.modTime) {
		return p.table
	}
	t, err := p.load(ctx)
	if err != nil {
		p.log.Error("token file changed but does not load; keeping the tokens loaded before", "file", p.path, "error", err)
		// do not retry the same broken version on every request
		p.size, p.modTime = fi.Size(), fi.ModTime()
		return p.table
	}
	p.table, p.size, p.modTime = t, fi.Size(), fi.ModTime()
	p.log.Info("token file reloaded", "file", p.path, "tokens", len(t.entries))
	return p.table
}

// load reads and validates the file.
func (p *FileProvider) load(ctx context.Context) (*tokenTable, error) {
	f, err := os.Open(p.path)
	if err != nil {
		return nil, fmt.Errorf("%w: token file: %w", ErrConfig, err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxFileSize+1)); err != nil {
		return nil, fmt.Errorf("%w: token file %s: %w", ErrConfig, p.path, err)
	}
	if buf.Len() > maxFileSize {
		return nil, fmt.Errorf("%w: token file %s is larger than %d bytes", ErrConfig, p.path, maxFileSize)
	}
	return parseTokenFile(ctx, p.path, buf.Bytes(), p.roots, p.now())
}

// parseTokenFile decodes a token file in either form and opens the tenants' roots.
func parseTokenFile(ctx context.Context, name string, b []byte, roots *Roots, now time.Time) (*tokenTable, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, jsonError(name, b, err)
	}
	var tenants []fileTenant
	if isLegacy(fields) {
		allowed, ok := fields["allowed_tokens"]
		if !ok {
			return nil, fmt.Errorf("%w: %s: no \"allowed_tokens\": the original daemon accepted every token then; list the accepted tokens", ErrConfig, name)
		}
		var toks []string
		if err := json.Unmarshal(allowed, &toks); err != nil {
			return nil, fmt.Errorf("%w: %s: \"allowed_tokens\" must be a list of strings: %w", ErrConfig, name, err)
		}
		delete(fields, "allowed_tokens")
		rest, _ := json.Marshal(fields)
		id, err := DecodeIdentity(name, rest, now)
		if err != nil {
			return nil, err
		}
		tenants = []fileTenant{{Identity: id, Tokens: toks}}
	} else {
		var tf tokenFile
		if err := strictUnmarshal(b, &tf); err != nil {
			return nil, jsonError(name, b, err)
		}
		tenants = tf.Tenants
	}
	if len(tenants) == 0 {
		return nil, fmt.Errorf("%w: %s: no tenants", ErrConfig, name)
	}
	t := &tokenTable{}
	ids := map[string]bool{}
	for i := range tenants {
		ft := &tenants[i]
		label := fmt.Sprintf("%s: tenants[%d]", name, i)
		if ids[ft.ID] {
			return nil, fmt.Errorf("%w: %s: tenant %q appears twice", ErrConfig, label, ft.ID)
		}
		ids[ft.ID] = true
		tn, err := ft.Identity.Tenant(ctx, label, roots)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, tok := range ft.Tokens {
			if tok == "" {
				return nil, fmt.Errorf("%w: %s: tenant %q has an empty token", ErrConfig, label, ft.ID)
			}
			if err := t.add(Digest(tok), tn); err != nil {
				return nil, fmt.Errorf("%s: %w", label, err)
			}
			n++
		}
		for _, h := range ft.TokenSHA256 {
			d, err := ParseDigest(h)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", label, err)
			}
			if err := t.add(d, tn); err != nil {
				return nil, fmt.Errorf("%s: %w", label, err)
			}
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("%w: %s: tenant %q has no token", ErrConfig, label, ft.ID)
		}
	}
	return t, nil
}
