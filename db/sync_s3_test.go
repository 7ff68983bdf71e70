package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/db/dbtest"
	"github.com/sneller-re/sneller/internal/s3test"
)

// s3Roots returns the ingest root and the source bucket of the EKS guide's layout on srv,
// configured from the environment as sdb and snellerd are.
func s3Roots(t *testing.T, srv *s3test.Server) (root, src db.FS) {
	ctx := context.Background()
	srv.Setenv(t)
	srv.MustCreateBucket(t, "source")
	srv.MustCreateBucket(t, "ingest")
	root, err := db.OpenRoot(ctx, "s3://ingest")
	if err != nil {
		t.Fatal(err)
	}
	src, err = db.OpenRoot(ctx, "s3://source")
	if err != nil {
		t.Fatal(err)
	}
	db.CreateTableForTest(t, root, "tutorial", "table1", `{"input": [{"pattern": "s3://source/sample_data/*.ndjson", "format": "json"}]}`)
	return root, src
}

func TestSyncTutorialS3Fake(t *testing.T) {
	root, src := s3Roots(t, s3test.StartFake(t))
	db.RunTutorialForTest(t, root, src, "sample_data/")
}

// TestSyncTutorialS3Versity runs the tutorial against versitygw, which checks every request's
// signature and honours conditional writes as S3 does.
func TestSyncTutorialS3Versity(t *testing.T) {
	root, src := s3Roots(t, s3test.StartVersity(t))
	db.RunTutorialForTest(t, root, src, "sample_data/")
}

// TestSyncCrashS3 kills a sync on S3 at each of its writes and checks the recovery.
func TestSyncCrashS3(t *testing.T) {
	ctx := context.Background()
	srv := s3test.StartFake(t)
	root, src := s3Roots(t, srv)
	for _, k := range []string{"a", "b", "c"} {
		db.PutObjectForTest(t, src, "sample_data/"+k+".ndjson", `{"k": "`+k+`"}`+"\n"+`{"k": "`+k+`2"}`)
	}
	want := db.JSONRowsForTest(t, `{"k":"a"}`, `{"k":"a2"}`, `{"k":"b"}`, `{"k":"b2"}`, `{"k":"c"}`, `{"k":"c2"}`)
	for k := 1; ; k++ {
		// a fresh table each time
		db.CreateTableForTest(t, root, "tutorial", "table1", `{"input": [{"pattern": "s3://source/sample_data/*.ndjson", "format": "json"}]}`)
		root.Delete(ctx, "db/tutorial/table1/index")
		ffs := dbtest.NewFaultFS(root, dbtest.Fault{N: k, Kill: true})
		_, err := db.Sync(ctx, ffs, db.TestIndexKeyForTest, "tutorial", "table1", db.SyncOptions{})
		if !ffs.Killed() {
			if err != nil {
				t.Fatal(err)
			}
			if k < 3 {
				t.Fatalf("only %d writes", k-1)
			}
			break
		}
		if !errors.Is(err, dbtest.ErrKilled) {
			t.Fatalf("write %d: %v", k, err)
		}
		if _, err := db.Sync(ctx, root, db.TestIndexKeyForTest, "tutorial", "table1", db.SyncOptions{}); err != nil {
			t.Fatal(err)
		}
		got := db.TableRowsForTest(t, root, "tutorial", "table1")
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("kill at write %d: rows %v", k, got)
		}
	}
}
