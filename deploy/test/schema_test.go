package deploytest

import (
	"encoding/json"
	"strings"
	"testing"
)

// schemaHasPath reports whether the JSON schema declares the dotted property path.
func schemaHasPath(t *testing.T, schema []byte, path string) bool {
	t.Helper()
	var node map[string]any
	if err := json.Unmarshal(schema, &node); err != nil {
		t.Fatalf("values.schema.json: %v", err)
	}
	for _, seg := range strings.Split(path, ".") {
		props, _ := node["properties"].(map[string]any)
		next, ok := props[seg].(map[string]any)
		if !ok {
			return false
		}
		node = next
	}
	return true
}
