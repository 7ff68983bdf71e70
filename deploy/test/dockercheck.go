package deploytest

import (
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrImage reports a Dockerfile target that breaks the image contract.
var ErrImage = errors.New("image contract violated")

// ImageContract is what an image target must be.
type ImageContract struct {
	// Target is the stage name (snellerd, sdb).
	Target string
	// Binary is the absolute path of the entrypoint binary.
	Binary string
	// Package is the Go main package built into Binary, relative to the context ("./cmd/x").
	Package string
	// Base is the required external base image of the final stage chain.
	Base string
	// Builder is the required base image of the stage that runs `go build`.
	Builder string
}

// CheckImage verifies one target of a Dockerfile against the build context at root: the
// entrypoint is the binary, in exec form; that binary is COPY'd from a stage whose `go build`
// produced it from the named main package with CGO_ENABLED=0 and -trimpath on the builder
// image; the package exists in the context and is not excluded by .dockerignore; every COPY
// source from the context exists and is not excluded; the final USER is numeric and non-root.
func CheckImage(root string, df *Dockerfile, di *DockerIgnore, c ImageContract) error {
	img, err := df.Build(c.Target)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrImage, err)
	}
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%w: %s target %s: %s", ErrImage, df.Name, c.Target, fmt.Sprintf(format, a...)))
	}
	if img.Base != c.Base {
		fail("base image %q, want %q", img.Base, c.Base)
	}
	if err := checkUser(img.User); err != nil {
		fail("%v", err)
	}
	if !img.EntryJSON || !slices.Equal(img.Entrypoint, []string{c.Binary}) {
		fail("ENTRYPOINT %q (exec form %v), want [%q] in exec form", img.Entrypoint, img.EntryJSON, c.Binary)
	}
	origin, ok := img.Files[c.Binary]
	if !ok {
		fail("no COPY puts a file at the entrypoint %s", c.Binary)
	} else if origin.Stage == "" {
		fail("%s is copied from the build context, not built in a stage", c.Binary)
	} else {
		errs = append(errs, checkBuilt(root, df, c, origin))
	}
	for dst, o := range img.Files {
		if o.Stage != "" {
			continue
		}
		if err := checkContextSource(root, di, o.Source); err != nil {
			fail("COPY to %s (line %d): %v", dst, o.Line, err)
		}
	}
	// Every build stage's context COPYs, too (go.mod, the sources).
	for _, st := range df.Stages {
		for _, in := range st.Instructions {
			if (in.Cmd != "COPY" && in.Cmd != "ADD") || in.Flag("from") != "" || len(in.Args) < 2 {
				continue
			}
			for _, src := range in.Args[:len(in.Args)-1] {
				if err := checkContextSource(root, di, src); err != nil {
					fail("stage %s COPY (line %d): %v", st.Name, in.Line, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// checkUser requires USER uid[:gid], numeric, uid and gid not 0, so that the kubelet can
// verify runAsNonRoot without resolving names.
func checkUser(u string) error {
	if u == "" {
		return fmt.Errorf("no USER: the image runs as root")
	}
	uid, gid, hasGid := strings.Cut(u, ":")
	n, err := strconv.Atoi(uid)
	if err != nil {
		return fmt.Errorf("USER %q is not numeric", u)
	}
	if n == 0 {
		return fmt.Errorf("USER %q is root", u)
	}
	if hasGid {
		g, err := strconv.Atoi(gid)
		if err != nil || g == 0 {
			return fmt.Errorf("USER %q: group must be numeric and not 0", u)
		}
	}
	return nil
}

func checkBuilt(root string, df *Dockerfile, c ImageContract, origin FileOrigin) error {
	st := df.Stage(origin.Stage)
	if st == nil {
		return fmt.Errorf("%w: %s is copied from stage %q, which has no name", ErrImage, c.Binary, origin.Stage)
	}
	builds, err := df.GoBuilds(origin.Stage)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrImage, err)
	}
	for _, b := range builds {
		if path.Clean(b.Output) != path.Clean(origin.Source) {
			continue
		}
		var errs []error
		if st.From != c.Builder {
			errs = append(errs, fmt.Errorf("%w: stage %s builds on %q, want %q", ErrImage, st.Name, st.From, c.Builder))
		}
		if len(b.Packages) != 1 || path.Clean(b.Packages[0]) != path.Clean(c.Package) {
			errs = append(errs, fmt.Errorf("%w: %s:%d builds %v into %s, want %s", ErrImage, df.Name, b.Line, b.Packages, b.Output, c.Package))
		}
		if b.CGO != "0" {
			errs = append(errs, fmt.Errorf("%w: %s:%d: CGO_ENABLED=%q, want 0 (static binary on distroless static)", ErrImage, df.Name, b.Line, b.CGO))
		}
		if !slices.Contains(b.Flags, "-trimpath") {
			errs = append(errs, fmt.Errorf("%w: %s:%d: go build without -trimpath", ErrImage, df.Name, b.Line))
		}
		if err := checkMainPackage(root, c.Package); err != nil {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("%w: no `go build -o %s` in stage %s (for %s)", ErrImage, origin.Source, origin.Stage, c.Binary)
}

// checkMainPackage verifies that dir (context-relative) holds a non-test Go file of package
// main.
func checkMainPackage(root, pkg string) error {
	dir := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(path.Clean(pkg), "./")))
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%w: package %s: %w", ErrImage, pkg, err)
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.PackageClauseOnly)
		if err != nil {
			return fmt.Errorf("%w: package %s: %w", ErrImage, pkg, err)
		}
		if f.Name.Name == "main" {
			return nil
		}
	}
	return fmt.Errorf("%w: %s is not a main package", ErrImage, pkg)
}

// checkContextSource verifies that a COPY source from the build context matches something
// that exists and is not excluded. A glob may match nothing only when it is a wildcard
// (Docker allows `go.sum*` to match no file).
func checkContextSource(root string, di *DockerIgnore, src string) error {
	if src == "." || src == "./" {
		return nil
	}
	clean := path.Clean(strings.TrimPrefix(src, "/"))
	if strings.ContainsAny(clean, "*?[") {
		matches, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(clean)))
		if err != nil {
			return fmt.Errorf("source %q: %w", src, err)
		}
		for _, m := range matches {
			rel, _ := filepath.Rel(root, m)
			if di != nil && di.Excluded(filepath.ToSlash(rel)) {
				return fmt.Errorf("source %q matches %s, which .dockerignore excludes", src, rel)
			}
		}
		return nil
	}
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(clean))); err != nil {
		return fmt.Errorf("source %q: %w", src, err)
	}
	if di != nil && di.Excluded(clean) {
		return fmt.Errorf("source %q is excluded by .dockerignore", src)
	}
	return nil
}

// ModuleGoFiles lists the non-test .go files of the module at root (context-relative,
// slash-separated), skipping nested modules, testdata and hidden directories: the files a
// `go build` in the image may need.
func ModuleGoFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if p == root {
				return nil
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go") {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out, err
}
