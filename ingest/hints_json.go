package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// jsonHints are the compiled hints of a JSON input: a trie of paths whose nodes carry the
// action for the values they match.
//
// Hints come as an array, [{"path": "a.b", "hints": "int"}, {"path": "c", "hints": ["unix_seconds",
// "no_index"]}], or as an object, {"a.b": "int"}. A path is a dotted list of steps: a field name,
// "?" (any field), "[?]" (any element of a list, also written "a[?]"), and as the last step "*"
// (any field and everything below it) or "[*]" (any element and everything below it).
type jsonHints struct {
	root *hintNode
}

// hintNode is a node of the path trie.
type hintNode struct {
	byName    map[string]*hintNode
	anyField  *hintNode // ?
	anyElem   *hintNode // [?]
	deepField *hintNode // *
	deepElem  *hintNode // [*]
	deep      bool      // this node is a * or [*] leaf: it matches every path below where it matched

	act    hintAction
	hasAct bool
	path   string // as written, for errors
}

// hintAction is what a hint does to the values at its path.
type hintAction struct {
	typ    valueType
	ignore bool
}

// jsonHintWords maps the hint words to actions; no_index and default only stop less specific
// hints from applying (the packed format keeps summaries of every column).
var jsonHintWords = map[string]hintAction{
	"default":            {},
	"no_index":           {},
	"string":             {typ: tString},
	"number":             {typ: tNumber},
	"int":                {typ: tInt},
	"bool":               {typ: tBool},
	"datetime":           {typ: tDatetime},
	"unix_seconds":       {typ: tUnixS},
	"unix_milli_seconds": {typ: tUnixMs},
	"unix_micro_seconds": {typ: tUnixUs},
	"unix_nano_seconds":  {typ: tUnixNs},
	"ignore":             {ignore: true},
}

func hintsError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadHints}, args...)...)
}

// isNullHints reports whether raw holds no hints at all (absent, null, or whitespace).
func isNullHints(raw []byte) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// parseJSONHints compiles the hints of a JSON input; it returns nil for no hints.
func parseJSONHints(raw []byte) (*jsonHints, error) {
	if isNullHints(raw) {
		return nil, nil
	}
	type entry struct {
		path  string
		words json.RawMessage
	}
	var entries []entry
	t := bytes.TrimSpace(raw)
	switch t[0] {
	case '[':
		var list []json.RawMessage
		if err := json.Unmarshal(t, &list); err != nil {
			return nil, hintsError("%v", err)
		}
		for i, item := range list {
			var e struct {
				Path  *string         `json:"path"`
				Hints json.RawMessage `json:"hints"`
			}
			dec := json.NewDecoder(bytes.NewReader(item))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&e); err != nil {
				return nil, hintsError("hint %d: %v", i+1, err)
			}
			if e.Path == nil || e.Hints == nil {
				return nil, hintsError("hint %d: want {\"path\": ..., \"hints\": ...}", i+1)
			}
			entries = append(entries, entry{*e.Path, e.Hints})
		}
	case '{':
		// keep the order of the keys for deterministic errors
		dec := json.NewDecoder(bytes.NewReader(t))
		if _, err := dec.Token(); err != nil {
			return nil, hintsError("%v", err)
		}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, hintsError("%v", err)
			}
			var w json.RawMessage
			if err := dec.Decode(&w); err != nil {
				return nil, hintsError("%v", err)
			}
			entries = append(entries, entry{k.(string), w})
		}
		if _, err := dec.Token(); err != nil {
			return nil, hintsError("%v", err)
		}
		if dec.More() {
			return nil, hintsError("text after the hints object")
		}
	default:
		return nil, hintsError("JSON hints must be an array of {\"path\", \"hints\"} or an object of path: hints")
	}
	h := &jsonHints{root: &hintNode{}}
	for _, e := range entries {
		act, err := parseHintWords(e.path, e.words)
		if err != nil {
			return nil, err
		}
		if err := h.add(e.path, act); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// parseHintWords reads "word" or ["word", ...] into one action.
func parseHintWords(path string, raw json.RawMessage) (hintAction, error) {
	var words []string
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		words = []string{one}
	} else if err := json.Unmarshal(raw, &words); err != nil {
		return hintAction{}, hintsError("path %q: hints must be a word or a list of words", path)
	}
	var act hintAction
	typed := ""
	for _, w := range words {
		a, ok := jsonHintWords[w]
		if !ok {
			return act, hintsError("path %q: unknown hint %q (known: %s)", path, w, knownWords())
		}
		switch {
		case a.ignore:
			act.ignore = true
		case a.typ != tNone:
			if typed != "" && typed != w {
				return act, hintsError("path %q: conflicting hints %q and %q", path, typed, w)
			}
			typed = w
			act.typ = a.typ
		}
	}
	if act.ignore && typed != "" {
		return act, hintsError("path %q: conflicting hints \"ignore\" and %q", path, typed)
	}
	return act, nil
}

func knownWords() string {
	return "default, string, number, int, bool, datetime, unix_seconds, unix_milli_seconds, " +
		"unix_micro_seconds, unix_nano_seconds, ignore, no_index"
}

// pathStep is one step of a hint path.
type pathStep struct {
	kind stepKind
	name string
}

type stepKind uint8

const (
	stepField stepKind = iota
	stepAnyField
	stepAnyElem
	stepDeepField
	stepDeepElem
)

// parsePath splits a hint path into steps.
func parsePath(path string) ([]pathStep, error) {
	if path == "" {
		return nil, hintsError("empty path")
	}
	var steps []pathStep
	rest := path
	for len(rest) > 0 {
		// a bracketed step, directly after a name or after a dot
		if rest[0] == '[' {
			switch {
			case strings.HasPrefix(rest, "[?]"):
				steps = append(steps, pathStep{kind: stepAnyElem})
			case strings.HasPrefix(rest, "[*]"):
				steps = append(steps, pathStep{kind: stepDeepElem})
			default:
				return nil, hintsError("path %q: want [?] or [*] at %q", path, rest)
			}
			rest = rest[3:]
		} else {
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			switch name {
			case "":
				return nil, hintsError("path %q: empty step", path)
			case "?":
				steps = append(steps, pathStep{kind: stepAnyField})
			case "*":
				steps = append(steps, pathStep{kind: stepDeepField})
			default:
				steps = append(steps, pathStep{kind: stepField, name: name})
			}
			rest = rest[end:]
		}
		if len(rest) > 0 {
			if rest[0] == '.' {
				rest = rest[1:]
				if rest == "" {
					return nil, hintsError("path %q ends with a dot", path)
				}
			} else if rest[0] != '[' {
				return nil, hintsError("path %q: malformed at %q", path, rest)
			}
		}
	}
	for i, s := range steps {
		if (s.kind == stepDeepField || s.kind == stepDeepElem) && i != len(steps)-1 {
			return nil, hintsError("path %q: * and [*] must be the last step", path)
		}
	}
	return steps, nil
}

// add inserts a hint for path.
func (h *jsonHints) add(path string, act hintAction) error {
	steps, err := parsePath(path)
	if err != nil {
		return err
	}
	n := h.root
	for _, s := range steps {
		var next **hintNode
		switch s.kind {
		case stepField:
			if n.byName == nil {
				n.byName = map[string]*hintNode{}
			}
			c := n.byName[s.name]
			if c == nil {
				c = &hintNode{}
				n.byName[s.name] = c
			}
			n = c
			continue
		case stepAnyField:
			next = &n.anyField
		case stepAnyElem:
			next = &n.anyElem
		case stepDeepField:
			next = &n.deepField
		case stepDeepElem:
			next = &n.deepElem
		}
		if *next == nil {
			*next = &hintNode{deep: s.kind == stepDeepField || s.kind == stepDeepElem}
		}
		n = *next
	}
	if n.hasAct {
		return hintsError("path %q given twice (as %q)", path, n.path)
	}
	n.act, n.hasAct, n.path = act, true, path
	return nil
}
