package auth

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// ParseIndexKey decodes an index key: the standard base64 encoding (padded or not) of
// exactly 32 bytes, as in SNELLER_INDEX_KEY. The error never repeats the key.
func ParseIndexKey(s string) (*[32]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("%w: empty index key", ErrConfig)
	}
	enc := base64.StdEncoding
	if !strings.HasSuffix(s, "=") && len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: index key is not standard base64 (%d characters)", ErrConfig, len(s))
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("%w: index key decodes to %d bytes, want exactly 32 (generate one with `head -c 32 /dev/urandom | base64`)", ErrConfig, len(b))
	}
	var k [32]byte
	copy(k[:], b)
	return &k, nil
}
