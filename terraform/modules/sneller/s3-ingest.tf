# The ingest bucket: SNELLER_BUCKET. It holds db/<database>/<table>/definition.json, the
# signed index and the packed blobs that sdb writes.
resource "aws_s3_bucket" "ingest" {
  bucket        = "${var.prefix}sneller-ingest"
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "ingest" {
  bucket                  = aws_s3_bucket.ingest.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "ingest" {
  bucket = aws_s3_bucket.ingest.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_object" "definition" {
  bucket       = aws_s3_bucket.ingest.id
  key          = "db/${var.database}/${var.table}/definition.json"
  content_type = "application/json"
  content = jsonencode({
    input = [
      {
        pattern = "s3://${aws_s3_bucket.source.bucket}/${local.sample_prefix}*.ndjson"
        format  = "json"
      },
    ]
  })
}
