package db

import (
	"fmt"
	"net/netip"
	"strings"
)

// ValidBucket checks an S3 bucket name by the rules the original enforces: 3 to 63 characters
// of lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, no two
// adjacent '.', not formatted as an IPv4 address, no "xn--" prefix and no "-s3alias" or
// "--ol-s3" suffix. The error wraps [ErrBadRoot].
func ValidBucket(name string) error {
	bad := func(why string) error {
		return fmt.Errorf("%w: bucket name %q: %s", ErrBadRoot, name, why)
	}
	if len(name) < 3 || len(name) > 63 {
		return bad("must be 3 to 63 characters long")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' || c == '.':
			if i == 0 || i == len(name)-1 {
				return bad("must start and end with a lowercase letter or digit")
			}
			if c == '.' && name[i-1] == '.' {
				return bad("must not contain two adjacent '.'")
			}
		default:
			return bad(fmt.Sprintf("invalid character %q (only a-z, 0-9, '-' and '.')", c))
		}
	}
	if strings.HasPrefix(name, "xn--") {
		return bad(`must not start with "xn--"`)
	}
	if strings.HasSuffix(name, "-s3alias") || strings.HasSuffix(name, "--ol-s3") {
		return bad(`must not end with "-s3alias" or "--ol-s3"`)
	}
	if a, err := netip.ParseAddr(name); err == nil && a.Is4() {
		return bad("must not be an IP address")
	}
	return nil
}
