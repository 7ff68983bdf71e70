package deploytest

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const (
	distroless = "gcr.io/distroless/static-debian12:nonroot"
	builder    = "golang:1.26"
)

var contracts = []ImageContract{
	{Target: "snellerd", Binary: "/usr/local/bin/snellerd", Package: "./cmd/snellerd", Base: distroless, Builder: builder},
	{Target: "sdb", Binary: "/usr/local/bin/sdb", Package: "./cmd/sdb", Base: distroless, Builder: builder},
}

func loadDocker(t *testing.T, root string) (*Dockerfile, *DockerIgnore) {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	df, err := ParseDockerfile("Dockerfile", f)
	if err != nil {
		t.Fatal(err)
	}
	var di *DockerIgnore
	if g, err := os.Open(filepath.Join(root, ".dockerignore")); err == nil {
		defer g.Close()
		if di, err = ParseDockerIgnore(".dockerignore", g); err != nil {
			t.Fatal(err)
		}
	}
	return df, di
}

// TestDockerfile checks the image contract of both targets (no Docker engine runs here).
func TestDockerfile(t *testing.T) {
	root := repoRoot(t)
	df, di := loadDocker(t, root)
	for _, c := range contracts {
		t.Run(c.Target, func(t *testing.T) {
			if err := CheckImage(root, df, di, c); err != nil {
				t.Fatal(err)
			}
			img, _ := df.Build(c.Target)
			if img.User != "65532:65532" {
				t.Errorf("USER %q, want 65532:65532 (distroless nonroot)", img.User)
			}
			// Both binaries are in both images.
			for _, b := range []string{"/usr/local/bin/snellerd", "/usr/local/bin/sdb"} {
				if _, ok := img.Files[b]; !ok {
					t.Errorf("%s missing from the %s image", b, c.Target)
				}
			}
			if c.Target == "snellerd" && img.Env["CACHEDIR"] != "/var/cache/sneller" {
				t.Errorf("snellerd image CACHEDIR %q", img.Env["CACHEDIR"])
			}
		})
	}
	// A plain `docker build .` builds the daemon.
	if last := df.Stages[len(df.Stages)-1]; last.Name != "snellerd" {
		t.Errorf("last stage %q, want snellerd", last.Name)
	}
}

// TestDockerContextKeepsSources: .dockerignore must not drop a Go file the build needs.
func TestDockerContextKeepsSources(t *testing.T) {
	root := repoRoot(t)
	_, di := loadDocker(t, root)
	if di == nil {
		t.Skip("no .dockerignore")
	}
	files, err := ModuleGoFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("only %d Go files found", len(files))
	}
	for _, f := range append(files, "go.mod") {
		if di.Excluded(f) {
			t.Errorf("%s is excluded from the build context", f)
		}
	}
	for _, f := range []string{".git/config", "charts/sneller/values.yaml", "terraform/step1/main.tf", "deploy/test/go.mod", "bin/sdb"} {
		if !di.Excluded(f) {
			t.Errorf("%s is sent to the build context", f)
		}
	}
}

// TestMakeImageMatchesChart: `make image` builds both targets under the repositories the
// chart uses by default.
func TestMakeImageMatchesChart(t *testing.T) {
	root := repoRoot(t)
	f, err := os.Open(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vars := map[string]string{}
	var recipe []string
	in := false
	sc := bufio.NewScanner(f)
	assign := regexp.MustCompile(`^([A-Z_]+)\s*[?:]?=\s*(.*)$`)
	for sc.Scan() {
		l := sc.Text()
		if m := assign.FindStringSubmatch(l); m != nil {
			vars[m[1]] = strings.TrimSpace(m[2])
		}
		switch {
		case strings.HasPrefix(l, "image:"):
			in = true
		case in && strings.HasPrefix(l, "\t"):
			recipe = append(recipe, expandMake(strings.TrimSpace(l), vars))
		case in:
			in = false
		}
	}
	ch, err := LoadChart(chartDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"snellerd", "sdb"} {
		repo := ch.Values[target].(map[string]any)["repository"].(string)
		want := regexp.MustCompile(`docker build .*--target ` + target + ` .*-t ` + regexp.QuoteMeta(repo) + `:\S+ \.$`)
		found := false
		for _, l := range recipe {
			found = found || want.MatchString(l)
		}
		if !found {
			t.Errorf("make image does not build --target %s as %s (recipe %q)", target, repo, recipe)
		}
	}
}

func expandMake(s string, vars map[string]string) string {
	return regexp.MustCompile(`\$\(([A-Z_]+)\)`).ReplaceAllStringFunc(s, func(m string) string {
		return vars[m[2:len(m)-1]]
	})
}

// TestDockerfileChecksFail feeds broken Dockerfiles to the checks.
func TestDockerfileChecksFail(t *testing.T) {
	root := repoRoot(t)
	good, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	_, di := loadDocker(t, root)
	cases := []struct{ name, old, new string }{
		{"root-user", "USER 65532:65532", "USER 0:0"},
		{"named-user", "USER 65532:65532", "USER nonroot"},
		{"no-user", "USER 65532:65532\n", "\n"},
		{"entrypoint-path", `ENTRYPOINT ["/usr/local/bin/snellerd"]`, `ENTRYPOINT ["/snellerd"]`},
		{"entrypoint-shell-form", `ENTRYPOINT ["/usr/local/bin/snellerd"]`, `ENTRYPOINT /usr/local/bin/snellerd`},
		{"copy-dest", "/out/snellerd /usr/local/bin/snellerd", "/out/snellerd /bin/snellerd"},
		{"wrong-package", "-o /out/snellerd ./cmd/snellerd", "-o /out/snellerd ./cmd/snellerdx"},
		{"swapped-binaries", "-o /out/snellerd ./cmd/snellerd", "-o /out/snellerd ./cmd/sdb"},
		{"cgo", "ENV CGO_ENABLED=0", "ENV CGO_ENABLED=1"},
		{"no-trimpath", "go build -trimpath -ldflags=\"-s -w -X github.com/sneller-re/sneller/internal/version.tag=${VERSION}\" -o /out/snellerd", "go build -ldflags=\"-s -w\" -o /out/snellerd"},
		{"base", "FROM gcr.io/distroless/static-debian12:nonroot AS runtime", "FROM debian:12 AS runtime"},
		{"builder", "ARG GO_VERSION=1.26", "ARG GO_VERSION=1.22"},
		{"missing-context-file", "COPY go.mod go.sum* ./", "COPY go.mod go.work ./"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(string(good), c.old) {
				t.Fatalf("Dockerfile lacks %q: the negative test is stale", c.old)
			}
			bad := strings.Replace(string(good), c.old, c.new, 1)
			df, err := ParseDockerfile("Dockerfile", strings.NewReader(bad))
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckImage(root, df, di, contracts[0]); !errors.Is(err, ErrImage) {
				t.Fatalf("err %v, want ErrImage", err)
			}
		})
	}
	// A source excluded by .dockerignore.
	ig, err := ParseDockerIgnore("x", strings.NewReader("cmd/snellerd\n"))
	if err != nil {
		t.Fatal(err)
	}
	df, _ := ParseDockerfile("Dockerfile", strings.NewReader(strings.Replace(string(good), "COPY . .", "COPY cmd/snellerd ./cmd/snellerd", 1)))
	if err := CheckImage(root, df, ig, contracts[0]); !errors.Is(err, ErrImage) {
		t.Fatalf("excluded source: err %v, want ErrImage", err)
	}
}

func TestParseDockerfile(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\nARG V=1.2\nARG IMG\nFROM golang:${V} AS b\nENV A=1 B=\"two\"\nRUN --mount=type=cache,target=/x \\\n  # a comment inside\n  CGO_ENABLED=0 go build -tags purego -o /o/x ./cmd/x && echo ok\nFROM scratch\nCOPY --from=b --chown=1:1 /o/x /o/y /bin/\nWORKDIR app\nCOPY a.txt .\nUSER 1:1\nENTRYPOINT [\"/bin/x\"]\nCMD run\n"
	df, err := ParseDockerfile("t", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(df.Stages) != 2 || df.Stages[0].From != "golang:1.2" || df.Stages[0].Name != "b" || df.Stages[1].Name != "" {
		t.Fatalf("stages %+v %+v", df.Stages[0], df.Stages[1])
	}
	gb, err := df.GoBuilds("b")
	if err != nil || len(gb) != 1 {
		t.Fatalf("go builds %v %v", gb, err)
	}
	if gb[0].Output != "/o/x" || gb[0].CGO != "0" || len(gb[0].Packages) != 1 || gb[0].Packages[0] != "./cmd/x" || gb[0].Line != 6 {
		t.Errorf("go build %+v", gb[0])
	}
	run := df.Stages[0].Instructions[1]
	if run.Flag("mount") != "type=cache,target=/x" {
		t.Errorf("RUN flags %v", run.Flags)
	}
	df.Stages[1].Name = "final"
	img, err := df.Build("final")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]FileOrigin{
		"/bin/x":     {Stage: "b", Source: "/o/x", Chown: "1:1", Line: 10},
		"/bin/y":     {Stage: "b", Source: "/o/y", Chown: "1:1", Line: 10},
		"/app/a.txt": {Source: "a.txt", Line: 12},
	}
	for k, v := range want {
		if img.Files[k] != v {
			t.Errorf("file %s: %+v, want %+v", k, img.Files[k], v)
		}
	}
	if len(img.Files) != len(want) || img.User != "1:1" || img.Workdir != "/app" || !img.EntryJSON || img.Cmd[0] != "run" {
		t.Errorf("image %+v", img)
	}
	for _, bad := range []string{"", "RUN x\n", "FROM a b c d\n", "FROM a\nRUN x \\\n", "# escape=`\nFROM a\n", "FROM a\nRUN <<EOF\nx\nEOF\n"} {
		if _, err := ParseDockerfile("bad", strings.NewReader(bad)); !errors.Is(err, ErrDockerfileSyntax) {
			t.Errorf("%q: err %v, want ErrDockerfileSyntax", bad, err)
		}
	}
}

func TestShellWords(t *testing.T) {
	cases := map[string][]string{
		`go build -ldflags="-s -w -X a.b=${V}" -o /o ./cmd/x`: {"go", "build", "-ldflags=-s -w -X a.b=${V}", "-o", "/o", "./cmd/x"},
		`CGO_ENABLED=0 go build -ldflags '-s -w' ./x`:         {"CGO_ENABLED=0", "go", "build", "-ldflags", "-s -w", "./x"},
		`a\ b "c\"d" ''`: {"a b", `c"d`, ""},
		"  ":             nil,
	}
	for in, want := range cases {
		if got := shellWords(in); !reflect.DeepEqual(got, want) {
			t.Errorf("shellWords(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDockerIgnore(t *testing.T) {
	di, err := ParseDockerIgnore("t", strings.NewReader("# c\n/bin\n**/*.test\ndocs\n!docs/keep.md\n*.md\n!README.md\nd?r/[a-c]*\n"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{
		"bin":               true,
		"bin/sdb":           true,
		"cmd/bin":           false,
		"x.test":            true,
		"a/b/x.test":        true,
		"docs/a.txt":        true,
		"docs/keep.md":      false, // re-included; *.md matches top-level files only
		"README.md":         false,
		"sub/README.md":     false,
		"notes.md":          true,
		"dir/apple":         true,
		"dir/zebra":         false,
		"cmd/snellerd/x.go": false,
	}
	for p, want := range cases {
		if got := di.Excluded(p); got != want {
			t.Errorf("Excluded(%q) = %v, want %v", p, got, want)
		}
	}
	if _, err := ParseDockerIgnore("t", strings.NewReader("a[b\n")); err == nil {
		t.Error("unterminated class accepted")
	}
}

// FuzzParseDockerfile: the parser and the image walk never panic.
func FuzzParseDockerfile(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile")); err == nil {
		f.Add(string(b))
	}
	f.Add("FROM a AS b\nFROM b AS c\nCOPY --from=b x y\nUSER 1\nENTRYPOINT [\"x\"]\n")
	f.Add("ARG X=${Y:-z}\nFROM $X\nENV A B C\nRUN go build -o\n")
	f.Fuzz(func(t *testing.T, s string) {
		df, err := ParseDockerfile("fuzz", strings.NewReader(s))
		if err != nil {
			return
		}
		for _, st := range df.Stages {
			if st.Name != "" {
				_, _ = df.Build(st.Name)
				_, _ = df.GoBuilds(st.Name)
			}
		}
	})
}
