package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/db/dbtest"
)

// crashScenario prepares a root with a partitioned table already synced once, and new inputs
// (one of them malformed) for the sync under test, which also compacts the first sync's small
// blobs and applies retention.
func crashScenario(t *testing.T) *db.DirFS {
	root := db.NewLocalRootForTest(t)
	db.CreateTableForTest(t, root, "logs", "events", `{
		"input": [{"pattern": "file://src/{region}/*.json"}],
		"partitions": [{"field": "region"}],
		"retention_policy": {"field": "ts", "valid_for": "30d"}}`)
	row := func(region string, i int, ts string) string {
		return fmt.Sprintf(`{"i": %d, "region": "overridden", "ts": %q, "tag": "%s-%d"}`+"\n", i, ts, region, i)
	}
	n := 0
	add := func(region string, rows int, ts string) {
		var sb strings.Builder
		for k := 0; k < rows; k++ {
			sb.WriteString(row(region, n, ts))
			n++
		}
		db.PutObjectForTest(t, root, fmt.Sprintf("src/%s/f%03d.json", region, n), sb.String())
	}
	add("eu", 3, "2024-03-01T00:00:00Z")
	add("us", 4, "2024-03-01T00:00:00Z")
	r, err := db.Sync(context.Background(), root, db.TestIndexKeyForTest, "logs", "events", syncOpt())
	if err != nil || len(r.Accepted) != 2 {
		t.Fatalf("first sync: %+v %v", r, err)
	}
	add("eu", 2, "2024-03-02T00:00:00Z")
	add("old", 1, "2020-01-01T00:00:00Z") // expired by the sync under test
	opt := syncOpt()
	opt.CompactMin = -1
	opt.Now = func() time.Time { return time.Date(2020, 1, 15, 0, 0, 0, 0, time.UTC) }
	r, err = db.Sync(context.Background(), root, db.TestIndexKeyForTest, "logs", "events", opt)
	if err != nil || len(r.Accepted) != 2 {
		t.Fatalf("second sync: %+v %v", r, err)
	}
	add("eu", 5, "2024-03-03T00:00:00Z")
	add("ap", 2, "2024-03-03T00:00:00Z")
	db.PutObjectForTest(t, root, "src/us/bad.json", `{"i": 1}`+"\n"+`{"i": }`+"\n")
	add("us", 3, "2024-03-04T00:00:00Z")
	return root
}

func syncOpt() db.SyncOptions {
	now := time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)
	return db.SyncOptions{CompactMin: 2, Workers: 2, Now: func() time.Time { return now }}
}

// TestSyncCrash kills a sync at each of its writes in turn (before the write takes effect,
// and after), then syncs again without faults, and checks that the table holds exactly the
// rows of its valid inputs: nothing lost, nothing twice.
func TestSyncCrash(t *testing.T) {
	ctx := context.Background()
	ref := crashScenario(t)
	refRes, err := db.Sync(ctx, ref, db.TestIndexKeyForTest, "logs", "events", syncOpt())
	if err != nil || len(refRes.Rejected) != 1 || refRes.Compacted == 0 || refRes.Expired == 0 {
		t.Fatalf("reference sync: %+v %v", refRes, err)
	}
	want := db.TableRowsForTest(t, ref, "logs", "events")
	if len(want) != 3+4+2+5+2+3 {
		t.Fatalf("reference table has %d rows", len(want))
	}
	// count the writes of a sync
	probe := dbtest.NewFaultFS(crashScenario(t))
	if _, err := db.Sync(ctx, probe, db.TestIndexKeyForTest, "logs", "events", syncOpt()); err != nil {
		t.Fatal(err)
	}
	writes := probe.Count(dbtest.OpWrite)
	if writes < 5 {
		t.Fatalf("only %d writes", writes)
	}
	for _, after := range []bool{false, true} {
		for k := 1; k <= writes; k++ {
			name := fmt.Sprintf("kill at write %d", k)
			if after {
				name += " after it took effect"
			}
			t.Run(name, func(t *testing.T) {
				root := crashScenario(t)
				ffs := dbtest.NewFaultFS(root, dbtest.Fault{Ops: dbtest.OpWrite, N: k, Kill: true, After: after})
				_, err := db.Sync(ctx, ffs, db.TestIndexKeyForTest, "logs", "events", syncOpt())
				if !ffs.Killed() || !errors.Is(err, dbtest.ErrKilled) {
					t.Fatalf("the fault did not fire or was not reported: killed=%v err=%v", ffs.Killed(), err)
				}
				r, err := db.Sync(ctx, root, db.TestIndexKeyForTest, "logs", "events", syncOpt())
				if err != nil {
					t.Fatalf("recovery sync: %v", err)
				}
				got := db.TableRowsForTest(t, root, "logs", "events")
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("after recovery (%+v) the table has %d rows:\n%s\nwant %d:\n%s", r, len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
				}
				// and a further sync has nothing to do
				r, err = db.Sync(ctx, root, db.TestIndexKeyForTest, "logs", "events", syncOpt())
				if err != nil || len(r.Accepted) != 0 || len(r.Rejected) != 0 {
					t.Fatalf("third sync: %+v %v", r, err)
				}
				tb, err := db.OpenTable(ctx, root, db.TestIndexKeyForTest, "logs", "events")
				if err != nil {
					t.Fatal(err)
				}
				rejected := 0
				for _, in := range tb.Inputs() {
					if in.Err != nil {
						rejected++
					}
				}
				if rejected != 1 {
					t.Fatalf("%d rejected inputs recorded, want 1", rejected)
				}
			})
		}
	}
}
