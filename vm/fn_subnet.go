package vm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// IS_SUBNET_OF('a.b.c.d/n', s) is TRUE when the string s is an IPv4 address in the CIDR block
// a.b.c.d/n; IS_SUBNET_OF('lo', 'hi', s) when it is in the inclusive range lo..hi. The range
// must be constant. Address components are decimal (leading zeros allowed: '128.001.002.005'
// is 128.1.2.5). A string that is not an IPv4 address gives FALSE; a non-string s gives
// MISSING. There is no IPv6 support, as in the original.
func init() {
	RegisterFunc(&Func{
		Name: "IS_SUBNET_OF", MinArgs: 2, MaxArgs: 3,
		Eval: func(c *Ctx, args []Value) Value {
			lo, hi, err := subnetRange(args[:len(args)-1])
			s := args[len(args)-1]
			if err != nil || s.k != KString {
				return Missing()
			}
			ip, ok := parseIPv4(s.b)
			return Bool(ok && lo <= ip && ip <= hi)
		},
		Check: func(consts []Value, isConst []bool) error {
			if len(consts) < 2 || len(isConst) != len(consts) {
				return errors.New("IS_SUBNET_OF takes a range and an address")
			}
			for i := 0; i < len(isConst)-1; i++ {
				if !isConst[i] {
					return errors.New("IS_SUBNET_OF: the range must be constant strings")
				}
			}
			_, _, err := subnetRange(consts[:len(consts)-1])
			return err
		},
	})
}

// ErrSubnet is returned (wrapped) for an IS_SUBNET_OF range that cannot be parsed.
var ErrSubnet = errors.New("bad IPv4 range")

func subnetRange(args []Value) (lo, hi uint32, err error) {
	for _, a := range args {
		if a.k != KString {
			return 0, 0, fmt.Errorf("IS_SUBNET_OF: %w: %s is not a string", ErrSubnet, FormatValue(a))
		}
	}
	if len(args) == 2 {
		l, ok1 := parseIPv4(args[0].b)
		h, ok2 := parseIPv4(args[1].b)
		if !ok1 || !ok2 || l > h {
			return 0, 0, fmt.Errorf("IS_SUBNET_OF: %w %s .. %s", ErrSubnet, FormatValue(args[0]), FormatValue(args[1]))
		}
		return l, h, nil
	}
	addr, bits, ok := strings.Cut(args[0].String(), "/")
	ip, okIP := parseIPv4([]byte(addr))
	n, errN := strconv.Atoi(bits)
	if !ok || !okIP || errN != nil || n < 0 || n > 32 {
		return 0, 0, fmt.Errorf("IS_SUBNET_OF: %w %s: want 'a.b.c.d/n'", ErrSubnet, FormatValue(args[0]))
	}
	mask := uint32(0)
	if n > 0 {
		mask = ^uint32(0) << (32 - n)
	}
	return ip & mask, ip | ^mask, nil
}

// parseIPv4 parses a dotted-quad address with decimal components of 1 to 3 digits.
func parseIPv4(s []byte) (uint32, bool) {
	var ip uint32
	part, digits, parts := 0, 0, 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 || part > 255 {
				return 0, false
			}
			ip = ip<<8 | uint32(part)
			parts++
			part, digits = 0, 0
			continue
		}
		c := s[i]
		if c < '0' || c > '9' || digits == 3 {
			return 0, false
		}
		part = part*10 + int(c-'0')
		digits++
	}
	return ip, parts == 4
}
