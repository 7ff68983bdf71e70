package db

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	caps := Captures{{"yyyy", "2024"}, {"mm", "01"}, {"dd", "31"}, {"a_1", "v"}}
	cases := []struct {
		src, want string
		names     []string
	}{
		{"$yyyy-$mm-$dd", "2024-01-31", []string{"yyyy", "mm", "dd"}},
		{"${yyyy}${mm}", "202401", []string{"yyyy", "mm"}},
		{"${yyyy}x", "2024x", []string{"yyyy"}},
		{"plain", "plain", nil},
		{"", "", nil},
		{"$$", "$", nil},
		{"$$yyyy", "$yyyy", nil},
		{"cost: $$$a_1", "cost: $v", []string{"a_1"}},
		{"$a_1.$a_1", "v.v", []string{"a_1", "a_1"}},
	}
	for _, c := range cases {
		tm, err := ParseTemplate(c.src)
		if err != nil {
			t.Errorf("parse %q: %v", c.src, err)
			continue
		}
		got, err := tm.Eval(caps)
		if err != nil || got != c.want {
			t.Errorf("eval %q = %q, %v; want %q", c.src, got, err, c.want)
		}
		if !slices.Equal(tm.Names(), c.names) {
			t.Errorf("names of %q = %q, want %q", c.src, tm.Names(), c.names)
		}
	}
}

func TestTemplateErrors(t *testing.T) {
	for _, c := range []struct{ src, msg string }{
		{"$", "at the end"},
		{"a$", "at the end"},
		{"$-x", "'$' followed by"},
		{"${x", "unterminated"},
		{"${}", "not [A-Za-z0-9_]+"},
		{"${a-b}", "not [A-Za-z0-9_]+"},
	} {
		_, err := ParseTemplate(c.src)
		if !errors.Is(err, ErrBadTemplate) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("parse %q: %v, want ErrBadTemplate saying %q", c.src, err, c.msg)
		}
	}
	tm, err := ParseTemplate("$missing")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tm.Eval(nil); !errors.Is(err, ErrBadTemplate) || !strings.Contains(err.Error(), "missing") {
		t.Errorf("eval with a missing capture: %v", err)
	}
}

func FuzzTemplate(f *testing.F) {
	f.Add("$yyyy-$mm-${dd}$$")
	f.Add("${a}x$b")
	f.Fuzz(func(t *testing.T, src string) {
		tm, err := ParseTemplate(src)
		if err != nil {
			return
		}
		var caps Captures
		for _, n := range tm.Names() {
			caps = append(caps, Capture{n, "<" + n + ">"})
		}
		got, err := tm.Eval(caps)
		if err != nil {
			t.Fatalf("eval %q with all its captures: %v", src, err)
		}
		if len(tm.Names()) == 0 && strings.Count(got, "$")*2 != strings.Count(src, "$") {
			t.Fatalf("%q evaluated to %q: '$' not halved", src, got)
		}
	})
}
