package s3test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// exercise writes and reads an object through the SDK and sends one unsigned request, whose
// status it returns.
func exercise(t *testing.T, s *Server) int {
	t.Helper()
	ctx := context.Background()
	c := s.Client()
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bucket-1"), Key: aws.String("k"), Body: strings.NewReader("v")}); err != nil {
		t.Fatalf("%s: put: %v", s.Kind, err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bucket-1"), Key: aws.String("k")})
	if err != nil {
		t.Fatalf("%s: get: %v", s.Kind, err)
	}
	b, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(b) != "v" {
		t.Errorf("%s: read %q", s.Kind, b)
	}
	resp, err := http.Get(s.Endpoint + "/bucket-1/k")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	env := strings.Join(s.Env(), "\n")
	for _, want := range []string{"S3_ENDPOINT=" + s.Endpoint, "AWS_ACCESS_KEY_ID=" + s.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + s.SecretKey, "AWS_REGION=" + s.Region} {
		if !strings.Contains(env, want) {
			t.Errorf("%s: Env lacks %s", s.Kind, want)
		}
	}
	return resp.StatusCode
}

func TestStartFake(t *testing.T) {
	s := StartFake(t, "bucket-1")
	// gofakes3 does not check signatures: an unsigned read succeeds.
	if code := exercise(t, s); code != http.StatusOK || s.ChecksSignatures {
		t.Errorf("unsigned GET on gofakes3: %d", code)
	}
}

func TestStartVersity(t *testing.T) {
	s := StartVersity(t, "bucket-1")
	if code := exercise(t, s); code != http.StatusForbidden || !s.ChecksSignatures {
		t.Errorf("unsigned GET on versitygw: %d, want 403", code)
	}
}
