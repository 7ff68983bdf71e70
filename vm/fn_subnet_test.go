package vm

import (
	"fmt"
	"testing"
)

func FuzzParseIPv4(f *testing.F) {
	for _, s := range []string{"128.1.2.3", "128.001.002.005", "0.0.0.0", "255.255.255.255", "256.1.1.1",
		"1.2.3", "1.2.3.4.5", "1..2.3", "", "1.2.3.4/24", "01.2.3.0004"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ip, ok := parseIPv4([]byte(s))
		if !ok {
			return
		}
		// a parsed address prints back to an equivalent dotted quad
		again, ok := parseIPv4([]byte(fmt.Sprintf("%d.%d.%d.%d", ip>>24, ip>>16&255, ip>>8&255, ip&255)))
		if !ok || again != ip {
			t.Fatalf("%q: %08x does not round-trip", s, ip)
		}
		lo, hi, err := subnetRange([]Value{String(s + "/20")})
		if err != nil || lo > ip || ip > hi || hi-lo != 1<<12-1 {
			t.Fatalf("%q/20: range %08x-%08x, %v", s, lo, hi, err)
		}
	})
}
