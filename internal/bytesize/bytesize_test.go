package bytesize

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{"0", 0, false},
		{"1048576", 1 << 20, false},
		{"512MiB", 512 << 20, false},
		{"512mib", 512 << 20, false},
		{"2G", 2 << 30, false},
		{"1.5GiB", 3 << 29, false},
		{"10GB", 10e9, false},
		{"3 KB", 3000, false},
		{"7B", 7, false},
		{"", 0, true},
		{"MiB", 0, true},
		{"-1", 0, true},
		{"-1MiB", 0, true},
		{"1.5", 0, true},
		{"abc", 0, true},
		{"99999999999TiB", 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("Parse(%q): err = %v, want error %v", tt.in, err, tt.bad)
			continue
		}
		if !tt.bad && got != tt.want {
			t.Errorf("Parse(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{0, "0B"},
		{1023, "1023B"},
		{1024, "1KiB"},
		{1536, "1.5KiB"},
		{512 << 20, "512MiB"},
		{3 << 29, "1.5GiB"},
		{5 << 40, "5TiB"},
		{5000 << 40, "5000TiB"},
	}
	for _, tt := range tests {
		if got := Format(tt.in); got != tt.want {
			t.Errorf("Format(%d) = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := Parse(Format(tt.in)); err != nil || back != tt.in {
			t.Errorf("Parse(Format(%d)) = %d, %v", tt.in, back, err)
		}
	}
}
