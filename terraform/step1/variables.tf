variable "region" {
  type        = string
  description = "AWS region of the VPC and the EKS cluster."
  default     = "us-east-1"
}

variable "instance_type" {
  type        = string
  description = "Instance type of the node group. The default has AVX-512 (Intel Sapphire Rapids); snellerd uses it for its kernels when present."
  default     = "m7i.large"
}

variable "prefix" {
  type        = string
  description = "Prefix of every resource name (lower-case letters and digits); empty means a random 4-letter prefix kept in the state."
  default     = ""

  validation {
    condition     = can(regex("^([a-z][a-z0-9]{0,11})?$", var.prefix))
    error_message = "The prefix must be empty or 1-12 lower-case letters and digits, starting with a letter (it is part of bucket and IAM role names)."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes version of the EKS cluster."
  default     = "1.34"
}
