output "namespace" {
  description = "Kubernetes namespace of the release."
  value       = helm_release.sneller.namespace
}

output "database" {
  description = "Database of the sample table."
  value       = var.database
}

output "table" {
  description = "Sample table."
  value       = var.table
}

output "source_bucket" {
  description = "Bucket of the source ND-JSON files."
  value       = aws_s3_bucket.source.bucket
}

output "ingest_bucket" {
  description = "Bucket that holds the tables (SNELLER_BUCKET)."
  value       = aws_s3_bucket.ingest.bucket
}

output "release" {
  description = "Name of the Helm release."
  value       = helm_release.sneller.name
}
