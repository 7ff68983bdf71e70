variable "namespace" {
  type        = string
  description = "Kubernetes namespace of the sneller release."
  default     = "sneller"
}

variable "database" {
  type        = string
  description = "Database of the sample table."
  default     = "tutorial"
}

variable "table" {
  type        = string
  description = "Sample table (db/<database>/<table>/definition.json)."
  default     = "table1"
}

variable "snellerd_image" {
  type        = string
  description = "Full image reference of snellerd (e.g. in ECR); empty means the chart's default."
  default     = ""
}

variable "sdb_image" {
  type        = string
  description = "Full image reference of sdb; empty means the chart's default."
  default     = ""
}
