// Package auth owns the bearer-token providers of snellerd and the tenants they resolve to.
//
// A [Provider] turns the token a client presents into a [Tenant]: the storage root the tenant's
// queries read, the key that signs the tenant's table indexes, and the tenant's scan limit.
// Three providers exist, chosen by the daemon's -a flag through [Parse]:
//
//   - the environment ([NewEnvProvider]): one tenant, tokens from SNELLER_TOKEN (several,
//     comma-separated, so a token can be rotated without downtime);
//   - a JSON file ([NewFileProvider]): several tenants, each with its tokens, root, index key
//     and scan limit; the file is re-read when it changes;
//   - an HTTP(S) webhook ([NewWebhookProvider]): the token is sent to the webhook, which
//     answers with the tenant's identity; answers are cached for a short time.
//
// Tokens are compared in constant time (as SHA-256 digests, so that neither their content nor
// their length leaks through timing), are never logged, and never appear in an error message.
// Errors that mean "this token is not accepted" wrap [ErrRejected]; any other error means the
// provider could not decide (a webhook that is down, for example).
package auth
