package deploytest

import (
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrBadIndexKey reports an index key that snellerd and sdb would refuse.
var ErrBadIndexKey = errors.New("index key is not the std base64 of exactly 32 bytes")

// CheckIndexKey verifies what the binaries require of SNELLER_INDEX_KEY: standard base64
// (with padding) that decodes to exactly 32 bytes.
func CheckIndexKey(key string) error {
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil {
		return fmt.Errorf("%w: %q: %w", ErrBadIndexKey, key, err)
	}
	if len(raw) != 32 {
		return fmt.Errorf("%w: %q decodes to %d bytes", ErrBadIndexKey, key, len(raw))
	}
	return nil
}
