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

variable "hostname" {
  type        = string
  description = "Host name of the query endpoint within the domain (https://<hostname>.<domain>)."
}

variable "domain" {
  type        = string
  description = "Route53 public hosted zone that gets the alias record and the certificate validation records."
}
