package deploytest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// ErrDockerfileSyntax reports a Dockerfile this parser cannot read.
var ErrDockerfileSyntax = errors.New("dockerfile syntax")

// Dockerfile is a parsed Dockerfile: its global ARGs and its build stages.
type Dockerfile struct {
	Name string
	// GlobalArgs are the ARGs before the first FROM with their defaults.
	GlobalArgs map[string]string
	Stages     []*Stage
}

// Stage is one FROM section.
type Stage struct {
	Index int
	// Name is the `AS` name ("" when unnamed).
	Name string
	// From is the base, with global ARGs expanded: an image reference or an earlier stage.
	From         string
	Line         int
	Instructions []Instruction
}

// Instruction is one Dockerfile instruction after line continuations are joined.
type Instruction struct {
	Line int
	// Cmd is the upper-case instruction (RUN, COPY, ...).
	Cmd string
	// Flags are the leading --name=value options (--from, --chown, --mount, ...). Flags that
	// repeat (--mount) keep every value, in order.
	Flags map[string][]string
	// Args is the exec-form array, or the shell-form words (for RUN and CMD/ENTRYPOINT in
	// shell form, the whole command as one element).
	Args []string
	// JSON is true for the exec (JSON array) form.
	JSON bool
	// Raw is the argument text after the flags.
	Raw string
}

// Flag returns the last value of a flag ("" when absent).
func (in Instruction) Flag(name string) string {
	v := in.Flags[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// ParseDockerfile parses a Dockerfile. Heredocs and escape directives other than the default
// are refused. Errors name the file and line.
func ParseDockerfile(name string, r io.Reader) (*Dockerfile, error) {
	df := &Dockerfile{Name: name, GlobalArgs: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var (
		cur       strings.Builder
		startLine int
		n         int
		inDirects = true
	)
	var stage *Stage
	emit := func() error {
		text := strings.TrimSpace(cur.String())
		cur.Reset()
		if text == "" {
			return nil
		}
		in, err := parseInstruction(text, startLine)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", name, startLine, err)
		}
		switch {
		case in.Cmd == "FROM":
			st, err := newStage(df, in, len(df.Stages))
			if err != nil {
				return fmt.Errorf("%s:%d: %w", name, startLine, err)
			}
			stage = st
			df.Stages = append(df.Stages, st)
		case stage == nil && in.Cmd == "ARG":
			for _, a := range in.Args {
				k, v, _ := strings.Cut(a, "=")
				df.GlobalArgs[k] = strings.Trim(v, `"`)
			}
		case stage == nil:
			return fmt.Errorf("%s:%d: %w: %s before the first FROM", name, startLine, ErrDockerfileSyntax, in.Cmd)
		default:
			stage.Instructions = append(stage.Instructions, in)
		}
		return nil
	}
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			if inDirects && cur.Len() == 0 {
				if k, v, ok := strings.Cut(strings.TrimSpace(trimmed[1:]), "="); ok && strings.EqualFold(strings.TrimSpace(k), "escape") && strings.TrimSpace(v) != `\` {
					return nil, fmt.Errorf("%s:%d: %w: escape directive %q is not supported", name, n, ErrDockerfileSyntax, v)
				}
			}
			continue // comments, also inside continuations
		}
		if trimmed == "" && cur.Len() == 0 {
			continue
		}
		inDirects = false
		if cur.Len() == 0 {
			startLine = n
		}
		if strings.HasSuffix(trimmed, `\`) {
			cur.WriteString(strings.TrimSuffix(trimmed, `\`))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(trimmed)
		if err := emit(); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, n, err)
	}
	if cur.Len() > 0 {
		return nil, fmt.Errorf("%s:%d: %w: file ends in a line continuation", name, n, ErrDockerfileSyntax)
	}
	if err := emit(); err != nil {
		return nil, err
	}
	if len(df.Stages) == 0 {
		return nil, fmt.Errorf("%s: %w: no FROM", name, ErrDockerfileSyntax)
	}
	return df, nil
}

func parseInstruction(text string, line int) (Instruction, error) {
	cmd, rest, _ := strings.Cut(text, " ")
	in := Instruction{Line: line, Cmd: strings.ToUpper(cmd), Flags: map[string][]string{}}
	rest = strings.TrimSpace(rest)
	if strings.Contains(rest, "<<") && (in.Cmd == "RUN" || in.Cmd == "COPY" || in.Cmd == "ADD") {
		return in, fmt.Errorf("%w: heredocs are not supported", ErrDockerfileSyntax)
	}
	switch in.Cmd {
	case "FROM", "COPY", "ADD", "RUN":
		for strings.HasPrefix(rest, "--") {
			word, after, _ := strings.Cut(rest, " ")
			k, v, _ := strings.Cut(strings.TrimPrefix(word, "--"), "=")
			in.Flags[k] = append(in.Flags[k], v)
			rest = strings.TrimSpace(after)
		}
	}
	in.Raw = rest
	if strings.HasPrefix(rest, "[") {
		var arr []string
		if err := json.Unmarshal([]byte(rest), &arr); err == nil {
			in.Args, in.JSON = arr, true
			return in, nil
		}
	}
	switch in.Cmd {
	case "RUN", "CMD", "ENTRYPOINT", "SHELL", "HEALTHCHECK":
		in.Args = []string{rest}
	default:
		in.Args = strings.Fields(rest)
	}
	return in, nil
}

func newStage(df *Dockerfile, in Instruction, index int) (*Stage, error) {
	st := &Stage{Index: index, Line: in.Line}
	switch len(in.Args) {
	case 1:
	case 3:
		if !strings.EqualFold(in.Args[1], "AS") {
			return nil, fmt.Errorf("%w: FROM %s", ErrDockerfileSyntax, in.Raw)
		}
		st.Name = strings.ToLower(in.Args[2])
	default:
		return nil, fmt.Errorf("%w: FROM %s", ErrDockerfileSyntax, in.Raw)
	}
	st.From = expandVars(in.Args[0], df.GlobalArgs)
	return st, nil
}

// expandVars substitutes $NAME, ${NAME} and ${NAME:-default} from vars.
func expandVars(s string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			expr := s[i+2 : i+end]
			name, def, hasDef := strings.Cut(expr, ":-")
			if v, ok := vars[name]; ok && (v != "" || !hasDef) {
				b.WriteString(v)
			} else if hasDef {
				b.WriteString(def)
			}
			i += end
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			b.WriteByte(c)
			continue
		}
		b.WriteString(vars[s[i+1:j]])
		i = j - 1
	}
	return b.String()
}

// Stage returns the stage named name (case-insensitive), or nil.
func (d *Dockerfile) Stage(name string) *Stage {
	for _, s := range d.Stages {
		if s.Name != "" && s.Name == strings.ToLower(name) {
			return s
		}
	}
	return nil
}

// stageRef resolves a FROM or --from reference to an earlier stage (by name or index).
func (d *Dockerfile) stageRef(ref string, before int) *Stage {
	for _, s := range d.Stages[:before] {
		if (s.Name != "" && s.Name == strings.ToLower(ref)) || fmt.Sprint(s.Index) == ref {
			return s
		}
	}
	return nil
}

// FileOrigin says where a file of an image comes from.
type FileOrigin struct {
	// Stage is the --from stage ("" for the build context).
	Stage string
	// Source is the path in that stage, or relative to the build context.
	Source string
	// Chown is the --chown value.
	Chown string
	Line  int
}

// Image is the outcome of building one target, as far as this package tracks it.
type Image struct {
	Target string
	// Base is the external image the target's stage chain starts from.
	Base string
	// Files maps absolute paths in the image to their origin (COPY only).
	Files      map[string]FileOrigin
	User       string
	Entrypoint []string
	EntryJSON  bool
	Cmd        []string
	Env        map[string]string
	Workdir    string
}

// Build follows the target's chain of stages (FROM an earlier stage) and collects the files
// copied, the final USER, ENTRYPOINT, CMD, ENV and WORKDIR.
func (d *Dockerfile) Build(target string) (*Image, error) {
	st := d.Stage(target)
	if st == nil {
		return nil, fmt.Errorf("%s: no stage %q", d.Name, target)
	}
	var chain []*Stage
	for s := st; s != nil; s = d.stageRef(s.From, s.Index) {
		chain = append([]*Stage{s}, chain...)
		if len(chain) > len(d.Stages) {
			return nil, fmt.Errorf("%s: stage %q: FROM cycle", d.Name, target)
		}
	}
	img := &Image{Target: target, Base: chain[0].From, Files: map[string]FileOrigin{}, Env: map[string]string{}, Workdir: "/"}
	for _, s := range chain {
		args := map[string]string{}
		for k, v := range d.GlobalArgs {
			args[k] = v
		}
		for _, in := range s.Instructions {
			vars := map[string]string{}
			for k, v := range args {
				vars[k] = v
			}
			for k, v := range img.Env {
				vars[k] = v
			}
			switch in.Cmd {
			case "ARG":
				for _, a := range in.Args {
					k, v, _ := strings.Cut(a, "=")
					if _, ok := args[k]; !ok || v != "" {
						args[k] = v
					}
				}
			case "ENV":
				for k, v := range parseEnv(in) {
					img.Env[k] = expandVars(v, vars)
				}
			case "WORKDIR":
				w := expandVars(in.Raw, vars)
				if !path.IsAbs(w) {
					w = path.Join(img.Workdir, w)
				}
				img.Workdir = w
			case "USER":
				img.User = expandVars(in.Raw, vars)
			case "ENTRYPOINT":
				img.Entrypoint, img.EntryJSON = in.Args, in.JSON
			case "CMD":
				img.Cmd = in.Args
			case "COPY", "ADD":
				if len(in.Args) < 2 {
					return nil, fmt.Errorf("%s:%d: %w: %s needs a source and a destination", d.Name, in.Line, ErrDockerfileSyntax, in.Cmd)
				}
				srcs, dst := in.Args[:len(in.Args)-1], expandVars(in.Args[len(in.Args)-1], vars)
				if !path.IsAbs(dst) {
					dir := strings.HasSuffix(dst, "/") || dst == "." || dst == "./"
					dst = path.Join(img.Workdir, dst)
					if dir {
						dst += "/"
					}
				}
				from := in.Flag("from")
				if from != "" {
					ref := d.stageRef(from, s.Index)
					if ref == nil {
						return nil, fmt.Errorf("%s:%d: COPY --from=%s names no earlier stage", d.Name, in.Line, from)
					}
					from = ref.Name
					if from == "" {
						from = fmt.Sprint(ref.Index)
					}
				}
				for _, src := range srcs {
					src = expandVars(src, vars)
					p := dst
					if strings.HasSuffix(dst, "/") || len(srcs) > 1 {
						p = path.Join(dst, path.Base(src))
					}
					img.Files[path.Clean(p)] = FileOrigin{Stage: from, Source: src, Chown: in.Flag("chown"), Line: in.Line}
				}
			}
		}
	}
	return img, nil
}

// parseEnv reads ENV k=v [k=v...] and the legacy ENV k v.
func parseEnv(in Instruction) map[string]string {
	out := map[string]string{}
	if len(in.Args) >= 2 && !strings.Contains(in.Args[0], "=") {
		out[in.Args[0]] = strings.Join(in.Args[1:], " ")
		return out
	}
	for _, a := range in.Args {
		k, v, _ := strings.Cut(a, "=")
		out[k] = strings.Trim(v, `"`)
	}
	return out
}

// GoBuild is one `go build` found in a RUN instruction.
type GoBuild struct {
	Line     int
	Output   string
	Packages []string
	Flags    []string
	// CGO is the value of CGO_ENABLED in effect ("" when unset).
	CGO string
}

// GoBuilds returns the `go build` commands of a stage with their -o outputs, packages and
// the CGO_ENABLED in effect (stage ENV or an inline assignment).
func (d *Dockerfile) GoBuilds(stage string) ([]GoBuild, error) {
	st := d.Stage(stage)
	if st == nil {
		return nil, fmt.Errorf("%s: no stage %q", d.Name, stage)
	}
	env := map[string]string{}
	var out []GoBuild
	for _, in := range st.Instructions {
		switch in.Cmd {
		case "ENV":
			for k, v := range parseEnv(in) {
				env[k] = v
			}
		case "RUN":
			cmdline := strings.Join(in.Args, " ")
			for _, part := range splitShell(cmdline) {
				words := shellWords(part)
				local := map[string]string{}
				for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
					k, v, _ := strings.Cut(words[0], "=")
					local[k] = v
					words = words[1:]
				}
				if len(words) < 2 || words[0] != "go" || words[1] != "build" {
					continue
				}
				gb := GoBuild{Line: in.Line, CGO: env["CGO_ENABLED"]}
				if v, ok := local["CGO_ENABLED"]; ok {
					gb.CGO = v
				}
				for i := 2; i < len(words); i++ {
					w := words[i]
					switch {
					case w == "-o" && i+1 < len(words):
						gb.Output = words[i+1]
						i++
					case strings.HasPrefix(w, "-o="):
						gb.Output = strings.TrimPrefix(w, "-o=")
					case goBuildValueFlags[w] && i+1 < len(words):
						gb.Flags = append(gb.Flags, w+"="+words[i+1])
						i++
					case strings.HasPrefix(w, "-"):
						gb.Flags = append(gb.Flags, w)
					default:
						gb.Packages = append(gb.Packages, w)
					}
				}
				out = append(out, gb)
			}
		}
	}
	return out, nil
}

// goBuildValueFlags are the go build flags that take a value as the next word.
var goBuildValueFlags = map[string]bool{
	"-tags": true, "-gcflags": true, "-asmflags": true, "-mod": true, "-modfile": true,
	"-p": true, "-pkgdir": true, "-buildmode": true, "-compiler": true, "-overlay": true,
	"-pgo": true, "-installsuffix": true, "-gccgoflags": true, "-toolexec": true,
}

// shellWords splits a command into words the way a POSIX shell does for quoting: single
// quotes are literal, double quotes allow backslash escapes, and quotes are removed.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				end = len(s) - i - 1
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				cur.WriteByte(s[i])
			}
			inWord = true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

// splitShell splits a shell command line on &&, || and ; (quotes are not interpreted beyond
// that, which is enough for build recipes).
func splitShell(s string) []string {
	s = strings.NewReplacer("&&", "\x00", "||", "\x00", ";", "\x00").Replace(s)
	return strings.Split(s, "\x00")
}
