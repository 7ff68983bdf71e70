output "namespace" {
  description = "Kubernetes namespace of the sneller release."
  value       = module.sneller.namespace
}

output "database" {
  description = "Database of the sample table."
  value       = module.sneller.database
}

output "table" {
  description = "Sample table."
  value       = module.sneller.table
}
