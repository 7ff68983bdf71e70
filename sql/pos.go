package sql

import "fmt"

// Pos is a position in the SQL text: the byte offset from the start (0-based) and the line and
// column (both 1-based; the column counts Unicode code points, a tab counts as one).
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// Position returns p. Every node embeds a Pos, so every node has this method.
func (p Pos) Position() Pos { return p }

// IsValid reports whether p was set (line numbers start at 1).
func (p Pos) IsValid() bool { return p.Line > 0 }

// Describe formats p as "line L, column C". (Pos has no String method: every node embeds a
// Pos, and a promoted String would hide a node type that lacks its own.)
func (p Pos) Describe() string {
	return fmt.Sprintf("line %d, column %d", p.Line, p.Col)
}
