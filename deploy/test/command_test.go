package deploytest

import (
	"reflect"
	"testing"
)

// TestReleaseCommands: the helper a local end-to-end test uses to run the binaries as the
// chart would (S3-compatible endpoint, static keys, explicit secrets).
func TestReleaseCommands(t *testing.T) {
	vals := map[string]any{
		"configuration": map[string]any{"values": map[string]any{"s3EndPoint": "http://127.0.0.1:9000", "s3Bucket": "s3://ingest"}},
		"secrets": map[string]any{
			"s3":    map[string]any{"values": map[string]any{"awsRegion": "us-east-1", "awsAccessKeyId": "ak", "awsSecretAccessKey": "sk"}},
			"token": map[string]any{"values": map[string]any{"snellerToken": "t0k3n"}},
			"index": map[string]any{"values": map[string]any{"snellerIndexKey": "4AiJmIzLvMAP8A/1XdmbuzdwDduxHdu4hVRO7//7vd8="}},
		},
	}
	d, s, err := ReleaseCommands(chartDir(t), vals, []string{"sdb.database=tutorial", "sdb.tablePattern=table1"})
	if err != nil {
		t.Fatal(err)
	}
	storage := map[string]string{
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "ak", "AWS_SECRET_ACCESS_KEY": "sk",
		"S3_ENDPOINT": "http://127.0.0.1:9000", "SNELLER_BUCKET": "s3://ingest",
		"SNELLER_INDEX_KEY": "4AiJmIzLvMAP8A/1XdmbuzdwDduxHdu4hVRO7//7vd8=",
	}
	if !reflect.DeepEqual(s.Env, storage) {
		t.Errorf("sdb env %v", s.Env)
	}
	if want := []string{"sync", "-m", "1073741824", "tutorial", "table1"}; !reflect.DeepEqual(s.Args, want) {
		t.Errorf("sdb args %q", s.Args)
	}
	storage["SNELLER_TOKEN"] = "t0k3n"
	storage["CACHEDIR"] = "/var/cache/sneller"
	if !reflect.DeepEqual(d.Env, storage) {
		t.Errorf("snellerd env %v", d.Env)
	}
	if d.Args[0] != "daemon" || d.Object != "Deployment/sneller-snellerd" || d.EnvOrder[0] != "CACHEDIR" {
		t.Errorf("snellerd %+v", d)
	}
}
