# The source bucket: ND-JSON files that sdb ingests, starting with the guide's three samples
# (6 rows of {"value":N}, so SELECT COUNT(*) returns 6).
resource "aws_s3_bucket" "source" {
  bucket = "${var.prefix}sneller-source"
  # A tutorial stack: destroy removes the objects, too.
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "source" {
  bucket                  = aws_s3_bucket.source.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "source" {
  bucket = aws_s3_bucket.source.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

locals {
  sample_dir    = "${path.module}/sample_data"
  sample_prefix = "sample_data/"
}

resource "aws_s3_object" "sample" {
  for_each = fileset(local.sample_dir, "*.ndjson")

  bucket       = aws_s3_bucket.source.id
  key          = "${local.sample_prefix}${each.value}"
  source       = "${local.sample_dir}/${each.value}"
  source_hash  = filemd5("${local.sample_dir}/${each.value}")
  content_type = "application/x-ndjson"
}
