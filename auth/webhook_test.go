package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hook is a webhook test server: tokens maps a token to the identity document it answers.
type hook struct {
	dir    string
	calls  atomic.Int64
	status atomic.Int64 // non-zero: answer this status
	delay  time.Duration
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.calls.Add(1)
	if h.delay > 0 {
		time.Sleep(h.delay)
	}
	if s := h.status.Load(); s != 0 {
		w.WriteHeader(int(s))
		w.Write([]byte("backend trouble"))
		return
	}
	if r.Header.Get("Accept") != "application/json" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	switch r.Header.Get("Authorization") {
	case "Bearer good":
		w.Write([]byte(`{"id":"acme","root":"` + h.dir + `","index_key":"` + testKey + `","max_scan_bytes":5}`))
	case "Bearer legacy":
		w.Write([]byte(`{"TenantID":"old","Region":"us-east-1","IndexKey":"` + testKey + `","SnellerBucket":"s3://bucket",
		"Credentials":{"BaseURI":"http://127.0.0.1:1","AccessKeyID":"AK","SecretAccessKey":"SK"}}`))
	case "Bearer garbage":
		w.Write([]byte(`{"id":`))
	default:
		w.WriteHeader(http.StatusUnauthorized)
	}
}

func newHook(t *testing.T) (*hook, *WebhookProvider, *time.Time) {
	h := &hook{dir: t.TempDir()}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	p, err := NewWebhookProvider(srv.URL+"/auth", nil, time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Now()
	p.now = func() time.Time { return clock }
	return h, p, &clock
}

func TestWebhook(t *testing.T) {
	h, p, clock := newHook(t)
	ctx := context.Background()
	tn, err := p.Authorize(ctx, "good")
	if err != nil {
		t.Fatal(err)
	}
	if tn.ID != "acme" || tn.MaxScanBytes != 5 || !strings.HasSuffix(tn.Root.URL(), h.dir) {
		t.Fatalf("tenant = %+v", tn)
	}
	tn, err = p.Authorize(ctx, "legacy")
	if err != nil || tn.ID != "old" || tn.Root.URL() != "s3://bucket" {
		t.Fatalf("legacy: %+v, %v", tn, err)
	}
	if _, err := p.Authorize(ctx, "nope"); !errors.Is(err, ErrRejected) {
		t.Fatalf("unknown token: %v", err)
	}
	_, err = p.Authorize(ctx, "garbage")
	if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrRejected) {
		t.Fatalf("malformed answer: %v", err)
	}
	if _, err := p.Authorize(ctx, ""); !errors.Is(err, ErrRejected) {
		t.Fatalf("empty token: %v", err)
	}

	// cached: no new call within the TTL
	n := h.calls.Load()
	for i := 0; i < 5; i++ {
		if _, err := p.Authorize(ctx, "good"); err != nil {
			t.Fatal(err)
		}
	}
	if h.calls.Load() != n {
		t.Fatalf("%d calls for cached answers", h.calls.Load()-n)
	}
	// after the TTL the webhook is asked again, and its failure is not cached
	*clock = clock.Add(2 * time.Minute)
	h.status.Store(http.StatusBadGateway)
	_, err = p.Authorize(ctx, "good")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "502") {
		t.Fatalf("webhook down: %v", err)
	}
	h.status.Store(0)
	if _, err := p.Authorize(ctx, "good"); err != nil {
		t.Fatalf("webhook back: %v", err)
	}
	// a rejection is remembered only briefly
	h.status.Store(http.StatusForbidden)
	*clock = clock.Add(2 * time.Minute)
	if _, err := p.Authorize(ctx, "good"); !errors.Is(err, ErrRejected) {
		t.Fatalf("revoked: %v", err)
	}
	h.status.Store(0)
	*clock = clock.Add(rejectTTL + time.Millisecond)
	if _, err := p.Authorize(ctx, "good"); err != nil {
		t.Fatalf("restored: %v", err)
	}
}

func TestWebhookUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	p, err := NewWebhookProvider(url, &http.Client{Timeout: time.Second}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Authorize(context.Background(), "secret-token-value")
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "secret-token-value") {
		t.Fatalf("error shows the token: %v", err)
	}
}

func TestWebhookSharesConcurrentCalls(t *testing.T) {
	h, p, _ := newHook(t)
	h.delay = 100 * time.Millisecond
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = p.Authorize(context.Background(), "good")
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if c := h.calls.Load(); c != 1 {
		t.Fatalf("%d webhook calls for 8 concurrent requests with one token", c)
	}
}

func TestWebhookBadURL(t *testing.T) {
	if _, err := NewWebhookProvider("ftp://x", nil, 0, nil); !errors.Is(err, ErrConfig) {
		t.Fatal(err)
	}
}
