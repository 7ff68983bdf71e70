package db

import (
	"context"
	"io"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// Helpers of the index, sync and gc tests.

var testIndexKey = func() *[32]byte {
	var k [32]byte
	for i := range k {
		k[i] = byte(i*7 + 1)
	}
	return &k
}()

func newLocalRoot(t testing.TB) *DirFS {
	t.Helper()
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func putObject(t testing.TB, fsys FS, key, data string) string {
	t.Helper()
	etag, err := fsys.Put(context.Background(), key, strings.NewReader(data), Always)
	if err != nil {
		t.Fatal(err)
	}
	return etag
}

func createTable(t testing.TB, fsys FS, database, table, def string) {
	t.Helper()
	d, err := ParseDefinition("definition.json", []byte(def))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteDefinition(context.Background(), fsys, database, table, d); err != nil {
		t.Fatal(err)
	}
}

// canonDatum renders a value with struct fields sorted, so rows compare whatever the order
// of their fields.
func canonDatum(d ion.Datum) string {
	switch d.Type() {
	case ion.StructType:
		fs := d.Fields()
		parts := make([]string, len(fs))
		for i, f := range fs {
			parts[i] = f.Name.Text + ":" + canonDatum(f.Value)
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case ion.ListType:
		var parts []string
		for _, e := range d.Elems() {
			parts = append(parts, canonDatum(e))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return d.String()
}

// jsonRows returns the canonical rows of JSON text, sorted.
func jsonRows(t testing.TB, texts ...string) []string {
	t.Helper()
	var out []string
	for _, text := range texts {
		var st ion.Symtab
		dec := ion.NewJSONDecoder(strings.NewReader(text), &st)
		for {
			var buf ion.Buffer
			err := dec.Next(&buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			d, _, err := ion.DecodeDatum(buf.Bytes(), &st)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, canonDatum(d))
		}
	}
	sort.Strings(out)
	return out
}

// tableRows returns the canonical rows of every blob of a table's index, sorted.
func tableRows(t testing.TB, fsys FS, database, table string) []string {
	t.Helper()
	ctx := context.Background()
	tb, err := OpenTable(ctx, fsys, testIndexKey, database, table)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := range tb.Blobs() {
		b := &tb.Blobs()[i]
		f := &fsFetcher{fs: fsys, path: b.Path, etag: b.ETag, size: b.Size}
		blob, err := pack.Open(ctx, b.Path, f, b.Size, &b.TrailerHash)
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j < blob.Blocks(); j++ {
			var st ion.Symtab
			err := blob.Rows(ctx, j, &st, func(row []byte) error {
				d, _, err := ion.DecodeDatum(row, &st)
				if err != nil {
					return err
				}
				out = append(out, canonDatum(d))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	sort.Strings(out)
	return out
}

func sameRows(t testing.TB, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows (%d):\n%s\nwant (%d):\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
}

type rowsOut struct{ rows []string }

func (r *rowsOut) Row(v vm.Value) error {
	r.rows = append(r.rows, vm.FormatValue(v))
	return nil
}

// query runs SQL against the root's tables and returns the rows as text.
func query(t testing.TB, fsys FS, database, text string) []string {
	t.Helper()
	st, err := sql.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	q, err := plan.Prepare(context.Background(), st, NewQueryEnv(context.Background(), fsys, testIndexKey, database), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out rowsOut
	if err := q.Run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	return out.rows
}

func mustSync(t testing.TB, fsys FS, database, table string, opt SyncOptions) *SyncResult {
	t.Helper()
	r, err := Sync(context.Background(), fsys, testIndexKey, database, table, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// isolateEnv points the AWS SDK's shared files away from the user's, clears credentials and
// the index key.
func isolateEnv(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
		"AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "S3_ENDPOINT",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_STS", IndexKeyEnv} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}
