package db

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// tutorialDef is the EKS guide's table: ND-JSON files under a pattern.
const tutorialDef = `{"input": [{"pattern": "file://sample_data/*.ndjson", "format": "json"}]}`

func valueRows(n, from int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "{\"value\": %d}\n", from+i)
	}
	return sb.String()
}

// runTutorial runs the tutorial of the EKS guide against a root holding the sources.
func runTutorial(t *testing.T, root FS, src FS, prefix string) {
	ctx := context.Background()
	putObject(t, src, prefix+"test1.ndjson", valueRows(1, 1))
	putObject(t, src, prefix+"test2.ndjson", valueRows(2, 10))
	putObject(t, src, prefix+"test3.ndjson", valueRows(3, 20))

	r := mustSync(t, root, "tutorial", "table1", SyncOptions{})
	if len(r.Accepted) != 3 || r.Rows != 6 || !r.Published || r.Err() != nil {
		t.Fatalf("first sync: %+v", r)
	}
	if got := query(t, root, "tutorial", "SELECT COUNT(*) FROM table1"); len(got) != 1 || !strings.Contains(got[0], "6") {
		t.Fatalf("count: %v", got)
	}
	if got := query(t, root, "", "SELECT SUM(value) AS s FROM tutorial.table1"); len(got) != 1 || !strings.Contains(got[0], "85") {
		t.Fatalf("sum: %v", got)
	}

	// re-sync adds nothing and does not rewrite the index
	r = mustSync(t, root, "tutorial", "table1", SyncOptions{})
	if len(r.Accepted) != 0 || r.Skipped != 3 || r.Published {
		t.Fatalf("second sync: %+v", r)
	}

	// a fourth file adds its rows
	putObject(t, src, prefix+"test4.ndjson", valueRows(4, 30))
	r = mustSync(t, root, "tutorial", "table1", SyncOptions{})
	if len(r.Accepted) != 1 || r.Rows != 4 || r.Skipped != 3 {
		t.Fatalf("third sync: %+v", r)
	}
	// a malformed fifth file is rejected and listed; the rest goes on
	putObject(t, src, prefix+"test5.ndjson", "{\"value\": 40}\n{\"value\": 41,\n{\"value\": 42}\n")
	putObject(t, src, prefix+"test6.ndjson", valueRows(2, 50))
	r, err := Sync(ctx, root, testIndexKey, "tutorial", "table1", SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Accepted) != 1 || len(r.Rejected) != 1 || !errors.Is(r.Err(), ErrInputs) {
		t.Fatalf("fourth sync: %+v", r)
	}
	if msg := r.Err().Error(); !strings.Contains(msg, "test5.ndjson") || !strings.Contains(msg, "line 3") {
		t.Fatalf("rejection message %q does not name the file and line", msg)
	}
	if got := query(t, root, "tutorial", "SELECT COUNT(*) FROM table1"); !strings.Contains(got[0], "12") {
		t.Fatalf("count after the fourth sync: %v", got)
	}
	tb, err := OpenTable(ctx, root, testIndexKey, "tutorial", "table1")
	if err != nil {
		t.Fatal(err)
	}
	ins := tb.Inputs()
	if len(ins) != 6 {
		t.Fatalf("%d inputs, want 6", len(ins))
	}
	for _, in := range ins {
		rejected := strings.HasSuffix(in.Path, "test5.ndjson")
		if rejected != (in.Err != nil) || (!rejected && in.Blob == "") || in.ETag == "" {
			t.Fatalf("input %+v", in)
		}
		if rejected && (!errors.Is(in.Err, ErrRejected) || !strings.Contains(in.Err.Error(), "line 3")) {
			t.Fatalf("rejected input error %v", in.Err)
		}
	}
	// the rejected file is not retried while unchanged...
	r = mustSync(t, root, "tutorial", "table1", SyncOptions{})
	if len(r.Rejected) != 0 || r.Published {
		t.Fatalf("sync after a rejection: %+v", r)
	}
	// ...and is once fixed
	putObject(t, src, prefix+"test5.ndjson", valueRows(3, 40))
	r = mustSync(t, root, "tutorial", "table1", SyncOptions{})
	if len(r.Accepted) != 1 || r.Rows != 3 {
		t.Fatalf("sync of the fixed file: %+v", r)
	}
	want := jsonRows(t, valueRows(1, 1), valueRows(2, 10), valueRows(3, 20), valueRows(4, 30), valueRows(3, 40), valueRows(2, 50))
	sameRows(t, tableRows(t, root, "tutorial", "table1"), want)

	// an accepted input that changes is reported once and not ingested twice
	putObject(t, src, prefix+"test1.ndjson", valueRows(5, 100))
	r = mustSync(t, root, "tutorial", "table1", SyncOptions{})
	if len(r.Changed) != 1 || len(r.Accepted) != 0 || !strings.Contains(r.Changed[0].Err.Error(), "test1.ndjson") {
		t.Fatalf("sync after a change: %+v", r)
	}
	r = mustSync(t, root, "tutorial", "table1", SyncOptions{})
	if len(r.Changed) != 0 || r.Published {
		t.Fatalf("the change was reported again: %+v", r)
	}
	sameRows(t, tableRows(t, root, "tutorial", "table1"), want)
}

func TestSyncTutorialLocal(t *testing.T) {
	root := newLocalRoot(t)
	createTable(t, root, "tutorial", "table1", tutorialDef)
	runTutorial(t, root, root, "sample_data/")
}
