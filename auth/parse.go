package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sneller-re/sneller/db"
)

// Options configure Parse.
type Options struct {
	// Getenv reads the environment (os.Getenv in the daemon).
	Getenv func(string) string
	// Root is the daemon's root (-root or SNELLER_BUCKET), the environment provider's root.
	Root db.FS
	// Roots opens the roots named by token files and webhooks (nil: a new Roots).
	Roots *Roots
	// HTTPClient calls webhooks (nil: a client with a 10 s timeout).
	HTTPClient *http.Client
	// WebhookTTL is how long a webhook's answer is reused (0: DefaultWebhookTTL).
	WebhookTTL time.Duration
	// Logger receives token-file reload messages (nil: slog.Default()).
	Logger *slog.Logger
}

// Parse chooses the provider named by spec (the daemon's -a flag):
//
//	""                      the environment (NewEnvProvider)
//	http://... https://...  a webhook (NewWebhookProvider)
//	file://path, path       a token file (NewFileProvider)
func Parse(ctx context.Context, spec string, opt Options) (Provider, error) {
	if opt.Roots == nil {
		opt.Roots = &Roots{}
	}
	switch {
	case spec == "":
		if opt.Getenv == nil {
			return nil, fmt.Errorf("%w: no environment", ErrConfig)
		}
		return NewEnvProvider(opt.Getenv, opt.Root)
	case strings.HasPrefix(spec, "http://"), strings.HasPrefix(spec, "https://"):
		return NewWebhookProvider(spec, opt.HTTPClient, opt.WebhookTTL, opt.Roots)
	default:
		return NewFileProvider(ctx, strings.TrimPrefix(spec, "file://"), opt.Roots, opt.Logger)
	}
}
