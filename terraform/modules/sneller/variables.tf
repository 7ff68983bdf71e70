variable "prefix" {
  type        = string
  description = "Prefix of every resource name, ending with a dash (step 1's output)."
}

variable "region" {
  type        = string
  description = "AWS region of the buckets (AWS_REGION of the pods)."
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the EKS cluster's OIDC provider (step 1's provider_arn)."
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace of the release."
}

variable "database" {
  type        = string
  description = "Database that sdb syncs."
}

variable "table" {
  type        = string
  description = "Table of the sample data."
}

variable "snellerd_image" {
  type        = string
  description = "Full image reference of snellerd; empty means the chart's default."
  default     = ""
}

variable "sdb_image" {
  type        = string
  description = "Full image reference of sdb; empty means the chart's default."
  default     = ""
}

variable "replicas" {
  type        = number
  description = "Number of snellerd replicas."
  default     = 3
}

variable "extra_set" {
  type = list(object({
    name  = string
    value = string
  }))
  description = "More chart values (helm --set syntax), e.g. the ingress settings of step 3."
  default     = []
}
