output "region" {
  description = "AWS region of the cluster."
  value       = var.region
}

output "prefix" {
  description = "Prefix of the resource names, ending with a dash."
  value       = local.prefix
}

output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "provider_arn" {
  description = "ARN of the cluster's OIDC provider (IAM roles for service accounts)."
  value       = module.eks.oidc_provider_arn
}
