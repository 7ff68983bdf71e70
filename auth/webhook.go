package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Webhook defaults.
const (
	// DefaultWebhookTTL is how long a webhook's answer for a token is reused.
	DefaultWebhookTTL = 30 * time.Second
	// rejectTTL is how long a rejection is remembered (short: a token may become valid).
	rejectTTL = 2 * time.Second
	// maxWebhookBody bounds the webhook's answer.
	maxWebhookBody = 1 << 20
	// maxCached bounds the cached answers.
	maxCached = 10000
)

// WebhookProvider asks an HTTP(S) endpoint about each token: it sends
// `GET <url>` with `Authorization: Bearer <token>` and `Accept: application/json`, and expects
// 200 with an identity document (see Identity; the original daemon's form is accepted).
// 401, 403 and 404 reject the token; any other answer, or no answer, is ErrUnavailable.
// Answers are cached, keyed by the token's digest, for the TTL (rejections for two seconds),
// and concurrent requests with the same token share one call.
type WebhookProvider struct {
	url    string
	client *http.Client
	ttl    time.Duration
	roots  *Roots
	now    func() time.Time

	mu       sync.Mutex
	cache    map[TokenDigest]webhookAnswer
	inflight map[TokenDigest]*webhookCall
}

type webhookAnswer struct {
	tenant  *Tenant
	err     error
	expires time.Time
}

type webhookCall struct {
	done chan struct{}
	ans  webhookAnswer
}

// NewWebhookProvider returns a provider asking url. client nil means a client with a 10 s
// timeout; ttl 0 means DefaultWebhookTTL.
func NewWebhookProvider(url string, client *http.Client, ttl time.Duration, roots *Roots) (*WebhookProvider, error) {
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return nil, fmt.Errorf("%w: webhook %q is not an http:// or https:// URL", ErrConfig, url)
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	if ttl <= 0 {
		ttl = DefaultWebhookTTL
	}
	if roots == nil {
		roots = &Roots{}
	}
	return &WebhookProvider{url: url, client: client, ttl: ttl, roots: roots, now: time.Now,
		cache: map[TokenDigest]webhookAnswer{}, inflight: map[TokenDigest]*webhookCall{}}, nil
}

// Authorize implements Provider.
func (p *WebhookProvider) Authorize(ctx context.Context, token string) (*Tenant, error) {
	if token == "" {
		return nil, ErrRejected
	}
	d := Digest(token)
	p.mu.Lock()
	if a, ok := p.cache[d]; ok && p.now().Before(a.expires) {
		p.mu.Unlock()
		return a.tenant, a.err
	}
	if c, ok := p.inflight[d]; ok {
		p.mu.Unlock()
		select {
		case <-c.done:
			return c.ans.tenant, c.ans.err
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %w", ErrUnavailable, ctx.Err())
		}
	}
	c := &webhookCall{done: make(chan struct{})}
	p.inflight[d] = c
	p.mu.Unlock()

	// The call is shared: it must not be cancelled by the first caller going away.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.client.Timeout+time.Second)
	tn, err := p.ask(cctx, token)
	cancel()
	c.ans = webhookAnswer{tenant: tn, err: err}

	p.mu.Lock()
	delete(p.inflight, d)
	switch {
	case err == nil:
		c.ans.expires = p.now().Add(p.ttl)
	case isRejected(err):
		c.ans.expires = p.now().Add(rejectTTL)
	}
	if !c.ans.expires.IsZero() {
		if len(p.cache) >= maxCached {
			p.prune()
		}
		p.cache[d] = c.ans
	}
	p.mu.Unlock()
	close(c.done)
	return tn, err
}

func isRejected(err error) bool { return errors.Is(err, ErrRejected) }

// prune drops expired answers, and everything if that is not enough. Called with mu held.
func (p *WebhookProvider) prune() {
	now := p.now()
	for k, a := range p.cache {
		if !now.Before(a.expires) {
			delete(p.cache, k)
		}
	}
	if len(p.cache) >= maxCached {
		clear(p.cache)
	}
}

// ask makes the webhook call.
func (p *WebhookProvider) ask(ctx context.Context, token string) (*Tenant, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: webhook %s: %w", ErrConfig, p.url, err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: webhook %s: %w", ErrUnavailable, p.url, scrub(err, token))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxWebhookBody+1))
	if err != nil {
		return nil, fmt.Errorf("%w: webhook %s: reading the answer: %w", ErrUnavailable, p.url, err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return nil, fmt.Errorf("%w: webhook answered %d", ErrRejected, resp.StatusCode)
	default:
		return nil, fmt.Errorf("%w: webhook %s answered %d (%s)", ErrUnavailable, p.url, resp.StatusCode, snippet(body))
	}
	if len(body) > maxWebhookBody {
		return nil, fmt.Errorf("%w: webhook %s: answer larger than %d bytes", ErrUnavailable, p.url, maxWebhookBody)
	}
	id, err := DecodeIdentity("webhook "+p.url, body, p.now())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	tn, err := id.Tenant(ctx, "webhook "+p.url, p.roots)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return tn, nil
}

// snippet returns the start of a body for an error message.
func snippet(b []byte) string {
	const n = 200
	s := strings.ToValidUTF8(string(b), "?")
	if len(s) > n {
		s = s[:n] + "..."
	}
	return strings.TrimSpace(s)
}

// scrub removes the token from an error's text, should a transport ever include a header.
func scrub(err error, token string) error {
	if token != "" && strings.Contains(err.Error(), token) {
		return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), token, "<token>"))
	}
	return err
}
